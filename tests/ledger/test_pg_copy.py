"""ledger.db.insert_rows: PostgreSQL's COPY writes exactly what the executemany INSERT writes, fails the same way."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import Engine, event, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError

from ledger.db import _copy_plan, create_schema, insert_rows, make_engine
from ledger.models import RatingRow, Transaction
from ledger.models_exchange import ExchangeLookup
from tests.ledger.pg import PostgresCluster


@pytest.fixture(scope="module")
def pg_engine(pg_cluster: PostgresCluster) -> Iterator[Engine]:
    engine = make_engine(pg_cluster.database("ledger_copy"))
    create_schema(engine)
    try:
        yield engine
    finally:
        engine.dispose()


def _transactions(prefix: str) -> list[dict[str, Any]]:
    """Rows with the awkward values: text COPY must escape tabs, newlines, backslashes, quotes; JSON null and
    nested JSON; a datetime in another zone (stored as UTC); `result` and `received_at` left to their defaults."""
    at = datetime(2026, 12, 7, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=8)))
    rows = []
    for i, (text, reason) in enumerate([
        ("plain", None),
        ("tab\there, newline\nthere, back\\slash, quote \" and ' and \\N", {"code": "x", "zh": "拒绝\t原因"}),
        ("", {"nested": [1, 2.5, None, True, {"k": "\\"}]}),
    ]):
        rows.append(dict(idempotency_key=f"{prefix}-{i}", ledger_id=f"{prefix}L{i}", terminal_id="K-01",
                         kind="rating", member_id=None if i == 2 else f"M{i}", payload={"text": text, "n": i},
                         payload_hash="h" * 64, status="accepted", reason=reason, amount_fen=i * 100,
                         created_at=at, applied_at=None if i else at))
    return rows


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
        assert _copy_plan(conn, Transaction.__table__, _transactions("c")) is not None
    with pg_engine.begin() as conn:
        insert_rows(conn, Transaction, _transactions("copy"))
        conn.execute(insert(Transaction), _transactions("ins"))
    copied = _read(pg_engine, Transaction, [f"copy-{i}" for i in range(3)], Transaction.idempotency_key)
    inserted = _read(pg_engine, Transaction, [f"ins-{i}" for i in range(3)], Transaction.idempotency_key)
    assert len(copied) == 3
    assert copied == inserted
    with pg_engine.connect() as conn:
        row = conn.execute(select(Transaction).where(Transaction.idempotency_key == "copy-1")).one()
    assert row.payload["text"] == "tab\there, newline\nthere, back\\slash, quote \" and ' and \\N"
    assert row.reason == {"code": "x", "zh": "拒绝\t原因"}
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
        insert_rows(conn, Transaction, _transactions("dup"))
    with pytest.raises(IntegrityError), pg_engine.begin() as conn:
        insert_rows(conn, Transaction, _transactions("dup"))  # ledger.batch redoes such a request item by item
    with pg_engine.connect() as conn:
        count = len(conn.execute(select(Transaction.id).where(Transaction.idempotency_key.like("dup-%"))).all())
    assert count == 3


def test_sqlite_and_uneven_rows_take_the_plain_insert(tmp_path: Any) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'l.db'}")
    create_schema(engine)
    rows = _transactions("lite")
    with engine.begin() as conn:
        assert _copy_plan(conn, Transaction.__table__, rows) is None
        insert_rows(conn, Transaction, rows)
        insert_rows(conn, Transaction, [])
    assert len(_read(engine, Transaction, [f"lite-{i}" for i in range(3)], Transaction.idempotency_key)) == 3
    engine.dispose()


@pytest.mark.postgres
def test_rows_of_different_keys_take_the_plain_insert(pg_engine: Engine) -> None:
    rows = _transactions("uneven")
    del rows[1]["applied_at"]  # the INSERT fills it per row from the first row's keys' defaults; COPY steps aside
    with pg_engine.connect() as conn:
        assert _copy_plan(conn, Transaction.__table__, rows) is None


@pytest.mark.postgres
def test_two_hundred_rows_are_one_statement_the_engine_sees(pg_engine: Engine) -> None:
    seen: list[tuple[str, bool]] = []

    def on_sql(_conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, many: bool) -> None:
        seen.append((statement, many))

    now = datetime.now(UTC)
    rows = [dict(score=n % 5 + 1, service_item="提取", channel="kiosk", terminal_id="K-MANY", rated_at=now)
            for n in range(200)]
    event.listen(pg_engine, "before_cursor_execute", on_sql)
    try:
        with pg_engine.begin() as conn:
            insert_rows(conn, RatingRow, rows)
    finally:
        event.remove(pg_engine, "before_cursor_execute", on_sql)
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
