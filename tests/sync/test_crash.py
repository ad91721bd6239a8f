"""Issue 5's crash proof: a terminal SIGKILLed at hundreds of random points while it enqueues and
syncs loses nothing it acknowledged, and the ledger applies each transaction exactly once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine

from tests.sync.crashkit import drain_and_check, mid_batch, run_kills
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

    # KILLS kill points; more (each after some work) only if a loaded machine left the children too
    # little time for the work the two assertions below ask of them
    reports = run_kills(store_path, ledger.url, acks_path, members, KILLS, seed=3,
                        min_acked=KILLS, min_mid_batch=KILLS // 10)
    assert len(reports) >= KILLS and all(r.startswith("killed") for r in reports), reports[:5]
    assert len(mid_batch(reports)) >= KILLS // 10  # many kills hit a batch on the wire

    outcome = drain_and_check(store_path, ledger.url, ledger_url, acks_path, before)
    assert outcome.acked > KILLS  # the children got real work done between kills
    assert outcome.lost == 0  # nothing acknowledged to a person was lost
    assert outcome.unsent == 0 and outcome.phantom == 0  # every stored item reached the ledger, nothing else
    assert outcome.duplicated == 0  # one ledger record (and one approved withdrawal) per key
    assert outcome.money_mismatch == 0  # balances moved by exactly the approved withdrawals
    assert outcome.exactly_once


@pytest.mark.slow
def test_kills_too_early_for_any_work_are_followed_by_kills_after_some(ledger: Any, ledger_url: str,
                                                                      tmp_path: Path) -> None:
    """What a heavily loaded machine does to the proof above: every child killed before it got going
    (5 ms after its fork here). The harness then adds kill points, each after the child's first
    acknowledgement, until the work asked for is done, instead of the proof failing on a count."""
    db = create_engine(ledger_url)
    members = members_with_balance(db, 100_000)
    before = facts(db).balances
    db.dispose()
    store_path, acks_path = tmp_path / "terminal.db", tmp_path / "acks.txt"
    kills = 20

    reports = run_kills(store_path, ledger.url, acks_path, members, kills, seed=5, max_delay_ms=5,
                        min_acked=kills, min_mid_batch=2)
    assert len(reports) > kills and all(r.startswith("killed") for r in reports), reports[:5]
    assert len(mid_batch(reports)) >= 2

    outcome = drain_and_check(store_path, ledger.url, ledger_url, acks_path, before)
    assert outcome.acked > kills
    assert outcome.exactly_once, outcome
