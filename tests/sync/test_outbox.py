import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.client import ItemResult, Reason
from sync.outbox import ACKNOWLEDGED, IN_FLIGHT, PARKED, PENDING, REJECTED, Outbox, OutboxError
from sync.store import open_store
from tests.sync.helpers import rating, withdrawal


@pytest.fixture
def outbox(tmp_path: Path) -> Iterator[Outbox]:
    store = open_store(tmp_path / "t.db")
    yield Outbox(store, "TY-K-01")
    store.close()


def test_enqueue_writes_the_business_row_and_the_item_in_one_commit(outbox: Outbox) -> None:
    receipt = outbox.enqueue("withdrawal.apply", withdrawal(50_000), member_id="M1",
                             provisional_decision={"approve": True})
    uuid.UUID(receipt.idempotency_key, version=4)
    assert receipt.application_no == f"TY-K-01-{receipt.created_at[:10].replace('-', '')}-000001"
    with sqlite3.connect(outbox.store.path) as raw:  # what is on disk, read by an independent connection
        item = raw.execute("SELECT state, member_id, payload FROM outbox WHERE idempotency_key=?",
                           (receipt.idempotency_key,)).fetchone()
        app = raw.execute("SELECT application_no, amount_fen, provisional_decision FROM applications").fetchone()
    assert item[0] == PENDING and item[1] == "M1"
    assert f'"application_no":"{receipt.application_no}"' in item[2]
    assert app == (receipt.application_no, 50_000, '{"approve":true}')


def test_a_failing_business_row_leaves_no_outbox_item(outbox: Outbox) -> None:
    outbox.enqueue("withdrawal.apply", withdrawal(application_no="A-1"), member_id="M1")
    with pytest.raises(OutboxError, match="clashes") as info:
        outbox.enqueue("withdrawal.apply", withdrawal(application_no="A-1"), member_id="M2")
    assert info.value.zh.startswith("未保存")
    assert [i.member_id for i in outbox.items()] == ["M1"]


@pytest.mark.parametrize(("kind", "payload"), [("no.such.kind", {}), ("rating", {"when": object()})])
def test_bad_input_is_refused_in_both_languages_and_stores_nothing(outbox: Outbox, kind: str,
                                                                   payload: dict[str, object]) -> None:
    with pytest.raises(OutboxError) as info:
        outbox.enqueue(kind, payload)
    assert info.value.zh and info.value.en
    assert outbox.items() == []


def test_claim_takes_the_oldest_pending_items_in_creation_order(outbox: Outbox) -> None:
    keys = [outbox.enqueue("rating", rating(), member_id=f"M{i % 3}").idempotency_key for i in range(7)]
    first = outbox.claim(4)
    assert [i.idempotency_key for i in first] == keys[:4]
    assert all(i.state == IN_FLIGHT for i in first)
    assert [i.idempotency_key for i in outbox.items(IN_FLIGHT)] == keys[:4]
    assert [i.idempotency_key for i in outbox.claim(10)] == keys[4:]
    assert outbox.claim(10) == []


def test_results_move_items_to_their_final_states(outbox: Outbox) -> None:
    a, b, c = (outbox.enqueue("rating", rating(), member_id="M1").idempotency_key for _ in range(3))
    outbox.claim(10)
    refusal = Reason("too_often", "次数超限。", "Too many times.")
    outbox.record([ItemResult(a, "accepted", "L1", None, {"case_id": "C9"}),
                   ItemResult(b, "rejected", "L2", refusal, {}),
                   ItemResult(c, "conflict", None, None, {})])
    states = {i.idempotency_key: i for i in outbox.items()}
    assert states[a].state == ACKNOWLEDGED and states[a].ledger_id == "L1"
    assert states[b].state == REJECTED and states[b].reason == refusal
    assert states[c].state == PARKED and states[c].reason is not None and states[c].reason.code == "conflict"
    assert [i.idempotency_key for i in outbox.for_clerk()] == [b, c]


def test_a_clerk_resolves_or_requeues_parked_items_but_cannot_resend_a_rejection(outbox: Outbox) -> None:
    a, b = (outbox.enqueue("rating", rating()).idempotency_key for _ in range(2))
    items = outbox.claim(10)
    outbox.record([ItemResult(a, "rejected", "L1", Reason("x", "x", "x"), {})])
    outbox.park(items[1], Reason("bad_request", "请求无效。", "Bad request."))
    seq_a, seq_b = items[0].seq, items[1].seq
    with pytest.raises(OutboxError, match="cannot be re-sent"):
        outbox.resolve(seq_a, "clerk-7", requeue=True)
    outbox.resolve(seq_a, "clerk-7")
    outbox.resolve(seq_b, "clerk-7", requeue=True)
    assert outbox.for_clerk() == []
    assert [i.idempotency_key for i in outbox.items(PENDING)] == [b]
    with pytest.raises(OutboxError):
        outbox.resolve(seq_a, "clerk-7")


def test_server_faults_count_and_park_an_item_after_the_limit(outbox: Outbox) -> None:
    outbox.enqueue("rating", rating())
    fault = Reason("server_error", "故障。", "Fault.")
    for attempt in range(1, 4):
        items = outbox.claim(10)
        parked = outbox.fail(items, max_attempts=3, reason=fault)
        assert (parked != []) == (attempt == 3)
    assert outbox.items()[0].state == PARKED and outbox.claim(10) == []


def test_in_flight_items_of_a_dead_sender_are_recovered(outbox: Outbox) -> None:
    for _ in range(3):
        outbox.enqueue("rating", rating())
    outbox.claim(2)
    assert outbox.counts().in_flight == 2
    assert outbox.recover_in_flight() == 2
    counts = outbox.counts()
    assert (counts.pending, counts.in_flight, counts.unsent) == (3, 0, 3)
    assert counts.oldest_pending_at == outbox.items()[0].created_at


def test_with_a_cipher_payloads_are_sealed_at_rest_and_open_for_sending(tmp_path: Path) -> None:
    from sync.crypto import Cipher, load_or_create_key
    store = open_store(tmp_path / "sealed.db")
    try:
        outbox = Outbox(store, "TY-K-01", Cipher(load_or_create_key(tmp_path / "k")))
        receipt = outbox.enqueue("withdrawal.apply", withdrawal(payout_card="6217000010002000"), member_id="M1")
        outbox.enqueue("rating", rating())
        with sqlite3.connect(store.path) as raw:
            stored = " ".join(r[0] for r in raw.execute("SELECT payload FROM outbox"))
            stored += " ".join(r[0] for r in raw.execute("SELECT payload FROM ratings"))
        assert "6217000010002000" not in stored and "amount_fen" not in stored
        sent = outbox.claim(10)
        assert sent[0].wire()["payload"]["payout_card"] == "6217000010002000"
        assert sent[0].wire()["payload"]["application_no"] == receipt.application_no
    finally:
        store.close()


@pytest.mark.allow_log_warnings
def test_a_payload_sealed_under_a_lost_key_is_parked_not_blocking(tmp_path: Path) -> None:
    from sync.crypto import Cipher, load_or_create_key
    store = open_store(tmp_path / "sealed.db")
    try:
        old = Outbox(store, "TY-K-01", Cipher(load_or_create_key(tmp_path / "old-key")))
        lost = old.enqueue("rating", rating()).idempotency_key
        new = Outbox(store, "TY-K-01", Cipher(load_or_create_key(tmp_path / "new-key")))
        fine = new.enqueue("rating", rating()).idempotency_key
        assert [i.idempotency_key for i in new.claim(10)] == [fine]
        parked = new.for_clerk()
        assert [i.idempotency_key for i in parked] == [lost]
        assert parked[0].reason is not None and "解密" in parked[0].reason.zh
    finally:
        store.close()


def test_a_store_that_cannot_be_written_refuses_the_enqueue_with_a_sentence(outbox: Outbox) -> None:
    from sync.store import StoreError
    with sqlite3.connect(outbox.store.path) as raw:  # a database fault: the table is gone
        raw.execute("DROP TABLE device_reports")
    with pytest.raises(StoreError) as info:
        outbox.enqueue("device.report", {"device": "printer", "status": "online"})
    assert info.value.zh and "not stored" in str(info.value)
    assert outbox.items() == []  # the outbox row of that commit was rolled back too
