"""The real server process: `python -m ledger.cli serve`, killed and restarted over the same database."""

from __future__ import annotations

from pathlib import Path

import requests

from ledger.testing import LedgerProcess, LedgerThread, SignedClient
from tests.ledger.items import rating


def test_a_killed_ledger_answers_a_retried_batch_from_storage_after_restart(db_url: str, tmp_path: Path) -> None:
    items = [rating(n % 5 + 1) for n in range(10)]
    ledger = LedgerProcess(db_url, log_path=tmp_path / "ledger.log").start()
    try:
        client = SignedClient(ledger.url)
        first = client.send_batch(items)
        client.close()
        assert requests.get(f"{ledger.url}/v1/health", timeout=5).headers["X-HPF-Server-Time"]
        ledger.kill()  # SIGKILL: no shutdown hook runs
        ledger.start()
        client = SignedClient(ledger.url)
        again = client.send_batch(items)
        client.close()
    finally:
        ledger.stop()
    assert again == first
    assert [r["status"] for r in first] == ["accepted"] * 10


def test_in_process_server_serves_signed_requests(db_url: str) -> None:
    with LedgerThread(db_url) as ledger:
        client = SignedClient(ledger.url)
        response = client.get("/v1/reference/outlets")
        unsigned = requests.get(f"{ledger.url}/v1/reference/outlets", timeout=5)
        client.close()
    assert response.status_code == 200 and response.json()["demo"] is True
    assert unsigned.status_code == 401


def test_cli_reports_a_bad_database_url_without_a_traceback(capsys: object) -> None:
    from ledger import cli

    code = cli.main(["init-db", "--db", "postgresql://nobody@127.0.0.1:1/none"])
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert code == 1 and "database error" in err and "Traceback" not in err


def test_two_ledger_processes_over_one_sqlite_file_stay_exactly_once(db_url: str, tmp_path: Path) -> None:
    """The default single-machine mode: WAL, busy timeout and BEGIN IMMEDIATE serialise the two writers."""
    import threading

    items = [rating(n % 5 + 1) for n in range(60)]
    answers: list[dict[str, object]] = []
    errors: list[BaseException] = []
    with LedgerProcess(db_url, log_path=tmp_path / "a.log") as ledger_a, \
            LedgerProcess(db_url, log_path=tmp_path / "b.log") as ledger_b:
        barrier = threading.Barrier(2)

        def deliver(url: str) -> None:
            client = SignedClient(url, timeout_s=60)
            try:
                barrier.wait()
                for start in range(0, len(items), 20):
                    answers.extend(client.send_batch(items[start:start + 20]))
            except BaseException as exc:  # reported below
                errors.append(exc)
            finally:
                client.close()

        threads = [threading.Thread(target=deliver, args=(u,)) for u in (ledger_a.url, ledger_b.url)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    assert not errors, errors
    by_key: dict[str, set[object]] = {}
    for answer in answers:
        by_key.setdefault(str(answer["idempotency_key"]), set()).add(answer["ledger_id"])
    assert len(answers) == 120 and len(by_key) == 60
    assert all(len(ids) == 1 for ids in by_key.values())
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM transactions")).scalar() == 60
    engine.dispose()


def test_clusters_left_by_a_killed_session_are_reaped_and_live_ones_kept() -> None:
    import subprocess
    import sys
    import tempfile

    from tests.ledger.pg import OWNER_FILE, PREFIX, reap_orphans

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    orphan = Path(tempfile.mkdtemp(prefix=PREFIX))
    (orphan / OWNER_FILE).write_text(str(dead.pid))
    live = Path(tempfile.mkdtemp(prefix=PREFIX))
    (live / OWNER_FILE).write_text(str(__import__("os").getpid()))
    try:
        assert reap_orphans(Path("/nonexistent/bin")) >= 1  # no postmaster.pid: nothing to stop, only remove
        assert not orphan.exists() and live.exists()
    finally:
        import shutil

        shutil.rmtree(live, ignore_errors=True)
        shutil.rmtree(orphan, ignore_errors=True)
