"""`SyncEngine.send_now`: one item at once, ahead of the backlog, exactly once beside the background sender."""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest

from sync import errors
from sync.client import LedgerClient
from sync.engine import EngineSettings, SyncEngine
from sync.filelock import FileLock
from sync.outbox import ACKNOWLEDGED, PENDING, Outbox
from sync.store import open_store
from tests.sync.helpers import FakeClient, rating, withdrawal


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    store = open_store(tmp_path / "t.db")
    yield Outbox(store, "TY-K-01")
    store.close()


def engine_for(outbox: Outbox, client: FakeClient, **settings: float) -> SyncEngine:
    return SyncEngine(outbox, cast(LedgerClient, client), lock_path=outbox.store.path.with_suffix(".lock"),
                      settings=EngineSettings(**settings), rng=random.Random(3))  # type: ignore[arg-type]


def test_the_item_goes_alone_ahead_of_the_backlog_and_its_answer_comes_back(outbox: Outbox) -> None:
    client = FakeClient()
    engine = engine_for(outbox, client)
    engine.run_once()  # takes the sender lock (nothing to send yet)
    backlog = [outbox.enqueue("rating", rating()).idempotency_key for _ in range(5)]
    key = outbox.enqueue("withdrawal.apply", withdrawal(), member_id="M1").idempotency_key
    answered = engine.send_now(key, timeout_s=5)
    assert answered is not None and answered.state == ACKNOWLEDGED and answered.ledger_id == f"L-{key[:8]}"
    assert answered.result == "{}"
    assert client.batches == [[client.batches[0][0]]] and client.sent_keys() == [key]
    assert client.timeouts[0] is not None and 0 < client.timeouts[0] <= 5  # the wait bounds the request
    assert [outbox.get(k).state for k in backlog] == [PENDING] * 5  # type: ignore[union-attr]
    engine.run_once()
    assert Counter(client.sent_keys()) == Counter([key, *backlog])  # every key once, the urgent one first


def test_offline_it_returns_nothing_and_the_item_waits_for_the_next_round(outbox: Outbox) -> None:
    client = FakeClient()
    engine = engine_for(outbox, client)
    engine.run_once()
    key = outbox.enqueue("withdrawal.apply", withdrawal(), member_id="M1").idempotency_key
    client.steps.append(errors.LedgerUnavailable("connection refused"))
    assert engine.send_now(key, timeout_s=1) is None
    assert outbox.get(key).state == PENDING  # type: ignore[union-attr]
    assert engine.status.state == "offline"
    engine.run_once()
    assert outbox.get(key).state == ACKNOWLEDGED and client.sent_keys() == [key, key]  # type: ignore[union-attr]


def test_a_process_that_is_not_the_sender_never_sends_it(outbox: Outbox, tmp_path: Path) -> None:
    other = FileLock(outbox.store.path.with_suffix(".lock"))
    assert other.try_acquire()  # another process of this terminal is the sender
    try:
        client = FakeClient()
        engine = engine_for(outbox, client)
        key = outbox.enqueue("withdrawal.apply", withdrawal(), member_id="M1").idempotency_key
        assert engine.send_now(key, timeout_s=0.2) is None
        assert client.batches == [] and outbox.get(key).state == PENDING  # type: ignore[union-attr]
    finally:
        other.release()


def test_beside_the_background_sender_every_key_is_sent_exactly_once(outbox: Outbox) -> None:
    client = FakeClient()
    engine = engine_for(outbox, client, interval_s=0.01, batch_size=7)
    engine.run_once()
    engine.start()
    keys: list[str] = []
    answers = []
    try:
        for i in range(60):
            key = outbox.enqueue("withdrawal.apply", withdrawal(i + 1), member_id=f"M{i % 5}").idempotency_key
            keys.append(key)
            engine.wake()  # as SyncRuntime.enqueue does: the round and send_now race for the item
            if i % 2 == 0:
                answers.append(engine.send_now(key, timeout_s=5))
        deadline = time.monotonic() + 30
        while outbox.counts().unsent and time.monotonic() < deadline:
            time.sleep(0.02)  # the background rounds deliver the rest
    finally:
        engine.stop()
    sent = Counter(client.sent_keys())
    assert set(sent) == set(keys) and max(sent.values()) == 1
    assert len(answers) == 30 and all(a is not None and a.state == ACKNOWLEDGED for a in answers)
