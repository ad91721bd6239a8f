"""Upgrades that lose nothing: a terminal store written by release 0.1 (tag release-0.1, fixture in
tests/fixtures/release_0_1, made by its make_fixture.py from that release's code) is upgraded by
the current code and drained to a current ledger exactly once. Whatever the ledger no longer
accepts as it is ends with a clerk, never nowhere."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from ledger.db import create_schema, current_revision, head_revision, make_engine
from sync import store as store_module
from sync.client import LedgerClient
from sync.crypto import Cipher, load_or_create_key
from sync.engine import SyncEngine
from sync.outbox import ACKNOWLEDGED, FOR_CLERK, Outbox
from sync.store import open_store
from tests.sync.crashkit import SECRET
from tests.sync.ledgerdb import facts

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "release_0_1"
QUEUED: dict[str, Any] = json.loads((FIXTURE / "items.json").read_text(encoding="utf-8"))
TERMINAL = QUEUED["terminal_id"]


def _release_store(tmp_path: Path) -> tuple[Path, Path]:
    shutil.copyfile(FIXTURE / "terminal.db", tmp_path / "terminal.db")
    shutil.copyfile(FIXTURE / "terminal.key", tmp_path / "terminal.key")
    (tmp_path / "terminal.key").chmod(0o600)
    return tmp_path / "terminal.db", tmp_path / "terminal.key"


def drain_and_account(ledger_url: str, ledger_db_url: str, tmp_path: Path) -> None:
    path, key = _release_store(tmp_path)
    with sqlite3.connect(path) as raw:  # the fixture really is the old schema, not the current one
        old_revision = raw.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    raw.close()
    assert old_revision == "0002"
    store = open_store(path)  # the current code migrates it on open
    try:
        assert store_module.current_revision(store) == store_module.head_revision()
        outbox = Outbox(store, TERMINAL, Cipher(load_or_create_key(key)))
        already = {i["key"] for i in QUEUED["items"] if i.get("state") == "acknowledged"}
        to_send = [i["key"] for i in QUEUED["items"] if i["key"] not in already]
        assert outbox.counts().unsent == len(to_send) == 11
        assert all(outbox.get(k) is not None and outbox.get(k).payload != "null" for k in to_send)  # type: ignore[union-attr]
        client = LedgerClient(ledger_url, TERMINAL, SECRET)
        engine = SyncEngine(outbox, client, lock_path=tmp_path / "sender.lock")
        try:
            assert engine.drain_until_empty(90)
            engine.run_once()  # a second round after the queue is empty sends nothing again
        finally:
            engine.stop()
            client.close()
        db = create_engine(ledger_db_url.replace("postgresql://", "postgresql+psycopg://"))
        try:
            seen = facts(db, TERMINAL)
        finally:
            db.dispose()
        assert all(count == 1 for count in seen.per_key.values()) and set(seen.per_key) <= set(to_send)
        assert not already & set(seen.per_key)  # acknowledged before the upgrade: never sent again
        for key_ in to_send:
            item = outbox.get(key_)
            assert item is not None
            if item.state == ACKNOWLEDGED:
                assert seen.status.get(key_) == "accepted" and item.ledger_id == seen.ledger_id[key_]
            else:  # refused by the ledger as it is now: a case for a clerk on the terminal
                assert item.state in FOR_CLERK and item.reason is not None, (key_, item.state)
        clerk = {i.idempotency_key for i in outbox.for_clerk()}
        accepted = {k for k, s in seen.status.items() if s == "accepted"}
        assert set(to_send) <= accepted | clerk  # nothing lost
        assert {"queue.ticket", "rating"} <= {i["kind"] for i in QUEUED["items"] if i["key"] in accepted}
    finally:
        store.close()


def test_a_release_0_1_store_upgrades_and_drains_exactly_once(ledger: Any, ledger_url: str, tmp_path: Path) -> None:
    drain_and_account(ledger.url, ledger_url, tmp_path)


def test_a_release_0_1_ledger_schema_upgrades_to_the_current_head(tmp_path: Path) -> None:
    schema = (FIXTURE / "ledger_schema.sql").read_text(encoding="utf-8")
    revision = schema.splitlines()[0].removeprefix("-- alembic revision ").strip()
    with sqlite3.connect(tmp_path / "ledger.db") as raw:
        raw.executescript(schema)
        raw.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
        old_tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    raw.close()
    engine = make_engine(f"sqlite:///{tmp_path / 'ledger.db'}")
    try:
        assert current_revision(engine) == revision == "0001"
        create_schema(engine)
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))}
        assert old_tables <= tables
    finally:
        engine.dispose()
