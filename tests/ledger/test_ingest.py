"""Ledger ingest (issue 14): one transaction per request, a savepoint per item, one look-up for stored keys,
members locked in id order, backlog batches giving way to online requests, `serve --workers/--pool-size`."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker

from ledger import rules, serve_workers, service
from ledger.db import make_engine, session_factory
from ledger.models import Transaction
from ledger.seed import seed_demo
from tests.ledger.items import clean_members, rating, rent
from tests.ledger.pg import PostgresCluster


@dataclass(frozen=True)
class Server:  # the [server] section's shape, as far as --workers goes
    workers: int = 1


def _items(wire: list[dict[str, Any]]) -> list[service.Item]:
    return [service.Item(w["idempotency_key"], w["kind"], w.get("member_id"), w["created_at"], w["payload"])
            for w in wire]


@contextmanager
def _watch(engine: Engine) -> Iterator[dict[str, list[str]]]:
    """The SQL statements and the commits the engine runs meanwhile."""
    seen: dict[str, list[str]] = {"sql": [], "commits": []}

    def on_sql(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen["sql"].append(statement)

    def on_commit(_conn: Any) -> None:
        seen["commits"].append("commit")

    event.listen(engine, "before_cursor_execute", on_sql)
    event.listen(engine, "commit", on_commit)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", on_sql)
        event.remove(engine, "commit", on_commit)


def _stored(sessions: sessionmaker[Session], keys: list[str]) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Transaction).where(
            Transaction.idempotency_key.in_(keys))) or 0)


def test_a_request_is_one_commit_and_its_stored_keys_one_query(engine: Engine,
                                                                sessions: sessionmaker[Session]) -> None:
    wire = [rating(n % 5 + 1) for n in range(30)]
    with _watch(engine) as seen:
        first = service.process_batch(sessions, "DEMO-KIOSK-01", "kiosk", _items(wire), evidence=None)
    assert {r["status"] for r in first} == {"accepted"}
    assert len(seen["commits"]) == 1, "thirty items, one durable commit"
    # the optimistic pass (ledger.batch): no savepoint per item, a few statements for the whole request
    assert not any("SAVEPOINT" in s for s in seen["sql"])
    assert len(seen["sql"]) <= 12, seen["sql"]
    with _watch(engine) as again:
        second = service.process_batch(sessions, "DEMO-KIOSK-01", "kiosk", _items(wire), evidence=None)
    assert second == first
    lookups = [s for s in again["sql"] if "FROM transactions" in s]
    assert len(lookups) == 1 and "IN (" in lookups[0], "one query answers every stored key of the batch"
    assert not again["commits"], "a redelivery writes nothing"


@pytest.mark.allow_log_warnings
def test_an_item_that_faults_is_rolled_back_alone(sessions: sessionmaker[Session],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    real = rules.HANDLERS["rating"]

    def faulty(session: Session, ctx: rules.ItemContext, p: Any) -> rules.Applied:
        applied = real(session, ctx, p)  # writes its row, then fails: the savepoint must take the row back
        if p.score == 2:
            raise RuntimeError("a bug in one handler")
        return applied

    monkeypatch.setitem(rules.HANDLERS, "rating", faulty)
    wire = [rating(5), rating(2), rating(4)]
    results = service.process_batch(sessions, "DEMO-KIOSK-01", "kiosk", _items(wire), evidence=None)
    assert [r["status"] for r in results] == ["accepted", "rejected", "accepted"]
    assert results[1]["reason"]["code"] == "item_unprocessable" and results[1]["reason"]["zh"]
    assert _stored(sessions, [wire[0]["idempotency_key"], wire[2]["idempotency_key"]]) == 2
    assert _stored(sessions, [wire[1]["idempotency_key"]]) == 0, "nothing of the faulting item is kept"
    with sessions() as session:
        from ledger.models import RatingRow
        assert session.scalar(select(func.count()).select_from(RatingRow)) == 2


def test_a_key_twice_in_one_request_is_applied_once(sessions: sessionmaker[Session]) -> None:
    member = clean_members(sessions)[0].member_id
    wd = rent(member, 12_345)
    results = service.process_batch(sessions, "DEMO-KIOSK-01", "kiosk", _items([wd, rating(), wd]), evidence=None)
    assert results[0] == results[2] and results[0]["ledger_id"]
    assert _stored(sessions, [wd["idempotency_key"]]) == 1


def test_a_forged_key_replayed_by_another_terminal_in_a_batch_learns_nothing(sessions: sessionmaker[Session]) -> None:
    wire = [rating(5)]
    service.process_batch(sessions, "DEMO-KIOSK-01", "kiosk", _items(wire), evidence=None)
    other = service.process_batch(sessions, "DEMO-KIOSK-02", "kiosk", _items(wire + [rating(3)]), evidence=None)
    assert other[0]["status"] == "conflict" and other[0]["reason"]["code"] == "idempotency_key_foreign"
    assert other[0]["ledger_id"] is None and other[1]["status"] == "accepted"


def test_a_backlog_batch_gives_way_to_an_online_request_on_sqlite(engine: Engine, sessions: sessionmaker[Session],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """While a person waits for an online decision, a SQLite batch commits what it has and lets it in."""
    monkeypatch.setattr(service, "GIVE_WAY_BUDGET_S", 0.01)
    wire = [rating(5), rating(4), rating(3)]
    with service.ONLINE.online(), _watch(engine) as seen:  # an online request is in flight meanwhile
        results = service.process_batch(sessions, "DEMO-KIOSK-01", "kiosk", _items(wire), evidence=None)
    assert [r["status"] for r in results] == ["accepted"] * 3
    assert len(seen["commits"]) == 2, "one commit before giving way, one for the rest"
    assert not service.ONLINE.busy()


def test_serve_workers_and_pool_size_flags() -> None:
    parser = argparse.ArgumentParser()
    serve_workers.register(parser)

    args = parser.parse_args(["--workers", "4", "--pool-size", "8"])
    assert serve_workers.with_workers(args, Server()).workers == 4
    assert serve_workers.pool_size(args) == 8
    defaults = parser.parse_args([])
    assert serve_workers.with_workers(defaults, Server()).workers == 1
    assert serve_workers.pool_size(defaults) == serve_workers.DEFAULT_POOL_SIZE
    with pytest.raises(SystemExit, match="--workers 0"):
        serve_workers.with_workers(parser.parse_args(["--workers", "0"]), Server())
    with pytest.raises(SystemExit, match="--pool-size 500"):
        serve_workers.pool_size(parser.parse_args(["--pool-size", "500"]))


def test_the_postgres_pool_is_sized_per_process() -> None:
    engine = make_engine("postgresql://nobody@127.0.0.1:1/none", pool_size=7)  # no connection is made
    try:
        assert engine.pool.size() == 7  # type: ignore[attr-defined]
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_members_are_locked_in_id_order_on_postgres(pg_cluster: PostgresCluster) -> None:
    url = pg_cluster.database("ingest_locks")
    engine = make_engine(url)
    try:
        seed_demo(engine, 30)
        sessions = session_factory(engine)
        members = sorted(m.member_id for m in clean_members(sessions, limit=3))
        wire = [rent(m, 1_000) for m in reversed(members)] + [rating()]
        with _watch(engine) as seen:
            results = service.process_batch(sessions, "DEMO-KIOSK-01", "kiosk", _items(wire), evidence=None)
        assert len(members) >= 2 and len(results) == len(wire)
        locks = [s for s in seen["sql"] if "FOR UPDATE" in s]
        assert "FROM accounts" in locks[0] and "ORDER BY accounts.member_id" in locks[0]
        assert "FROM members" in locks[1] and "ORDER BY members.member_id" in locks[1]
        assert len(seen["commits"]) == 1
    finally:
        engine.dispose()

