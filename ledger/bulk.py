"""Direct bulk insert of transaction rows: the baseline of the drain benchmark.

`bulk_insert_items` writes N wire-format items as accepted transaction rows in one database
transaction with no HTTP, no auth and no rule checks — the fastest the ledger's own database
can take the same rows, which the sync drain is compared against.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, insert

from domain.transactions import parse_utc, payload_hash
from ledger.db import create_schema
from ledger.models import Transaction
from ledger.service import new_ledger_id

CHUNK = 1000


def bulk_insert_items(engine: Engine, terminal_id: str, items: Iterable[Mapping[str, Any]]) -> int:
    """Insert wire items ({idempotency_key, kind, member_id, created_at, payload}); returns the row count."""
    create_schema(engine)
    now = datetime.now(UTC)
    rows = [{"idempotency_key": i["idempotency_key"], "ledger_id": new_ledger_id(now), "terminal_id": terminal_id,
             "kind": i["kind"], "member_id": i.get("member_id"), "payload": dict(i["payload"]),
             "payload_hash": payload_hash(i["kind"], i.get("member_id"), i["payload"]), "status": "accepted",
             "reason": None, "result": {}, "amount_fen": int(i["payload"].get("amount_fen", 0) or 0),
             "created_at": parse_utc(i["created_at"]), "received_at": now, "applied_at": now} for i in items]
    with engine.begin() as conn:
        for start in range(0, len(rows), CHUNK):
            conn.execute(insert(Transaction), rows[start:start + CHUNK])
    return len(rows)
