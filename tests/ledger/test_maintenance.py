"""`hpf-ledger migrate`, `backup` and `restore` on SQLite and PostgreSQL; a restore verifies the balances."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session, sessionmaker

from ledger import maintenance
from ledger.cli import main
from ledger.db import current_revision, head_revision, make_engine, session_factory
from ledger.models import Account, Transaction
from ledger.seed import seed_demo
from tests.ledger.conftest import SignedTestClient
from tests.ledger.items import clean_members, rating, rent
from tests.ledger.pg import PostgresCluster


def _balances(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with session_factory(engine)() as session:
            return {a.account_no: a.balance_fen for a in session.scalars(select(Account))}
    finally:
        engine.dispose()


def _ledger_activity(kiosk: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    member = clean_members(sessions, limit=1)[0]
    results = kiosk.batch([rent(member.member_id, 1_000_00), rating(5)])
    assert [r["status"] for r in results] == ["accepted", "accepted"]


def test_migrate_creates_and_then_keeps_the_newest_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    assert main(["migrate", "--db", url]) == 0
    assert capsys.readouterr().out.strip() == f"schema at {head_revision()} (was empty)"
    assert main(["migrate", "--db", url]) == 0
    assert capsys.readouterr().out.strip() == f"schema at {head_revision()}"


def test_migrate_reads_the_database_url_from_the_ledger_config(tmp_path: Path) -> None:
    config = tmp_path / "ledger.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{(tmp_path / "conf.db").as_posix()}"\n', encoding="utf-8")
    assert main(["migrate", "--config", str(config)]) == 0
    engine = make_engine(f"sqlite:///{tmp_path / 'conf.db'}")
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_sqlite_backup_and_restore_give_back_every_balance(db_url: str, kiosk: SignedTestClient,
                                                          sessions: sessionmaker[Session], engine: Engine,
                                                          tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _ledger_activity(kiosk, sessions)
    at_backup = _balances(db_url)
    out = tmp_path / "backups" / "ledger.sqlite"
    assert main(["backup", "--db", db_url, "--out", str(out)]) == 0
    manifest = json.loads(maintenance.manifest_path(out).read_text(encoding="utf-8"))
    assert manifest["tables"]["transactions"] == 2
    assert manifest["balances"]["accounts"]["total_fen"] == sum(at_backup.values())
    # the ledger goes on after the backup; the restore must bring back the state of the backup, not this
    with sessions.begin() as session:
        session.execute(update(Account).values(balance_fen=Account.balance_fen + 1))
    target = f"sqlite:///{tmp_path / 'restored.db'}"
    capsys.readouterr()
    assert main(["restore", "--db", target, str(out)]) == 0
    said = capsys.readouterr().out
    assert "ok balances:" in said and "ok row counts:" in said
    assert _balances(target) == at_backup != _balances(db_url)


def test_restore_refuses_to_overwrite_a_ledger_with_transactions_unless_forced(
        db_url: str, kiosk: SignedTestClient, sessions: sessionmaker[Session], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "b.sqlite"
    maintenance.backup(db_url, out)  # the seeded ledger, before any terminal sent anything
    _ledger_activity(kiosk, sessions)
    assert main(["restore", "--db", db_url, str(out)]) == 1
    err = capsys.readouterr().err
    assert "目标数据库已有交易" in err and "--force" in err and "Traceback" not in err
    with sessions() as session:
        assert session.scalar(select(Transaction.id).limit(1)) is not None  # untouched
    assert main(["restore", "--db", db_url, str(out), "--force"]) == 0
    with sessions() as session:
        assert session.scalar(select(Transaction.id).limit(1)) is None


def test_a_tampered_backup_fails_the_balance_check(db_url: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "b.sqlite"
    maintenance.backup(db_url, out)
    with sqlite3.connect(out) as conn:  # one fen moved inside the backup file
        conn.execute("UPDATE accounts SET balance_fen = balance_fen + 1 WHERE rowid = 1")
    conn.close()
    assert main(["restore", "--db", f"sqlite:///{tmp_path / 'r.db'}", str(out)]) == 1
    assert "余额与备份清单不符 / balances differ" in capsys.readouterr().err


def test_a_backup_without_manifest_or_not_a_database_is_refused(db_url: str, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "b.sqlite"
    maintenance.backup(db_url, out)
    maintenance.manifest_path(out).unlink()
    assert main(["restore", "--db", f"sqlite:///{tmp_path / 'r.db'}", str(out)]) == 1
    assert "manifest" in capsys.readouterr().err
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    maintenance.manifest_path(junk).write_text(
        json.dumps({"format": 1, "dialect": "sqlite", "tables": {}, "balances": {}}), encoding="utf-8")
    assert main(["restore", "--db", f"sqlite:///{tmp_path / 'r2.db'}", str(junk)]) == 1
    assert "not a usable SQLite database" in capsys.readouterr().err
    assert main(["backup", "--db", f"sqlite:///{tmp_path / 'empty.db'}", "--out", str(tmp_path / "e")]) == 1
    assert "no ledger" in capsys.readouterr().err


def test_a_restore_verifies_the_audit_chain_and_refuses_an_edited_row(db_url: str, tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    from sqlalchemy.orm import Session

    from ledger import audit
    from ledger.db import make_engine

    engine = make_engine(db_url)
    with Session(engine) as session, session.begin():
        for n in range(3):
            audit.append(session, audit.current_key(), action="case.approve", staff_id="supervisor-01",
                         role="supervisor", terminal_id="DEMO-COUNTER-01", obj=f"WD-{n}")
    engine.dispose()
    out = tmp_path / "b.sqlite"
    maintenance.backup(db_url, out)
    report = maintenance.restore(f"sqlite:///{tmp_path / 'r.db'}", out)
    assert [name for name, _ in report.checks] == ["balances", "row counts", "audit chain"]
    assert "audit rows chained and signed" in report.checks[-1][1]
    with sqlite3.connect(out) as conn:  # someone edits who approved, inside the backup file
        conn.execute("UPDATE audit_log SET staff_id = 'clerk-01' WHERE object = 'WD-1'")
    conn.close()
    assert main(["restore", "--db", f"sqlite:///{tmp_path / 'r2.db'}", str(out)]) == 1
    assert "the audit chain does not verify" in capsys.readouterr().err


def test_postgres_backup_and_restore_give_back_every_balance(pg_cluster: PostgresCluster, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HPF_PG_BINDIR", str(pg_cluster.bindir))
    source = pg_cluster.database("backup_source")
    engine = make_engine(source)
    seed_demo(engine, 12)
    engine.dispose()
    at_backup = _balances(source)
    out = tmp_path / "ledger.pgdump"
    assert main(["backup", "--db", source, "--out", str(out)]) == 0
    assert out.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    target = pg_cluster.database("backup_target")
    assert main(["migrate", "--db", target]) == 0  # an installed, empty centre
    capsys.readouterr()
    assert main(["restore", "--db", target, str(out)]) == 0
    assert "ok balances:" in capsys.readouterr().out
    assert _balances(target) == at_backup
    # a second restore over the now-populated ledger: no transactions yet, so allowed; a dialect mix is not
    assert main(["restore", "--db", f"sqlite:///{tmp_path / 'x.db'}", str(out)]) == 1
    assert "the backup is of postgresql" in capsys.readouterr().err


def test_a_backup_into_a_folder_is_named_by_its_utc_time(db_url: str, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    when = datetime(2026, 3, 1, 2, 30, 5, tzinfo=UTC)
    assert maintenance.backup_file(f"{tmp_path}/nightly/", when) == tmp_path / "nightly" / "ledger-20260301-023005.bak"
    assert maintenance.backup_file(str(tmp_path), when) == tmp_path / "ledger-20260301-023005.bak"
    assert maintenance.backup_file(str(tmp_path / "x.bak"), when) == tmp_path / "x.bak"
    assert main(["backup", "--db", db_url, "--out", f"{tmp_path}/nightly/"]) == 0
    (written,) = (tmp_path / "nightly").glob("ledger-*.bak")
    assert maintenance.manifest_path(written).is_file()
