"""Maximum HPF loan: each limiting factor, term by age, prerequisites, policy errors."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.calculator import RepaymentMethod, repayment_schedule
from domain.identity import Sex
from domain.loan_limits import (
    Borrower,
    HousingType,
    LimitingFactor,
    LoanLimitPolicy,
    Purchase,
    UpliftCategory,
    combined_loan_split,
    load_loan_limit_policy,
    max_hpf_loan,
    months_until_age,
)
from domain.money import Money
from domain.policy import PolicyError, Table, load_policy_table, policy_path
from domain.rates import HomeOrder, RateTable, load_rate_table

Y = Money.yuan
ON = date(2026, 11, 27)
BASE = Borrower(date(1990, 3, 7), Sex.MALE, Y(40000), Y(20000), 60, 60)
HOME = Purchase(Y(2000000))


@pytest.fixture(scope="module")
def raw() -> Table:
    return load_policy_table("taiyuan")


@pytest.fixture(scope="module")
def pol(raw: Table) -> LoanLimitPolicy:
    return load_loan_limit_policy(raw)


@pytest.fixture(scope="module")
def rates(raw: Table) -> RateTable:
    return load_rate_table(raw)


def test_taiyuan_figures_loaded(pol: LoanLimitPolicy) -> None:
    assert (pol.cap_single, pol.cap_single_short_history, pol.cap_two_depositors) == (Y(700000), Y(500000),
                                                                                       Y(1000000))
    assert pol.uplift_max == Y(1300000) and pol.ltv_percent == 80 and pol.ltv_percent_guaranteed_housing == 85
    assert pol.max_age_at_maturity == {Sex.MALE: 68, Sex.FEMALE: 68} and pol.min_consecutive_deposit_months == 6


def test_city_cap_limits_a_well_off_single_borrower(pol: LoanLimitPolicy, rates: RateTable) -> None:
    result = max_hpf_loan(BASE, HOME, pol, rates, ON)
    assert result.eligible and result.limiting is LimitingFactor.CITY_CAP and result.max_amount == Y(700000)
    assert "本市最高贷款额度" in result.explanation_zh and "¥700,000.00" in result.explanation_zh
    assert "the city's loan ceiling" in result.explanation_en
    assert result.max_months == 360 and result.rate.annual_percent == Decimal("2.6")


def test_balance_limits(pol: LoanLimitPolicy, rates: RateTable) -> None:
    result = max_hpf_loan(replace(BASE, account_balance=Y("12345.67")), HOME, pol, rates, ON)
    assert result.limiting is LimitingFactor.BALANCE
    assert result.max_amount == Y(308600)  # 308,641.75 rounded down to 100
    assert "¥12,345.67 × 25" in result.explanation_zh and "account balance" in result.explanation_en


def test_repayment_capacity_limits_and_matches_the_calculator(pol: LoanLimitPolicy, rates: RateTable) -> None:
    result = max_hpf_loan(replace(BASE, monthly_income=Y(2500)), HOME, pol, rates, ON)
    assert result.limiting is LimitingFactor.REPAYMENT_CAPACITY
    capacity = next(c for c in result.candidates if c.factor is LimitingFactor.REPAYMENT_CAPACITY)
    # 60 % of 2,500 = 1,500 a month; that principal's 2.6 % 30-year payment fits within it
    plan = repayment_schedule(capacity.amount.as_yuan, Decimal("2.6"), 360, RepaymentMethod.EQUAL_INSTALLMENT)
    assert Decimal("1499.99") <= plan[0].payment <= Decimal("1500.00")
    assert result.max_amount == Y(374600)  # 500,000 × 1,500 / 2,001.70 = 374,681 -> down to 100
    assert "ability to repay" in result.explanation_en and "¥1,500.00" in result.explanation_zh


def test_equal_principal_capacity_is_lower(pol: LoanLimitPolicy, rates: RateTable) -> None:
    poorer = replace(BASE, monthly_income=Y(2500))
    ei = max_hpf_loan(poorer, HOME, pol, rates, ON)
    ep = max_hpf_loan(poorer, HOME, pol, rates, ON, method=RepaymentMethod.EQUAL_PRINCIPAL)
    assert ep.max_amount < ei.max_amount
    first = repayment_schedule(ep.max_amount.as_yuan, Decimal("2.6"), 360, RepaymentMethod.EQUAL_PRINCIPAL)[0]
    assert first.payment <= Decimal(1500)


def test_existing_debt_reduces_capacity(pol: LoanLimitPolicy, rates: RateTable) -> None:
    poorer = replace(BASE, monthly_income=Y(2500))
    indebted = max_hpf_loan(replace(poorer, existing_monthly_debt=Y(500)), HOME, pol, rates, ON)
    assert indebted.max_amount < max_hpf_loan(poorer, HOME, pol, rates, ON).max_amount
    assert "¥500.00" in indebted.explanation_zh


def test_price_limits_with_guaranteed_housing_ltv(pol: LoanLimitPolicy, rates: RateTable) -> None:
    cheap = max_hpf_loan(BASE, Purchase(Y(600000)), pol, rates, ON)
    assert cheap.limiting is LimitingFactor.PRICE and cheap.max_amount == Y(480000)
    guaranteed = max_hpf_loan(BASE, Purchase(Y(600000), housing=HousingType.GUARANTEED), pol, rates, ON)
    assert guaranteed.max_amount == Y(510000) and "首付 15%" in guaranteed.explanation_zh


def test_caps_by_history_couple_and_uplift(pol: LoanLimitPolicy, rates: RateTable) -> None:
    rich = replace(BASE, account_balance=Y(100000), monthly_income=Y(50000))
    short = max_hpf_loan(replace(rich, total_deposit_months=30), HOME, pol, rates, ON)
    assert short.max_amount == Y(500000) and "less than 3 years" in short.explanation_en
    talent = max_hpf_loan(replace(rich, total_deposit_months=30, uplift=frozenset({UpliftCategory.TALENT})),
                          HOME, pol, rates, ON)
    assert talent.max_amount == Y(910000)  # talent ignores deposit years, then +30 %
    couple = max_hpf_loan(replace(rich, two_depositors=True, uplift=frozenset({UpliftCategory.MULTI_CHILD})),
                          Purchase(Y(3000000)), pol, rates, ON)
    assert couple.max_amount == Y(1300000) and couple.limiting is LimitingFactor.CITY_CAP


def test_term_bounded_by_age_at_maturity(pol: LoanLimitPolicy, rates: RateTable) -> None:
    older = replace(BASE, birth_date=date(1968, 3, 7))
    result = max_hpf_loan(older, HOME, pol, rates, ON)
    assert result.max_months == 111  # until 2036-03-07, the 68th birthday
    assert "9 年3 个月" in result.term_zh
    asked = max_hpf_loan(older, HOME, pol, rates, ON, months=240)
    assert "cut to 111" in asked.term_en
    too_old = max_hpf_loan(replace(BASE, birth_date=date(1958, 12, 1)), HOME, pol, rates, ON)
    assert not too_old.eligible and [b.code for b in too_old.blockers] == ["age"]


def test_months_until_age() -> None:
    assert months_until_age(date(1990, 3, 7), 68, date(2026, 3, 7)) == 384
    assert months_until_age(date(1990, 3, 7), 68, date(2026, 3, 8)) == 383
    assert months_until_age(date(1988, 2, 29), 68, date(2056, 1, 28)) == 1
    # A leap-day birthday in a leap year is 29 February (it was counted from the 28th, a month short
    # for a count starting on the 29th); in a common year it is 28 February.
    assert months_until_age(date(1960, 2, 29), 68, date(2027, 11, 29)) == 3
    assert months_until_age(date(1960, 2, 29), 67, date(2026, 11, 29)) == 2
    assert months_until_age(date(1950, 1, 1), 68, ON) == 0


def test_prerequisites_block_with_reasons(pol: LoanLimitPolicy, rates: RateTable) -> None:
    blocked = replace(BASE, consecutive_deposit_months=5, open_hpf_loan=True, previous_hpf_loans=2,
                      account_normal=False)
    result = max_hpf_loan(blocked, HOME, pol, rates, ON)
    assert not result.eligible and result.max_amount == Money(0) and result.limiting is None
    assert [b.code for b in result.blockers] == ["deposit_history", "open_loan", "previous_loans", "account_status"]
    assert "连续足额缴存满 6 个月，目前 5 个月" in result.explanation_zh
    assert "unbroken deposits" in result.explanation_en
    assert max_hpf_loan(replace(BASE, consecutive_deposit_months=6), HOME, pol, rates, ON).eligible


def test_second_home_uses_second_home_rate(pol: LoanLimitPolicy, rates: RateTable) -> None:
    result = max_hpf_loan(BASE, Purchase(Y(2000000), home=HomeOrder.SECOND), pol, rates, ON, months=60)
    assert result.rate.annual_percent == Decimal("2.525")


def test_bad_inputs(pol: LoanLimitPolicy, rates: RateTable) -> None:
    with pytest.raises(ValueError, match="price must be positive"):
        max_hpf_loan(BASE, Purchase(Money(0)), pol, rates, ON)
    with pytest.raises(ValueError, match="must not be negative"):
        max_hpf_loan(replace(BASE, account_balance=Y(-1)), HOME, pol, rates, ON)
    with pytest.raises(ValueError, match="months must be positive, got 0"):
        max_hpf_loan(BASE, HOME, pol, rates, ON, months=0)
    with pytest.raises(ValueError, match="birth date is not before"):
        max_hpf_loan(replace(BASE, birth_date=ON), HOME, pol, rates, ON)
    huge = max_hpf_loan(replace(BASE, monthly_income=Money(10**21)), HOME, pol, rates, ON)
    assert huge.max_amount == Y(700000)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("cap_single", None, "missing key loan.limits.cap_single"),
        ("max_age_at_maturity", None, "missing key loan.limits.max_age_at_maturity"),
        ("ltv_percent", 300, "loan.limits.ltv_percent = 300 must be a percentage"),
        ("balance_multiple", "many", "loan.limits.balance_multiple = 'many' is not a number"),
        ("uplift_categories", ["royalty"], "unknown category"),
        ("cap_two_depositors", -5, "must not be negative"),
    ],
)
def test_policy_errors_name_the_key(raw: Table, key: str, value: object, message: str) -> None:
    broken = copy.deepcopy(raw)
    if value is None:
        del broken["loan"]["limits"][key]
    else:
        broken["loan"]["limits"][key] = value
    with pytest.raises(PolicyError) as err:
        load_loan_limit_policy(broken)
    assert message in str(err.value)


def test_sex_specific_age_limits(raw: Table, rates: RateTable) -> None:
    other_city = copy.deepcopy(raw)
    other_city["loan"]["limits"]["max_age_at_maturity_female"] = 63
    pol = load_loan_limit_policy(other_city)
    woman = replace(BASE, sex=Sex.FEMALE, birth_date=date(1970, 1, 1))
    assert max_hpf_loan(woman, HOME, pol, rates, ON).max_months == 73  # until 2033-01-01


def test_combined_split() -> None:
    assert combined_loan_split(Y(1500000), Decimal(80), Y(700000)) == (Y(700000), Y(500000))
    assert combined_loan_split(Y(1500000), Decimal(80), Y(700000), Y(600000)) == (Y(600000), Y(0))
    with pytest.raises(ValueError, match="total must be within"):
        combined_loan_split(Y(1000000), Decimal(80), Y(700000), Y(900000))


@settings(max_examples=60, deadline=None)
@given(
    balance=st.integers(0, 200_000), income=st.integers(0, 60_000), price=st.integers(100_000, 5_000_000),
    history=st.integers(6, 400), couple=st.booleans(),
)
def test_result_is_the_least_candidate(
    pol: LoanLimitPolicy, rates: RateTable, balance: int, income: int, price: int, history: int, couple: bool
) -> None:
    b = replace(BASE, account_balance=Y(balance), monthly_income=Y(income), total_deposit_months=history,
                two_depositors=couple)
    result = max_hpf_loan(b, Purchase(Y(price)), pol, rates, ON)
    least = min(c.amount for c in result.candidates)
    assert result.max_amount <= least and (least - result.max_amount) < Y(100)
    assert result.max_amount.fen % 10000 == 0
    assert result.max_amount <= Y(1000000 if couple else 700000)


def test_a_city_file_missing_a_key_fails_with_the_key_named(tmp_path: Path) -> None:
    text = policy_path("taiyuan").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if not ln.startswith("income_share_percent")]
    broken = tmp_path / "othercity.toml"
    broken.write_text("\n".join(lines), encoding="utf-8")
    raw = load_policy_table("othercity", broken)
    load_rate_table(raw)  # the rest of the file is still good
    with pytest.raises(PolicyError, match=r"missing key loan\.limits\.income_share_percent"):
        load_loan_limit_policy(raw)
    raw["loan"]["max_term_months"] = 600
    raw["loan"]["limits"]["income_share_percent"] = 50
    with pytest.raises(PolicyError, match=r"loan\.max_term_months = 600"):
        load_loan_limit_policy(raw)


def test_balance_multiple_tiers_by_deposit_months(raw: Table, rates: RateTable) -> None:
    tiered = copy.deepcopy(raw)
    tiered["loan"]["limits"]["balance_multiple_tiers"] = [
        {"min_deposit_months": 0, "multiple": 16}, {"min_deposit_months": 24, "multiple": 18},
        {"min_deposit_months": 49, "multiple": 20}]
    pol = load_loan_limit_policy(tiered)
    assert [pol.multiple_for(m) for m in (6, 24, 48, 49)] == [16, 18, 18, 20]
    result = max_hpf_loan(replace(BASE, account_balance=Y(10000), total_deposit_months=30), HOME, pol, rates, ON)
    assert result.max_amount == Y(180000) and "× 18 倍" in result.explanation_zh
    tiered["loan"]["limits"]["balance_multiple_tiers"] = [{"min_deposit_months": 24, "multiple": 18},
                                                          {"min_deposit_months": 0, "multiple": 16}]
    with pytest.raises(PolicyError, match="ascending"):
        load_loan_limit_policy(tiered)
    tiered["loan"]["limits"]["balance_multiple_tiers"] = [{"multiple": 18}]
    with pytest.raises(PolicyError, match="missing key loan.limits.balance_multiple_tiers.min_deposit_months"):
        load_loan_limit_policy(tiered)
