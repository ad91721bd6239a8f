"""The ledger's signed audit chain (ledger.audit) on SQLite (WAL, synchronous=FULL).

Subject 1: append N entries, each in its own transaction (lock the chain row, hash, Ed25519-sign,
insert) — how an audited staff action pays. Baseline, same run, same database settings: insert
the same rows with a constant hash and signature (no lock, no hashing, no signing).
Subject 2: `audit.verify` over the whole chain (recompute every hash, check every signature,
compare with the exported head). Baseline: read the same rows.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from bench.harness import Result, best_of
from ledger import audit
from ledger.db import create_schema, make_engine, session_factory
from ledger.models_staff import AuditEntryRow


def _fresh(folder: Path, name: str) -> tuple[Engine, sessionmaker[Session]]:
    engine = make_engine(f"sqlite:///{folder / name}")
    create_schema(engine)
    return engine, session_factory(engine)


def run(quick: bool) -> list[Result]:
    appends = 300 if quick else 2_000
    key = audit.demo_key()
    details = {"kind": "case.action", "note": "退休证原件核验无误", "status": "approved"}
    with tempfile.TemporaryDirectory(prefix="hpf-bench-audit-") as tmp:
        folder = Path(tmp)
        counter = iter(range(10**9))

        def chain_append() -> None:
            engine, sessions = _fresh(folder, f"chain-{next(counter)}.db")
            for i in range(appends):
                with sessions.begin() as session:
                    audit.append(session, key, action="case.approve", staff_id="supervisor-01", role="supervisor",
                                 terminal_id="DEMO-COUNTER-01", obj=f"CT-{i}", details=details)
            engine.dispose()

        def plain_insert() -> None:
            engine, sessions = _fresh(folder, f"plain-{next(counter)}.db")
            now = datetime.now(UTC)
            for i in range(appends):
                with sessions.begin() as session:
                    session.add(AuditEntryRow(seq=i + 1, at=now, staff_id="supervisor-01", role="supervisor",
                                              terminal_id="DEMO-COUNTER-01", action="case.approve", object=f"CT-{i}",
                                              outcome="ok", details=details, prev_hash="0" * 64,
                                              entry_hash="0" * 64, key_id=key.key_id, signature="0" * 128))
            engine.dispose()

        subject_append = best_of(chain_append, repeat=2)
        baseline_append = best_of(plain_insert, repeat=2)

        rows = 2_000 if quick else 10_000
        engine, sessions = _fresh(folder, "verify.db")
        with sessions.begin() as session:
            for i in range(rows):
                audit.append(session, key, action="staff.sign_in", staff_id=f"clerk-{i % 50:02d}", role="clerk",
                             terminal_id="DEMO-COUNTER-01", details={"n": i})
        with sessions() as session:
            audit.export_head(session, key, folder / "heads")

        def verify() -> None:
            with sessions() as session:
                report = audit.verify(session, key, folder / "heads")
            if not report.ok or report.rows != rows:
                raise AssertionError(report.problems)

        def read() -> None:
            with sessions() as session:
                found = session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.seq)).yield_per(2000)
                if len(list(found)) != rows:
                    raise AssertionError("rows missing")

        subject_verify = best_of(verify, repeat=2)
        baseline_verify = best_of(read, repeat=2)
        engine.dispose()
    return [
        Result("audit", f"append {appends} chained, signed entries (one transaction each)",
               subject_append / appends * 1000, "plain INSERT of the same rows, one transaction each",
               baseline_append / appends * 1000, "ms",
               notes="mean per entry; SQLite WAL, synchronous=FULL; Ed25519 signature per entry"),
        Result("audit", f"audit verify over {rows} rows (hashes, signatures, exported head)", subject_verify,
               f"reading the same {rows} rows", baseline_verify, "s", notes="best of 2"),
    ]
