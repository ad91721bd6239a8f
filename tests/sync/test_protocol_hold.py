"""A terminal newer than its ledger holds its queue with a clear status instead of failing items."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest

from infra import wire
from ledger.testing import demo_key_path
from sync import errors
from sync.client import LedgerClient
from sync.engine import EngineSettings, SyncEngine
from sync.outbox import ACKNOWLEDGED, PENDING, Outbox
from sync.store import open_store
from tests.sync.helpers import FakeClient, rating
from tests.sync.ledgerdb import DEMO_TERMINAL

SECRET = str(demo_key_path("DEMO-KIOSK-01"))  # the demo kiosk's private key file


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    store = open_store(tmp_path / "t.db")
    yield Outbox(store, "TY-K-01")
    store.close()


def test_the_queue_is_held_untouched_while_the_ledger_is_older_then_drains(outbox: Outbox) -> None:
    keys = [outbox.enqueue("rating", rating(), member_id="M1").idempotency_key for _ in range(5)]
    too_old = errors.ProtocolUnsupported("HTTP 426 protocol_unsupported", status=426)
    client = FakeClient(too_old, too_old)
    engine = SyncEngine(outbox, cast(LedgerClient, client), lock_path=outbox.store.path.with_suffix(".lock"),
                        settings=EngineSettings(max_server_errors=1), rng=random.Random(3))
    for _ in range(2):  # more rounds than max_server_errors: still nothing parked
        status = engine.run_once()
        assert status.state == "held" and status.unsent == 5 and status.for_clerk == 0
        assert status.text[0].startswith("中心系统尚未升级") and "not yet upgraded" in status.text[1]
        assert status.last_error_zh == errors.ProtocolUnsupported.zh
        assert [(i.state, i.attempts) for i in outbox.items()] == [(PENDING, 0)] * 5
    status = engine.run_once()  # the centre was upgraded
    assert status.state == "online" and status.all_sent
    assert client.sent_keys()[-5:] == keys and {i.state for i in outbox.items()} == {ACKNOWLEDGED}


def test_a_real_ledger_answers_a_newer_terminal_with_protocol_unsupported(shared_ledger: Any,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    process, _url = shared_ledger
    monkeypatch.setattr(wire, "PROTOCOL_VERSION", wire.PROTOCOL_VERSION + 1)
    client = LedgerClient(process.url, DEMO_TERMINAL, SECRET)
    try:
        item = {"idempotency_key": "newer-terminal-1", "kind": "rating", "member_id": None,
                "created_at": "2026-11-27T01:02:03+00:00", "payload": rating()}
        with pytest.raises(errors.ProtocolUnsupported) as refused:
            client.post_transactions(DEMO_TERMINAL, [item])
        assert refused.value.status == 426 and "ledger accepts 1" in str(refused.value)
        monkeypatch.undo()
        assert client.post_transactions(DEMO_TERMINAL, [item])[0].status == "accepted"  # same key: never applied
    finally:
        client.close()
