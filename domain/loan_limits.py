"""The maximum HPF loan a member can get, and why (BRIEF §2).

Maximum = the least of four amounts: account balance × multiple, repayment capacity (the
income share turned into a principal with the annuity inverse), price × loan-to-value, and
the city cap (× uplift for talent, multi-child and military families). The term is bounded by
the age at maturity; prerequisites (deposit history, earlier loans, account status) can block
the loan outright. Every parameter comes from `[loan.limits]` of the city's policy file, and
the result names the limiting factor in plain Chinese and English.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal
from enum import Enum

from domain.calculator import MAX_MONTHS, RepaymentMethod, annuity_principal, monthly_rate
from domain.identity import Sex
from domain.money import Money, format_yuan
from domain.policy import PolicyError, Table, require, section
from domain.rates import HomeOrder, LoanKind, QuotedRate, RateTable, rate_for


class UpliftCategory(Enum):
    TALENT = "talent"  # 人才
    MULTI_CHILD = "multi_child"  # 多子女家庭
    MILITARY = "military"  # 军人家庭


class HousingType(Enum):
    COMMERCIAL = "commercial"  # 商品住房
    GUARANTEED = "guaranteed"  # 保障性住房


class LimitingFactor(Enum):
    BALANCE = "balance"
    REPAYMENT_CAPACITY = "repayment_capacity"
    PRICE = "price"
    CITY_CAP = "city_cap"

    @property
    def zh(self) -> str:
        return {"balance": "账户余额", "repayment_capacity": "还款能力", "price": "房价和首付比例",
                "city_cap": "本市最高贷款额度"}[self.value]

    @property
    def en(self) -> str:
        return {"balance": "your account balance", "repayment_capacity": "your ability to repay",
                "price": "the home price and down payment", "city_cap": "the city's loan ceiling"}[self.value]


@dataclass(frozen=True, slots=True)
class LoanLimitPolicy:
    cap_single: Money
    cap_single_short_history: Money
    short_history_months: int
    cap_two_depositors: Money
    uplift_percent: Decimal
    uplift_max: Money
    uplift_categories: frozenset[UpliftCategory]
    talent_ignores_deposit_years: bool
    balance_multiple: Decimal
    balance_floor: Money
    income_share_percent: Decimal
    ltv_percent: Decimal
    ltv_percent_guaranteed_housing: Decimal
    max_age_at_maturity: dict[Sex, int]
    max_term_months: int
    min_consecutive_deposit_months: int
    max_previous_loans: int
    round_down_to: Money
    # (minimum total deposit months, multiple), ascending; overrides balance_multiple from that
    # many months on (Qingyuan: 16× / 18× / 20× below 24, 24-48, above 48 months; BRIEF §2) [P]
    balance_multiple_tiers: tuple[tuple[int, Decimal], ...] = ()

    def multiple_for(self, deposit_months: int) -> Decimal:
        reached = [multiple for months, multiple in self.balance_multiple_tiers if deposit_months >= months]
        return reached[-1] if reached else self.balance_multiple


def _money(t: Table, key: str) -> Money:
    value: Decimal = require(t, key, Decimal, "loan.limits")
    if value < 0:
        raise PolicyError(f"policy: loan.limits.{key} = {value} must not be negative")
    return Money.round_yuan(value)


def _percent(t: Table, key: str) -> Decimal:
    value: Decimal = require(t, key, Decimal, "loan.limits")
    if not 0 < value <= 100:
        raise PolicyError(f"policy: loan.limits.{key} = {value} must be a percentage in (0, 100]")
    return value


def _count(t: Table, key: str, where: str = "loan.limits") -> int:
    value: int = require(t, key, int, where)
    if value < 0:
        raise PolicyError(f"policy: {where}.{key} = {value} must not be negative")
    return value


def load_loan_limit_policy(policy: Table) -> LoanLimitPolicy:
    """Build and validate `[loan.limits]`; PolicyError names any missing or bad key."""
    t = section(policy, "loan.limits")
    base_age = _count(t, "max_age_at_maturity")
    ages = {Sex.MALE: _count(t, "max_age_at_maturity_male") if "max_age_at_maturity_male" in t else base_age,
            Sex.FEMALE: _count(t, "max_age_at_maturity_female") if "max_age_at_maturity_female" in t else base_age}
    raw_categories = require(t, "uplift_categories", list, "loan.limits")
    try:
        categories = frozenset(UpliftCategory(c) for c in raw_categories)
    except ValueError:
        raise PolicyError(f"policy: loan.limits.uplift_categories = {raw_categories!r} has an unknown "
                          f"category (known: {[c.value for c in UpliftCategory]})") from None
    multiple: Decimal = require(t, "balance_multiple", Decimal, "loan.limits")
    if multiple <= 0:
        raise PolicyError(f"policy: loan.limits.balance_multiple = {multiple} must be positive")
    max_term = _count(section(policy, "loan"), "max_term_months", "loan")
    if not 12 <= max_term <= MAX_MONTHS:
        raise PolicyError(f"policy: loan.max_term_months = {max_term} must be 12..{MAX_MONTHS}")
    uplift: Decimal = require(t, "uplift_percent", Decimal, "loan.limits")
    if not 0 <= uplift <= 100:
        raise PolicyError(f"policy: loan.limits.uplift_percent = {uplift} must be 0..100")
    return LoanLimitPolicy(
        _money(t, "cap_single"), _money(t, "cap_single_short_history"), _count(t, "short_history_months"),
        _money(t, "cap_two_depositors"), uplift, _money(t, "uplift_max"), categories,
        require(t, "talent_ignores_deposit_years", bool, "loan.limits"), multiple, _money(t, "balance_floor"),
        _percent(t, "income_share_percent"), _percent(t, "ltv_percent"),
        _percent(t, "ltv_percent_guaranteed_housing"), ages, max_term,
        _count(t, "min_consecutive_deposit_months"), _count(t, "max_previous_loans"), _money(t, "round_down_to"),
        _tiers(t),
    )


def _tiers(t: Table) -> tuple[tuple[int, Decimal], ...]:
    raw = t.get("balance_multiple_tiers", [])
    if not isinstance(raw, list) or not all(isinstance(row, dict) for row in raw):
        raise PolicyError("policy: loan.limits.balance_multiple_tiers must be a list of tables")
    where = "loan.limits.balance_multiple_tiers"
    tiers = tuple((_count(row, "min_deposit_months", where), require(row, "multiple", Decimal, where)) for row in raw)
    if [m for m, _ in tiers] != sorted({m for m, _ in tiers}) or any(k <= 0 for _, k in tiers):
        raise PolicyError(f"policy: {where} need ascending, distinct min_deposit_months and positive multiples")
    return tiers


@dataclass(frozen=True, slots=True)
class Borrower:
    """What the centre knows about the borrower(s); amounts are the sum over both depositors."""

    birth_date: date  # of the main borrower (the age limit applies to them)
    sex: Sex
    account_balance: Money
    monthly_income: Money  # wage base (缴存基数) or verified income
    consecutive_deposit_months: int  # full, unbroken months up to now
    total_deposit_months: int
    two_depositors: bool = False  # spouse also deposits and joins the loan
    previous_hpf_loans: int = 0
    open_hpf_loan: bool = False
    account_normal: bool = True  # not sealed (封存), frozen or pledged
    uplift: frozenset[UpliftCategory] = field(default_factory=frozenset)
    existing_monthly_debt: Money = Money(0)


@dataclass(frozen=True, slots=True)
class Purchase:
    price: Money
    home: HomeOrder = HomeOrder.FIRST
    housing: HousingType = HousingType.COMMERCIAL


@dataclass(frozen=True, slots=True)
class Candidate:
    factor: LimitingFactor
    amount: Money
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class Blocker:
    code: str  # deposit_history / previous_loans / open_loan / account_status / age
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class LoanLimit:
    eligible: bool
    max_amount: Money  # rounded down; zero when not eligible
    limiting: LimitingFactor | None
    candidates: tuple[Candidate, ...]
    max_months: int
    term_zh: str
    term_en: str
    rate: QuotedRate
    blockers: tuple[Blocker, ...]

    @property
    def explanation_zh(self) -> str:
        if not self.eligible:
            return "暂不符合公积金贷款条件：" + "；".join(b.zh for b in self.blockers) + "。"
        reason = next(c for c in self.candidates if c.factor is self.limiting)
        return (f"您最多可贷 {format_yuan(self.max_amount)}，由{reason.factor.zh}决定：{reason.zh}。"
                f"{self.term_zh}。")

    @property
    def explanation_en(self) -> str:
        if not self.eligible:
            return "Not eligible for an HPF loan yet: " + "; ".join(b.en for b in self.blockers) + "."
        reason = next(c for c in self.candidates if c.factor is self.limiting)
        return (f"You can borrow up to {format_yuan(self.max_amount)}, limited by {reason.factor.en}: "
                f"{reason.en}. {self.term_en}.")


def months_until_age(birth: date, age: int, on: date) -> int:
    """Whole months from `on` until the day the person turns `age` (0 if already there)."""
    year = birth.year + age
    # Born on 29 February: the birthday is 28 February in a common year, 29 February in a leap year.
    leap_day_in_common_year = (birth.month, birth.day) == (2, 29) and not calendar.isleap(year)
    limit = date(year, 2, 28) if leap_day_in_common_year else birth.replace(year=year)
    months = (limit.year - on.year) * 12 + limit.month - on.month - (1 if limit.day < on.day else 0)
    return max(months, 0)


# Capacity above ¥1 trillion is beyond every cap; clipping keeps quantize() inside Decimal's digits.
_CAPACITY_CEILING = Decimal(10**12)


def _years_months(months: int) -> str:
    years, rest = divmod(months, 12)
    return "".join(part for part in (f"{years} 年" if years else "", f"{rest} 个月" if rest else "")) or "0 个月"


def _blockers(b: Borrower, p: LoanLimitPolicy, months_left: int, age_limit: int) -> list[Blocker]:
    out: list[Blocker] = []
    if b.consecutive_deposit_months < p.min_consecutive_deposit_months:
        out.append(Blocker("deposit_history", f"需连续足额缴存满 {p.min_consecutive_deposit_months} 个月，"
                                              f"目前 {b.consecutive_deposit_months} 个月",
                           f"you need {p.min_consecutive_deposit_months} months of full, unbroken deposits; "
                           f"you have {b.consecutive_deposit_months}"))
    if b.open_hpf_loan:
        out.append(Blocker("open_loan", "尚有未结清的公积金贷款", "you still have an HPF loan to pay off"))
    if b.previous_hpf_loans > p.max_previous_loans:
        out.append(Blocker("previous_loans",
                           f"已使用过 {b.previous_hpf_loans} 次公积金贷款，最多 {p.max_previous_loans} 次",
                           f"you have used HPF loans {b.previous_hpf_loans} times; "
                           f"the limit is {p.max_previous_loans}"))
    if not b.account_normal:
        out.append(Blocker("account_status", "公积金账户不是正常缴存状态（封存、冻结或质押）",
                           "your HPF account is not in normal status (sealed, frozen or pledged)"))
    if months_left < 12:
        out.append(Blocker("age", f"贷款到期时年龄不能超过 {age_limit} 周岁",
                           f"you must be at most {age_limit} when the loan ends"))
    return out


def _city_cap(b: Borrower, p: LoanLimitPolicy) -> Candidate:
    if b.two_depositors:
        cap, zh, en = p.cap_two_depositors, "夫妻双方缴存最高额度", "ceiling for two depositors"
    elif b.total_deposit_months < p.short_history_months and not (
            p.talent_ignores_deposit_years and UpliftCategory.TALENT in b.uplift):
        cap = p.cap_single_short_history
        zh = f"缴存不满 {p.short_history_months // 12} 年的单人最高额度"
        en = f"ceiling for one depositor with less than {p.short_history_months // 12} years of deposits"
    else:
        cap, zh, en = p.cap_single, "单人最高额度", "ceiling for one depositor"
    text_zh, text_en = f"{zh} {format_yuan(cap)}", f"the {en} is {format_yuan(cap)}"
    if b.uplift & p.uplift_categories and p.uplift_percent:
        raised = min(cap * (1 + p.uplift_percent / 100), p.uplift_max)
        text_zh += f"，上浮 {p.uplift_percent}%（最高 {format_yuan(p.uplift_max)}）为 {format_yuan(raised)}"
        text_en += f", raised {p.uplift_percent} % (at most {format_yuan(p.uplift_max)}) to {format_yuan(raised)}"
        cap = raised
    return Candidate(LimitingFactor.CITY_CAP, cap, text_zh, text_en)


def _capacity(b: Borrower, p: LoanLimitPolicy, rate: Decimal, months: int, method: RepaymentMethod) -> Candidate:
    share = b.monthly_income * (p.income_share_percent / 100) - b.existing_monthly_debt
    payment = max(share.as_yuan, Decimal(0))
    i = monthly_rate(rate)
    if method is RepaymentMethod.EQUAL_INSTALLMENT:
        principal = annuity_principal(payment, i, months)
    else:  # 等额本金: the first (largest) payment P/n + P·i must fit
        principal = payment / (Decimal(1) / months + i)
    principal = min(principal, _CAPACITY_CEILING)
    amount = Money.round_yuan(principal.quantize(Decimal("0.01"), rounding=ROUND_DOWN))
    debt_zh = f"，扣除现有月还款 {format_yuan(b.existing_monthly_debt)}" if b.existing_monthly_debt else ""
    debt_en = f", less {format_yuan(b.existing_monthly_debt)} you already repay" if b.existing_monthly_debt else ""
    return Candidate(
        LimitingFactor.REPAYMENT_CAPACITY, amount,
        f"月收入 {format_yuan(b.monthly_income)} 的 {p.income_share_percent}% 可用于还款{debt_zh}，"
        f"即每月 {format_yuan(Money.round_yuan(payment))}；按年利率 {rate}%、{months} 期{method.zh}，"
        f"可贷 {format_yuan(amount)}",
        f"{p.income_share_percent} % of your monthly income {format_yuan(b.monthly_income)}{debt_en} is "
        f"{format_yuan(Money.round_yuan(payment))} a month; at {rate} % over {months} months ({method.en}) "
        f"that repays {format_yuan(amount)}",
    )


def max_hpf_loan(
    borrower: Borrower,
    purchase: Purchase,
    policy: LoanLimitPolicy,
    rates: RateTable,
    on: date,
    *,
    months: int | None = None,
    method: RepaymentMethod = RepaymentMethod.EQUAL_INSTALLMENT,
) -> LoanLimit:
    """The largest HPF loan for this borrower and home on `on`, for `months` (default: the longest allowed)."""
    if purchase.price.fen <= 0:
        raise ValueError(f"房价须大于零 / the price must be positive, got {purchase.price}")
    if borrower.account_balance.is_negative() or borrower.monthly_income.is_negative():
        raise ValueError("余额和收入不能为负 / balance and income must not be negative")
    if months is not None and months < 1:
        raise ValueError(f"期数须为正 / months must be positive, got {months}")
    if borrower.birth_date >= on:
        raise ValueError(f"出生日期 {borrower.birth_date} 不早于 {on} / birth date is not before {on}")
    age_limit = policy.max_age_at_maturity[borrower.sex]
    months_left = months_until_age(borrower.birth_date, age_limit, on)
    max_months = min(policy.max_term_months, months_left)
    term = max(1, min(months, max_months) if months is not None else max_months)
    term_zh = f"最长贷款期限 {_years_months(max_months)}（到期时不超过 {age_limit} 周岁）"
    term_en = f"The longest term is {max_months} months (you must be at most {age_limit} when it ends)"
    if months is not None and months > max_months:
        term_zh += f"，申请的 {months} 期已按 {max_months} 期计算"
        term_en += f"; the {months} months asked for were cut to {max_months}"
    rate = rate_for(rates, LoanKind.HPF, purchase.home, term, on)
    multiple = policy.multiple_for(borrower.total_deposit_months)
    balance_amount = max(borrower.account_balance * multiple, policy.balance_floor)
    ltv = policy.ltv_percent_guaranteed_housing if purchase.housing is HousingType.GUARANTEED else policy.ltv_percent
    price_amount = purchase.price * (ltv / 100)
    candidates = (
        Candidate(LimitingFactor.BALANCE, balance_amount,
                  f"账户余额 {format_yuan(borrower.account_balance)} × {multiple} 倍 = "
                  f"{format_yuan(balance_amount)}",
                  f"account balance {format_yuan(borrower.account_balance)} × {multiple} = "
                  f"{format_yuan(balance_amount)}"),
        _capacity(borrower, policy, rate.annual_percent, term, method),
        Candidate(LimitingFactor.PRICE, price_amount,
                  f"房价 {format_yuan(purchase.price)} × {ltv}%（首付 {100 - ltv}%）= {format_yuan(price_amount)}",
                  f"price {format_yuan(purchase.price)} × {ltv} % (down payment {100 - ltv} %) = "
                  f"{format_yuan(price_amount)}"),
        _city_cap(borrower, policy),
    )
    limiting = min(candidates, key=lambda c: c.amount.fen)
    unit = max(policy.round_down_to.fen, 1)
    amount = Money(limiting.amount.fen // unit * unit)
    blockers = tuple(_blockers(borrower, policy, months_left, age_limit))
    if blockers:
        return LoanLimit(False, Money(0), None, candidates, max_months, term_zh, term_en, rate, blockers)
    return LoanLimit(True, amount, limiting.factor, candidates, max_months, term_zh, term_en, rate, ())


def combined_loan_split(price: Money, ltv_percent: Decimal, hpf_max: Money, wanted: Money | None = None) -> tuple[
        Money, Money]:
    """组合贷款: (HPF part, commercial part) for a total of `wanted` (default price × LTV).

    The HPF part takes as much as it may; the commercial part covers the rest of the total.
    """
    ceiling = price * (ltv_percent / 100)
    total = ceiling if wanted is None else wanted
    if total.fen <= 0 or total > ceiling:
        raise ValueError(f"贷款总额须在 0 到 {format_yuan(ceiling)} 之间 / the total must be within 0..{ceiling}, "
                         f"got {total}")
    hpf = min(hpf_max, total)
    return hpf, total - hpf
