"""The optimistic apply of a request (ledger.batch): the same answers as item by item, in a few statements.

Each test runs a request through `service.process_batch`; `_item_by_item` forces the savepoint path for
the comparison (the path every request took before, and still takes after a fault)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker

from ledger import auth, batch, rules, service
from ledger.db import make_engine, session_factory
from ledger.exchange.source import CentreEvidence
from ledger.models import Account, Nonce, QueueTicketRow, RatingRow, Transaction, Withdrawal
from ledger.models_exchange import ExchangeLookup
from ledger.models_sessions import MemberTokenUse
from tests.ledger.items import balance, clean_members, item, rating, rent

TERMINAL = "DEMO-KIOSK-01"


def _items(wire: list[dict[str, Any]]) -> list[service.Item]:
    return [service.Item(w["idempotency_key"], w["kind"], w.get("member_id"), w["created_at"], w["payload"])
            for w in wire]


def ticket(n: int) -> dict[str, Any]:
    return item("queue.ticket", {"ticket_no": f"B{n:03d}", "outlet": "总部服务大厅", "business": "withdrawal"})


def report(n: int) -> dict[str, Any]:
    return item("device.report", {"device": "printer", "status": "paper_low" if n % 2 else "online"})


def _mix(members: list[str], n: int) -> list[dict[str, Any]]:
    wire = []
    for i in range(n):
        pick = i % 4
        if pick == 0:
            wire.append(rent(members[i % len(members)], 100 + i))
        elif pick == 1:
            wire.append(rating(i % 5 + 1))
        elif pick == 2:
            wire.append(ticket(i))
        else:
            wire.append(report(i))
    return wire


@contextmanager
def _statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def on_sql(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", on_sql)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", on_sql)


def _count(sessions: sessionmaker[Session], model: Any) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _shape(results: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """What must be equal between the two paths (ids and ledger ids differ by nature)."""
    out = []
    for r in results:
        result = {k: v for k, v in r["result"].items() if not k.endswith("_id")}
        out.append((r["idempotency_key"], r["status"], (r["reason"] or {}).get("code"), result))
    return out


def both_ways(monkeypatch: pytest.MonkeyPatch, evidence: CentreEvidence, fast: sessionmaker[Session],
              slow: sessionmaker[Session], wire: list[dict[str, Any]],
              screening: bool) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The same request applied in one pass into `fast` (no fall-back allowed) and item by item into `slow`."""
    monkeypatch.setattr(evidence, "sessions", fast)
    item_by_item = service._apply_item
    monkeypatch.setattr(service, "_apply_item", None)  # the one-pass apply must not fall back here
    answers_fast = service.process_batch(fast, TERMINAL, "kiosk", _items(wire), evidence=evidence,
                                         fraud_screening=screening)
    monkeypatch.setattr(service, "_apply_item", item_by_item)
    monkeypatch.setattr(batch, "applicable", lambda items: False)
    monkeypatch.setattr(evidence, "sessions", slow)
    answers_slow = service.process_batch(slow, TERMINAL, "kiosk", _items(wire), evidence=evidence,
                                         fraud_screening=screening)
    return answers_fast, answers_slow


@pytest.mark.parametrize("screening", [False, True])
def test_the_optimistic_pass_answers_as_item_by_item(seeded_template: Path, tmp_path: Path,
                                                     evidence: CentreEvidence, screening: bool,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The same request, with refusals in it (a rent cap used up by an earlier item of the same member, a
    ticket number given twice, a QR token used twice, an unknown member), decided alike by both paths; with
    the cross-member fraud screen too (its queries see the withdrawals written before them)."""
    engines = []
    for name in ("fast", "slow"):
        shutil.copyfile(seeded_template, tmp_path / f"{name}.db")
        engines.append(make_engine(f"sqlite:///{tmp_path / name}.db"))
    fast, slow = (session_factory(e) for e in engines)
    members = [m.member_id for m in clean_members(fast, limit=4)]
    wire = _mix(members, 40)
    spender = members[0]
    wire.append(rent(spender, None))  # the most the rules allow (this year's rent cap) ...
    wire.append(rent(spender, 100))  # ... so this one is refused: the earlier item of the request is seen
    wire.append(ticket(2))  # the same number as an earlier item of the request
    reused = rent(members[1], 200)
    again = rent(members[1], 300)
    again["payload"]["proof"] = reused["payload"]["proof"]  # one QR token, two applications
    wire += [reused, again, rent("999999999", 100)]
    answers_fast, answers_slow = both_ways(monkeypatch, evidence, fast, slow, wire, screening)
    assert _shape(answers_fast) == _shape(answers_slow)
    if screening:
        assert any(r["result"].get("status") == "review" for r in answers_fast), "the screen flagged some"
    codes = [(r["status"], (r["reason"] or {}).get("code")) for r in answers_fast[-6:]]
    assert codes[2] == ("rejected", "ticket_exists") and codes[5] == ("rejected", "unknown_member")
    if not screening:
        assert codes[0] == ("accepted", None) and codes[1] == ("rejected", "withdrawal_rejected")
        assert codes[3] == ("accepted", None) and codes[4] == ("rejected", "member_proof_invalid")
    for model in (Transaction, Withdrawal, RatingRow, QueueTicketRow, MemberTokenUse, ExchangeLookup):
        assert _count(fast, model) == _count(slow, model), model.__name__
    with fast() as f, slow() as s:
        assert (sorted(f.execute(select(Account.member_id, Account.balance_fen)).all())
                == sorted(s.execute(select(Account.member_id, Account.balance_fen)).all()))
        ids = f.scalars(select(Withdrawal.id).where(Withdrawal.idempotency_key == wire[0]["idempotency_key"])).all()
    assert answers_fast[0]["result"]["withdrawal_id"] == ids[0], "the answer names the row written"
    for e in engines:
        e.dispose()


def test_statements_do_not_grow_with_the_items(engine: Engine, sessions: sessionmaker[Session],
                                               evidence: CentreEvidence) -> None:
    """Reads and writes are set-based: 20 items or 200, the same number of statements and no savepoint."""
    candidates = [m.member_id for m in clean_members(sessions, limit=8)]
    warm = [rent(m, 50) for m in candidates]  # the exchange's answers cached, as in a steady drain
    answers = service.process_batch(sessions, TERMINAL, "kiosk", _items(warm), evidence=evidence,
                                    fraud_screening=False)
    members = [m for m, a in zip(candidates, answers, strict=True) if a["result"].get("status") == "approved"]
    assert members
    counts = []
    for n in (20, 200):
        wire = _mix(members, n)
        for w in wire:  # fresh ticket numbers per round
            if w["kind"] == "queue.ticket":
                w["payload"]["ticket_no"] = f"{n}-{w['payload']['ticket_no']}"
        with _statements(engine) as seen:
            answers = service.process_batch(sessions, TERMINAL, "kiosk", _items(wire), evidence=evidence,
                                            fraud_screening=False)
        assert {a["status"] for a in answers} == {"accepted"}
        assert not any("SAVEPOINT" in s for s in seen)
        counts.append(len(seen))
    assert counts[0] == counts[1] and counts[1] <= 30, counts


@pytest.mark.allow_log_warnings
def test_a_fault_in_the_optimistic_pass_rejects_that_item_alone(sessions: sessionmaker[Session],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug meets one item: the request is rolled back and applied item by item, where that item alone is
    rolled back and answered as unprocessable; its neighbours commit once, nothing of the first pass stays."""
    real_fast, real_slow = batch._HANDLERS["rating"], rules.HANDLERS["rating"]

    def boom(p: Any) -> None:
        if p.score == 2:
            raise RuntimeError("a bug in one handler")

    def fast(session: Session, ctx: Any, p: Any, *rest: Any) -> Any:
        applied = real_fast(session, ctx, p, *rest)  # queued its row first
        boom(p)
        return applied

    def slow(session: Session, ctx: Any, p: Any) -> Any:
        applied = real_slow(session, ctx, p)
        boom(p)
        return applied

    monkeypatch.setitem(batch._HANDLERS, "rating", fast)
    monkeypatch.setitem(batch._MIRRORS, "rating", slow)  # the patched rule is still the one mirrored
    monkeypatch.setitem(rules.HANDLERS, "rating", slow)
    member = clean_members(sessions, limit=1)[0].member_id
    before = balance(sessions, member)
    wire = [rating(5), rent(member, 300), rating(2), ticket(7)]
    answers = service.process_batch(sessions, TERMINAL, "kiosk", _items(wire), evidence=None)
    assert [(a["status"], (a["reason"] or {}).get("code")) for a in answers] == [
        ("accepted", None), ("accepted", None), ("rejected", "item_unprocessable"), ("accepted", None)]
    assert _count(sessions, RatingRow) == 1 and _count(sessions, QueueTicketRow) == 1
    assert _count(sessions, Transaction) == 3
    assert balance(sessions, member) == before - 300 or answers[1]["result"]["status"] == "review"


def test_a_refused_withdrawal_keeps_its_token_unused(sessions: sessionmaker[Session],
                                                     evidence: CentreEvidence) -> None:
    """As when its savepoint rolls back: a refused item burns nothing, an accepted one burns its token."""
    member = clean_members(sessions, limit=1)[0].member_id
    refused = rent(member, balance(sessions, member) + 1)
    accepted = rent(member, 100)
    answers = service.process_batch(sessions, TERMINAL, "kiosk", _items([refused, accepted, rating(4)]),
                                    evidence=evidence, fraud_screening=False)
    assert [a["status"] for a in answers] == ["rejected", "accepted", "accepted"]
    with sessions() as session:
        used = set(session.scalars(select(MemberTokenUse.used_for)))
    assert f"item:{accepted['idempotency_key']}" in used
    assert f"item:{refused['idempotency_key']}" not in used


def test_a_warm_cache_asks_the_exchange_nothing(sessions: sessionmaker[Session], evidence: CentreEvidence,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Once the ledger holds fresh answers for the members, a batch of their withdrawals is decided on them
    (each use recorded with the item) without one call to the exchange."""
    members = [m.member_id for m in clean_members(sessions, limit=3)]
    service.process_batch(sessions, TERMINAL, "kiosk", _items([rent(m, 100) for m in members]), evidence=evidence,
                          fraud_screening=False)
    calls: list[Any] = []
    real = evidence.client.lookup
    monkeypatch.setattr(evidence.client, "lookup", lambda request: calls.append(request) or real(request))
    cached_before = _count(sessions, ExchangeLookup)
    wire = [rent(members[i % 3], 100 + i) for i in range(12)]
    answers = service.process_batch(sessions, TERMINAL, "kiosk", _items(wire), evidence=evidence,
                                    fraud_screening=False)
    assert {a["status"] for a in answers} == {"accepted"}
    assert calls == []
    assert _count(sessions, ExchangeLookup) - cached_before == 12 * 2, "every use of the facts is recorded"


def test_the_optimistic_pass_on_postgresql_takes_ids_from_the_sequences(
        pg_cluster: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL: the rows' ids come from their columns' own sequences, so the answers name the rows written and
    a row inserted the ordinary way afterwards gets the next id, not a clash."""
    from ledger.seed import seed_demo

    engine = make_engine(pg_cluster.database("batch_apply"))
    seed_demo(engine, 12)
    sessions = session_factory(engine)
    monkeypatch.setattr(service, "_apply_item", None)  # the optimistic pass must not fall back
    wire = [rating(5), report(1), ticket(1), rating(3)]
    answers = service.process_batch(sessions, TERMINAL, "kiosk", _items(wire), evidence=None)
    assert [a["status"] for a in answers] == ["accepted"] * 4
    with sessions() as session:
        ratings = {score: id_ for score, id_ in session.execute(select(RatingRow.score, RatingRow.id))}
    assert answers[0]["result"]["rating_id"] == ratings[5] and answers[3]["result"]["rating_id"] == ratings[3]
    with sessions.begin() as session:
        row = RatingRow(score=1, service_item="x", channel="kiosk", terminal_id=TERMINAL)
        session.add(row)
        session.flush()
        assert row.id > max(ratings.values())
    engine.dispose()


def test_a_ticket_number_another_process_takes_meanwhile_refuses_that_item_alone_in_one_pass(
        pg_cluster: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """PostgreSQL: another ledger process issues ticket B901 while this request is being decided (its read of the
    tickets cannot see the uncommitted row). The request's insert waits for that process, then refuses B901
    alone (`ticket_exists`, as the item-by-item path would) and applies the others in the same one pass: no
    IntegrityError, no redo of the whole request item by item."""
    import threading
    from datetime import datetime

    from sqlalchemy import text

    from ledger.seed import seed_demo
    from ledger.settings import CENTRE_TZ

    engine = make_engine(pg_cluster.database("batch_tickets"))
    seed_demo(engine, 12)
    sessions = session_factory(engine)
    monkeypatch.setattr(service, "_apply_item", None)  # the item-by-item path must not be taken
    wire = [rating(5), ticket(901), ticket(902), report(1)]
    issued_on = datetime.fromisoformat(wire[1]["created_at"]).astimezone(CENTRE_TZ).date()
    other = sessions()
    other.add(QueueTicketRow(outlet="总部服务大厅", ticket_no="B901", issued_on=issued_on, business="withdrawal",
                             status="waiting"))
    other.flush()  # not committed: the other process is still deciding its own request
    answers: list[list[dict[str, Any]]] = []
    caplog.set_level("INFO", logger="ledger")
    worker = threading.Thread(target=lambda: answers.append(
        service.process_batch(sessions, TERMINAL, "kiosk", _items(wire), evidence=None)))
    worker.start()
    with engine.connect() as watch:  # until our request's insert waits on the other's ticket row
        # Each look in a transaction of its own: PostgreSQL keeps a transaction's first view of pg_stat_activity.
        while worker.is_alive() and not watch.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")).scalar_one():
            watch.rollback()
            worker.join(0.02)
    other.commit()
    other.close()
    worker.join()
    assert [(a["status"], (a["reason"] or {}).get("code")) for a in answers[0]] == [
        ("accepted", None), ("rejected", "ticket_exists"), ("accepted", None), ("accepted", None)]
    assert answers[0][1]["result"] == {}
    assert not [r for r in caplog.records if "item by item" in r.getMessage()]
    with sessions() as session:
        tickets = dict(session.execute(select(QueueTicketRow.ticket_no, QueueTicketRow.id)).all())
        stored = session.scalars(select(Transaction).where(
            Transaction.idempotency_key == wire[1]["idempotency_key"])).one()
    assert set(tickets) == {"B901", "B902"}  # B901 once: the other process's
    assert answers[0][2]["result"]["ticket_id"] == tickets["B902"]
    assert stored.status == "rejected" and stored.reason is not None and stored.reason["code"] == "ticket_exists"
    engine.dispose()


def test_qr_tokens_are_checked_before_the_transaction_and_give_way_between_two(
        engine: Engine, sessions: sessionmaker[Session], evidence: CentreEvidence,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A backlog batch checks its items' QR-token signatures (CPU only) while it holds no lock: on SQLite
    another connection can take the write lock at every check, though the request's nonce is the first write
    of its transaction. Between two checks it gives way to an online
    request (`GiveWay.pause`), and the answers are those of the checks made inside the transaction."""
    import sqlite3

    members = [m.member_id for m in clean_members(sessions, limit=3)]
    wire = [rent(m, 100 + i) for i, m in enumerate(members)] + [rating(4)]
    db_path = engine.url.database
    assert db_path
    free_at_check: list[bool] = []
    real_check = batch.check_member_token

    def check(text: str, created: Any) -> Any:
        probe = sqlite3.connect(db_path, timeout=0)
        try:
            probe.execute("BEGIN IMMEDIATE")  # fails at once if the batch held the write lock
            probe.execute("ROLLBACK")
            free_at_check.append(True)
        except sqlite3.OperationalError:
            free_at_check.append(False)
        finally:
            probe.close()
        return real_check(text, created)

    pauses: list[int] = []
    real_pause = service.GiveWay.pause

    def pause(self: service.GiveWay) -> None:
        pauses.append(len(free_at_check))
        real_pause(self)

    monkeypatch.setattr(batch, "check_member_token", check)
    monkeypatch.setattr(service.GiveWay, "pause", pause)
    nonce = auth.PendingNonce("KEY-1", "ab" * 16, datetime.now(UTC))  # as ingest: the transaction's first write
    answers = service.process_batch(sessions, TERMINAL, "kiosk", _items(wire), evidence=evidence,
                                    fraud_screening=False, first_write=nonce.record)
    assert free_at_check == [True, True, True]
    assert [p for p in pauses if 0 < p < 3] == [1, 2], "a pause between two checks, none before the first"
    assert [a["status"] for a in answers] == ["accepted"] * 4
    with sessions() as session:
        used = session.scalars(select(MemberTokenUse.member_id)).all()
    assert sorted(used) == sorted(members), "each token recorded once, in the transaction"
    with sessions() as session:
        assert session.scalars(select(Nonce.nonce)).all() == ["ab" * 16]
