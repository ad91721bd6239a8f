"""Builders for withdrawal tests: a Taiyuan member with clean shared data, changed one fact at a time."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from domain.account import (
    Account,
    AccountSnapshot,
    DepositKind,
    DepositRecord,
    Loan,
    LoanStatus,
    Member,
    Sex,
    WithdrawalRecord,
    WithdrawalStatus,
)
from domain.decision import Decision
from domain.evidence import Department, HomeOwnershipFact, MarriageFact, SharedData
from domain.withdrawals import WithdrawalApplication, WithdrawalType, decide, load_withdrawal_policy

POLICY = load_withdrawal_policy("taiyuan")
TODAY = date(2026, 11, 20)
MEMBER_ID = "140105199003071234"
SPOUSE_ID = "11010519491231002X"
D = Decimal


def deposits(count: int = 24, upto: str = "2026-10") -> tuple[DepositRecord, ...]:
    year, month = (int(x) for x in upto.split("-"))
    index = year * 12 + month - 1
    records = []
    for k in range(count):
        y, m = divmod(index - k, 12)
        records.append(DepositRecord(date(y, m + 1, 15), DepositKind.MONTHLY, D("1920.00"), "汇缴", f"{y}-{m + 1:02d}"))
    return tuple(records)


def account(**changes: Any) -> Account:
    base = Account(
        status_code="01",
        balance=D("80000.00"),
        deposit_base=D("8000.00"),
        unit_ratio=D("12"),
        personal_ratio=D("12"),
        monthly_deposit=D("1920.00"),
        paid_up_to="2026-10",
        opened_on=date(2015, 7, 1),
        employer_name="太原某公司",
        employer_account="0100001",
        bank_name="华夏银行",
        bank_account="6230123412341234",
        deposits_this_year=D("19200.00"),
        carried_over=D("60800.00"),
        district="140105",
    )
    return replace(base, **changes)


def loan(**changes: Any) -> Loan:
    base = Loan(
        "JK2020001",
        D("500000.00"),
        D("400000.00"),
        360,
        D("2.85"),
        "10",
        date(2020, 1, 10),
        date(2050, 1, 10),
        10,
        LoanStatus.NORMAL,
        due_principal=D("880.29"),
        due_interest=D("1187.50"),
    )
    return replace(base, **changes)


def snapshot(
    acc: Account | None = None,
    deps: tuple[DepositRecord, ...] | None = None,
    withdrawals: tuple[WithdrawalRecord, ...] = (),
    the_loan: Loan | None = None,
    source: str = "ledger",
) -> AccountSnapshot:
    member = Member("100200300", "张三", MEMBER_ID, "13812341234", Sex.MALE, date(1990, 3, 7))
    return AccountSnapshot(
        member,
        acc or account(),
        deposits() if deps is None else deps,
        withdrawals,
        the_loan,
        datetime(2026, 11, 20, 1, 0, tzinfo=UTC),
        source,
    )  # type: ignore[arg-type]


def record(
    subtype: str,
    amount: str,
    on: date,
    code: str = "07",
    status: WithdrawalStatus = WithdrawalStatus.PAID,
    property_id: str = "",
    no: str = "TQ0001",
) -> WithdrawalRecord:
    return WithdrawalRecord(on, code, D(amount), status, "6230********1234", no, subtype, property_id)


SINGLE = MarriageFact(False, "", "", Department.CIVIL_AFFAIRS)
MARRIED = MarriageFact(True, SPOUSE_ID, "100200301", Department.CIVIL_AFFAIRS)
NO_HOME = HomeOwnershipFact((), Department.PROPERTY_REGISTRY)
ONE_HOME = HomeOwnershipFact(("140105-001-0001",), Department.PROPERTY_REGISTRY)


def shared(**facts: Any) -> SharedData:
    return SharedData(**{"marriage": SINGLE, **facts})


def decide_for(
    kind: WithdrawalType, facts: SharedData | None = None, snap: AccountSnapshot | None = None, **kw: Any
) -> Decision:
    app = WithdrawalApplication(kind, snap or snapshot(), facts or shared(), kw.pop("on", TODAY), **kw)
    return decide(app, POLICY)


def rules(decision: Decision) -> set[str]:
    """The ids of the rules that did not pass."""
    return {r.rule for r in decision.reasons if r.verdict}
