"""The pipelined sender (issue 14): the next batch is claimed while one is awaited, sent only once it is
answered, and a batch that must be split goes first, with the claimed next batch back in the queue."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import pytest

from sync import errors
from sync.client import ItemResult, LedgerClient
from sync.engine import EngineSettings, SyncEngine
from sync.outbox import ACKNOWLEDGED, IN_FLIGHT, PARKED, PENDING, Outbox
from sync.store import open_store
from tests.sync.helpers import FakeClient, accept_all, rating


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    store = open_store(tmp_path / "t.db")
    yield Outbox(store, "TY-K-01")
    store.close()


def _engine(outbox: Outbox, client: FakeClient, batch_size: int) -> SyncEngine:
    return SyncEngine(outbox, cast(LedgerClient, client), lock_path=outbox.store.path.with_suffix(".lock"),
                      settings=EngineSettings(batch_size=batch_size), rng=random.Random(7))


def test_the_next_batch_is_claimed_while_one_is_awaited_but_sent_only_after_its_answer(outbox: Outbox) -> None:
    keys = [outbox.enqueue("rating", rating()).idempotency_key for _ in range(9)]
    seen: list[tuple[list[str], dict[str, str]]] = []  # per request: its keys, and every item's state meanwhile
    overlapped: list[bool] = []
    another = threading.Event()

    def watch(terminal: str, items: Sequence[Mapping[str, Any]]) -> list[ItemResult]:
        if seen:
            another.set()
        seen.append(([str(i["idempotency_key"]) for i in items], {i.idempotency_key: i.state for i in outbox.items()}))
        if len(seen) == 1:  # hold the first answer back a moment: a second request now would overlap it
            overlapped.append(another.wait(0.3))
        return accept_all(terminal, items)

    client = FakeClient(*[watch] * 3)
    _engine(outbox, client, batch_size=3).run_once()
    assert [k for batch, _ in seen for k in batch] == keys, "creation order, one batch after the other"
    assert overlapped == [False], "no request while the previous one was unanswered"
    for n, (batch, states) in enumerate(seen):
        earlier = [k for b, _ in seen[:n] for k in b]
        assert all(states[k] != PENDING for k in earlier), "a batch leaves only after the one before is answered"
        assert all(states[k] == IN_FLIGHT for k in batch)
    assert {i.state for i in outbox.items()} == {ACKNOWLEDGED}


@pytest.mark.allow_log_warnings
def test_a_batch_to_split_goes_first_and_the_claimed_next_batch_waits_in_order(outbox: Outbox) -> None:
    keys = [outbox.enqueue("rating", rating()).idempotency_key for _ in range(8)]
    bad = keys[1]

    def refuse_if_bad(terminal: str, items: Sequence[Mapping[str, Any]]) -> list[ItemResult]:
        if any(i["idempotency_key"] == bad for i in items):
            raise errors.LedgerRejected("HTTP 422", code="invalid_request", zh="请求无效。", en="Invalid request.",
                                        status=422)
        return accept_all(terminal, items)

    client = FakeClient(*[refuse_if_bad] * 20)
    status = _engine(outbox, client, batch_size=4).run_once()
    assert status.all_sent
    assert [i.idempotency_key for i in outbox.items(PARKED)] == [bad]
    first_sends = list(dict.fromkeys(client.sent_keys()))
    assert first_sends == keys, "the split batch's halves went before the batch claimed behind it"
    assert [i.idempotency_key for i in outbox.items(ACKNOWLEDGED)] == [k for k in keys if k != bad]


def test_an_outage_puts_the_awaited_and_the_claimed_batches_back(outbox: Outbox) -> None:
    keys = [outbox.enqueue("rating", rating()).idempotency_key for _ in range(6)]
    client = FakeClient(accept_all, errors.LedgerUnavailable("connection refused"))
    status = _engine(outbox, client, batch_size=2).run_once()
    assert status.state == "offline"
    states = {i.idempotency_key: i.state for i in outbox.items()}
    assert [states[k] for k in keys] == [ACKNOWLEDGED] * 2 + [PENDING] * 4, "nothing left in flight"
    assert client.sent_keys() == keys[:4], "the batch behind the failed one was never sent"
