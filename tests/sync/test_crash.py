"""Issue 5's crash proof: a terminal SIGKILLed at hundreds of random points while it enqueues and
syncs loses nothing it acknowledged, and the ledger applies each transaction exactly once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine

from tests.sync.crashkit import drain_and_check, run_kills
from tests.sync.ledgerdb import facts, members_with_balance

KILLS = 200


@pytest.mark.slow
def test_sigkill_at_random_points_loses_nothing_and_duplicates_nothing(ledger: Any, ledger_url: str,
                                                                       tmp_path: Path) -> None:
    db = create_engine(ledger_url)
    members = members_with_balance(db, 100_000)
    before = facts(db).balances
    db.dispose()
    store_path, acks_path = tmp_path / "terminal.db", tmp_path / "acks.txt"

    reports = run_kills(store_path, ledger.url, acks_path, members, KILLS, seed=3)
    assert sum(r.startswith("killed") for r in reports) == KILLS, reports[:5]
    mid_batch = [r for r in reports if "in_flight=" in r and "in_flight=0" not in r]
    assert len(mid_batch) >= KILLS // 10  # many kills hit a batch on the wire

    outcome = drain_and_check(store_path, ledger.url, ledger_url, acks_path, before)
    assert outcome.acked > KILLS  # the children got real work done between kills
    assert outcome.lost == 0  # nothing acknowledged to a person was lost
    assert outcome.unsent == 0 and outcome.phantom == 0  # every stored item reached the ledger, nothing else
    assert outcome.duplicated == 0  # one ledger record (and one approved withdrawal) per key
    assert outcome.money_mismatch == 0  # balances moved by exactly the approved withdrawals
    assert outcome.exactly_once
