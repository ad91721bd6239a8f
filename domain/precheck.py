"""What the loan pre-check knows about a member from the account snapshot alone.

`borrower_from_snapshot` fills `domain.loan_limits.Borrower` from the snapshot: balance, the
deposit base as income, the deposit history counted from the monthly deposit records, the open
loan and the account status. The deposit months are a lower bound when the snapshot carries only
recent records, which can only make the estimate more cautious. Uplift categories, a spouse's
account and other debts are not in the snapshot; the counter asks for them.
"""

from __future__ import annotations

from domain.account import AccountSnapshot, DepositKind
from domain.identity import Sex as IdSex
from domain.loan_limits import Borrower
from domain.money import Money

_PAID_KINDS = (DepositKind.MONTHLY, DepositKind.BACK_PAY)


def _month_index(ym: str) -> int:
    year, month = ym.split("-")
    return int(year) * 12 + int(month) - 1


def deposit_months(snapshot: AccountSnapshot) -> tuple[int, int]:
    """(consecutive months paid up to the paid-up-to month, total distinct months paid)."""
    months = {_month_index(d.month) for d in snapshot.deposits if d.kind in _PAID_KINDS and d.month}
    consecutive = 0
    current = _month_index(snapshot.account.paid_up_to)
    while current in months:
        consecutive += 1
        current -= 1
    return consecutive, len(months)


def borrower_from_snapshot(snapshot: AccountSnapshot) -> Borrower:
    consecutive, total = deposit_months(snapshot)
    member, account = snapshot.member, snapshot.account
    loan = snapshot.loan
    return Borrower(
        birth_date=member.birth_date,
        sex=IdSex.MALE if member.sex.value == "1" else IdSex.FEMALE,
        account_balance=Money.yuan(account.balance),
        monthly_income=Money.yuan(account.deposit_base),
        consecutive_deposit_months=consecutive,
        total_deposit_months=total,
        previous_hpf_loans=1 if loan is not None else 0,
        open_hpf_loan=loan is not None and loan.is_open,
        account_normal=account.is_normal and not account.frozen and not account.pledged,
    )
