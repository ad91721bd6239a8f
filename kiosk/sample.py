"""A fictitious sample member for screenshots and tests (no Qt here): never a real person."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

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


def sample_snapshot(source: str = "ledger") -> AccountSnapshot:
    """A fictitious member (the GB 11643 example number family, not a person)."""
    today = date(2026, 11, 27)
    member = Member("140100009999", "张晓明", "140105199003071234", "13912345678", Sex.MALE, date(1990, 3, 7))
    account = Account(status_code="01", balance=Decimal("86423.57"), deposit_base=Decimal("8600.00"),
                      unit_ratio=Decimal("12"), personal_ratio=Decimal("12"), monthly_deposit=Decimal("2064.00"),
                      paid_up_to="2026-11", opened_on=date(2014, 7, 1), employer_name="太原示例软件科技有限公司",
                      employer_account="140100123456", bank_name="中国建设银行", bank_account="6217001234567891234",
                      deposits_this_year=Decimal("22704.00"), carried_over=Decimal("63719.57"))
    deposits = tuple(DepositRecord(today.replace(day=15) - timedelta(days=30 * i), DepositKind.MONTHLY,
                                   Decimal("2064.00"), "汇缴", f"2026-{11 - i:02d}") for i in range(8))
    withdrawals = (WithdrawalRecord(date(2025, 6, 3), "07", Decimal("12000.00"), WithdrawalStatus.PAID,
                                    "6217****1234", "TQ20250603000041", "rent"),)
    loan = Loan("JK2019-0412", Decimal("600000.00"), Decimal("421356.88"), 360, Decimal("2.60"), "10",
                date(2019, 4, 20), date(2049, 4, 20), 20, LoanStatus.NORMAL, Decimal("1315.62"), Decimal("912.94"),
                periods_paid=91, periods_left=269, next_due_on=date(2026, 12, 20))
    as_of = datetime(2026, 11, 27, 6, 30, tzinfo=UTC)
    return AccountSnapshot(member, account, deposits, withdrawals, loan, as_of, source)  # type: ignore[arg-type]
