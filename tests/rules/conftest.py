"""The ledger re-check tests: one member with a 1,000-yuan account in a fresh SQLite file per test.

Staff case actions are checked against central staff accounts (ledger.staff_rules): the template
holds clerks `clerk-01`, `c1`, `clerk-02` and supervisor `sup-01`, each signed in online at terminal
T1 an hour before NOW. Department facts come from the exchange (`ItemContext.evidence`), never from
the payload: `ctx(evidence=Evidence(...))` stands for what the ledger fetched.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from ledger import rules, staff
from ledger.db import make_engine, session_factory
from ledger.exchange.source import Evidence
from ledger.models import Account, Base, Member

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 in Beijing
MEMBER = "100200300"
CLERKS = ("clerk-01", "c1", "clerk-02")
SUPERVISOR = "sup-01"
SIGNED_IN_AT = NOW - timedelta(hours=1)


@pytest.fixture(scope="session")
def empty_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The schema once per run; each test works on a copy (create_all per test would dominate the run)."""
    path = tmp_path_factory.mktemp("rules-template") / "empty.db"
    engine = make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    with session_factory(engine)() as s:  # argon2 once per run, not per test
        for username, role in [*((c, "clerk") for c in CLERKS), (SUPERVISOR, "supervisor")]:
            account = staff.add_account(s, username, username, "Rules-2026", (role,), demo=True,
                                        at=staff.DEMO_GRANTS_FROM)
            staff.open_session(s, account, "T1", now=SIGNED_IN_AT)
        s.commit()
    engine.dispose()
    return path


@pytest.fixture
def session(empty_ledger: Path, tmp_path: Path) -> Iterator[Session]:
    target = tmp_path / "rules.db"
    shutil.copyfile(empty_ledger, target)
    engine = make_engine(f"sqlite:///{target}")
    with session_factory(engine)() as s:
        s.add(Member(member_id=MEMBER, id_number="140105199003071234", name="张三", sex="1",
                     birth_date=date(1990, 3, 7), phone="13812341234", region_code="140105", employer="某公司",
                     password_hash="-", cobranded_bank="华夏银行", cobranded_card="6230123412341234"))
        s.add(Account(account_no="A1", member_id=MEMBER, status_code="01", balance_fen=100_000, base_salary_fen=800_000,
                      employee_rate=Decimal("0.12"), employer_rate=Decimal("0.12"), monthly_deposit_fen=192_000,
                      opened_on=date(2015, 7, 1), last_deposit_month="2026-10", district="140105"))
        s.flush()
        yield s
    engine.dispose()


def ctx(role: str = "counter", member: str | None = MEMBER, created: datetime = NOW,
        key: str = "k1", evidence: Evidence | None = None) -> rules.ItemContext:
    return rules.ItemContext(idempotency_key=key, terminal_id="T1", role=role, member_id=member, created_at=created,
                             now=NOW, ledger_id=f"L-{key}", evidence=evidence)

