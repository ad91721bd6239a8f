"""The drain benchmark's baseline: wire items straight into the transactions table."""

from __future__ import annotations

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from ledger.bulk import bulk_insert_items
from ledger.models import Transaction
from tests.ledger.conftest import SignedTestClient
from tests.ledger.items import rating


def test_bulk_insert_writes_one_row_per_item_with_the_wire_fingerprint(
        engine: Engine, sessions: sessionmaker[Session], kiosk: SignedTestClient) -> None:
    items = [rating(n % 5 + 1) for n in range(2_500)]  # more than one insert chunk
    assert bulk_insert_items(engine, "DEMO-KIOSK-01", items) == 2_500
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Transaction)) == 2_500
        assert session.scalar(select(func.count(func.distinct(Transaction.ledger_id)))) == 2_500
    # The same items over the API are recognised as already recorded, not conflicts.
    assert {r["status"] for r in kiosk.batch(items[:50])} == {"accepted"}
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Transaction)) == 2_500
