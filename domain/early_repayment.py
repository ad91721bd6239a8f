"""Early-repayment quotes (提前还款试算): full or partial, then a shorter term or a lower payment.

The quote is for a prepayment on a due date, right after the regular installment of that date
(`periods_paid` installments are done), which is how the 12329 platform presents it (BRIEF §4:
提前全部/部分还款额, 最小额, 是否缩期, 新到期期数). Interest between due dates, charged by the day
on real loans, is not included: the figures are illustrative (示意). The minimum partial amount
and any penalty come from `[loan.early_repayment]` of the policy file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal
from enum import Enum

from domain.calculator import (
    Installment,
    InvalidLoanInput,
    RepaymentMethod,
    due_date,
    monthly_rate,
    repayment_schedule,
)
from domain.money import FEN, format_yuan, round_fen
from domain.policy import PolicyError, Table, require, section


class AfterPrepayment(Enum):
    SHORTEN_TERM = "shorten_term"  # 缩短期限, payment about the same
    LOWER_PAYMENT = "lower_payment"  # 减少月供, same end date

    @property
    def zh(self) -> str:
        return "缩短还款期限" if self is AfterPrepayment.SHORTEN_TERM else "减少月还款额"


@dataclass(frozen=True, slots=True)
class EarlyRepaymentPolicy:
    min_partial: Decimal
    penalty_percent: Decimal


def load_early_repayment_policy(policy: Table) -> EarlyRepaymentPolicy:
    t = section(policy, "loan.early_repayment")
    minimum: Decimal = require(t, "min_partial", Decimal, "loan.early_repayment")
    penalty: Decimal = require(t, "penalty_percent", Decimal, "loan.early_repayment")
    if minimum < 0:
        raise PolicyError(f"policy: loan.early_repayment.min_partial = {minimum} must not be negative")
    if not 0 <= penalty <= 10:
        raise PolicyError(f"policy: loan.early_repayment.penalty_percent = {penalty} must be 0..10")
    return EarlyRepaymentPolicy(minimum, penalty)


@dataclass(frozen=True, slots=True)
class RunningLoan:
    """A loan as contracted, with how many installments are already paid."""

    principal: Decimal
    annual_rate_percent: Decimal
    months: int
    method: RepaymentMethod
    periods_paid: int
    first_due: date | None = None  # due date of period 1, for maturity dates


@dataclass(frozen=True, slots=True)
class EarlyRepaymentQuote:
    full: bool
    option: AfterPrepayment | None  # None for a full repayment
    prepayment: Decimal  # principal repaid early
    penalty: Decimal
    pay_now: Decimal  # prepayment + penalty
    balance_before: Decimal
    balance_after: Decimal
    months_before: int  # installments left before the prepayment
    months_after: int
    new_last_period: int  # the period number of the new final installment (0 when paid off)
    payment_before: Decimal  # the next regular installment under the old plan
    payment_after: Decimal  # the next installment under the new plan (0 when paid off)
    interest_saved: Decimal
    schedule: list[Installment]  # the new plan, numbered from periods_paid + 1
    old_maturity: date | None = None  # due date of the last installment before / after (when first_due is known)
    new_maturity: date | None = None

    @property
    def summary_zh(self) -> str:
        if self.full:
            return (f"一次性结清需还 {format_yuan(self.pay_now)}，可节省利息 {format_yuan(self.interest_saved)}"
                    "（试算，仅供参考）")
        return (f"提前还款 {format_yuan(self.prepayment)} 后剩余本金 {format_yuan(self.balance_after)}，"
                f"月还款额由 {format_yuan(self.payment_before)} 变为 {format_yuan(self.payment_after)}，"
                f"剩余期数由 {self.months_before} 期变为 {self.months_after} 期，"
                f"可节省利息 {format_yuan(self.interest_saved)}（试算，仅供参考）")

    @property
    def summary_en(self) -> str:
        if self.full:
            return (f"Paying off now costs {format_yuan(self.pay_now)} and saves "
                    f"{format_yuan(self.interest_saved)} of interest (illustrative)")
        return (f"After repaying {format_yuan(self.prepayment)} early, {format_yuan(self.balance_after)} remains; "
                f"the monthly payment goes from {format_yuan(self.payment_before)} to "
                f"{format_yuan(self.payment_after)} and {self.months_before} installments become "
                f"{self.months_after}, saving {format_yuan(self.interest_saved)} of interest (illustrative)")


def _shortened_months(balance: Decimal, loan: RunningLoan, old_rows: list[Installment]) -> int:
    """Fewest months whose payment is no higher than today's (等额本息) or whose monthly
    principal is no lower than today's (等额本金)."""
    current = old_rows[0]
    if loan.method is RepaymentMethod.EQUAL_PRINCIPAL:
        return int((balance / current.principal).to_integral_value(rounding=ROUND_CEILING))
    i = monthly_rate(loan.annual_rate_percent)
    if i == 0:
        return int((balance / current.payment).to_integral_value(rounding=ROUND_CEILING))
    # n = −ln(1 − B·i/M) / ln(1 + i), rounded up
    n = -(1 - balance * i / current.payment).ln() / (1 + i).ln()
    return max(1, int(n.to_integral_value(rounding=ROUND_CEILING)))


def _check_amount(amount: Decimal, balance: Decimal, policy: EarlyRepaymentPolicy) -> None:
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise InvalidLoanInput(f"提前还款金额须为 Decimal / the prepayment must be a Decimal, got {amount!r}")
    if amount <= 0:
        raise InvalidLoanInput(f"提前还款金额须大于零 / the prepayment must be positive, got {amount}")
    if amount > balance:
        raise InvalidLoanInput(f"提前还款金额 {amount} 超过剩余本金 {balance}，请选择全部结清 / the prepayment "
                               f"{amount} exceeds the balance {balance}; choose full repayment")
    if amount != amount.quantize(FEN):  # safe now: amount <= balance keeps it within Decimal's digits
        raise InvalidLoanInput(f"提前还款金额最多两位小数 / the prepayment has at most 2 decimal places, got {amount}")
    if amount < policy.min_partial:
        raise InvalidLoanInput(f"部分提前还款不少于 {policy.min_partial} 元 / a partial prepayment is at least "
                               f"{policy.min_partial}, got {amount}")


def quote_early_repayment(
    loan: RunningLoan,
    policy: EarlyRepaymentPolicy,
    amount: Decimal | None = None,
    option: AfterPrepayment = AfterPrepayment.SHORTEN_TERM,
) -> EarlyRepaymentQuote:
    """Quote paying `amount` early (None = pay off in full) right after installment `periods_paid`."""
    plan = repayment_schedule(loan.principal, loan.annual_rate_percent, loan.months, loan.method)
    if not 0 <= loan.periods_paid < loan.months:
        raise InvalidLoanInput(f"已还期数须在 0 到 {loan.months - 1} 之间 / periods paid must be 0..{loan.months - 1}, "
                               f"got {loan.periods_paid}")
    remaining = plan[loan.periods_paid:]
    balance = plan[loan.periods_paid - 1].balance if loan.periods_paid else loan.principal
    interest_before = sum((r.interest for r in remaining), Decimal(0))
    full = amount is None or amount == balance
    prepay = balance if full or amount is None else amount
    if not full:
        _check_amount(prepay, balance, policy)
    penalty = round_fen(prepay * policy.penalty_percent / 100)
    after = balance - prepay
    rows: list[Installment] = []
    if not full:
        months = (_shortened_months(after, loan, remaining) if option is AfterPrepayment.SHORTEN_TERM
                  else len(remaining))
        months = min(months, len(remaining))
        try:
            new_plan = repayment_schedule(after, loan.annual_rate_percent, months, loan.method)
        except InvalidLoanInput:
            raise InvalidLoanInput(f"剩余本金 {after} 对 {months} 期过小，请选择缩短期限或全部结清 / the remaining "
                                   f"{after} is too small for {months} months; shorten the term or pay off in full"
                                   ) from None
        rows = [Installment(r.period + loan.periods_paid, r.principal, r.interest, r.payment, r.balance)
                for r in new_plan]
    interest_after = sum((r.interest for r in rows), Decimal(0))
    return EarlyRepaymentQuote(
        full=full, option=None if full else option, prepayment=prepay, penalty=penalty, pay_now=prepay + penalty,
        balance_before=balance, balance_after=after, months_before=len(remaining), months_after=len(rows),
        new_last_period=rows[-1].period if rows else 0, payment_before=remaining[0].payment,
        payment_after=rows[0].payment if rows else Decimal(0), interest_saved=interest_before - interest_after,
        schedule=rows,
        old_maturity=due_date(loan.first_due, loan.months) if loan.first_due else None,
        new_maturity=due_date(loan.first_due, rows[-1].period) if loan.first_due and rows else None,
    )
