"""A member's account snapshot as `domain.account.AccountSnapshot`, built from the ledger's rows."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain import account as acc
from domain.masking import mask_bank_card
from ledger.errors import not_found
from ledger.models import Account, Deposit, Loan, LoanPeriod, Member, Withdrawal
from ledger.settings import CENTRE_TZ

RECENT_DEPOSITS = 36  # months of deposit detail in one snapshot

_WITHDRAWAL_STATUS = {
    "pending": acc.WithdrawalStatus.PENDING, "approved": acc.WithdrawalStatus.APPROVED,
    "paid": acc.WithdrawalStatus.PAID, "rejected": acc.WithdrawalStatus.REJECTED,
    "cancelled": acc.WithdrawalStatus.CANCELLED,
}
_LOAN_STATUS = {"normal": acc.LoanStatus.NORMAL, "overdue": acc.LoanStatus.OVERDUE,
                "settled": acc.LoanStatus.SETTLED}
_COUNTED = ("pending", "approved", "paid")


def yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def build_snapshot(session: Session, member_id: str, *, now: datetime | None = None,
                   member: Member | None = None, account: Account | None = None) -> acc.AccountSnapshot:
    """The snapshot; `member`/`account` when the caller has them loaded already (the rules, per withdrawal).

    Only what the snapshot shows is read: the newest RECENT_DEPOSITS deposits and this year's deposit total
    (one SUM), every withdrawal (the rules count them all), the newest loan; as plain rows, not ORM objects."""
    now = now or datetime.now(UTC)
    member = member or session.get(Member, member_id)
    if account is None:
        account = session.scalars(select(Account).where(Account.member_id == member_id)).first()
    if member is None or account is None:
        raise not_found("账务中心没有该缴存职工。", "The ledger has no such member.", code="unknown_member")
    this_year = now.astimezone(CENTRE_TZ).year
    deposits = session.execute(select(*_DEPOSIT_COLUMNS)
                               .where(Deposit.account_no == account.account_no)
                               .order_by(Deposit.paid_on.desc(), Deposit.id.desc()).limit(RECENT_DEPOSITS)).all()
    deposited_this_year = int(session.scalar(select(func.coalesce(func.sum(Deposit.amount_fen), 0)).where(
        Deposit.account_no == account.account_no, Deposit.paid_on >= date(this_year, 1, 1),
        Deposit.paid_on < date(this_year + 1, 1, 1))) or 0)
    withdrawals = session.execute(select(*_WITHDRAWAL_COLUMNS).where(Withdrawal.member_id == member_id)
                                  .order_by(Withdrawal.applied_at.desc())).all()
    loan_row = session.scalars(select(Loan).where(Loan.member_id == member_id)
                               .order_by(Loan.start_date.desc())).first()
    periods = session.scalars(select(LoanPeriod).where(LoanPeriod.loan_id == loan_row.loan_id)
                              .order_by(LoanPeriod.period)).all() if loan_row else []
    return assemble_snapshot(member, account, deposits, deposited_this_year, withdrawals, loan_row, periods, now)


def assemble_snapshot(member: Member, account: Account, deposits: Sequence[Any], deposited_this_year: int,
                      withdrawals: Sequence[Any], loan_row: Loan | None, periods: Sequence[LoanPeriod],
                      now: datetime, *, records: tuple[acc.DepositRecord, ...] | None = None,
                      drawn: tuple[acc.WithdrawalRecord, ...] | None = None,
                      withdrawn_this_year: int | None = None) -> acc.AccountSnapshot:
    """The snapshot from rows already read: the newest RECENT_DEPOSITS deposits (rows of `_DEPOSIT_COLUMNS`,
    newest first), this year's deposit total, every withdrawal (rows of `_WITHDRAWAL_COLUMNS`, newest first),
    the newest loan and its periods. `build_snapshot` reads them for one member; a batch of the ledger's
    ingest reads them for all its members at once (ledger.batch), and passes `records`/`drawn` (the same rows
    as domain records) and `withdrawn_this_year` (`withdrawn_in`) when it has worked them out before."""
    if withdrawn_this_year is None:
        withdrawn_this_year = withdrawn_in(withdrawals, now.astimezone(CENTRE_TZ).year)
    last_business = max([d.paid_on for d in deposits[:1]] +
                        [w.applied_at.astimezone(CENTRE_TZ).date() for w in withdrawals[:1]], default=None)
    snap_member = acc.Member(member_id=member.member_id, name=member.name, id_number=member.id_number,
                             phone=member.phone, sex=acc.Sex(member.sex), birth_date=member.birth_date)
    snap_account = acc.Account(
        status_code=account.status_code, balance=yuan(account.balance_fen), deposit_base=yuan(account.base_salary_fen),
        unit_ratio=account.employer_rate, personal_ratio=account.employee_rate,
        monthly_deposit=yuan(account.monthly_deposit_fen), paid_up_to=account.last_deposit_month,
        opened_on=account.opened_on, employer_name=member.employer, employer_account=account.employer_account,
        bank_name=member.cobranded_bank, bank_account=member.cobranded_card,
        deposits_this_year=yuan(deposited_this_year),
        # 上年结转: what the year started with. Interest and adjustments are not rows here, so clamp at zero
        # rather than show a negative carry-over for an account corrected by hand.
        carried_over=yuan(max(0, account.balance_fen - deposited_this_year + withdrawn_this_year)),
        frozen=account.frozen, frozen_amount=yuan(account.frozen_amount_fen), pledged=account.pledged,
        last_business_on=last_business, branch="", district=account.district)
    records = records if records is not None else tuple(deposit_record(d) for d in deposits)
    drawn = drawn if drawn is not None else tuple(withdrawal_record(w) for w in withdrawals)
    return acc.AccountSnapshot(member=snap_member, account=snap_account, deposits=records, withdrawals=drawn,
                               loan=_loan(loan_row, periods, now) if loan_row else None, as_of=now, source="ledger")


def withdrawn_in(withdrawals: Sequence[Any], year: int) -> int:
    """Fen withdrawn (pending, approved or paid) in the centre's calendar `year`."""
    return sum(w.amount_fen for w in withdrawals if counted_in(w, year))


def counted_in(w: Any, year: int) -> bool:
    return bool(w.status in _COUNTED and w.applied_at.astimezone(CENTRE_TZ).year == year)


_DEPOSIT_COLUMNS = (Deposit.paid_on, Deposit.kind, Deposit.amount_fen, Deposit.month)
_WITHDRAWAL_COLUMNS = (Withdrawal.applied_at, Withdrawal.reason_code, Withdrawal.amount_fen, Withdrawal.status,
                       Withdrawal.payout_card, Withdrawal.application_no, Withdrawal.subtype, Withdrawal.property_id,
                       Withdrawal.member_id)


def deposit_record(d: Any) -> acc.DepositRecord:
    """One deposit as the domain sees it, from a row of `_DEPOSIT_COLUMNS`."""
    regular = d.kind == "regular"
    return acc.DepositRecord(on=d.paid_on, kind=acc.DepositKind.MONTHLY if regular else acc.DepositKind.BACK_PAY,
                             amount=yuan(d.amount_fen), summary="汇缴" if regular else "补缴", month=d.month)


def withdrawal_record(w: Any) -> acc.WithdrawalRecord:
    """One withdrawal as the domain sees it, from its ORM row or a plain row of `_WITHDRAWAL_COLUMNS`."""
    return acc.WithdrawalRecord(on=w.applied_at.astimezone(CENTRE_TZ).date(), reason_code=w.reason_code,
                                amount=yuan(w.amount_fen), status=_WITHDRAWAL_STATUS[w.status],
                                receiving_account_masked=mask_bank_card(w.payout_card) if w.payout_card else "",
                                application_no=w.application_no, subtype=w.subtype, property_id=w.property_id,
                                member_id=w.member_id)


def _loan(loan: Loan, periods: Sequence[LoanPeriod], now: datetime) -> acc.Loan:
    overdue = [p for p in periods if p.status == "overdue"]
    upcoming = next((p for p in periods if p.status in ("due", "future")), None)
    owed_share = [(p, p.principal_fen + p.interest_fen - p.paid_fen) for p in overdue]
    # A partial payment settles interest first, then principal (the usual order for arrears).
    overdue_interest = sum(max(0, p.interest_fen - p.paid_fen) for p in overdue)
    overdue_principal = sum(owed - max(0, p.interest_fen - p.paid_fen) for p, owed in owed_share)
    paid = sum(1 for p in periods if p.status == "paid")
    return acc.Loan(
        contract_no=loan.loan_id, amount=yuan(loan.principal_fen), balance=yuan(loan.balance_fen),
        term_months=loan.term_months, rate_percent=loan.annual_rate, method_code=loan.method_code,
        disbursed_on=loan.start_date, maturity_on=add_months(loan.start_date, loan.term_months),
        repayment_day=loan.repayment_day, status=_LOAN_STATUS[loan.status],
        due_principal=yuan(upcoming.principal_fen) if upcoming else Decimal("0.00"),
        due_interest=yuan(upcoming.interest_fen) if upcoming else Decimal("0.00"),
        periods_paid=paid, periods_left=loan.term_months - paid,
        overdue_principal=yuan(overdue_principal), overdue_interest=yuan(overdue_interest),
        overdue_penalty=yuan(sum(p.penalty_fen for p in overdue)), auto_repay_signed=bool(loan.offset_mode),
        next_due_on=upcoming.due_date if upcoming else None)


def schedule_json(session: Session, loan_id: str) -> list[dict[str, object]]:
    """The repayment plan rows (还款计划) of one loan, amounts as yuan strings."""
    periods = session.scalars(select(LoanPeriod).where(LoanPeriod.loan_id == loan_id)
                              .order_by(LoanPeriod.period)).all()
    return [{"period": p.period, "due_on": p.due_date.isoformat(), "principal": str(yuan(p.principal_fen)),
             "interest": str(yuan(p.interest_fen)), "paid": str(yuan(p.paid_fen)),
             "penalty": str(yuan(p.penalty_fen)), "paid_on": p.paid_on.isoformat() if p.paid_on else None,
             "status": p.status} for p in periods]
