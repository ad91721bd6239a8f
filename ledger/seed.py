"""`hpf-ledger seed-demo`: fictitious members for the demo and the tests, the same every run.

Every person here is invented by a seeded RNG: ID numbers use real Taiyuan GB/T 2260 county
codes and a correct GB 11643 check character (domain.identity), so they pass validation but
name no one. Demo query password of every member: the LAST SIX characters of the ID number,
with a trailing X read as 0 (`140105199003071234` -> `071234`, `...12X` -> `...120`).

Terminal credentials (match infra.config's defaults): DEMO-KIOSK-01 (kiosk) and DEMO-COUNTER-01
(counter), enrolled with the public halves of the demo keys in resources/demo/terminal_keys.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session

from domain.cases import Action as CaseAction
from domain.cases import Case as DomainCase
from domain.cases import Role
from domain.demo_people import DEFAULT_SEED as DEFAULT_SEED  # re-exported for the CLI
from domain.demo_people import DemoPerson, demo_people
from domain.demo_people import luhn_complete as luhn_complete  # re-exported: the tests import it from here
from domain.withdrawals import WithdrawalType
from infra.production import DEMO_TERMINAL_PUBLIC_KEYS
from ledger.db import create_schema, session_factory
from ledger.members import hash_password
from ledger.models import (
    Account,
    CaseEvent,
    Deposit,
    Loan,
    LoanPeriod,
    Member,
    Withdrawal,
)
from ledger.rules import open_case, withdrawal_policy
from ledger.settings import CENTRE_TZ
from ledger.snapshot import add_months
from ledger.staff import seed_demo_staff
from ledger.terminals import register_key

DEMO_TERMINALS = (("DEMO-KIOSK-01", "kiosk", "总部服务大厅"), ("DEMO-COUNTER-01", "counter", "总部服务大厅"))

# Past withdrawals of members without a loan: types that leave the account open.
_PAST_WITHDRAWALS = ("rent", "purchase_certificate_new", "purchase_certificate_second_hand", "property_fee")
# Demo loan rates: the HPF first-home rates from 2025-05-08 (BRIEF §3: 2.10 % up to 5 years, 2.60 % above).
_RATE_SHORT, _RATE_LONG = Decimal("2.10"), Decimal("2.60")
_PENALTY_PER_DAY = Decimal("0.0005")  # demo 罚息: 0.05 % of the overdue amount per day


def demo_password(id_number: str) -> str:
    """The demo query password of a seeded member (see the module docstring)."""
    return id_number[-6:].replace("X", "0")


@dataclass(frozen=True)
class SeedSummary:
    members: int
    deposits: int
    withdrawals: int
    loans: int
    overdue_loans: int
    cases: int


def _fen(value: Decimal) -> int:
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def schedule(principal_fen: int, annual_rate: Decimal, months: int, method: str) -> Iterator[tuple[int, int, int]]:
    """(period, principal_fen, interest_fen) of an EI (10) or EP (20) loan; the last period takes the remainder."""
    r = annual_rate / Decimal(1200)
    remaining = principal_fen
    if method == "10":
        factor = (1 + r) ** months
        payment = Decimal(principal_fen) * r * factor / (factor - 1)
        for n in range(1, months + 1):
            interest = _fen(Decimal(remaining) * r)
            principal = remaining if n == months else _fen(payment) - interest
            remaining -= principal
            yield n, principal, interest
    else:
        base = principal_fen // months
        for n in range(1, months + 1):
            interest = _fen(Decimal(remaining) * r)
            principal = remaining if n == months else base
            remaining -= principal
            yield n, principal, interest


class _Builder:
    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng, self.today = rng, today
        self.rows: dict[str, list[dict[str, Any]]] = {k: [] for k in
                                                      ("members", "accounts", "deposits", "withdrawals", "loans",
                                                       "periods")}
        self.overdue = 0

    def member(self, person: DemoPerson) -> None:
        p = person
        self.rows["members"].append(dict(
            member_id=p.member_id, id_number=p.id_number, name=p.name, sex=p.sex, birth_date=p.birth_date,
            phone=p.phone, region_code=p.region_code, employer=p.employer,
            password_hash=demo_password(p.id_number),  # hashed later, in parallel
            failed_password_attempts=0, cobranded_bank=p.bank, cobranded_card=p.card,
            owns_home_in_city=p.owns_home_in_city, retired=p.retired, created_at=datetime.now(UTC)))
        self.account(p.member_id, p.region_code)

    def account(self, member_id: str, region: str) -> None:
        rng, today = self.rng, self.today
        months = rng.randrange(4, 73)
        opened = add_months(today.replace(day=1), -months)
        base_fen = rng.randrange(2_500, 25_001) * 100
        rate = Decimal(rng.choice((5, 8, 10, 12)))
        side = _fen(Decimal(base_fen) * rate / 100)
        account_no = "A" + member_id
        balance = 0
        sealed = rng.random() < 0.06
        stop_month = months - rng.randrange(6, 12) if sealed and months > 12 else months
        for m in range(stop_month):
            month_start = add_months(opened, m)
            kind = "back_pay" if rng.random() < 0.02 else "regular"
            self.rows["deposits"].append(dict(account_no=account_no, month=f"{month_start:%Y-%m}", kind=kind,
                                              employee_fen=side, employer_fen=side, amount_fen=2 * side,
                                              paid_on=month_start.replace(day=min(28, 10 + m % 15))))
            balance += 2 * side
        last = add_months(opened, max(stop_month - 1, 0))
        frozen = rng.random() < 0.03
        has_loan = rng.random() < 0.3 and months > 12
        balance -= self.withdrawals(member_id, account_no, balance, has_loan)
        self.rows["accounts"].append(dict(
            account_no=account_no, member_id=member_id, status_code="02" if sealed else "01", frozen=frozen,
            frozen_amount_fen=balance // 2 if frozen else 0, employer_account=f"EMP{rng.randrange(10**6):06d}",
            district=region, balance_fen=balance, base_salary_fen=base_fen, employee_rate=rate, employer_rate=rate,
            monthly_deposit_fen=2 * side, opened_on=opened, last_deposit_month=f"{last:%Y-%m}",
            pledged=rng.random() < 0.02, updated_at=datetime.now(UTC)))
        if has_loan:
            self.loan(member_id)

    def withdrawals(self, member_id: str, account_no: str, balance: int, has_loan: bool) -> int:
        rng, taken = self.rng, 0
        if rng.random() >= 0.35 or balance < 100_000:
            return 0
        for n in range(rng.randrange(1, 4)):
            amount = rng.randrange(1_000, max(1_001, (balance - taken) // 3 // 100)) * 100
            if amount > balance - taken:
                break
            kind = "repay_hpf_loan" if has_loan else rng.choice(_PAST_WITHDRAWALS)
            code = withdrawal_policy("taiyuan").types[WithdrawalType(kind)].code
            day = self.today - timedelta(days=rng.randrange(30, 700))
            applied = datetime.combine(day, time(10, 0), CENTRE_TZ).astimezone(UTC)
            self.rows["withdrawals"].append(dict(
                member_id=member_id, account_no=account_no, reason_code=code, subtype=kind,
                property_id="", amount_fen=amount, status="paid", application_no=f"TQ{day:%Y%m%d}{member_id[-4:]}{n}",
                channel=rng.choice(("counter", "kiosk", "mobile")), payout_card="", applied_at=applied,
                decided_at=applied, idempotency_key=None, case_id=None))
            taken += amount
        return taken

    def loan(self, member_id: str) -> None:
        rng, today = self.rng, self.today
        term = rng.choice((60, 120, 180, 240, 300, 360))
        rate = _RATE_SHORT if term <= 60 else _RATE_LONG
        principal = rng.randrange(200, 801) * 100_000
        method = rng.choice(("10", "20"))
        start = add_months(today.replace(day=rng.randrange(1, 29)), -rng.randrange(2, min(term, 96)))
        loan_id = f"DK{member_id[-8:]}{start:%Y%m}"
        overdue_periods = rng.randrange(1, 4) if rng.random() < 0.25 else 0
        past = [n for n in range(1, term + 1) if add_months(start, n) < today]
        overdue_set = set(past[-overdue_periods:]) if overdue_periods and past else set()
        balance, next_marked = principal, False
        for n, p_fen, i_fen in schedule(principal, rate, term, method):
            due = add_months(start, n)
            if n in overdue_set:
                status, paid, paid_on = "overdue", 0, None
                penalty = _fen(Decimal(p_fen + i_fen) * _PENALTY_PER_DAY * (today - due).days)
            elif due < today:
                status, paid, paid_on, penalty = "paid", p_fen + i_fen, due, 0
                balance -= p_fen
            else:
                status, paid, paid_on, penalty = ("future" if next_marked else "due"), 0, None, 0
                next_marked = True
            self.rows["periods"].append(dict(loan_id=loan_id, period=n, due_date=due, principal_fen=p_fen,
                                             interest_fen=i_fen, paid_fen=paid, paid_on=paid_on,
                                             penalty_fen=penalty, status=status))
        self.overdue += bool(overdue_set)
        self.rows["loans"].append(dict(
            loan_id=loan_id, member_id=member_id, principal_fen=principal, balance_fen=balance, annual_rate=rate,
            term_months=term, method_code=method, start_date=start, repayment_day=start.day,
            status="overdue" if overdue_set else "normal", offset_mode="monthly" if rng.random() < 0.3 else ""))

def seed_demo(engine: Engine, members: int = 200, *, seed: int = DEFAULT_SEED, today: date | None = None,
              demo_cases: int = 12) -> SeedSummary:
    """Fill an empty ledger database with demo data; refuses a database that already has members."""
    create_schema(engine)
    sessions = session_factory(engine)
    with sessions() as session:
        if session.scalar(select(Member.member_id).limit(1)) is not None:
            raise ValueError("the ledger database already holds members; seed an empty one")
    # The people come from domain.demo_people (the exchange simulator answers about the same people);
    # their accounts, deposits and loans from a second stream of the same seed.
    builder = _Builder(random.Random(f"accounts:{seed}"), today or datetime.now(CENTRE_TZ).date())
    for person in demo_people(members, seed):
        builder.member(person)
    rows = builder.rows
    with ThreadPoolExecutor(max_workers=4) as pool:  # argon2 releases the GIL
        hashes = list(pool.map(partial(hash_password, demo=True), [m["password_hash"] for m in rows["members"]]))
    for member_row, hashed in zip(rows["members"], hashes, strict=True):
        member_row["password_hash"] = hashed
    with sessions.begin() as session:
        _ensure_terminals(session)
        for model, key in ((Member, "members"), (Account, "accounts"), (Deposit, "deposits"),
                           (Withdrawal, "withdrawals"), (Loan, "loans"), (LoanPeriod, "periods")):
            if rows[key]:
                session.execute(insert(model), rows[key])
        cases = _demo_cases(session, [m["member_id"] for m in rows["members"]], min(demo_cases, members))
        seed_demo_staff(session)
    return SeedSummary(members, len(rows["deposits"]), len(rows["withdrawals"]), len(rows["loans"]),
                       builder.overdue, cases)


# The counter work list of the demo: cases at each stage, every one a valid domain.cases history.
_DEMO_CASE_STEPS: tuple[tuple[str, tuple[tuple[CaseAction, str, Role], ...]], ...] = (
    ("withdraw_purchase_certificate_second_hand", ()),
    ("withdraw_rent", ((CaseAction.ACCEPT, "clerk-01", Role.CLERK),)),
    ("loan_application", ((CaseAction.ACCEPT, "clerk-02", Role.CLERK),
                          (CaseAction.REQUEST_MATERIALS, "clerk-02", Role.CLERK))),
    ("withdraw_illness", ((CaseAction.ACCEPT, "clerk-01", Role.CLERK),)),
)


def _demo_cases(session: Session, member_ids: list[str], count: int) -> int:
    """Demo cases on the counter work list, at each stage; returns how many."""
    now = datetime.now(UTC).replace(microsecond=0)
    for n in range(count):
        item_code, steps = _DEMO_CASE_STEPS[n % len(_DEMO_CASE_STEPS)]
        member_id = member_ids[(n * 7) % len(member_ids)]
        at = now - timedelta(hours=2 * (count - n))
        row = open_case(session, f"DEMO-CASE-{n + 1:04d}", item_code, member_id, "counter", at,
                        summary="演示业务 demo case", submit_as=member_id)
        case = DomainCase.open(row.case_id, item_code, member_id, at).act(CaseAction.SUBMIT, member_id, Role.MEMBER, at)
        for step, (action, actor, role) in enumerate(steps, start=1):
            when = at + timedelta(minutes=10 * step)
            before = case.state
            case = case.act(action, actor, role, when)
            session.add(CaseEvent(case_id=row.case_id, action=action.value, actor=actor, role=role.value, at=when,
                                  from_state=before.value, to_state=case.state.value))
        row.status = case.state.value
        if n % len(_DEMO_CASE_STEPS) == 3:
            row.assignee = "supervisor-01"
    return count


def _ensure_terminals(session: Session) -> None:
    for key_id, role, outlet in DEMO_TERMINALS:
        register_key(session, key_id, role, outlet, key_id, DEMO_TERMINAL_PUBLIC_KEYS[key_id])
