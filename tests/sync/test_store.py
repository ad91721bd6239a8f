import sqlite3
from pathlib import Path

import pytest

from sync.filelock import FileLock
from sync.store import StoreError, current_revision, head_revision, migrate, open_store


def test_a_new_store_is_wal_with_full_sync_and_at_the_newest_schema(tmp_path: Path) -> None:
    store = open_store(tmp_path / "t.db")
    try:
        assert store.pragma("journal_mode") == "wal"
        assert store.pragma("synchronous") == 2  # FULL
        assert store.pragma("foreign_keys") == 1
        assert current_revision(store) == head_revision()
    finally:
        store.close()


def test_an_old_store_is_upgraded_in_place_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "field.db"
    store = open_store(path)
    migrate_down = store  # simulate a field terminal that still runs an older schema
    from alembic import command

    from sync.store import _alembic_config
    cfg = _alembic_config()
    with migrate_down.engine.connect() as conn, conn.begin():
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert current_revision(store) is None
    migrate(store, "0001")
    with sqlite3.connect(path) as raw:
        raw.execute("INSERT INTO sync_state(key, value) VALUES ('marker', 'kept')")
    store.close()
    reopened = open_store(path)
    try:
        assert current_revision(reopened) == head_revision()
        with sqlite3.connect(path) as raw:
            assert raw.execute("SELECT value FROM sync_state WHERE key='marker'").fetchone() == ("kept",)
    finally:
        reopened.close()


def test_a_file_that_is_not_a_database_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open the local store"):
        open_store(path)


def test_a_write_that_raises_leaves_nothing_behind(tmp_path: Path) -> None:
    from sync import models
    store = open_store(tmp_path / "t.db")
    try:
        with pytest.raises(RuntimeError), store.write() as session:
            session.add(models.SyncState(key="k", value="v"))
            session.flush()
            raise RuntimeError("power cut in the middle")
        with store.read() as session:
            assert session.get(models.SyncState, "k") is None
    finally:
        store.close()


def test_the_file_lock_excludes_a_second_holder_until_released(tmp_path: Path) -> None:
    first, second = FileLock(tmp_path / "x.lock"), FileLock(tmp_path / "x.lock")
    assert first.try_acquire()
    assert not second.try_acquire()
    first.release()
    assert second.try_acquire()
    second.release()


def test_the_head_revision_known_without_alembic_is_alembics_head() -> None:
    from sync.store import HEAD_REVISION

    assert HEAD_REVISION == head_revision()  # a new migration must move HEAD_REVISION too


def test_a_store_at_the_head_opens_without_running_alembic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_store(tmp_path / "t.db").close()  # created and migrated
    ran: list[str] = []
    monkeypatch.setattr("sync.store.migrate", lambda store, revision="head": ran.append(revision))
    open_store(tmp_path / "t.db").close()
    assert ran == []
    open_store(tmp_path / "new.db").close()  # no alembic_version yet: migrated (by the stub here)
    assert ran == ["head"]


def test_a_store_at_the_head_is_opened_without_importing_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    open_store(tmp_path / "t.db").close()
    code = ("import sys; from pathlib import Path; from sync.store import open_store; "
            f"open_store(Path({str(tmp_path / 't.db')!r})).close(); print('alembic' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.strip() == "False"
