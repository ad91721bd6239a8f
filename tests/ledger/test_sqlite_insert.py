"""ledger.db.insert_rows on SQLite: the executemany of a precompiled INSERT writes exactly what SQLAlchemy's insert
writes, fills the same defaults, fails the same way."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, insert, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from ledger.db import _row_plan, _sqlite_bind_processor, _utc_text, create_schema, insert_rows, make_engine
from ledger.models import RatingRow, Transaction
from ledger.models_exchange import ExchangeLookup
from ledger.models_sessions import MemberTokenUse
from tests.ledger.awkward_rows import (
    AWKWARD_REASON,
    AWKWARD_TEXT,
    awkward_transactions,
    many_ratings,
    statements_seen,
)

TRANSACTIONS: Any = Transaction.__table__


@pytest.fixture
def engine(tmp_path: Path) -> Any:
    engine = make_engine(f"sqlite:///{tmp_path / 'l.db'}")
    create_schema(engine)
    yield engine
    engine.dispose()


def _raw(engine: Engine, table: str, where: str) -> list[tuple[Any, ...]]:
    """The stored values as SQLite holds them (text, not converted back), the key columns left out."""
    with engine.connect() as conn:
        result = conn.execute(text(f"SELECT * FROM {table} WHERE {where} ORDER BY rowid"))
        skip = {"id", "idempotency_key", "ledger_id", "received_at", "used_at", "rated_at", "nonce", "case_ref"}
        keys = list(result.keys())
        return [tuple(v for k, v in zip(keys, row, strict=True) if k not in skip) for row in result.all()]


def test_the_executemany_writes_what_the_insert_writes(engine: Engine) -> None:
    with engine.connect() as conn:
        assert _row_plan(TRANSACTIONS, conn.dialect, awkward_transactions("p")) is not None
    with engine.begin() as conn:
        insert_rows(conn, Transaction, awkward_transactions("new"))
        conn.execute(insert(Transaction), awkward_transactions("old"))
    new = _raw(engine, "transactions", "idempotency_key LIKE 'new-%'")
    old = _raw(engine, "transactions", "idempotency_key LIKE 'old-%'")
    assert len(new) == 3
    assert new == old
    with engine.connect() as conn:
        row = conn.execute(select(Transaction).where(Transaction.idempotency_key == "new-1")).one()
        stamps = conn.execute(text("SELECT created_at, received_at, reason FROM transactions "
                                   "WHERE idempotency_key IN ('new-0', 'new-2') ORDER BY rowid")).all()
    assert row.payload["text"] == AWKWARD_TEXT
    assert row.reason == AWKWARD_REASON
    assert row.result == {}  # the column's default (dict)
    assert row.created_at == datetime(2026, 12, 7, 1, 30, 15, 123456, tzinfo=UTC)
    assert abs(row.received_at - datetime.now(UTC)) < timedelta(hours=1)
    assert stamps[0][0] == "2027-01-01 01:00:00.000000"  # SQLite's DATETIME text, microseconds kept at zero
    assert stamps[0][2] == "null" and stamps[1][2] is not None  # JSON null stored as the insert stores it


def test_defaults_and_other_tables_match_the_insert(engine: Engine) -> None:
    now = datetime.now(UTC)
    expires = datetime(2026, 12, 7, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=8)))
    ratings = [dict(score=s, service_item="公积金'提取", channel="kiosk", terminal_id="K-" + tag, rated_at=now)
               for s in (1, 5) for tag in ("N",)]
    lookups = [dict(at=now, member_id="M1", topic="t", purpose="p", case_ref="lookup", operator="K",
                    operator_kind="terminal", authorisation={"basis": "item"}, outcome="ok", facts={"a": [1, None]},
                    as_of=None)]
    uses = [dict(nonce=f"n{i}", key_id="k", member_id="M1", used_for=f"item:{i}", expires_at=expires)
            for i in range(3)]
    with engine.begin() as conn:
        insert_rows(conn, RatingRow, ratings)
        conn.execute(insert(RatingRow), [dict(r, terminal_id="K-O") for r in ratings])
        insert_rows(conn, ExchangeLookup, lookups)
        conn.execute(insert(ExchangeLookup), lookups)
        insert_rows(conn, MemberTokenUse, uses)
        conn.execute(insert(MemberTokenUse), [dict(u, nonce=f"o{u['nonce']}") for u in uses])
    new_r, old_r = _raw(engine, "ratings", "terminal_id = 'K-N'"), _raw(engine, "ratings", "terminal_id = 'K-O'")
    assert [r[:-1] for r in new_r] == [r[:-1] for r in old_r] and len(new_r) == 2  # all but the terminal id
    assert new_r[0][:6] == (None, 1, "公积金'提取", "kiosk", "", "")  # the scalar defaults filled
    lookups_stored = _raw(engine, "exchange_lookups", "1")
    assert len(lookups_stored) == 2 and lookups_stored[0] == lookups_stored[1]
    new_u, old_u = _raw(engine, "member_token_uses", "nonce LIKE 'n%'"), _raw(engine, "member_token_uses",
                                                                              "nonce LIKE 'on%'")
    assert new_u == old_u and new_u[0][-1] == "2026-12-07 15:59:59.999999"


def test_the_utc_text_is_the_types_own_conversion(engine: Engine) -> None:
    column = Transaction.__table__.c.created_at
    assert _sqlite_bind_processor(column.type, engine.dialect) is _utc_text
    theirs = column.type._cached_bind_processor(engine.dialect)
    assert theirs is not None
    for value in [None, datetime(1, 1, 1, 8, tzinfo=timezone(timedelta(hours=8))),
                  datetime(999, 3, 4, 5, 6, 7, 8, tzinfo=UTC), datetime(2026, 12, 7, tzinfo=UTC),
                  datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
                  datetime(2026, 6, 1, 12, 0, 0, 500, tzinfo=timezone(timedelta(hours=-9, minutes=-30)))]:
        assert _utc_text(value) == theirs(value)
    assert _sqlite_bind_processor(Transaction.__table__.c.amount_fen.type, engine.dialect) is None


def test_a_naive_datetime_is_refused_as_the_insert_refuses_it(engine: Engine) -> None:
    rows = awkward_transactions("naive")
    rows[1]["created_at"] = datetime(2026, 12, 7, 9, 30)  # noqa: DTZ001 - the mistake under test
    with pytest.raises(StatementError, match="naive datetime"), engine.begin() as conn:
        insert_rows(conn, Transaction, rows)
    assert _raw(engine, "transactions", "1") == []
    rows[1]["created_at"] = date(2026, 12, 7)  # not a datetime at all: refused too, nothing stored
    with pytest.raises(StatementError), engine.begin() as conn:
        insert_rows(conn, Transaction, rows)
    assert _raw(engine, "transactions", "1") == []


def test_a_key_stored_twice_is_an_integrity_error(engine: Engine) -> None:
    with engine.begin() as conn:
        insert_rows(conn, Transaction, awkward_transactions("dup"))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        insert_rows(conn, Transaction, awkward_transactions("dup"))  # ledger.batch redoes such a request item by item
    assert len(_raw(engine, "transactions", "idempotency_key LIKE 'dup-%'")) == 3


def test_many_rows_are_one_executemany_and_uneven_rows_take_the_plain_insert(engine: Engine) -> None:
    uneven = awkward_transactions("uneven")
    del uneven[0]["applied_at"]  # the insert takes the first row's keys (its default for the rest)
    with engine.connect() as conn:
        assert _row_plan(TRANSACTIONS, conn.dialect, uneven) is None
    with statements_seen(engine) as seen, engine.begin() as conn:
        insert_rows(conn, RatingRow, many_ratings())
        insert_rows(conn, Transaction, uneven)
        insert_rows(conn, Transaction, [])
    inserts = [(s.split(" (")[0], many) for s, many in seen if s.startswith("INSERT")]
    assert inserts == [("INSERT INTO ratings", True), ("INSERT INTO transactions", True)]
    assert len(_raw(engine, "ratings", "terminal_id = 'K-MANY'")) == 200
    assert len(_raw(engine, "transactions", "idempotency_key LIKE 'uneven-%'")) == 3
