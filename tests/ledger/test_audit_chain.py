"""`hpf-ledger audit verify`: passes on a clean chain and names the row after an edit, a deleted tail,
a deleted middle row and a chain recomputed without the signing key — on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from ledger import audit
from ledger.cli import main as ledger_main
from ledger.db import create_schema, make_engine, session_factory
from ledger.models_staff import AuditEntryRow
from tests.ledger.pg import PostgresCluster

ROWS = 10


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def chain_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'audit.db'}"
    cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
    return cluster.database(f"audit_{uuid.uuid4().hex[:10]}")


@pytest.fixture
def chain_engine(chain_url: str) -> Iterator[Engine]:
    engine = make_engine(chain_url)
    create_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "audit-key.pem"
    audit.generate_key_file(path)
    return path


@pytest.fixture
def chain(chain_engine: Engine, key_file: Path, tmp_path: Path) -> tuple[sessionmaker[Session], audit.AuditKey, Path]:
    """Ten entries, the head exported after them."""
    sessions = session_factory(chain_engine)
    key = audit.load_key(key_file)
    heads = tmp_path / "heads"
    for i in range(ROWS):
        with sessions.begin() as session:
            audit.append(session, key, action="case.approve" if i % 2 else "staff.sign_in", staff_id=f"clerk-{i:02d}",
                         role="clerk", terminal_id="DEMO-COUNTER-01", obj=f"CT-{i}", details={"n": i, "备注": "审批"})
    with sessions() as session:
        assert audit.export_head(session, key, heads) is not None
    return sessions, key, heads


def _verify(chain: tuple[sessionmaker[Session], audit.AuditKey, Path]) -> audit.VerifyReport:
    sessions, key, heads = chain
    with sessions() as session:
        return audit.verify(session, key, heads)


def test_a_clean_chain_verifies_and_the_cli_says_ok(chain: tuple[sessionmaker[Session], audit.AuditKey, Path],
                                                    chain_url: str, key_file: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    report = _verify(chain)
    assert report.ok, report.problems
    assert (report.rows, report.last_seq, report.heads_checked) == (ROWS, ROWS, 1)
    assert ledger_main(["audit", "verify", "--db", chain_url, "--heads", str(chain[2]), "--key", str(key_file)]) == 0
    assert f"{ROWS} rows" in capsys.readouterr().out


def test_an_edited_row_is_named(chain: tuple[sessionmaker[Session], audit.AuditKey, Path], chain_url: str,
                                key_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sessions, _key, heads = chain
    with sessions.begin() as session:
        session.execute(update(AuditEntryRow).where(AuditEntryRow.seq == 4).values(outcome="denied"))
    report = _verify(chain)
    assert not report.ok and report.first_bad_seq == 4
    assert any(p.startswith("row 4:") and "edited" in p for p in report.problems)
    assert ledger_main(["audit", "verify", "--db", chain_url, "--heads", str(heads), "--key", str(key_file)]) == 1
    out = capsys.readouterr().out
    assert "FAIL row 4:" in out and "first bad row 4" in out


def test_deleting_the_last_rows_is_caught_by_the_exported_head(
        chain: tuple[sessionmaker[Session], audit.AuditKey, Path], chain_url: str, key_file: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    sessions, _key, heads = chain
    with sessions.begin() as session:
        session.execute(delete(AuditEntryRow).where(AuditEntryRow.seq > 7))
    report = _verify(chain)
    assert not report.ok and report.first_bad_seq == 8
    assert any(p.startswith("row 8:") and "8..10 were deleted" in p for p in report.problems)
    assert ledger_main(["audit", "verify", "--db", chain_url, "--heads", str(heads), "--key", str(key_file)]) == 1
    assert "first bad row 8" in capsys.readouterr().out


def test_a_deleted_middle_row_is_named(chain: tuple[sessionmaker[Session], audit.AuditKey, Path]) -> None:
    sessions, _key, _heads = chain
    with sessions.begin() as session:
        session.execute(delete(AuditEntryRow).where(AuditEntryRow.seq == 5))
    report = _verify(chain)
    assert report.first_bad_seq == 5
    assert any(p.startswith("row 6:") and "5..5" in p for p in report.problems)


def test_a_chain_recomputed_without_the_key_is_named(chain: tuple[sessionmaker[Session], audit.AuditKey, Path],
                                                     chain_url: str, key_file: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """Someone with the database but not the key edits row 3 and rebuilds every hash after it, signing
    with a key of their own: every hash links, and still row 3 is named."""
    sessions, key, heads = chain
    own = Ed25519PrivateKey.generate()
    forger = audit.AuditKey(own, own.public_key(), key_id=key.key_id)
    with sessions.begin() as session:
        rows = session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.seq)).all()
        prev = rows[1].entry_hash
        for row in rows[2:]:
            if row.seq == 3:
                row.staff_id = "nobody"
            row.prev_hash = prev
            row.entry_hash = audit.entry_hash(row.seq, row.at, row.staff_id, row.role, row.terminal_id, row.action,
                                              row.object, row.outcome, row.details, prev)
            row.signature = forger.sign(bytes.fromhex(row.entry_hash))
            prev = row.entry_hash
    report = _verify(chain)
    assert not report.ok and report.first_bad_seq == 3
    assert any(p.startswith("row 3:") and "recomputed without the key" in p for p in report.problems)
    assert not any("edited" in p or "link" in p for p in report.problems), "the forged chain links up"
    assert any(p.startswith(f"row {ROWS}:") and "signed head" in p for p in report.problems)
    assert ledger_main(["audit", "verify", "--db", chain_url, "--heads", str(heads), "--key", str(key_file)]) == 1
    assert "first bad row 3" in capsys.readouterr().out


def test_a_forged_head_file_is_refused(chain: tuple[sessionmaker[Session], audit.AuditKey, Path]) -> None:
    _sessions, _key, heads = chain
    head = next(heads.glob("audit-head-*.json"))
    head.write_text(head.read_text(encoding="utf-8").replace('"seq": 10', '"seq": 9'), encoding="utf-8")
    report = _verify(chain)
    assert any("signature does not verify" in p for p in report.problems)


@pytest.mark.postgres
def test_two_ledger_processes_append_one_unbroken_chain(pg_cluster: PostgresCluster, tmp_path: Path) -> None:
    """Sign-ins racing through two ledger processes over one PostgreSQL: one chain, no gap, no fork."""
    import threading

    from ledger.seed import seed_demo
    from ledger.testing import LedgerProcess, SignedClient

    url = pg_cluster.database(f"audit_race_{uuid.uuid4().hex[:8]}")
    engine = make_engine(url)
    seed_demo(engine, 3)
    engine.dispose()
    failures: list[str] = []
    with LedgerProcess(url, log_path=tmp_path / "a.log") as a, LedgerProcess(url, log_path=tmp_path / "b.log") as b:
        barrier = threading.Barrier(2)

        def sign_ins(server_url: str, who: str, password: str) -> None:
            client = SignedClient(server_url, "DEMO-COUNTER-01")
            try:
                barrier.wait()
                for _ in range(15):
                    response = client.post("/v1/staff/sign-in", {"username": who, "password": password})
                    if response.status_code != 200:
                        failures.append(response.text)
            finally:
                client.close()

        threads = [threading.Thread(target=sign_ins, args=(a.url, "clerk-01", "Clerk-2026")),
                   threading.Thread(target=sign_ins, args=(b.url, "supervisor-01", "Super-2026"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert failures == []
    engine = make_engine(url)
    try:
        with session_factory(engine)() as session:
            report = audit.verify(session, audit.demo_key(), tmp_path / "no-heads")
    finally:
        engine.dispose()
    assert report.ok, report.problems
    assert report.rows == report.last_seq == 30


def test_the_ledger_exports_signed_heads_at_its_interval(engine: Engine, tmp_path: Path) -> None:
    import time

    from ledger.app import create_app
    from ledger.settings import LedgerSettings

    heads = tmp_path / "exported"
    app = create_app(engine=engine, settings=LedgerSettings(audit_head_every_s=0.05, audit_heads_dir=str(heads)))
    try:
        with app.state.sessions.begin() as session:
            audit.append(session, audit.current_key(), action="staff.sign_in", staff_id="clerk-01")
        deadline = time.monotonic() + 20
        while not list(heads.glob("audit-head-*.json")) and time.monotonic() < deadline:
            time.sleep(0.05)
        written = list(heads.glob("audit-head-*.json"))
        assert written and oct(written[0].stat().st_mode & 0o777) == "0o600"
        with app.state.sessions() as session:
            assert audit.verify(session, audit.current_key(), heads).ok
    finally:
        app.state.audit_export_stop.set()


def test_many_bad_rows_are_counted_not_mistaken_for_deletions(engine: Engine, tmp_path: Path) -> None:
    sessions = session_factory(engine)
    key = audit.demo_key()
    with sessions.begin() as session:
        for i in range(40):
            audit.append(session, key, action="staff.sign_in", staff_id=f"clerk-{i:02d}")
    with sessions() as session:
        audit.export_head(session, key, tmp_path / "heads")
    with sessions.begin() as session:
        session.execute(update(AuditEntryRow).where(AuditEntryRow.seq >= 2).values(outcome="denied"))
    with sessions() as session:
        report = audit.verify(session, key, tmp_path / "heads")
    assert report.first_bad_seq == 2 and report.bad_rows == 39
    assert len(report.problems) == 20 and any("39 problems in all" in n for n in report.notes)
    assert not any("deleted" in p for p in report.problems)
