"""ledger.db.insert_rows: PostgreSQL's COPY writes exactly what the executemany INSERT writes, fails the same way."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError

from ledger.db import _copy_plan, create_schema, insert_rows, make_engine
from ledger.models import RatingRow, Transaction
from ledger.models_exchange import ExchangeLookup
from tests.ledger.awkward_rows import (
    AWKWARD_REASON,
    AWKWARD_TEXT,
    awkward_transactions,
    many_ratings,
    statements_seen,
)
from tests.ledger.pg import PostgresCluster


@pytest.fixture(scope="module")
def pg_engine(pg_cluster: PostgresCluster) -> Iterator[Engine]:
    engine = make_engine(pg_cluster.database("ledger_copy"))
    create_schema(engine)
    try:
        yield engine
    finally:
        engine.dispose()


def _read(engine: Engine, model: Any, keys: list[str], key_column: Any) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        rows = conn.execute(select(model.__table__).where(key_column.in_(keys)).order_by(key_column)).all()
    return [tuple(v for c, v in zip(model.__table__.c.keys(), row, strict=True) if c not in ("id", "received_at",
                                                                                           "ledger_id", "rated_at",
                                                                                           "idempotency_key"))
            for row in rows]


@pytest.mark.postgres
def test_copy_writes_what_the_insert_writes(pg_engine: Engine) -> None:
    with pg_engine.connect() as conn:
        assert _copy_plan(conn, Transaction.__table__, awkward_transactions("c")) is not None
    with pg_engine.begin() as conn:
        insert_rows(conn, Transaction, awkward_transactions("copy"))
        conn.execute(insert(Transaction), awkward_transactions("ins"))
    copied = _read(pg_engine, Transaction, [f"copy-{i}" for i in range(3)], Transaction.idempotency_key)
    inserted = _read(pg_engine, Transaction, [f"ins-{i}" for i in range(3)], Transaction.idempotency_key)
    assert len(copied) == 3
    assert copied == inserted
    with pg_engine.connect() as conn:
        row = conn.execute(select(Transaction).where(Transaction.idempotency_key == "copy-1")).one()
    assert row.payload["text"] == AWKWARD_TEXT
    assert row.reason == AWKWARD_REASON
    assert row.result == {}  # the column's default (dict), as the INSERT fills it
    assert row.created_at == datetime(2026, 12, 7, 1, 30, 15, 123456, tzinfo=UTC)
    assert row.received_at is not None and abs(row.received_at - datetime.now(UTC)) < timedelta(hours=1)


@pytest.mark.postgres
def test_copy_fills_scalar_defaults_and_leaves_the_id_to_the_sequence(pg_engine: Engine) -> None:
    now = datetime.now(UTC)
    ratings = [dict(score=s, service_item="公积金提取", channel="kiosk", terminal_id="K-COPY", rated_at=now)
               for s in (1, 5)]
    lookups = [dict(at=now, member_id="M1", topic="t", purpose="p", case_ref="copy-lookup", operator="K",
                    operator_kind="terminal", authorisation={"basis": "item"}, outcome="ok", facts={"a": 1},
                    as_of=None)]
    with pg_engine.begin() as conn:
        insert_rows(conn, RatingRow, ratings)
        insert_rows(conn, ExchangeLookup, lookups)
    with pg_engine.connect() as conn:
        stored = conn.execute(select(RatingRow).where(RatingRow.terminal_id == "K-COPY").order_by(RatingRow.id)).all()
        lookup = conn.execute(select(ExchangeLookup).where(ExchangeLookup.case_ref == "copy-lookup")).one()
    assert [(r.score, r.window, r.staff, r.text, r.member_id) for r in stored] == [(1, "", "", "", None),
                                                                                 (5, "", "", "", None)]
    assert stored[0].id < stored[1].id
    assert (lookup.subject, lookup.from_cache, lookup.request_id, lookup.source, lookup.signature, lookup.facts) == \
        ("", False, "", "", "", {"a": 1})


@pytest.mark.postgres
def test_a_key_stored_twice_fails_as_the_insert_does(pg_engine: Engine) -> None:
    with pg_engine.begin() as conn:
        insert_rows(conn, Transaction, awkward_transactions("dup"))
    with pytest.raises(IntegrityError), pg_engine.begin() as conn:
        insert_rows(conn, Transaction, awkward_transactions("dup"))  # ledger.batch redoes such a request item by item
    with pg_engine.connect() as conn:
        count = len(conn.execute(select(Transaction.id).where(Transaction.idempotency_key.like("dup-%"))).all())
    assert count == 3


def test_sqlite_and_uneven_rows_take_the_plain_insert(tmp_path: Any) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'l.db'}")
    create_schema(engine)
    rows = awkward_transactions("lite")
    with engine.begin() as conn:
        assert _copy_plan(conn, Transaction.__table__, rows) is None
        insert_rows(conn, Transaction, rows)
        insert_rows(conn, Transaction, [])
    assert len(_read(engine, Transaction, [f"lite-{i}" for i in range(3)], Transaction.idempotency_key)) == 3
    engine.dispose()


@pytest.mark.postgres
def test_rows_of_different_keys_take_the_plain_insert(pg_engine: Engine) -> None:
    rows = awkward_transactions("uneven")
    del rows[1]["applied_at"]  # the INSERT fills it per row from the first row's keys' defaults; COPY steps aside
    with pg_engine.connect() as conn:
        assert _copy_plan(conn, Transaction.__table__, rows) is None


@pytest.mark.postgres
def test_two_hundred_rows_are_one_statement_the_engine_sees(pg_engine: Engine) -> None:
    with statements_seen(pg_engine) as seen, pg_engine.begin() as conn:
        insert_rows(conn, RatingRow, many_ratings())
    assert [s.split(" (")[0] for s, _ in seen] == ["COPY ratings"]
    with pg_engine.connect() as conn:
        assert len(conn.execute(select(RatingRow.id).where(RatingRow.terminal_id == "K-MANY")).all()) == 200


@pytest.mark.postgres
def test_a_lost_connection_is_an_operational_error_and_is_invalidated(pg_engine: Engine) -> None:
    rows = [dict(score=3, service_item="提取", channel="kiosk", terminal_id="K-LOST", rated_at=datetime.now(UTC))]
    with pg_engine.connect() as conn:
        conn.begin()
        pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        with pg_engine.connect() as other:
            other.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})")  # type: ignore[arg-type]
        with pytest.raises(OperationalError):
            insert_rows(conn, RatingRow, rows)
        assert conn.invalidated  # the pool will not hand the dead connection out again
    with pg_engine.connect() as conn:  # a fresh one works
        assert conn.exec_driver_sql("SELECT 1").scalar() == 1
