"""Two terminal processes on one store, and a ledger that dies and comes back mid-sync."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine

from ledger.testing import demo_key_path
from sync.client import LedgerClient
from sync.engine import EngineSettings, SyncEngine
from sync.outbox import ACKNOWLEDGED, Outbox
from sync.status import SyncStatus
from sync.store import open_store
from tests.sync.crashkit import SECRET, TERMINAL
from tests.sync.faultproxy import FaultProxy
from tests.sync.helpers import rating
from tests.sync.ledgerdb import facts

ROOT = Path(__file__).resolve().parents[2]


def posted_keys(proxy: FaultProxy) -> list[str]:
    keys = []
    for request in proxy.requests:
        head, _, body = request.partition(b"\r\n\r\n")
        if head.startswith(b"POST /v1/transactions "):
            keys += [i["idempotency_key"] for i in json.loads(body)["items"]]
    return keys


@pytest.mark.slow
def test_two_processes_on_one_store_flush_each_item_once(ledger: Any, ledger_url: str, tmp_path: Path) -> None:
    store_path = tmp_path / "terminal.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with FaultProxy(ledger.port, {"pass": 1}) as proxy:
        procs = [subprocess.Popen([sys.executable, "-m", "tests.sync.terminal_proc", str(store_path), proxy.url,
                                   "150", "1.5"], stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env)
                 for _ in range(2)]
        outputs = [p.communicate(timeout=120)[0].split() for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    senders = sorted(out[-1] for out in outputs)
    assert senders == ["sender=False", "sender=True"]  # exactly one sender while both ran
    enqueued = [k for out in outputs for k in out[:-1]]
    assert len(enqueued) == 300
    sent = posted_keys(proxy)
    assert sorted(sent) == sorted(enqueued)  # every item on the wire exactly once: no double flush
    db = create_engine(ledger_url)
    ledger_facts = facts(db)
    db.dispose()
    assert set(ledger_facts.per_key) == set(enqueued) and max(ledger_facts.per_key.values()) == 1


@pytest.mark.slow
def test_the_ledger_restarting_mid_sync_turns_offline_then_drains(ledger: Any, ledger_url: str,
                                                                  tmp_path: Path) -> None:
    from ledger.testing import LedgerProcess

    store = open_store(tmp_path / "terminal.db")
    outbox = Outbox(store, TERMINAL)
    keys = [outbox.enqueue("rating", rating(1 + i % 5)).idempotency_key for i in range(400)]
    engine = SyncEngine(outbox, LedgerClient(ledger.url, TERMINAL, SECRET, timeout_s=2),
                        lock_path=tmp_path / "sender.lock", rng=random.Random(0),
                        settings=EngineSettings(batch_size=10, interval_s=0.05, backoff_base_s=0.05,
                                                backoff_max_s=0.3))
    went_offline, back_online = threading.Event(), threading.Event()

    def watch(status: SyncStatus) -> None:
        if status.state == "offline":
            went_offline.set()
        elif went_offline.is_set() and status.state == "online" and status.all_sent:
            back_online.set()

    engine.board.subscribe(watch)
    engine.start()
    try:
        while outbox.counts().acknowledged < 60:
            time.sleep(0.01)
        ledger.kill()  # SIGKILL mid-sync
        assert went_offline.wait(30)
        offline = engine.status
        assert offline.unsent > 0 and not offline.all_sent and offline.last_error_zh
        keys += [outbox.enqueue("rating", rating()).idempotency_key for _ in range(20)]  # work goes on offline
        restarted = LedgerProcess(ledger_url, port=ledger.port, exchange_url=ledger.exchange_url).start()
        try:
            assert back_online.wait(60)
        finally:
            engine.stop()
            restarted.stop()
    finally:
        store.close()
    db = create_engine(ledger_url)
    ledger_facts = facts(db)
    db.dispose()
    assert set(ledger_facts.per_key) == set(keys) and max(ledger_facts.per_key.values()) == 1
    reopened = open_store(tmp_path / "terminal.db")
    assert {i.state for i in Outbox(reopened, TERMINAL).items()} == {ACKNOWLEDGED}
    reopened.close()


def test_the_runtime_serves_snapshots_live_then_from_the_encrypted_cache(ledger: Any, ledger_url: str,
                                                                          tmp_path: Path) -> None:
    from sqlalchemy import text

    from infra.config import parse_config
    from sync.errors import SnapshotUnavailable
    from sync.runtime import SyncRuntime
    from tests.ledger.memberproof import member_token

    db = create_engine(ledger_url)
    with db.connect() as conn:
        (first, first_idn), (second, _) = conn.execute(
            text("SELECT member_id, id_number FROM members ORDER BY member_id LIMIT 2")).all()
    db.dispose()

    def runtime_as(terminal: str, folder: str) -> SyncRuntime:
        config = parse_config(f'[terminal]\nid = "{terminal}"\n[ledger]\nurl = "{ledger.url}"\n'
                              f'key_id = "{terminal}"\nkey_file = "{demo_key_path(terminal)}"\ntimeout_s = 2\n'
                              f'[store]\npath = "{tmp_path / folder / "t.db"}"\n')
        return SyncRuntime.from_config(config, key_path=tmp_path / folder / "cache.key")

    runtime = runtime_as(TERMINAL, "kiosk")  # a kiosk reads a member through a ledger session only
    counter = runtime_as("DEMO-COUNTER-01", "counter")  # a counter by member id (its clerk saw the member)
    try:
        opened = runtime.open_member_session("qr", token=member_token(first))
        live = runtime.session_snapshot(opened.token, id_number=first_idn)
        assert live.source == "ledger" and live.member.member_id == first and "*" in live.member.id_number
        at_counter = counter.account_snapshot(second)
        assert at_counter.source == "ledger" and at_counter.member.member_id == second
        ledger.kill()
        cached = runtime.cached_snapshot(member_id=first)
        assert cached is not None and cached.source == "cache" and cached.as_of == live.as_of
        assert cached.account == live.account
        by_card = runtime.cached_snapshot(id_number=first_idn)  # an offline card read finds the same copy
        assert by_card is not None and by_card.member == live.member
        assert runtime.cached_snapshot(id_number="110101199001011237") is None
        assert counter.account_snapshot(second).source == "cache"
        with pytest.raises(SnapshotUnavailable) as info:
            counter.account_snapshot(first)
        assert info.value.zh and info.value.en
        receipt = runtime.enqueue("rating", rating())  # offline, yet durably queued
        assert runtime.outbox.get(receipt.idempotency_key) is not None
        runtime.end_member_session(opened.token)  # offline: logged, not raised (the session expires by itself)
    finally:
        runtime.stop()
        counter.stop()
