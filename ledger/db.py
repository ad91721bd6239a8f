"""The ledger's database: engine and sessions for SQLite (one machine) or PostgreSQL (a centre).

SQLite runs in WAL mode with a busy timeout and every write transaction starts with
`BEGIN IMMEDIATE`, so two writers queue up instead of failing halfway through on a lock
upgrade. PostgreSQL runs at READ COMMITTED through psycopg 3; rows that a decision depends
on are locked with SELECT ... FOR UPDATE by the service code.

`insert_rows` writes many rows of one table: on PostgreSQL with one COPY (psycopg 3 would otherwise
execute the INSERT once per row, each parsed, planned and executed by the server), elsewhere with an
executemany INSERT.
"""

from __future__ import annotations

import functools
import sqlite3
from datetime import UTC, datetime
from inspect import signature as inspect_signature
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, Table, create_engine, event, insert, inspect, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from infra import paths

SQLITE_BUSY_TIMEOUT_MS = 30_000


def default_url() -> str:
    return f"sqlite:///{paths.data_dir() / 'ledger.db'}"


def normalise_url(url: str) -> str:
    """Accept `postgresql://` and `postgres://` and route them to psycopg 3."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


DEFAULT_POOL_SIZE = 16


def make_engine(url: str | None = None, *, echo: bool = False, pool_size: int = DEFAULT_POOL_SIZE) -> Engine:
    """The engine; on PostgreSQL a pool of `pool_size` connections per process (plus a few overflow ones for
    short bursts), so a ledger with N worker processes holds at most N x (pool_size + overflow) connections."""
    url = normalise_url(url or default_url())
    if url.startswith("sqlite"):
        return _sqlite_engine(url, echo)
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=pool_size,
                         max_overflow=max(2, pool_size // 4), pool_timeout=30)


def _sqlite_engine(url: str, echo: bool) -> Engine:
    db_path = url.split(":///", 1)[1] if ":///" in url else ""
    if db_path and db_path != ":memory:":
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, echo=echo, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
                                                         "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")  # the ledger's commits must survive power loss
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


MIGRATIONS_DIR = Path(__file__).with_name("migrations")
FIRST_REVISION = "0001"
# Any fixed number: PostgreSQL advisory lock held while one ledger process migrates, so two starting at
# once do not both create the tables.
_MIGRATION_LOCK = 11_643_2026


def _alembic_config() -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None, "the ledger has no migrations"
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        revision: str | None = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return revision


def create_schema(engine: Engine) -> None:
    """Create or upgrade the ledger's tables to the newest migration (idempotent, safe to race)."""
    if current_revision(engine) == head_revision():
        return
    import ledger.models_staff  # noqa: F401  (its tables join Base.metadata)
    from ledger import models_fleet  # noqa: F401 - the fleet tables join the metadata
    from ledger.models import Base

    cfg = _alembic_config()
    with engine.connect() as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
        cfg.attributes["connection"] = conn
        tables = set(inspect(conn).get_table_names())
        if "alembic_version" not in tables and "transactions" in tables:
            # Made by create_all before the ledger had migrations: fill in what is missing, adopt it as 0001.
            Base.metadata.create_all(conn)
            command.stamp(cfg, FIRST_REVISION)
        command.upgrade(cfg, "head")


def insert_rows(conn: Connection, model: Any, rows: list[dict[str, Any]]) -> None:
    """INSERT `rows` (dicts of column values, all with the same keys) into `model`'s table inside the open
    transaction of `conn`, as `conn.execute(insert(model), rows)` would: the same values (each column type's
    own bind conversion), the same Python-side column defaults for the keys left out, the same errors
    (IntegrityError, OperationalError, ...). On PostgreSQL with one COPY ... FROM STDIN: one round trip and
    one server statement for the whole list instead of one INSERT per row. On SQLite with one executemany of
    an INSERT compiled once per table and column set, each row's values converted by the column types'
    own bind processors: what SQLAlchemy's insert does, without building its per-row parameter dicts."""
    if not rows:
        return
    table: Table = model.__table__ if hasattr(model, "__table__") else model
    dialect = conn.dialect
    if dialect.name == "sqlite":
        plan = _row_plan(table, dialect, rows)
        if plan is None:
            conn.execute(insert(table), rows)
            return
        statement, names, processors, fill = plan
        try:
            params = [tuple(_row_values(row, names, processors, fill)) for row in rows]
        except Exception:  # a value a type refuses (a naive datetime ...): the plain insert, its own error
            conn.execute(insert(table), rows)
            return
        conn.exec_driver_sql(statement, params)  # a list of tuples: executemany
        return
    copy = _copy_plan(conn, table, rows)
    if copy is None:
        conn.execute(insert(table), rows)
        return
    statement, names, processors, fill = copy
    driver: Any = conn.connection.dbapi_connection  # psycopg.Connection, in the transaction `conn` opened
    try:
        with driver.cursor() as cursor:
            if conn._has_events or conn.engine._has_events:  # statement watchers (tests, tools) see the COPY
                conn.dispatch.before_cursor_execute(conn, cursor, statement, rows, None, True)
            with cursor.copy(statement) as out:
                for row in rows:
                    out.write_row(_row_values(row, names, processors, fill))
    except conn.dialect.loaded_dbapi.Error as exc:
        # as any statement's error: wrapped (IntegrityError, OperationalError, ...), a lost connection invalidated
        conn._handle_dbapi_exception(exc, statement, rows, None, None)
        raise DBAPIError.instance(statement, None, exc, conn.dialect.loaded_dbapi.Error) from exc  # not reached


def _row_values(row: dict[str, Any], names: list[str], processors: list[Any], fill: dict[str, Any]) -> list[Any]:
    """One row's values in `names` order: a left-out key's default made, each through its column's processor."""
    values = [row[name] if name in row else fill[name]() for name in names]
    return [value if proc is None else proc(value) for value, proc in zip(values, processors, strict=True)]


_Plan = tuple[str, list[str], list[Any], dict[str, Any]]
_ColumnPlan = tuple[list[str], dict[str, Any]]
_COLUMN_PLANS: dict[tuple[Table, frozenset[str]], _ColumnPlan | None] = {}


def _columns(table: Table, rows: list[dict[str, Any]]) -> _ColumnPlan | None:
    """(the column keys to write, default makers for the keys the rows leave out), or None: rows of different
    keys, a key that is no column, or a left-out column whose default this cannot reproduce (a SQL
    expression, or a callable that wants the execution context). Worked out once per table and key set."""
    keys = frozenset(rows[0])
    if any(row.keys() != keys for row in rows):
        return None
    cache_key = (table, keys)
    if cache_key in _COLUMN_PLANS:
        return _COLUMN_PLANS[cache_key]
    plan = _work_out_columns(table, keys)
    _COLUMN_PLANS[cache_key] = plan
    return plan


def _work_out_columns(table: Table, keys: frozenset[str]) -> _ColumnPlan | None:
    if not keys <= set(table.c.keys()):
        return None
    names: list[str] = []
    fill: dict[str, Any] = {}
    for column in table.c:
        if column.key in keys:
            names.append(column.key)
            continue
        default = column.default
        if default is None:
            continue  # the server's default, a sequence, or NULL: left to the database as INSERT does
        if getattr(default, "is_scalar", False):
            value = default.arg  # type: ignore[attr-defined]
            fill[column.key] = lambda value=value: value
        elif getattr(default, "is_callable", False) and _context_free(default.arg):  # type: ignore[attr-defined]
            fill[column.key] = functools.partial(default.arg, None)  # type: ignore[attr-defined]
        else:
            return None
        names.append(column.key)
    return names, fill


def _row_plan(table: Table, dialect: Any, rows: list[dict[str, Any]]) -> _Plan | None:
    """(INSERT with positional parameters, column keys, bind processors, default makers) for an executemany on
    SQLite, compiled once per table, key set and dialect; None where `_columns` steps aside."""
    keys = frozenset(rows[0])
    cache_key = (table, keys)
    # kept on the dialect (one per engine) and dropped with it: the bind processors are that dialect's
    plans: dict[tuple[Table, frozenset[str]], _Plan | None] = dialect.__dict__.setdefault("_ledger_insert_plans", {})
    if cache_key in plans:
        plan = plans[cache_key]
        return plan if plan is not None and all(row.keys() == keys for row in rows) else None
    columns = _columns(table, rows)
    if columns is None:
        return None  # not cached: uneven rows say nothing about the next call's rows
    names, fill = columns
    compiled = insert(table).compile(dialect=dialect, column_keys=names)
    positions = compiled.positiontup or []
    if compiled.positional is False or sorted(positions) != sorted(names):
        plans[cache_key] = None  # a statement this cannot feed row by row: the plain insert
        return None
    processors = [_sqlite_bind_processor(table.c[name].type, dialect) for name in positions]
    plan = (str(compiled), list(positions), processors, fill)
    plans[cache_key] = plan
    return plan


def _sqlite_bind_processor(type_: Any, dialect: Any) -> Any:
    """The column type's own bind processor, but for the ledger's UTC datetimes one call that gives the same
    text: SQLite's default DATETIME storage ("YYYY-MM-DD HH:MM:SS.ffffff") of the value in UTC, without the
    decorator's and the dialect's two steps and the format dict per value."""
    from sqlalchemy.dialects.sqlite import DATETIME

    from ledger.models import UTCDateTime

    if type(type_) is UTCDateTime:
        impl = dialect.type_descriptor(type_.load_dialect_impl(dialect))
        if type(impl) is DATETIME and impl._storage_format == DATETIME._storage_format:
            return _utc_text
    return type_._cached_bind_processor(dialect)


def _utc_text(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the ledger: store UTC with a time zone")
    return value.astimezone(UTC).isoformat(" ", "microseconds")[:26]  # without the "+00:00"


def _copy_plan(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> _Plan | None:
    """(COPY statement, column keys, bind processors, default makers for keys the rows leave out), or None for
    a plain INSERT: not PostgreSQL, rows of different keys, or a left-out column whose default this cannot
    reproduce (a SQL expression, or a callable that wants the execution context)."""
    if conn.dialect.name != "postgresql" or conn.dialect.driver != "psycopg":
        return None
    columns = _columns(table, rows)
    if columns is None:
        return None
    names, fill = columns
    dialect = conn.dialect
    processors = [table.c[name].type._cached_bind_processor(dialect) for name in names]
    quote = dialect.identifier_preparer.quote
    column_list = ", ".join(quote(table.c[name].name) for name in names)
    return f"COPY {dialect.identifier_preparer.format_table(table)} ({column_list}) FROM STDIN", names, processors, fill


def _context_free(fn: Any) -> bool:
    """A callable default SQLAlchemy wrapped as `lambda ctx: fn()` (a function of no arguments, or a class
    such as `dict`); a function that takes the execution context is kept unwrapped and is not ours to call."""
    wrapped = getattr(fn, "__wrapped__", None)
    if wrapped is None:
        return False
    try:
        return not inspect_signature(wrapped).parameters
    except (TypeError, ValueError):
        return True  # no signature to read (a builtin class): SQLAlchemy wrapped it as one of no arguments
