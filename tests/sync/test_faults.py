"""Issue 5's network proof: thousands of transactions through a fault-injecting proxy reach the
ledger exactly once, in order per member, and the money adds up to the fen."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine

from ledger.testing import demo_key_path
from sync.client import LedgerClient
from sync.crypto import Cipher, load_or_create_key
from sync.engine import EngineSettings, SyncEngine
from sync.outbox import ACKNOWLEDGED, PARKED, REJECTED, Outbox
from sync.store import open_store
from tests.sync.faultproxy import FaultProxy
from tests.sync.helpers import enqueue_mix
from tests.sync.ledgerdb import DEMO_TERMINAL, facts, members_with_balance

SECRET = str(demo_key_path("DEMO-KIOSK-01"))  # the demo kiosk's private key file
TRANSACTIONS = 2000
WEIGHTS = {"pass": 55, "drop": 9, "reset": 9, "delay": 3, "error500": 12, "twice": 12}
TIMEOUT_S = 0.8


def wait_all_sent(engine: SyncEngine, outbox: Outbox, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if outbox.counts().unsent == 0:
            return
        time.sleep(0.1)
    raise AssertionError(f"still unsent after {timeout_s} s: {outbox.counts()} status {engine.status}")


@pytest.mark.slow
def test_thousands_of_transactions_through_network_faults_land_exactly_once(ledger: Any, ledger_url: str,
                                                                            fast_dir: Path) -> None:
    db = create_engine(ledger_url)
    members = members_with_balance(db, 200_000)
    before = facts(db).balances
    store = open_store(fast_dir / "terminal.db")
    outbox = Outbox(store, DEMO_TERMINAL, Cipher(load_or_create_key(fast_dir / "terminal.key")))
    with FaultProxy(ledger.port, WEIGHTS, seed=5, delay_s=TIMEOUT_S + 0.2) as proxy:
        client = LedgerClient(proxy.url, DEMO_TERMINAL, SECRET, timeout_s=TIMEOUT_S)
        engine = SyncEngine(outbox, client, lock_path=fast_dir / "sender.lock", rng=random.Random(1),
                            settings=EngineSettings(batch_size=25, interval_s=0.05, backoff_base_s=0.02,
                                                    backoff_max_s=0.1, max_server_errors=1000))
        engine.start()
        try:
            enqueue_mix(outbox, members, TRANSACTIONS, random.Random(2), max_fen=500,
                        each=lambda i: engine.wake() if i % 50 == 0 else None)
            wait_all_sent(engine, outbox, timeout_s=120)
        finally:
            engine.stop()
    store_items = outbox.items()
    ledger = facts(db)
    db.dispose()
    store.close()

    # every fault really happened, many times
    assert all(proxy.counts[f] >= 3 for f in WEIGHTS), proxy.counts
    # exactly one ledger record per idempotency key, and none the terminal does not know
    assert len(store_items) == TRANSACTIONS
    assert set(ledger.per_key) == {i.idempotency_key for i in store_items}
    assert max(ledger.per_key.values()) == 1
    assert max(ledger.withdrawals_per_key.values()) == 1
    # the terminal's view matches the ledger's, item by item
    states = {ACKNOWLEDGED: "accepted", REJECTED: "rejected"}
    assert not [i for i in store_items if i.state == PARKED]
    assert {i.idempotency_key: states[i.state] for i in store_items} == ledger.status
    assert {i.idempotency_key: i.ledger_id for i in store_items} == ledger.ledger_id
    # delivery in creation order per member
    seq = {i.idempotency_key: i.seq for i in store_items}
    for member, keys in ledger.order.items():
        assert [seq[k] for k in keys] == sorted(seq[k] for k in keys), member
    # the money adds up to the fen: balances fell by exactly what was approved, once
    approved = {i.idempotency_key: json.loads(i.payload)["amount_fen"] for i in store_items
                if i.kind == "withdrawal.apply" and i.state == ACKNOWLEDGED}
    assert len(approved) > TRANSACTIONS // 4
    assert ledger.amount_fen == sum(approved.values())
    for member in members:
        assert before[member] - ledger.balances[member] == ledger.withdrawn_fen.get(member, 0), member
    assert sum(before.values()) - sum(ledger.balances.values()) == sum(approved.values())
