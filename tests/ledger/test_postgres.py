"""PostgreSQL for real: a throwaway cluster, the API over it, and two ledger processes racing on one batch."""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from ledger.app import create_app
from ledger.db import make_engine, session_factory
from ledger.exchange.settings import ExchangeSettings
from ledger.models import Account, Transaction, Withdrawal
from ledger.seed import seed_demo
from ledger.settings import LedgerSettings
from ledger.testing import LedgerProcess, SignedClient
from tests.ledger.conftest import SignedTestClient
from tests.ledger.items import balance, clean_members, rating, rent
from tests.ledger.pg import PostgresCluster

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_url(pg_cluster: PostgresCluster) -> Iterator[str]:
    url = pg_cluster.database("ledger_test")
    engine = make_engine(url)
    try:
        seed_demo(engine, 30)
    finally:
        engine.dispose()
    yield url


@pytest.fixture(scope="module")
def two_ledgers(pg_url: str, tmp_path_factory: pytest.TempPathFactory,
                exchange_url: str) -> Iterator[tuple[LedgerProcess, LedgerProcess]]:
    """Two stateless ledger server processes over the same PostgreSQL database (logs kept for failures)."""
    logs = tmp_path_factory.mktemp("ledger-logs")
    with LedgerProcess(pg_url, log_path=logs / "a.log", exchange_url=exchange_url) as ledger_a, \
            LedgerProcess(pg_url, log_path=logs / "b.log", exchange_url=exchange_url) as ledger_b:
        yield ledger_a, ledger_b


def _race(deliveries: list[tuple[str, list[dict[str, Any]]]], batch: int = 40) -> list[dict[str, Any]]:
    """Send each (ledger url, items) from its own thread, all starting together; every result, flattened."""
    answers: list[list[dict[str, Any]]] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(deliveries))

    def deliver(url: str, order: list[dict[str, Any]]) -> None:
        client = SignedClient(url, timeout_s=60)
        try:
            barrier.wait()
            for start in range(0, len(order), batch):
                answers.append(client.send_batch(order[start:start + batch]))
        except BaseException as exc:  # reported below; a thread must not die silently
            errors.append(exc)
        finally:
            client.close()

    threads = [threading.Thread(target=deliver, args=d) for d in deliveries]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    return [r for batch_results in answers for r in batch_results]


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_url)
    yield engine
    engine.dispose()


@pytest.fixture
def pg_sessions(pg_engine: Engine) -> sessionmaker[Session]:
    return session_factory(pg_engine)


def test_the_api_over_postgres_is_exactly_once(pg_engine: Engine, pg_sessions: sessionmaker[Session],
                                               exchange_url: str) -> None:
    assert pg_engine.dialect.name == "postgresql"
    member = clean_members(pg_sessions)[0].member_id
    before = balance(pg_sessions, member)
    settings = LedgerSettings(exchange=ExchangeSettings(url=exchange_url))
    with TestClient(create_app(engine=pg_engine, settings=settings), raise_server_exceptions=False) as client:
        kiosk = SignedTestClient(client)
        wd = rent(member, 31_415)
        first, second = kiosk.batch([wd])[0], kiosk.batch([wd])[0]
        assert first["status"] == "accepted" and second == first
        conflict = kiosk.batch([{**wd, "payload": {**wd["payload"], "amount_fen": 1}}])[0]
        assert conflict["status"] == "conflict"
        overlong = kiosk.batch([rent("9" * 40, 100)])[0]  # wider than the column: refused, not a DataError
        assert overlong["status"] == "rejected" and overlong["reason"]["code"] == "invalid_payload"
        assert kiosk.get(f"/v1/members/{member}/snapshot").status_code == 401  # a kiosk needs a member session
        snap = SignedTestClient(client, key_id="DEMO-COUNTER-01").get(f"/v1/members/{member}/snapshot")
        assert snap.status_code == 200
    assert balance(pg_sessions, member) == before - 31_415


def test_two_ledger_processes_receiving_the_same_batch_record_each_key_once(
        two_ledgers: tuple[LedgerProcess, LedgerProcess], pg_sessions: sessionmaker[Session]) -> None:
    ledger_a, ledger_b = two_ledgers
    members = [m.member_id for m in clean_members(pg_sessions, limit=6)]
    before = {m: balance(pg_sessions, m) for m in members}
    items = [rent(members[n % len(members)], 10_000 + n) if n % 3 else rating(n % 5 + 1) for n in range(120)]
    keys = {i["idempotency_key"] for i in items}
    results = _race([(ledger_a.url, items), (ledger_b.url, items), (ledger_a.url, items[::-1]),
                     (ledger_b.url, items[::-1])])

    assert len(results) == 4 * len(items)
    by_key: dict[str, set[tuple[str, str | None]]] = {}
    for r in results:
        by_key.setdefault(r["idempotency_key"], set()).add((r["status"], r["ledger_id"]))
    assert set(by_key) == keys
    assert all(len(answers_for_key) == 1 for answers_for_key in by_key.values()), "every delivery got one answer"
    assert {status for answer in by_key.values() for status, _ in answer} == {"accepted"}

    with pg_sessions() as session:
        stored = session.scalars(select(Transaction.idempotency_key).where(
            Transaction.idempotency_key.in_(keys))).all()
        assert sorted(stored) == sorted(keys), "exactly one record per idempotency key"
        withdrawals = session.scalar(select(func.count()).select_from(Withdrawal).where(
            Withdrawal.idempotency_key.in_(keys)))
        paid = session.scalar(select(func.sum(Transaction.amount_fen)).where(Transaction.idempotency_key.in_(keys)))
    expected_withdrawals = [i for i in items if i["kind"] == "withdrawal.apply"]
    assert withdrawals == len(expected_withdrawals)
    assert paid == sum(i["payload"]["amount_fen"] for i in expected_withdrawals)
    assert paid == sum(before[m] - balance(pg_sessions, m) for m in members), "amounts add up to the fen"


def test_racing_withdrawals_of_one_member_never_overdraw(
        two_ledgers: tuple[LedgerProcess, LedgerProcess], pg_sessions: sessionmaker[Session]) -> None:
    """Different keys, one account, two processes: the row lock makes the balance checks serial."""
    member = clean_members(pg_sessions)[-1].member_id
    with pg_sessions.begin() as session:
        session.execute(update(Account).where(Account.member_id == member).values(balance_fen=5_000))
    items = [rent(member, 400) for _ in range(24)]
    ledger_a, ledger_b = two_ledgers
    results = _race([(ledger_a.url, items[0::2]), (ledger_b.url, items[1::2])], batch=4)
    accepted = [r for r in results if r["status"] == "accepted"]
    assert len(accepted) == 12, "5,000 fen pays exactly twelve withdrawals of 400"
    assert all(r["reason"]["code"] == "withdrawal_rejected" for r in results if r["status"] != "accepted")
    assert balance(pg_sessions, member) == 200
