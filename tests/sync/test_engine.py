import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest

from sync import errors
from sync.client import LedgerClient
from sync.engine import EngineSettings, SyncEngine, backoff_delay
from sync.outbox import ACKNOWLEDGED, PARKED, REJECTED, Outbox
from sync.status import SyncStatus
from sync.store import open_store
from tests.sync.helpers import FakeClient, rating, reject_member, withdrawal


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    store = open_store(tmp_path / "t.db")
    yield Outbox(store, "TY-K-01")
    store.close()


def engine_for(outbox: Outbox, client: FakeClient, **settings: Any) -> SyncEngine:
    return SyncEngine(outbox, cast(LedgerClient, client), lock_path=outbox.store.path.with_suffix(".lock"),
                      settings=EngineSettings(**settings), rng=random.Random(7))


def test_items_go_in_batches_in_creation_order_and_end_acknowledged(outbox: Outbox) -> None:
    keys = [outbox.enqueue("rating", rating(), member_id=f"M{i % 4}").idempotency_key for i in range(25)]
    client = FakeClient()
    status = engine_for(outbox, client, batch_size=10).run_once()
    assert [len(b) for b in client.batches] == [10, 10, 5]
    assert client.sent_keys() == keys
    assert status.state == "online" and status.all_sent and status.sender
    assert {i.state for i in outbox.items()} == {ACKNOWLEDGED}


def test_a_rejection_is_parked_for_a_clerk_and_does_not_block_the_items_behind(outbox: Outbox) -> None:
    outbox.enqueue("withdrawal.apply", withdrawal(), member_id="BAD")
    later = [outbox.enqueue("rating", rating(), member_id="M1").idempotency_key for _ in range(3)]
    client = FakeClient(reject_member("BAD"))
    status = engine_for(outbox, client).run_once()
    assert status.all_sent and status.for_clerk == 1
    assert [outbox.get(k).state for k in later] == [ACKNOWLEDGED] * 3  # type: ignore[union-attr]
    parked = outbox.for_clerk()
    assert parked[0].state == REJECTED and parked[0].reason is not None
    assert parked[0].reason.zh == "余额不足。"
    engine_for(outbox, client).run_once()
    assert len(client.batches) == 1  # never sent again


@pytest.mark.allow_log_warnings
def test_a_batch_refused_as_a_whole_is_halved_until_the_bad_item_is_found(outbox: Outbox) -> None:
    keys = [outbox.enqueue("rating", rating()).idempotency_key for _ in range(8)]
    bad = keys[5]

    def refuse_if_bad(_t: str, items: Any) -> Any:
        if any(i["idempotency_key"] == bad for i in items):
            raise errors.LedgerRejected("HTTP 422", code="invalid_request", zh="请求无效。", en="Invalid request.",
                                        status=422)
        from tests.sync.helpers import accept_all
        return accept_all(_t, items)

    client = FakeClient(*[refuse_if_bad] * 20)
    status = engine_for(outbox, client).run_once()
    assert status.all_sent
    assert [i.idempotency_key for i in outbox.items(PARKED)] == [bad]
    assert outbox.get(bad).reason.zh == "请求无效。"  # type: ignore[union-attr]
    first_sends = list(dict.fromkeys(client.sent_keys()))
    assert first_sends == keys  # halving kept the creation order
    accepted_order = [i.idempotency_key for i in outbox.items(ACKNOWLEDGED)]
    assert accepted_order == [k for k in keys if k != bad]


def test_network_failures_keep_items_pending_without_counting_attempts(outbox: Outbox) -> None:
    key = outbox.enqueue("rating", rating()).idempotency_key
    client = FakeClient(errors.LedgerUnavailable("refused"), errors.LedgerTimeout("slow"))
    engine = engine_for(outbox, client)
    first = engine.run_once()
    assert first.state == "offline" and first.unsent == 1 and first.last_error_en
    assert engine.run_once().state == "offline"
    third = engine.run_once()
    assert third.state == "online" and third.all_sent and third.last_error is None
    assert client.sent_keys() == [key] * 3
    assert outbox.get(key).attempts == 0  # type: ignore[union-attr]


@pytest.mark.allow_log_warnings
def test_server_faults_make_the_status_degraded_and_park_after_the_limit(outbox: Outbox) -> None:
    outbox.enqueue("rating", rating())
    client = FakeClient(*[errors.LedgerServerError("HTTP 500")] * 3)
    engine = engine_for(outbox, client, max_server_errors=3)
    statuses = [engine.run_once() for _ in range(3)]
    assert [s.state for s in statuses] == ["degraded"] * 3
    assert statuses[-1].all_sent and statuses[-1].for_clerk == 1
    assert outbox.items()[0].state == PARKED


def test_status_subscribers_hear_every_change(outbox: Outbox) -> None:
    outbox.enqueue("rating", rating())
    seen: list[SyncStatus] = []
    engine = engine_for(outbox, FakeClient(errors.LedgerUnavailable("down")))
    unsubscribe = engine.board.subscribe(seen.append)
    engine.run_once()
    engine.run_once()
    unsubscribe()
    engine.run_once()
    states = [s.state for s in seen]
    assert "offline" in states and states[-1] == "online"
    assert seen[-1].all_sent and not any(s.all_sent for s in seen if s.state == "offline")


def test_only_one_engine_per_store_sends(outbox: Outbox) -> None:
    first_client, second_client = FakeClient(), FakeClient()
    first, second = engine_for(outbox, first_client), engine_for(outbox, second_client)
    outbox.enqueue("rating", rating())
    assert first.run_once().sender
    outbox.enqueue("rating", rating())
    status = second.run_once()
    assert not status.sender and status.unsent == 1 and status.state == "online"
    assert second_client.batches == [] and second_client.health_calls == 1
    first.stop()
    assert second.run_once().sender and second_client.sent_keys() != []


@pytest.mark.parametrize("failures", [1, 2, 5, 12, 40])
def test_backoff_grows_exponentially_with_jitter_up_to_the_cap(failures: int) -> None:
    rng = random.Random(failures)
    delays = [backoff_delay(failures, 0.5, 60.0, rng) for _ in range(200)]
    ceiling = min(60.0, 0.5 * 2 ** (failures - 1))
    assert all(ceiling / 2 <= d <= ceiling for d in delays)
    assert len(set(delays)) > 150  # jittered, so terminals do not retry in lockstep


def test_the_background_thread_delivers_after_a_wake(outbox: Outbox) -> None:
    client = FakeClient()
    engine = engine_for(outbox, client, interval_s=3600)
    seen: list[SyncStatus] = []
    engine.board.subscribe(seen.append)
    engine.start()
    try:
        import threading
        done = threading.Event()
        engine.board.subscribe(lambda s: done.set() if s.all_sent and s.state == "online" and client.batches
                               else None)
        outbox.enqueue("rating", rating())
        engine.wake()
        assert done.wait(10)
    finally:
        engine.stop()
    assert outbox.counts().acknowledged == 1


def test_a_refusal_of_the_terminal_itself_parks_nothing_and_degrades(outbox: Outbox) -> None:
    keys = [outbox.enqueue("rating", rating()).idempotency_key for _ in range(4)]
    client = FakeClient(errors.LedgerRejected("HTTP 403", code="terminal_disabled", zh="终端已停用。",
                                              en="Terminal disabled.", status=403))
    engine = engine_for(outbox, client)
    status = engine.run_once()
    assert status.state == "degraded" and status.unsent == 4 and status.for_clerk == 0
    assert status.last_error_zh == "终端已停用。"
    assert len(client.batches) == 1  # not halved item by item
    assert engine.run_once().all_sent
    assert [i.idempotency_key for i in outbox.items(ACKNOWLEDGED)] == keys


@pytest.mark.allow_log_warnings
def test_a_500_caused_by_one_item_is_split_and_never_parks_its_neighbours(outbox: Outbox) -> None:
    keys = [outbox.enqueue("rating", rating()).idempotency_key for _ in range(8)]
    poison = keys[3]

    def fault_if_poison(_t: str, items: Any) -> Any:
        if any(i["idempotency_key"] == poison for i in items):
            raise errors.LedgerServerError("HTTP 500", status=500)
        from tests.sync.helpers import accept_all
        return accept_all(_t, items)

    client = FakeClient(*[fault_if_poison] * 200)
    engine = engine_for(outbox, client, max_server_errors=2)
    for _ in range(4):
        engine.run_once()
    assert [i.idempotency_key for i in outbox.items(PARKED)] == [poison]
    assert [outbox.get(k).state for k in keys if k != poison] == [ACKNOWLEDGED] * 7  # type: ignore[union-attr]
    assert all(outbox.get(k).attempts == 0 for k in keys if k != poison)  # type: ignore[union-attr]


@pytest.mark.parametrize("status", [502, 503, 504])
def test_an_outage_backs_the_whole_batch_off_without_counting_faults(outbox: Outbox, status: int) -> None:
    keys = [outbox.enqueue("rating", rating()).idempotency_key for _ in range(5)]
    client = FakeClient(*[errors.LedgerServerError(f"HTTP {status}", status=status)] * 3)
    engine = engine_for(outbox, client, max_server_errors=1)
    for _ in range(3):
        assert engine.run_once().state == "degraded"
    assert len(client.batches) == 3 and all(len(b) == 5 for b in client.batches)  # never split
    assert all(outbox.get(k).attempts == 0 and outbox.get(k).state != PARKED  # type: ignore[union-attr]
               for k in keys)
    assert engine.run_once().all_sent
