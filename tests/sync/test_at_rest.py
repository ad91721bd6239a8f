"""At rest on the terminal: terminal.db and key files owner-only; the payload key not beside the database
(OS keyring when one is usable, else a 0600 file in a 0700 folder of its own)."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

from infra import paths
from sync import crypto
from sync.store import open_store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_store_and_its_wal_are_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)  # the usual umask would make them 0644
    try:
        store = open_store(tmp_path / "terminal.db")
        with store.write() as s:
            s.execute(__import__("sqlalchemy").text("SELECT 1"))
        store.close()
    finally:
        os.umask(old)
    assert _mode(tmp_path / "terminal.db") == 0o600
    for side in ("terminal.db-wal", "terminal.db-shm"):
        if (tmp_path / side).exists():
            assert _mode(tmp_path / side) == 0o600


def test_a_store_left_readable_by_others_is_taken_back(tmp_path: Path) -> None:
    path = tmp_path / "terminal.db"
    open_store(path).close()
    path.chmod(0o644)
    open_store(path).close()
    assert _mode(path) == 0o600


def test_the_default_key_file_is_in_a_private_folder_not_beside_the_database(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HPF_HOME", str(tmp_path))
    monkeypatch.setenv("HPF_CACHE_KEY_STORE", "file")
    key = crypto.load_or_create_key()
    path = paths.data_dir() / "keys" / crypto.KEY_FILE_NAME
    assert path.read_bytes() == key and _mode(path) == 0o600 and _mode(path.parent) == 0o700
    assert not (paths.data_dir() / crypto.KEY_FILE_NAME).exists()


def test_an_older_key_file_beside_the_database_keeps_being_used(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    monkeypatch.setenv("HPF_HOME", str(tmp_path))
    legacy = paths.data_dir() / crypto.KEY_FILE_NAME
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(b"k" * crypto.KEY_BYTES)
    assert crypto.load_or_create_key() == b"k" * crypto.KEY_BYTES  # queued payloads stay readable


class FakeRing:
    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, account: str) -> str | None:
        return self.store.get((service, account))

    def set_password(self, service: str, account: str, value: str) -> None:
        self.store[(service, account)] = value


def test_with_a_usable_keyring_the_key_lives_there_and_no_file_is_written(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HPF_HOME", str(tmp_path))
    ring = FakeRing()
    monkeypatch.setattr(crypto, "_usable_keyring", lambda: ring)
    first = crypto.load_or_create_key()
    assert crypto.load_or_create_key() == first and len(first) == crypto.KEY_BYTES
    assert list(ring.store) == [(crypto.KEYRING_SERVICE, f"cache-key:{paths.data_dir()}")]
    assert not (paths.data_dir() / "keys").exists()


def test_a_failing_keyring_falls_back_to_the_private_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HPF_HOME", str(tmp_path))

    class Locked(FakeRing):
        def get_password(self, service: str, account: str) -> Any:
            raise RuntimeError("the collection is locked")

    monkeypatch.setattr(crypto, "_usable_keyring", lambda: Locked())
    key = crypto.load_or_create_key()
    assert (paths.data_dir() / "keys" / crypto.KEY_FILE_NAME).read_bytes() == key
