"""Loan interest rates from the policy file's dated tables (`[loan.rates]`).

HPF rates are set nationally by term (up to / over five years) and first or second home; a
commercial mortgage is LPR plus a bank spread. Each table entry holds from its `effective`
date until the next. Existing HPF loans reprice on the 1 January after a change, so the rate
of a running loan is looked up on that date, not on the day of the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import TypeVar

from domain.policy import PolicyError, Table, require, section


class LoanKind(Enum):
    HPF = "hpf"  # 公积金贷款
    COMMERCIAL = "commercial"  # 商业贷款 (LPR + spread)


class HomeOrder(Enum):
    FIRST = "first"  # 首套
    SECOND = "second"  # 二套

    @property
    def zh(self) -> str:
        return "首套" if self is HomeOrder.FIRST else "二套"


@dataclass(frozen=True, slots=True)
class HpfRates:
    effective: date
    source: str
    first_home_short: Decimal
    first_home_long: Decimal
    second_home_short: Decimal
    second_home_long: Decimal


@dataclass(frozen=True, slots=True)
class LprRates:
    effective: date
    source: str
    one_year: Decimal
    over_five_years: Decimal


@dataclass(frozen=True, slots=True)
class RateTable:
    hpf: tuple[HpfRates, ...]  # ascending by effective date
    lpr: tuple[LprRates, ...]
    short_term_max_months: int
    short_term_lpr: str  # "one_year" or "over_five_years"
    default_spread: dict[HomeOrder, Decimal]


@dataclass(frozen=True, slots=True)
class QuotedRate:
    """The annual rate in percent and where it came from, for the screen and the audit trail."""

    annual_percent: Decimal
    kind: LoanKind
    effective: date  # the table entry's date
    source: str
    basis_zh: str
    basis_en: str


_T = TypeVar("_T", HpfRates, LprRates)
_RATE_CEILING = Decimal(24)  # matches calculator.MAX_ANNUAL_RATE_PERCENT


def _rate(entry: Table, key: str, where: str) -> Decimal:
    value: Decimal = require(entry, key, Decimal, where)
    if not 0 <= value <= _RATE_CEILING:
        raise PolicyError(f"policy: {where}.{key} = {value} is not a plausible annual rate in percent")
    return value


def _dated(entries: object, where: str) -> list[Table]:
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) for e in entries):
        raise PolicyError(f"policy: missing table [[{where}]] (a dated list of rates)")
    dates = [require(e, "effective", date, where) for e in entries]
    if dates != sorted(dates) or len(set(dates)) != len(dates):
        raise PolicyError(f"policy: [[{where}]] entries must be in ascending, distinct effective order")
    return entries


def load_rate_table(policy: Table) -> RateTable:
    """Build and validate the rate table; PolicyError names any missing or bad key."""
    loan = section(policy, "loan")
    rates = section(policy, "loan.rates")
    hpf = tuple(
        HpfRates(require(e, "effective", date, "loan.rates.hpf"), require(e, "source", str, "loan.rates.hpf"),
                 *(_rate(e, k, "loan.rates.hpf") for k in (
                     "first_home_short", "first_home_long", "second_home_short", "second_home_long")))
        for e in _dated(rates.get("hpf"), "loan.rates.hpf")
    )
    lpr = tuple(
        LprRates(require(e, "effective", date, "loan.rates.lpr"), require(e, "source", str, "loan.rates.lpr"),
                 _rate(e, "one_year", "loan.rates.lpr"), _rate(e, "over_five_years", "loan.rates.lpr"))
        for e in _dated(rates.get("lpr"), "loan.rates.lpr")
    )
    reprice = require(rates, "reprice_existing", str, "loan.rates")
    if reprice != "next_january_first":
        raise PolicyError(f"policy: loan.rates.reprice_existing = {reprice!r} is not supported "
                          "(only next_january_first)")
    short_lpr = require(rates, "short_term_lpr", str, "loan.rates")
    if short_lpr not in ("one_year", "over_five_years"):
        raise PolicyError(f"policy: loan.rates.short_term_lpr = {short_lpr!r} must be one_year or over_five_years")
    commercial = section(policy, "loan.rates.commercial")
    spread = {
        HomeOrder.FIRST: require(commercial, "default_spread_first_home", Decimal, "loan.rates.commercial"),
        HomeOrder.SECOND: require(commercial, "default_spread_second_home", Decimal, "loan.rates.commercial"),
    }
    return RateTable(hpf, lpr, require(loan, "short_term_max_months", int, "loan"), short_lpr, spread)


def _in_force(entries: tuple[_T, ...], on: date, name: str) -> _T:
    current = [e for e in entries if e.effective <= on]
    if not current:
        raise ValueError(f"没有 {on} 适用的{name}利率 / no {name} rate known for {on} "
                         f"(the table starts {entries[0].effective})")
    return current[-1]


def repricing_date(on: date, loan_start: date) -> date:
    """The date whose table applies to a running HPF loan on `on`: 1 January of this year, or
    the start date for a loan started this year (it keeps its contract rate until next January)."""
    january = date(on.year, 1, 1)
    return max(january, loan_start)


def rate_for(
    table: RateTable,
    kind: LoanKind,
    home: HomeOrder,
    months: int,
    on: date,
    *,
    spread_percent: Decimal | None = None,
    loan_start: date | None = None,
) -> QuotedRate:
    """The annual rate for a loan of `months` taken (or, with loan_start, running) on `on`.

    Commercial loans use LPR + `spread_percent` (default: the policy's pre-fill for the home order).
    """
    if months < 1:
        raise ValueError(f"期数须为正 / months must be positive, got {months}")
    short = months <= table.short_term_max_months
    term_zh, term_en = ("五年以下(含)", "up to 5 years") if short else ("五年以上", "over 5 years")
    lookup = repricing_date(on, loan_start) if loan_start is not None and kind is LoanKind.HPF else on
    if kind is LoanKind.HPF:
        entry = _in_force(table.hpf, lookup, "公积金 HPF")
        attr = f"{home.value}_home_{'short' if short else 'long'}"
        value: Decimal = getattr(entry, attr)
        return QuotedRate(value, kind, entry.effective, entry.source,
                          f"公积金贷款{home.zh}{term_zh}利率 {value}%（{entry.effective} 起执行）",
                          f"HPF {home.value}-home rate {term_en}: {value} % (from {entry.effective})")
    lpr = _in_force(table.lpr, on, "LPR")
    base = lpr.one_year if short and table.short_term_lpr == "one_year" else lpr.over_five_years
    spread = table.default_spread[home] if spread_percent is None else spread_percent
    value = base + spread
    if value <= 0:
        raise ValueError(f"LPR {base}% 加点 {spread}% 不为正 / LPR {base} % plus spread {spread} % is not positive")
    return QuotedRate(value, kind, lpr.effective, lpr.source,
                      f"商业贷款 LPR {base}% 加点 {spread}% = {value}%（LPR {lpr.effective}）",
                      f"commercial: LPR {base} % + spread {spread} % = {value} % (LPR of {lpr.effective})")
