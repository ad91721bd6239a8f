"""The terminal's local store: one SQLite file, WAL, durable commits, migrated at open.

`synchronous=FULL` in WAL mode makes every commit durable across power loss (with `NORMAL`
the last commits can vanish), which is what lets a receipt be printed right after `enqueue`
returns. Writes start with `BEGIN IMMEDIATE`, so a writer takes SQLite's write lock up front
instead of failing half-way on a lock upgrade; `busy_timeout` makes a second process wait its
turn instead of erroring. Alembic brings an older file up to the current schema at open, under
a file lock so two processes starting together do not both migrate. A file already at the newest
revision (every start but the first after an update) is recognised from its `alembic_version` row
and `HEAD_REVISION`, without importing alembic or reading the migration scripts.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from infra.logs import get_logger
from sync.filelock import FileLock

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

log = get_logger("sync")

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# The newest revision in migrations/versions: a store at it needs no migration (and no alembic).
# A new migration changes it too; tests/sync/test_store.py checks it is alembic's head.
HEAD_REVISION = "0002"
BUSY_TIMEOUT_MS = 15_000
PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON",
           f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


_units = threading.local()  # per thread: the open unit of work of each store file (Store.unit_of_work)


class StoreError(Exception):
    """The local store cannot be opened or written (disk full, file damaged, wrong permissions)."""

    zh = "本机数据存储出错，请联系工作人员。"
    en = "The terminal's local data store failed; please call staff."


def utc_now() -> str:
    """Now as UTC ISO-8601 with microseconds, the one time format of the store and the protocol."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _on_begin)
    for pragma in PRAGMAS:
        dbapi_conn.execute(pragma)


def _on_begin(conn: Any) -> None:
    mode = conn.get_execution_options().get("hpf_begin", "DEFERRED")
    conn.exec_driver_sql(f"BEGIN {mode}")


class Store:
    """An open local store. Thread-safe; one write transaction at a time per process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.engine: Engine = create_engine(f"sqlite:///{path}", pool_pre_ping=False)
        event.listen(self.engine, "connect", _on_connect)
        event.listen(self.engine, "begin", _on_begin)
        self._write_lock = threading.Lock()
        self._key = str(path.resolve())

    def _unit(self) -> Session | None:
        """The unit of work this thread has open on this file, if any (see `unit_of_work`)."""
        units: dict[str, Session] | None = getattr(_units, "open", None)
        return units.get(self._key) if units else None

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One transaction for everything this thread writes to this file inside the block.

        Every `write`, `write_connection`, `write_raw` and `read` made meanwhile on this thread (on
        any Store of the same file) joins it instead of committing on its own: it all commits in
        one durable COMMIT at the end of the block, or — on an exception — none of it does.
        Other threads' writes wait for it, as for any write transaction. A unit inside a unit joins too.
        """
        joined = self._unit()
        if joined is not None:
            yield joined
            return
        units: dict[str, Session] = _units.__dict__.setdefault("open", {})
        with self.write() as session:
            units[self._key] = session
            try:
                yield session
            finally:
                del units[self._key]

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: commits (durably) on normal exit, rolls back on an exception."""
        joined = self._unit()
        if joined is not None:
            yield joined
            joined.flush()
            return
        with self._write_lock, self.engine.connect() as conn:
            conn = conn.execution_options(hpf_begin="IMMEDIATE")
            with conn.begin(), Session(bind=conn, expire_on_commit=False) as session:
                yield session
                session.flush()

    @contextmanager
    def write_connection(self) -> Iterator[Connection]:
        """Like `write`, as a Core connection: the hot path (enqueue) skips the ORM's unit of work."""
        joined = self._unit()
        if joined is not None:
            joined.flush()
            yield joined.connection()
            return
        with self._write_lock, self.engine.connect() as conn:
            conn = conn.execution_options(hpf_begin="IMMEDIATE")
            with conn.begin():
                yield conn

    @contextmanager
    def write_raw(self) -> Iterator[sqlite3.Connection]:
        """A write transaction on the sqlite3 connection itself, for statements prepared beforehand:
        BEGIN IMMEDIATE, the caller's statements, one durable COMMIT (a rollback on any exception,
        also when the COMMIT itself fails). The hot path of `enqueue`: no SQLAlchemy layer at all."""
        joined = self._unit()
        if joined is not None:
            joined.flush()
            driver = joined.connection().connection.driver_connection
            assert isinstance(driver, sqlite3.Connection)
            yield driver
            return
        with self._write_lock:
            pooled = self.engine.raw_connection()
            try:
                conn = pooled.driver_connection
                assert isinstance(conn, sqlite3.Connection)
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                    conn.execute("COMMIT")
                finally:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
            finally:
                pooled.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read transaction: a consistent view of the file (WAL readers never block the writer).
        Inside a unit of work it reads through the unit, so it sees the unit's own writes."""
        joined = self._unit()
        if joined is not None:
            joined.flush()
            yield joined
            return
        with self.engine.connect() as conn, conn.begin(), Session(bind=conn) as session:
            yield session

    def pragma(self, name: str) -> Any:
        with self.engine.connect() as conn:
            return conn.exec_driver_sql(f"PRAGMA {name}").scalar()

    def close(self) -> None:
        self.engine.dispose()


def _alembic_config() -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    """The newest revision as alembic reads it from the scripts (`HEAD_REVISION` is the same, known without alembic)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(store: Store) -> str | None:
    with store.engine.connect() as conn:
        exists = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").scalar()
        if not exists:
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(store: Store, revision: str = "head") -> None:
    """Bring the file's schema to `revision` (normally the newest) in one transaction."""
    from alembic import command

    cfg = _alembic_config()
    with store.engine.connect() as conn:
        conn = conn.execution_options(hpf_begin="IMMEDIATE")
        with conn.begin():
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)


def _owner_only(path: Path) -> None:
    if sys.platform == "win32":  # pragma: no cover - NTFS ACLs of the service profile apply there
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists() and side.stat().st_mode & 0o077:
            side.chmod(0o600)


def open_store(path: Path) -> Store:
    """Open (creating if needed) and migrate the store at `path`; raises StoreError with the cause.

    The file is created readable by the service user only (0600; SQLite gives its -wal and -shm
    files the same mode), and a store found readable by others is taken back to 0600.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        _owner_only(path)
    except OSError as exc:
        raise StoreError(f"{path}: cannot create the local store: {exc}") from exc
    store = Store(path)
    try:
        if current_revision(store) != HEAD_REVISION:  # at the head (the usual start): alembic is not needed
            with FileLock(path.with_name(path.name + ".migrate.lock")):
                before = current_revision(store)
                if before != HEAD_REVISION:
                    migrate(store)
                    log.info("local store %s migrated from %s to %s", path.name, before or "empty",
                             HEAD_REVISION)
    except (DBAPIError, sqlite3.DatabaseError, OSError) as exc:
        store.close()
        raise StoreError(f"{path}: cannot open the local store: {exc}") from exc
    return store
