"""The ledger client against the real ledger server (a subprocess on loopback)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from domain.account import AccountSnapshot
from domain.masking import mask_id_number
from ledger.seed import demo_password
from ledger.testing import demo_key_path
from protocol.signing import TerminalKey
from sync import errors
from sync.client import LedgerClient
from tests.ledger.memberproof import qr_proof
from tests.sync.helpers import withdrawal
from tests.sync.ledgerdb import DEMO_TERMINAL, members_with_balance

SECRET = str(demo_key_path("DEMO-KIOSK-01"))  # the demo kiosk's private key file


def a_member(ledger_url: str) -> tuple[str, str]:
    engine = create_engine(ledger_url)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT member_id, id_number FROM members ORDER BY member_id LIMIT 1")).one()
    engine.dispose()
    return str(row[0]), str(row[1])


CREATED = datetime(2026, 11, 27, 1, 2, 3, 4, tzinfo=UTC)
_PROOFS: dict[str, dict[str, str]] = {}


def item(key: str, member_id: str, amount_fen: int = 100) -> dict[str, Any]:
    # the member's QR token, valid when the item was made; one per key, so a resend is the same item
    proof = _PROOFS.setdefault(key, qr_proof(member_id, now=CREATED.timestamp()))
    return {"idempotency_key": key, "kind": "withdrawal.apply", "member_id": member_id,
            "created_at": CREATED.isoformat(),
            "payload": withdrawal(amount_fen, application_no=f"APP-{key}", proof=proof)}


def test_transactions_are_idempotent_and_conflicts_are_reported(shared_ledger: Any) -> None:
    ledger, ledger_url = shared_ledger
    engine = create_engine(ledger_url)
    member = members_with_balance(engine, 10_000)[0]
    engine.dispose()
    client = LedgerClient(ledger.url, DEMO_TERMINAL, SECRET, timeout_s=10)
    first = client.post_transactions(DEMO_TERMINAL, [item("k-1", member), item("k-2", member, 10**12)])
    assert [r.status for r in first] == ["accepted", "rejected"]
    assert first[1].reason is not None and first[1].reason.code and first[1].reason.zh
    again = client.post_transactions(DEMO_TERMINAL, [item("k-1", member)])
    assert again[0].ledger_id == first[0].ledger_id and again[0].result == first[0].result
    changed = client.post_transactions(DEMO_TERMINAL, [item("k-1", member, 200)])
    assert changed[0].status == "conflict" and changed[0].reason is not None


def test_lookup_snapshot_and_password_errors(shared_ledger: Any) -> None:
    ledger, ledger_url = shared_ledger
    member_id, id_number = a_member(ledger_url)
    client = LedgerClient(ledger.url, DEMO_TERMINAL, SECRET, timeout_s=10)
    with pytest.raises(errors.LedgerRejected) as refused:  # by ID number: counters only
        client.lookup_member(id_number)
    assert refused.value.status == 403 and refused.value.zh
    counter = LedgerClient(ledger.url, "DEMO-COUNTER-01", demo_key_path("DEMO-COUNTER-01"), timeout_s=10)
    assert counter.lookup_member(id_number) == member_id
    with pytest.raises(errors.AuthError):  # a kiosk reads a member only through a member session
        client.snapshot(member_id)
    opened = client.open_session("card+password", id_number=id_number, password=demo_password(id_number))
    snapshot = AccountSnapshot.from_json(__import__("json").loads(client.session_snapshot(opened.token)))
    assert snapshot.member.member_id == member_id and snapshot.source == "ledger"
    assert snapshot.member.id_number == mask_id_number(id_number)
    client.end_session(opened.token)
    with pytest.raises(errors.AuthError):
        client.session_snapshot(opened.token)
    with pytest.raises(errors.NotFound):
        counter.lookup_member("110101199001011237")
    with pytest.raises(errors.BadPassword) as info:
        client.verify_password(id_number, "000000-wrong")
    assert info.value.zh and info.value.en


def test_reference_data_comes_with_an_etag_and_then_304(shared_ledger: Any) -> None:
    ledger, _ = shared_ledger
    client = LedgerClient(ledger.url, DEMO_TERMINAL, SECRET, timeout_s=10)
    first = client.reference("rates")
    assert not first.not_modified and first.etag and first.body
    second = client.reference("rates", first.etag)
    assert second.not_modified and second.body is None and second.etag == first.etag


def test_a_wrong_key_is_an_auth_error_with_sentences(shared_ledger: Any) -> None:
    ledger, _ = shared_ledger
    client = LedgerClient(ledger.url, DEMO_TERMINAL, TerminalKey.generate(), timeout_s=10)
    with pytest.raises(errors.AuthError) as info:
        client.heartbeat(DEMO_TERMINAL, {"state": "online"})
    assert not info.value.retryable and info.value.status == 401 and info.value.zh


@pytest.mark.parametrize("skew_s", [-600, 600])
def test_a_terminal_clock_ten_minutes_off_corrects_itself(shared_ledger: Any, skew_s: int) -> None:
    ledger, _ = shared_ledger
    client = LedgerClient(ledger.url, DEMO_TERMINAL, SECRET, timeout_s=10, clock=lambda: time.time() + skew_s)
    client.heartbeat(DEMO_TERMINAL, {"state": "online"})  # first try refused (clock_skew), then corrected
    assert client.apply_offset and client.clock_offset_s is not None
    assert abs(client.clock_offset_s + skew_s) < 5
    client.heartbeat(DEMO_TERMINAL, {"state": "online"})


def test_an_unreachable_ledger_is_offline_not_a_traceback() -> None:
    from ledger.testing import free_port

    client = LedgerClient(f"http://127.0.0.1:{free_port()}", DEMO_TERMINAL, SECRET, timeout_s=1)
    with pytest.raises(errors.LedgerUnavailable) as info:
        client.health()
    assert info.value.retryable and "联网后自动上传" in info.value.zh


def test_the_engine_pulls_reference_data_with_etags_and_sends_heartbeats(shared_ledger: Any, tmp_path: Any) -> None:
    ledger, ledger_url = shared_ledger
    beats_before = _heartbeats(ledger_url)
    from sync.cache import ReferenceCache
    from sync.client import REFERENCE_NAMES
    from sync.engine import EngineSettings, SyncEngine
    from sync.outbox import Outbox
    from sync.store import open_store

    store = open_store(tmp_path / "t.db")
    refs = ReferenceCache(store)
    client = LedgerClient(ledger.url, DEMO_TERMINAL, SECRET, timeout_s=10)
    sent: list[str] = []
    real_reference = client.reference

    def spy(name: str, etag: str | None = None) -> Any:
        result = real_reference(name, etag)
        sent.append(f"{name}:{'304' if result.not_modified else '200'}")
        return result

    client.reference = spy  # type: ignore[method-assign]
    engine = SyncEngine(Outbox(store, DEMO_TERMINAL), client, lock_path=tmp_path / "s.lock",
                        settings=EngineSettings(reference_every_s=0), references=refs)
    try:
        assert engine.run_once().state == "online"
        first = {name: refs.get(name) for name in REFERENCE_NAMES}
        assert all(first.values()) and all(refs.etag(n) for n in REFERENCE_NAMES)
        engine.run_once()
        assert sent == [f"{n}:200" for n in REFERENCE_NAMES] + [f"{n}:304" for n in REFERENCE_NAMES]
        assert all(refs.get(n)[1] >= first[n][1] for n in REFERENCE_NAMES)  # type: ignore[index]
    finally:
        engine.stop()
        store.close()
    beats = _heartbeats(ledger_url)[len(beats_before):]
    assert len(beats) == 1  # one per heartbeat_every_s, not one per round
    assert '"state": "online"' in beats[0].replace("'", '"')


def _heartbeats(ledger_url: str) -> list[str]:
    db = create_engine(ledger_url)
    with db.connect() as conn:
        rows = conn.execute(text("SELECT status FROM heartbeats WHERE terminal_id = :t ORDER BY id"),
                            {"t": DEMO_TERMINAL}).all()
    db.dispose()
    return [str(r[0]) for r in rows]



def test_signed_queries_with_chinese_text_reach_the_work_list_and_queue(shared_ledger: Any) -> None:
    ledger, _ = shared_ledger
    counter = LedgerClient(ledger.url, "DEMO-COUNTER-01", demo_key_path("DEMO-COUNTER-01"), timeout_s=10)
    queue = counter.queue("总部服务大厅")  # the query is signed percent-encoded, exactly as sent
    cases = counter.cases(status="submitted")
    assert queue["outlet"] == "总部服务大厅"
    case_list = cases["cases"] if isinstance(cases, dict) else cases
    assert case_list and all(c["status"] == "submitted" for c in case_list)
    assert counter.case(case_list[0]["case_id"])["case_id"] == case_list[0]["case_id"]
    kiosk = LedgerClient(ledger.url, DEMO_TERMINAL, SECRET, timeout_s=10)
    with pytest.raises(errors.LedgerRejected) as info:
        kiosk.cases()
    assert info.value.status == 403 and info.value.zh


def test_an_engine_on_a_terminal_ten_minutes_slow_still_drains(shared_ledger: Any, tmp_path: Any) -> None:
    from sync.engine import SyncEngine
    from sync.outbox import ACKNOWLEDGED, Outbox
    from sync.store import open_store
    from tests.sync.helpers import rating

    ledger, _ = shared_ledger
    store = open_store(tmp_path / "t.db")
    outbox = Outbox(store, DEMO_TERMINAL)
    keys = [outbox.enqueue("rating", rating()).idempotency_key for _ in range(5)]
    client = LedgerClient(ledger.url, DEMO_TERMINAL, SECRET, timeout_s=10, clock=lambda: time.time() - 600)
    engine = SyncEngine(outbox, client, lock_path=tmp_path / "s.lock")
    try:
        status = engine.run_once()
        assert status.state == "online" and status.all_sent
        assert status.clock_offset_s is not None and 595 < status.clock_offset_s < 605
        assert [i.idempotency_key for i in outbox.items(ACKNOWLEDGED)] == keys
    finally:
        engine.stop()
        store.close()
