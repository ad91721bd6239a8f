"""Mortgage repayment schedules: 等额本息 and 等额本金, rounded as production HPF software does.

Rounding (BRIEF §3, from the 12329 platform's `appapi00903`): monthly rate = annual / 12,
every amount rounded to the fen half-up; 等额本息 rounds the formula payment M once and takes
interest = round(balance × i), principal = M − interest; 等额本金 takes principal =
round(P / n), interest = round(balance × i); in both the last period clears the balance, so
the last payment differs by a few fen. Results are illustrative (示意): real loans may charge
the first period by day.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import NamedTuple

from domain.money import FEN, round_fen

# National product limits, not city policy: a mortgage runs at most 30 years, and no lawful
# housing-loan rate comes near 24 % a year (the old judicial cap on private lending), so a
# larger figure is a typo such as 300 for 3.00.
MAX_MONTHS = 360
MAX_ANNUAL_RATE_PERCENT = Decimal(24)
# Below ¥10 of principal per month the per-period fen rounding could outrun the balance.
MIN_PRINCIPAL_PER_MONTH = Decimal(10)
# A sanity ceiling (¥1 billion) that also keeps every amount well inside Decimal's 28 digits.
MAX_PRINCIPAL = Decimal(10**9)
# Contract rates carry a few decimals (2.525, 4.165); a finer rate is a typo, and one below
# 1e-6 % would vanish in Decimal's 28 digits when raised to the 360th power.
_RATE_STEP = Decimal("0.000001")
_TWELVE = Decimal(12)
_HUNDRED = Decimal(100)


class InvalidLoanInput(ValueError):  # noqa: N818 - named like InvalidIdNumber / InvalidAmount
    """A loan parameter that cannot produce a schedule; the message names it (Chinese / English)."""


class RepaymentMethod(Enum):
    """Values are the repayment-mode codes of HPF systems (BRIEF §3)."""

    EQUAL_INSTALLMENT = "10"  # 等额本息
    EQUAL_PRINCIPAL = "20"  # 等额本金

    @property
    def zh(self) -> str:
        return "等额本息" if self is RepaymentMethod.EQUAL_INSTALLMENT else "等额本金"

    @property
    def en(self) -> str:
        return "equal installments" if self is RepaymentMethod.EQUAL_INSTALLMENT else "equal principal"


class Installment(NamedTuple):
    """One row of the plan: 期数, 应还本金, 应还利息, 月还款额, 贷款余额 (after this payment).

    A NamedTuple rather than a frozen dataclass: a 30-year plan builds 360 of them and a frozen
    dataclass's __init__ costs about a third of the schedule's time (bench/bench_calculator.py).
    """

    period: int
    principal: Decimal
    interest: Decimal
    payment: Decimal
    balance: Decimal


def validate_loan(principal: Decimal, annual_rate_percent: Decimal, months: int) -> None:
    """Raise InvalidLoanInput naming the first bad parameter."""
    if not isinstance(principal, Decimal) or not principal.is_finite():
        raise InvalidLoanInput(f"贷款金额须为 Decimal / principal must be a Decimal, got {principal!r}")
    if not isinstance(annual_rate_percent, Decimal) or not annual_rate_percent.is_finite():
        raise InvalidLoanInput(f"年利率须为 Decimal / annual rate must be a Decimal, got {annual_rate_percent!r}")
    if isinstance(months, bool) or not isinstance(months, int):
        raise InvalidLoanInput(f"期数须为整数 / months must be a whole number, got {months!r}")
    if principal <= 0:
        raise InvalidLoanInput(f"贷款金额须大于零 / principal must be positive, got {principal}")
    if principal > MAX_PRINCIPAL:
        raise InvalidLoanInput(f"贷款金额过大 / principal above {MAX_PRINCIPAL:,} is not a home loan, got {principal}")
    if principal != principal.quantize(FEN):
        raise InvalidLoanInput(f"贷款金额最多两位小数 / principal has at most 2 decimal places: {principal}")
    if not 1 <= months <= MAX_MONTHS:
        raise InvalidLoanInput(f"期数须在 1 到 {MAX_MONTHS} 个月之间 / months must be 1..{MAX_MONTHS}, got {months}")
    if not 0 <= annual_rate_percent <= MAX_ANNUAL_RATE_PERCENT:
        raise InvalidLoanInput(f"年利率须在 0% 到 {MAX_ANNUAL_RATE_PERCENT}% 之间 / annual rate must be "
                               f"0..{MAX_ANNUAL_RATE_PERCENT} %, got {annual_rate_percent} %")
    if annual_rate_percent != annual_rate_percent.quantize(_RATE_STEP):
        raise InvalidLoanInput(f"年利率最多六位小数 / the annual rate has at most 6 decimal places, "
                               f"got {annual_rate_percent}")
    if principal < MIN_PRINCIPAL_PER_MONTH * months:
        raise InvalidLoanInput(f"贷款金额 {principal} 对 {months} 期过小 / principal {principal} is too small for "
                               f"{months} months (at least {MIN_PRINCIPAL_PER_MONTH * months})")


def monthly_rate(annual_rate_percent: Decimal) -> Decimal:
    """Annual percent -> monthly fraction, unrounded (annual / 12)."""
    return annual_rate_percent / _HUNDRED / _TWELVE


def annuity_payment(principal: Decimal, i: Decimal, months: int) -> Decimal:
    """M = P·i·(1+i)^n / ((1+i)^n − 1), unrounded; P / n when the rate is zero."""
    if i == 0:
        return principal / months
    growth = (1 + i) ** months
    return principal * i * growth / (growth - 1)


def annuity_principal(payment: Decimal, i: Decimal, months: int) -> Decimal:
    """The inverse: the principal a monthly payment M repays, L = M·((1+i)^n − 1) / (i·(1+i)^n)."""
    if i == 0:
        return payment * months
    growth = (1 + i) ** months
    return payment * (growth - 1) / (i * growth)


def repayment_schedule(
    principal: Decimal, annual_rate_percent: Decimal, months: int, method: RepaymentMethod
) -> list[Installment]:
    """The full plan, one Installment per month; the last one clears the balance."""
    validate_loan(principal, annual_rate_percent, months)
    i = monthly_rate(annual_rate_percent)
    if method is RepaymentMethod.EQUAL_INSTALLMENT:
        return _equal_installment(principal, i, months)
    return _equal_principal(principal, i, months)


def _equal_installment(principal: Decimal, i: Decimal, months: int) -> list[Installment]:
    payment = round_fen(annuity_payment(principal, i, months))
    # Rounding M and each interest to the fen errs by up to 1 fen a month, and with 等额本息 the
    # error compounds like a deposit: up to 0.01·((1+i)^n − 1)/i by the end. When that could reach
    # the payment itself, the last period would go negative, so such a loan is refused.
    drift = FEN * (((1 + i) ** months - 1) / i * (1 + i) if i else months)
    if payment <= drift:
        raise InvalidLoanInput(f"贷款金额 {principal} 对该利率和期限过小 / principal {principal} is too small for "
                               f"{months} months at this rate: fen rounding could exceed the payment {payment}")
    balance = principal
    rows: list[Installment] = []
    for period in range(1, months + 1):
        interest = (balance * i).quantize(FEN, ROUND_HALF_UP)  # round_fen, inlined in the hot loop
        part = balance if period == months else payment - interest
        balance -= part
        rows.append(Installment(period, part, interest, part + interest, balance))
    return rows


def _equal_principal(principal: Decimal, i: Decimal, months: int) -> list[Installment]:
    part = round_fen(principal / months)
    balance = principal
    rows: list[Installment] = []
    for period in range(1, months + 1):
        interest = (balance * i).quantize(FEN, ROUND_HALF_UP)  # round_fen, inlined in the hot loop
        this_part = balance if period == months else part
        balance -= this_part
        rows.append(Installment(period, this_part, interest, this_part + interest, balance))
    return rows


def due_date(first_due: date, period: int) -> date:
    """The due date of `period` (1-based) when period 1 falls on `first_due`: the same day of
    each month, or the month's last day when it is shorter (31 Jan -> 28/29 Feb -> 31 Mar)."""
    if period < 1:
        raise ValueError(f"期数从 1 开始 / periods start at 1, got {period}")
    month_index = first_due.month - 1 + period - 1
    year, month = first_due.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(first_due.day, calendar.monthrange(year, month)[1]))


class TotalBasis(Enum):
    """Which total interest a screen shows; many calculators print M × n instead of the plan's sum."""

    SCHEDULE_SUM = "schedule_sum"  # 按还款计划逐期合计
    PAYMENT_TIMES_MONTHS = "payment_times_months"  # 月供 × 期数 (等额本息 only)

    @property
    def zh(self) -> str:
        return "按还款计划逐期合计" if self is TotalBasis.SCHEDULE_SUM else "按月供×期数计算"

    @property
    def en(self) -> str:
        return "sum of the repayment plan" if self is TotalBasis.SCHEDULE_SUM else "monthly payment × months"


@dataclass(frozen=True, slots=True)
class ScheduleSummary:
    months: int
    principal: Decimal
    first_payment: Decimal
    last_payment: Decimal
    monthly_decrease: Decimal | None  # 等额本金: how much each payment falls; None for 等额本息
    total_interest: Decimal  # basis: TotalBasis.SCHEDULE_SUM
    total_repayment: Decimal  # basis: TotalBasis.SCHEDULE_SUM
    total_interest_payment_times_months: Decimal | None  # 等额本息 M × n − P, as other calculators show
    basis: TotalBasis = TotalBasis.SCHEDULE_SUM


def summarize(schedule: Sequence[Installment], method: RepaymentMethod) -> ScheduleSummary:
    """First / last payment, 等额本金 monthly decrease, totals (schedule sum, labelled)."""
    if not schedule:
        raise InvalidLoanInput("还款计划为空 / the schedule is empty")
    first, last = schedule[0], schedule[-1]
    principal = sum((r.principal for r in schedule), Decimal(0))
    interest = sum((r.interest for r in schedule), Decimal(0))
    decrease = nominal = None
    if method is RepaymentMethod.EQUAL_PRINCIPAL:
        decrease = first.payment - schedule[1].payment if len(schedule) > 1 else Decimal(0)
    else:
        nominal = first.payment * len(schedule) - principal
    return ScheduleSummary(len(schedule), principal, first.payment, last.payment, decrease, interest,
                           principal + interest, nominal)


@dataclass(frozen=True, slots=True)
class YearTotal:
    """The year view: loan year 1 = periods 1-12; balance at the end of the year."""

    year: int
    principal: Decimal
    interest: Decimal
    payment: Decimal
    balance: Decimal


def by_year(schedule: Sequence[Installment]) -> list[YearTotal]:
    years: list[YearTotal] = []
    for start in range(0, len(schedule), 12):
        rows = schedule[start:start + 12]
        years.append(YearTotal(
            start // 12 + 1,
            sum((r.principal for r in rows), Decimal(0)),
            sum((r.interest for r in rows), Decimal(0)),
            sum((r.payment for r in rows), Decimal(0)),
            rows[-1].balance,
        ))
    return years


@dataclass(frozen=True, slots=True)
class LoanPart:
    """One sub-loan of a combined loan (组合贷款)."""

    principal: Decimal
    annual_rate_percent: Decimal
    method: RepaymentMethod


@dataclass(frozen=True, slots=True)
class CombinedSchedule:
    hpf: list[Installment]
    commercial: list[Installment]
    total: list[Installment]  # the two summed period by period


def combined_schedule(hpf: LoanPart, commercial: LoanPart, months: int) -> CombinedSchedule:
    """组合贷款: HPF part plus commercial part on one term, each scheduled, then summed per period."""
    a = repayment_schedule(hpf.principal, hpf.annual_rate_percent, months, hpf.method)
    b = repayment_schedule(commercial.principal, commercial.annual_rate_percent, months, commercial.method)
    summed = [
        Installment(x.period, x.principal + y.principal, x.interest + y.interest, x.payment + y.payment,
                    x.balance + y.balance)
        for x, y in zip(a, b, strict=True)
    ]
    return CombinedSchedule(a, b, summed)
