"""Account snapshot: JSON round trip, derived figures, bad input."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

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


def make_snapshot(loan: bool = True) -> AccountSnapshot:
    member = Member("100200300", "张三", "140105199003071234", "13812341234", Sex.MALE, date(1990, 3, 7))
    account = Account(
        status_code="01", balance=Decimal("52345.67"), deposit_base=Decimal("8000.00"),
        unit_ratio=Decimal("12"), personal_ratio=Decimal("12"), monthly_deposit=Decimal("1920.00"),
        paid_up_to="2026-10", opened_on=date(2015, 7, 1), employer_name="太原某公司", employer_account="0100001",
        bank_name="华夏银行", bank_account="6230123412341234", deposits_this_year=Decimal("19200.00"),
        carried_over=Decimal("33145.67"), frozen=True, frozen_amount=Decimal("2345.67"), frozen_on=date(2026, 1, 5),
    )
    deposits = (DepositRecord(date(2026, 10, 15), DepositKind.MONTHLY, Decimal("1920.00"), "汇缴", "2026-10"),)
    withdrawals = (WithdrawalRecord(date(2026, 6, 1), "07", Decimal("2000.00"), WithdrawalStatus.PAID,
                                    "6230********1234", "TQ20260601001", "rent"),)
    the_loan = Loan("JK2020001", Decimal("500000.00"), Decimal("400000.00"), 360, Decimal("2.85"), "10",
                    date(2020, 1, 10), date(2050, 1, 10), 10, LoanStatus.OVERDUE,
                    due_principal=Decimal("880.29"), due_interest=Decimal("1187.50"),
                    overdue_principal=Decimal("880.29"), overdue_interest=Decimal("1187.50"),
                    overdue_penalty=Decimal("3.10"))
    return AccountSnapshot(member, account, deposits, withdrawals, the_loan if loan else None,
                           datetime(2026, 11, 27, 4, 0, tzinfo=UTC), "cache")


def test_round_trip_through_json_text_is_exact() -> None:
    snap = make_snapshot()
    text = json.dumps(snap.to_json(), ensure_ascii=False)
    back = AccountSnapshot.from_json(json.loads(text))
    assert back == snap
    assert isinstance(back.account.balance, Decimal)
    assert back.loan is not None and back.loan.status is LoanStatus.OVERDUE


def test_json_carries_decimals_as_strings_and_dates_iso() -> None:
    data = make_snapshot().to_json()
    assert data["account"]["balance"] == "52345.67"
    assert data["account"]["opened_on"] == "2015-07-01"
    assert data["as_of"] == "2026-11-27T04:00:00+00:00"
    assert data["loan"]["status"] == "逾期"


def test_snapshot_without_loan_round_trips() -> None:
    snap = make_snapshot(loan=False)
    assert AccountSnapshot.from_json(snap.to_json()).loan is None


def test_derived_figures() -> None:
    snap = make_snapshot()
    assert snap.account.status_label == "正常"
    assert snap.account.available == Decimal("50000.00")
    assert snap.loan is not None
    assert snap.loan.overdue_total == Decimal("2070.89")
    assert snap.loan.due_total == Decimal("2067.79")
    assert snap.loan.method_label == "等额本息"
    assert snap.is_stale


def test_bad_json_names_the_field() -> None:
    data = make_snapshot().to_json()
    data["account"]["balance"] = 1.5
    with pytest.raises(ValueError, match=r"account\.balance"):
        AccountSnapshot.from_json(data)
    data = make_snapshot().to_json()
    del data["member"]["name"]
    with pytest.raises(ValueError, match=r"member\.name: missing"):
        AccountSnapshot.from_json(data)
    data = make_snapshot().to_json()
    data["source"] = "guess"
    with pytest.raises(ValueError, match="source"):
        AccountSnapshot.from_json(data)


def test_bad_values_are_refused() -> None:
    snap = make_snapshot()
    with pytest.raises(ValueError, match="YYYY-MM"):
        Account.from_json({**snap.account.to_json(), "paid_up_to": "2026/10"})
    with pytest.raises(ValueError, match="timezone"):
        AccountSnapshot(snap.member, snap.account, as_of=datetime(2026, 1, 1))  # noqa: DTZ001


def test_amounts_must_be_decimal_and_not_negative() -> None:
    snap = make_snapshot()
    with pytest.raises(ValueError, match=r"Account\.balance must not be negative"):
        dataclasses.replace(snap.account, balance=Decimal("-0.01"))
    with pytest.raises(ValueError, match=r"Account\.frozen_amount must be a finite Decimal"):
        dataclasses.replace(snap.account, frozen_amount=1.5)  # type: ignore[arg-type]
    assert snap.loan is not None
    with pytest.raises(ValueError, match="term_months"):
        dataclasses.replace(snap.loan, term_months=0)
    with pytest.raises(ValueError, match="repayment_day"):
        dataclasses.replace(snap.loan, repayment_day=32)
    with pytest.raises(ValueError, match="YYYY-MM"):
        dataclasses.replace(snap.deposits[0], month="2026-13")
    with pytest.raises(ValueError, match=r"WithdrawalRecord\.amount"):
        dataclasses.replace(snap.withdrawals[0], amount=Decimal("-5"))
