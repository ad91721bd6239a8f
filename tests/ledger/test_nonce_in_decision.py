"""POST /v1/transactions writes its nonce first in the transaction that commits its decision (one durable commit
per request): a replay is still refused with 401 "replay" (sequential, and in flight on PostgreSQL, where the
duplicate waits on the nonce's unique index), a request whose transaction rolls back leaves no nonce, a forged
signature writes nothing. The other signed routes record their nonce on their own (tests/ledger/test_auth.py)."""

from __future__ import annotations

import json
import threading
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ledger import auth, service
from ledger.app import create_app
from ledger.db import make_engine, session_factory
from ledger.models import Nonce, Transaction
from ledger.seed import seed_demo
from ledger.settings import LedgerSettings
from ledger.testing import demo_key
from protocol.signing import TerminalKey
from tests.ledger.conftest import SignedTestClient
from tests.ledger.items import rating
from tests.ledger.pg import PostgresCluster

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

KIOSK = "DEMO-KIOSK-01"
WAIT_S = 30.0  # a bound for a loop that would otherwise hang; nothing is asserted about time


def _signed(items: list[dict[str, Any]], *, nonce: str | None = None,
            key: TerminalKey | None = None) -> tuple[bytes, dict[str, str]]:
    """One POST /v1/transactions request of the demo kiosk, as bytes and headers (sent as often as a test likes)."""
    body = json.dumps({"terminal_id": KIOSK, "items": items}).encode()
    headers = auth.signed_headers(KIOSK, key or demo_key(KIOSK), "POST", "/v1/transactions", body, nonce=nonce)
    return body, {**headers, "Content-Type": "application/json"}


def _send(client: TestClient, request: tuple[bytes, dict[str, str]]) -> Any:
    return client.post("/v1/transactions", content=request[0], headers=request[1])


def _error(response: Any) -> str:
    code: str = response.json()["error"]["code"]
    return code


def _counts(sessions: sessionmaker[Session], nonce: str, keys: list[str]) -> tuple[int, int]:
    """(rows of this nonce, stored transactions of these keys)."""
    with sessions() as session:
        nonces = session.scalar(select(func.count()).select_from(Nonce).where(Nonce.nonce == nonce))
        stored = session.scalar(select(func.count()).select_from(Transaction)
                                .where(Transaction.idempotency_key.in_(keys)))
    return int(nonces or 0), int(stored or 0)


@pytest.mark.parametrize("size", [1, 3])
def test_a_replayed_request_is_refused_and_its_nonce_is_stored_once(
        kiosk: SignedTestClient, sessions: sessionmaker[Session], size: int) -> None:
    items = [rating(n % 5 + 1) for n in range(size)]
    request = _signed(items)
    nonce = request[1][auth.H_NONCE]
    first = _send(kiosk.client, request)
    assert first.status_code == 200 and [r["status"] for r in first.json()["results"]] == ["accepted"] * size
    again = _send(kiosk.client, request)
    assert again.status_code == 401 and _error(again) == "replay"
    assert _counts(sessions, nonce, [i["idempotency_key"] for i in items]) == (1, size)


def test_a_new_request_reusing_a_nonce_is_refused_and_decides_nothing(
        kiosk: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    """Signed anew (valid signature) but with a nonce already seen: its new item is not stored, its decision
    rolled back with the refused nonce."""
    first = _signed([rating(5)])
    nonce = first[1][auth.H_NONCE]
    assert _send(kiosk.client, first).status_code == 200
    fresh = rating(4)
    reused = _send(kiosk.client, _signed([fresh], nonce=nonce))
    assert reused.status_code == 401 and _error(reused) == "replay"
    assert _counts(sessions, nonce, [fresh["idempotency_key"]]) == (1, 0)


def test_a_request_with_nothing_new_to_decide_records_its_nonce_alone(
        kiosk: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    """A terminal's retry (new nonce, keys already answered) is answered from storage; its nonce is recorded in a
    transaction of its own, so an exact replay of the retry is refused too."""
    item = rating(3)
    assert _send(kiosk.client, _signed([item])).status_code == 200
    retry = _signed([item])
    answered = _send(kiosk.client, retry)
    assert answered.status_code == 200 and answered.json()["results"][0]["status"] == "accepted"
    assert _counts(sessions, retry[1][auth.H_NONCE], [item["idempotency_key"]]) == (1, 1)
    replay = _send(kiosk.client, retry)
    assert replay.status_code == 401 and _error(replay) == "replay"


@pytest.mark.allow_log_warnings  # the 503 logs "database unavailable"
def test_a_request_whose_transaction_rolls_back_leaves_no_nonce(
        kiosk: SignedTestClient, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch) -> None:
    """The decision's transaction fails after the nonce was written in it (the database goes away: 503): nothing of
    the request stays, its nonce neither. The same request sent again is then decided, once."""
    real = service._lock_members

    def broken(session: Session, fresh: list[Any]) -> None:
        raise OperationalError("SELECT ... FOR UPDATE", {}, Exception("server closed the connection unexpectedly"))

    item = rating(2)
    request = _signed([item])
    nonce = request[1][auth.H_NONCE]
    monkeypatch.setattr(service, "_lock_members", broken)
    failed = _send(kiosk.client, request)
    assert failed.status_code == 503
    assert _counts(sessions, nonce, [item["idempotency_key"]]) == (0, 0)
    monkeypatch.setattr(service, "_lock_members", real)
    again = _send(kiosk.client, request)
    assert again.status_code == 200 and again.json()["results"][0]["status"] == "accepted"
    assert _counts(sessions, nonce, [item["idempotency_key"]]) == (1, 1)


@pytest.mark.parametrize("size", [1, 2])
def test_a_forged_signature_writes_nothing(kiosk: SignedTestClient, sessions: sessionmaker[Session],
                                           size: int) -> None:
    items = [rating(n + 1) for n in range(size)]
    with sessions() as session:
        nonces_before = session.scalar(select(func.count()).select_from(Nonce))
    forged = _send(kiosk.client, _signed(items, key=TerminalKey.generate()))
    assert forged.status_code == 401 and _error(forged) == "bad_signature"
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Nonce)) == nonces_before
        assert not session.scalars(select(Transaction).where(
            Transaction.idempotency_key.in_([i["idempotency_key"] for i in items]))).all()


# ---- PostgreSQL: a duplicate in flight waits on the nonce's unique index ----


@pytest.fixture(scope="module")
def pg_engine(pg_cluster: PostgresCluster) -> Iterator[Engine]:
    engine = make_engine(pg_cluster.database("nonce_in_decision"))
    seed_demo(engine, 12)
    yield engine
    engine.dispose()


@pytest.fixture
def pg_client(pg_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(engine=pg_engine, settings=LedgerSettings(fraud_screening=False)),
                    raise_server_exceptions=False) as client:
        yield client


def _until_waiting_on_a_lock(engine: Engine, worker: threading.Thread) -> None:
    with engine.connect() as watch:
        # Each look in a transaction of its own: PostgreSQL keeps a transaction's first view of pg_stat_activity.
        while worker.is_alive() and not watch.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")).scalar_one():
            watch.rollback()
            worker.join(0.02)


@pytest.mark.postgres
@pytest.mark.parametrize("other_commits", [True, False])
def test_on_postgresql_a_request_waits_for_the_same_nonce_in_flight(
        pg_engine: Engine, pg_client: TestClient, other_commits: bool) -> None:
    """Another ledger process has written the same nonce in a transaction still open. The request waits on the
    nonce's unique index: if that transaction commits, the request is the 401 "replay" and stores nothing (not
    an item-level conflict, not a redo item by item); if it rolls back, the request is decided."""
    sessions = session_factory(pg_engine)
    item = rating(5)
    request = _signed([item])
    nonce = request[1][auth.H_NONCE]
    other = sessions()
    other.add(Nonce(key_id=KIOSK, nonce=nonce))
    other.flush()
    answers: list[Any] = []
    worker = threading.Thread(target=lambda: answers.append(_send(pg_client, request)))
    worker.start()
    _until_waiting_on_a_lock(pg_engine, worker)
    assert worker.is_alive(), "the request waited for the other transaction's nonce"
    if other_commits:
        other.commit()
    else:
        other.rollback()
    other.close()
    worker.join(WAIT_S)
    response = answers[0]
    if other_commits:
        assert response.status_code == 401 and _error(response) == "replay"
        assert _counts(sessions, nonce, [item["idempotency_key"]]) == (1, 0)
    else:
        assert response.status_code == 200 and response.json()["results"][0]["status"] == "accepted"
        assert _counts(sessions, nonce, [item["idempotency_key"]]) == (1, 1)


@pytest.mark.postgres
@pytest.mark.parametrize("size", [1, 2])
def test_on_postgresql_two_copies_of_one_request_at_once_are_decided_once(
        pg_engine: Engine, pg_client: TestClient, size: int) -> None:
    """The same signed bytes sent twice at once (a proxy duplicating a request): one answer, one 401 "replay",
    whichever comes first; the items stored once, the nonce once."""
    sessions = session_factory(pg_engine)
    items = [rating(n % 5 + 1) for n in range(size)]
    request = _signed(items)
    barrier = threading.Barrier(2)
    answers: list[Any] = []

    def send() -> None:
        barrier.wait()
        answers.append(_send(pg_client, request))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT_S)
    assert sorted(a.status_code for a in answers) == [200, 401]
    refused = next(a for a in answers if a.status_code == 401)
    assert _error(refused) == "replay"
    assert _counts(sessions, request[1][auth.H_NONCE], [i["idempotency_key"] for i in items]) == (1, size)


@pytest.mark.postgres
def test_on_postgresql_an_online_request_is_checked_and_decided_on_one_connection_in_one_transaction(
        pg_engine: Engine, pg_client: TestClient) -> None:
    """The one-item request's key look-up, stored-key look-up and decision share one pooled connection and one
    transaction (one BEGIN, one COMMIT); a backlog request keeps a connection per step."""
    from sqlalchemy import event

    seen: list[str] = []

    def checkout(*_args: Any) -> None:
        seen.append("checkout")

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement.split()[0].upper())

    def commit(_conn: Any) -> None:
        seen.append("COMMIT")

    pool = pg_client.app.state.engine.pool  # type: ignore[attr-defined]
    event.listen(pool, "checkout", checkout)
    event.listen(Engine, "before_cursor_execute", before)
    event.listen(Engine, "commit", commit)
    try:
        online = _send(pg_client, _signed([rating(5)]))
        online_seen, seen[:] = list(seen), []
        backlog = _send(pg_client, _signed([rating(4), rating(3)]))
    finally:
        event.remove(pool, "checkout", checkout)
        event.remove(Engine, "before_cursor_execute", before)
        event.remove(Engine, "commit", commit)
    assert online.status_code == 200 and backlog.status_code == 200
    assert online_seen.count("checkout") == 1 and online_seen.count("COMMIT") == 1, online_seen
    assert online_seen.index("INSERT") < online_seen.index("COMMIT"), "the nonce and the decision commit together"
    assert seen.count("checkout") >= 3, seen


@pytest.mark.postgres
@pytest.mark.allow_log_warnings  # "applying a request of 1 item by item"
def test_on_postgresql_an_online_request_redone_item_by_item_commits_its_nonce_and_decision_once(
        pg_engine: Engine, pg_client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """The one pass gives up (its transaction, the shared one, rolled back with the nonce in it): the item-by-item
    path writes the nonce again in its own transaction and commits both; a replay is then refused."""
    from ledger import batch

    def give_up(*_args: Any, **_kwargs: Any) -> Any:
        raise batch.RedoError("a test gives up the one pass")

    monkeypatch.setattr(batch, "apply", give_up)
    sessions = session_factory(pg_engine)
    item = rating(1)
    request = _signed([item])
    answered = _send(pg_client, request)
    assert answered.status_code == 200 and answered.json()["results"][0]["status"] == "accepted"
    assert _counts(sessions, request[1][auth.H_NONCE], [item["idempotency_key"]]) == (1, 1)
    replay = _send(pg_client, request)
    assert replay.status_code == 401 and _error(replay) == "replay"
