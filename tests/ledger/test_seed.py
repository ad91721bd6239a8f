"""seed-demo: 200 valid fictitious members, deterministic, with loans (some overdue) and demo credentials."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from domain.identity import parse_id_number
from infra.production import DEMO_TERMINAL_PUBLIC_KEYS
from ledger import cli
from ledger.db import make_engine, session_factory
from ledger.members import HASHER
from ledger.models import Account, Deposit, Loan, LoanPeriod, Member, Terminal, Withdrawal
from ledger.models_credentials import TerminalKey
from ledger.seed import demo_password, luhn_complete, schedule, seed_demo
from ledger.testing import demo_key


@pytest.fixture(scope="module")
def seeded_200(tmp_path_factory: pytest.TempPathFactory) -> sessionmaker[Session]:
    path = tmp_path_factory.mktemp("seed200") / "ledger.db"
    assert cli.main(["seed-demo", "--db", f"sqlite:///{path}"]) == 0
    return session_factory(make_engine(f"sqlite:///{path}"))


def test_every_seeded_id_number_is_valid_and_from_taiyuan(seeded_200: sessionmaker[Session]) -> None:
    with seeded_200() as session:
        members = session.scalars(select(Member)).all()
    assert len(members) == 200
    assert len({m.id_number for m in members}) == 200
    for member in members:
        parsed = parse_id_number(member.id_number)  # raises on a bad check character or date
        assert member.id_number[:4] == "1401" and parsed.region is not None and parsed.region.city == "太原市"
        assert parsed.birth_date == member.birth_date
        assert parsed.sex.value == member.sex


def test_seeded_accounts_add_up(seeded_200: sessionmaker[Session]) -> None:
    """balance = deposits - paid withdrawals, to the fen, for every account."""
    with seeded_200() as session:
        deposits = dict(session.execute(select(Deposit.account_no, func.sum(Deposit.amount_fen))
                                        .group_by(Deposit.account_no)).all())
        drawn = dict(session.execute(select(Withdrawal.account_no, func.sum(Withdrawal.amount_fen))
                                     .group_by(Withdrawal.account_no)).all())
        for account in session.scalars(select(Account)).all():
            assert account.balance_fen == deposits.get(account.account_no, 0) - drawn.get(account.account_no, 0)
            assert account.balance_fen >= 0


def test_seed_has_loans_some_overdue_with_schedules(seeded_200: sessionmaker[Session]) -> None:
    with seeded_200() as session:
        loans = session.scalars(select(Loan)).all()
        overdue = [loan for loan in loans if loan.status == "overdue"]
        assert len(loans) >= 20 and len(overdue) >= 3
        for loan in loans:
            periods = session.scalars(select(LoanPeriod).where(LoanPeriod.loan_id == loan.loan_id)).all()
            assert len(periods) == loan.term_months
            assert sum(p.principal_fen for p in periods) == loan.principal_fen
            unpaid_principal = sum(p.principal_fen for p in periods if p.status != "paid")
            assert loan.balance_fen == unpaid_principal
        for loan in overdue:
            assert session.scalar(select(func.count()).select_from(LoanPeriod).where(
                LoanPeriod.loan_id == loan.loan_id, LoanPeriod.status == "overdue")) >= 1


def test_demo_terminals_match_the_config_defaults(seeded_200: sessionmaker[Session]) -> None:
    from infra.config import Config

    defaults = Config().ledger
    with seeded_200() as session:
        kiosk = session.get(Terminal, defaults.key_id)
        counter = session.get(Terminal, "DEMO-COUNTER-01")
        kiosk_key = session.get(TerminalKey, defaults.key_id)
    assert kiosk is not None and kiosk.role == "kiosk"
    assert counter is not None and counter.role == "counter"
    # Only the public half is stored, and it is the demo key's (which production mode refuses).
    assert kiosk_key is not None and kiosk_key.status == "active"
    assert kiosk_key.public_key == demo_key(defaults.key_id).public_key == DEMO_TERMINAL_PUBLIC_KEYS["DEMO-KIOSK-01"]


def test_demo_password_rule_matches_the_stored_hashes(seeded_200: sessionmaker[Session]) -> None:
    with seeded_200() as session:
        members = session.scalars(select(Member).limit(5)).all()
    for member in members:
        assert HASHER.verify(member.password_hash, demo_password(member.id_number))
    assert demo_password("11010519491231002X") == "310020"


def test_seeding_is_deterministic(tmp_path: Path) -> None:
    def ids(name: str) -> list[tuple[str, str, int]]:
        engine = make_engine(f"sqlite:///{tmp_path / name}")
        seed_demo(engine, 15, today=__import__("datetime").date(2026, 11, 27))
        with session_factory(engine)() as session:
            rows = session.execute(select(Member.id_number, Member.name, Account.balance_fen)
                                   .join(Account, Account.member_id == Member.member_id)
                                   .order_by(Member.member_id)).all()
        engine.dispose()
        return [tuple(r) for r in rows]  # type: ignore[misc]

    assert ids("a.db") == ids("b.db")


def test_seeding_twice_is_refused_with_a_clear_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    assert cli.main(["seed-demo", "--db", url, "--members", "3"]) == 0
    assert cli.main(["seed-demo", "--db", url, "--members", "3"]) == 2
    assert "already holds members" in capsys.readouterr().err


def test_bank_cards_carry_a_luhn_check_digit() -> None:
    assert luhn_complete("7992739871") == "79927398713"  # the textbook example


@pytest.mark.parametrize("method", ["10", "20"])
def test_loan_schedule_repays_the_principal_exactly(method: str) -> None:
    from decimal import Decimal

    rows = list(schedule(30_000_000, Decimal("2.60"), 240, method))
    assert len(rows) == 240 and sum(p for _, p, _ in rows) == 30_000_000
    assert all(i >= 0 and p > 0 for _, p, i in rows)
    if method == "10":  # equal instalments except the last period's true-up
        payments = {p + i for _, p, i in rows[:-1]}
        assert max(payments) - min(payments) <= 1
