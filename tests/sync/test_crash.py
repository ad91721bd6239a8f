"""Issue 5's crash proof: a terminal SIGKILLed at hundreds of random points while it enqueues and
syncs loses nothing it acknowledged, and the ledger applies each transaction exactly once."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine

from sync.client import LedgerClient
from sync.engine import EngineSettings, SyncEngine
from sync.outbox import ACKNOWLEDGED, REJECTED, Outbox
from sync.store import open_store
from tests.sync.crashkit import SECRET, TERMINAL, run_kills
from tests.sync.ledgerdb import facts, members_with_balance

KILLS = 200


@pytest.mark.slow
def test_sigkill_at_random_points_loses_nothing_and_duplicates_nothing(ledger: Any, ledger_url: str,
                                                                       tmp_path: Path) -> None:
    db = create_engine(ledger_url)
    members = members_with_balance(db, 100_000)
    before = facts(db).balances
    store_path, acks_path = tmp_path / "terminal.db", tmp_path / "acks.txt"

    reports = run_kills(store_path, ledger.url, acks_path, members, KILLS, seed=3)
    assert sum(r.startswith("killed") for r in reports) == KILLS, reports[:5]
    mid_batch = [r for r in reports if "in_flight=0" not in r and "in_flight=" in r]
    assert len(mid_batch) >= KILLS // 10  # many kills hit a batch on the wire
    acked = acks_path.read_text().split()

    # a clean restart drains whatever the dead processes left behind
    store = open_store(store_path)
    outbox = Outbox(store, TERMINAL)
    engine = SyncEngine(outbox, LedgerClient(ledger.url, TERMINAL, SECRET, timeout_s=10),
                        lock_path=store_path.with_name(store_path.name + ".sender.lock"),
                        settings=EngineSettings(), rng=random.Random(0))
    assert engine.drain_until_empty(60)
    engine.stop()
    items = {i.idempotency_key: i for i in outbox.items()}
    store.close()
    ledger_facts = facts(db)
    db.dispose()

    assert len(acked) > KILLS  # the children got real work done between kills
    assert len(set(acked)) == len(acked)
    assert set(acked) <= set(items)  # nothing acknowledged to a person was lost
    assert {i.state for i in items.values()} <= {ACKNOWLEDGED, REJECTED}
    assert set(ledger_facts.per_key) == set(items)  # every stored item reached the ledger, nothing else did
    assert max(ledger_facts.per_key.values()) == 1
    assert max(ledger_facts.withdrawals_per_key.values(), default=1) == 1
    assert {k: i.ledger_id for k, i in items.items()} == ledger_facts.ledger_id
    for member in members:
        assert before[member] - ledger_facts.balances[member] == ledger_facts.withdrawn_fen.get(member, 0)
