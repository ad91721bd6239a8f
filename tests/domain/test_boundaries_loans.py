"""Loan limits and the calculator at every threshold, with exact amounts (issue 16).

Each threshold is tried at the policy file's own figure, one unit below and one above; each amount
is pinned to the fen (or to the rounding unit), worked out by hand in the comment beside it.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from domain.calculator import RepaymentMethod
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
from domain.policy import PolicyError, Table, load_policy_table
from domain.rates import RateTable, load_rate_table

Y = Money.yuan
ON = date(2026, 11, 27)
# Rich enough that the city cap limits; 60 months of deposits; born 1990 (term 360 months).
BASE = Borrower(date(1990, 3, 7), Sex.MALE, Y(100000), Y(50000), 60, 60)
HOME = Purchase(Y(3000000))


@pytest.fixture(scope="module")
def raw() -> Table:
    return load_policy_table("taiyuan")


@pytest.fixture(scope="module")
def limits(raw: Table) -> Table:
    table: Table = raw["loan"]["limits"]
    return table


@pytest.fixture(scope="module")
def pol(raw: Table) -> LoanLimitPolicy:
    return load_loan_limit_policy(raw)


@pytest.fixture(scope="module")
def rates(raw: Table) -> RateTable:
    return load_rate_table(raw)


def _capacity(result: object) -> Money:
    candidates = result.candidates  # type: ignore[attr-defined]
    return next(c.amount for c in candidates if c.factor is LimitingFactor.REPAYMENT_CAPACITY)


# -- prerequisites at their boundaries ----------------------------------------------------------------


def test_consecutive_deposit_months_at_the_policy_minimum(pol: LoanLimitPolicy, rates: RateTable,
                                                           limits: Table) -> None:
    need = limits["min_consecutive_deposit_months"]
    assert need == 6
    below = max_hpf_loan(replace(BASE, consecutive_deposit_months=need - 1), HOME, pol, rates, ON)
    assert [b.code for b in below.blockers] == ["deposit_history"] and below.max_amount == Money(0)
    for months in (need, need + 1):
        assert max_hpf_loan(replace(BASE, consecutive_deposit_months=months), HOME, pol, rates, ON).eligible


def test_previous_loans_at_the_policy_maximum(pol: LoanLimitPolicy, rates: RateTable, limits: Table) -> None:
    most = limits["max_previous_loans"]
    assert most == 1
    for count in (most - 1, most):
        assert max_hpf_loan(replace(BASE, previous_hpf_loans=count), HOME, pol, rates, ON).eligible
    over = max_hpf_loan(replace(BASE, previous_hpf_loans=most + 1), HOME, pol, rates, ON)
    assert [b.code for b in over.blockers] == ["previous_loans"]
    assert "已使用过 2 次公积金贷款，最多 1 次" in over.explanation_zh
    assert "used HPF loans 2 times; the limit is 1" in over.explanation_en


def test_open_loan_and_account_status_block_alone(pol: LoanLimitPolicy, rates: RateTable) -> None:
    open_loan = max_hpf_loan(replace(BASE, open_hpf_loan=True), HOME, pol, rates, ON)
    assert [b.code for b in open_loan.blockers] == ["open_loan"] and not open_loan.eligible
    assert "尚有未结清的公积金贷款" in open_loan.explanation_zh
    sealed = max_hpf_loan(replace(BASE, account_normal=False), HOME, pol, rates, ON)
    assert [b.code for b in sealed.blockers] == ["account_status"]


def test_months_left_until_the_age_limit_at_twelve(pol: LoanLimitPolicy, rates: RateTable, limits: Table) -> None:
    age = limits["max_age_at_maturity"]
    assert age == 68
    # Turns 68 on 2027-11-27: exactly 12 months from ON; a day later born -> 12, a day earlier -> 11.
    at = max_hpf_loan(replace(BASE, birth_date=date(2027 - age, 11, 27)), HOME, pol, rates, ON)
    assert at.eligible and at.max_months == 12
    later = max_hpf_loan(replace(BASE, birth_date=date(2027 - age, 11, 28)), HOME, pol, rates, ON)
    assert later.eligible and later.max_months == 12
    earlier = max_hpf_loan(replace(BASE, birth_date=date(2027 - age, 11, 26)), HOME, pol, rates, ON)
    assert not earlier.eligible and earlier.max_months == 11 and [b.code for b in earlier.blockers] == ["age"]
    assert "贷款到期时年龄不能超过 68 周岁" in earlier.explanation_zh
    assert "at most 68 when the loan ends" in earlier.explanation_en


def test_birth_date_must_be_before_the_day(pol: LoanLimitPolicy, rates: RateTable) -> None:
    with pytest.raises(ValueError, match="birth date is not before"):
        max_hpf_loan(replace(BASE, birth_date=date(2026, 11, 28)), HOME, pol, rates, ON)
    with pytest.raises(ValueError, match="birth date is not before"):
        max_hpf_loan(replace(BASE, birth_date=ON), HOME, pol, rates, ON)
    assert max_hpf_loan(replace(BASE, birth_date=date(2026, 11, 26)), HOME, pol, rates, ON).max_months == 360


def test_price_one_fen_and_months_one(pol: LoanLimitPolicy, rates: RateTable) -> None:
    tiny = max_hpf_loan(BASE, Purchase(Money(1)), pol, rates, ON)
    assert tiny.limiting is LimitingFactor.PRICE and tiny.max_amount == Money(0)  # 0.8 fen -> 0 after rounding
    with pytest.raises(ValueError, match="price must be positive"):
        max_hpf_loan(BASE, Purchase(Money(-1)), pol, rates, ON)
    one = max_hpf_loan(BASE, HOME, pol, rates, ON, months=1)
    assert one.eligible and one.max_months == 360 and one.rate.annual_percent == Decimal("2.1")
    with pytest.raises(ValueError, match="^余额和收入不能为负 / balance and income must not be negative$"):
        max_hpf_loan(replace(BASE, monthly_income=Money(-1)), HOME, pol, rates, ON)
    zero = max_hpf_loan(replace(BASE, account_balance=Money(0), monthly_income=Money(0)), HOME, pol, rates, ON)
    assert zero.eligible and zero.max_amount == Money(0)


def test_asked_term_equal_to_the_longest_is_not_cut(pol: LoanLimitPolicy, rates: RateTable) -> None:
    result = max_hpf_loan(BASE, HOME, pol, rates, ON, months=360)
    assert "cut" not in result.term_en and "已按" not in result.term_zh
    cut = max_hpf_loan(replace(BASE, birth_date=date(1968, 3, 7)), HOME, pol, rates, ON, months=112)
    assert "the 112 months asked for were cut to 111" in cut.term_en and "申请的 112 期已按 111 期计算" in cut.term_zh
    fits = max_hpf_loan(replace(BASE, birth_date=date(1968, 3, 7)), HOME, pol, rates, ON, months=111)
    assert "cut" not in fits.term_en
    assert fits.term_zh.startswith("最长贷款期限 9 年3 个月（到期时不超过 68 周岁）")
    assert "The longest term is 111 months (you must be at most 68 when it ends)" == fits.term_en


def test_term_text_for_whole_years_and_less_than_a_year(pol: LoanLimitPolicy, rates: RateTable) -> None:
    assert max_hpf_loan(BASE, HOME, pol, rates, ON).term_zh.startswith("最长贷款期限 30 年（")
    months11 = max_hpf_loan(replace(BASE, birth_date=date(1959, 10, 27)), HOME, pol, rates, ON)
    assert months11.term_zh.startswith("最长贷款期限 11 个月（")
    none = max_hpf_loan(replace(BASE, birth_date=date(1950, 1, 1)), HOME, pol, rates, ON)
    assert none.term_zh.startswith("最长贷款期限 0 个月（") and none.max_months == 0


# -- the age-limit date --------------------------------------------------------------------------------


def test_29_february_birthday_reaching_the_limit_in_a_non_leap_year() -> None:
    # Born 1960-02-29, the 67th birthday falls in 2027 (not a leap year): counted from 2027-02-28.
    born = date(1960, 2, 29)
    assert months_until_age(born, 67, date(2026, 11, 27)) == 3
    assert months_until_age(born, 67, date(2026, 11, 28)) == 3  # 28 Feb: the same day of the month
    assert months_until_age(born, 67, date(2026, 11, 29)) == 2
    assert months_until_age(born, 67, date(2027, 2, 28)) == 0
    assert months_until_age(born, 67, date(2027, 3, 1)) == 0  # past the limit: never negative
    # A leap year keeps 29 February: 2028-02-29 from 2027-11-29 is 3 months.
    assert months_until_age(born, 68, date(2027, 11, 29)) == 3
    assert months_until_age(born, 68, date(2027, 11, 30)) == 2


def test_age_limit_for_an_ordinary_birthday_by_day_of_month() -> None:
    born = date(1990, 3, 7)
    assert months_until_age(born, 68, date(2057, 3, 7)) == 12
    assert months_until_age(born, 68, date(2057, 3, 6)) == 12
    assert months_until_age(born, 68, date(2057, 3, 8)) == 11
    assert months_until_age(born, 68, date(2058, 3, 7)) == 0


# -- the four amounts ------------------------------------------------------------------------------------


def test_equal_principal_max_loan_exactly(pol: LoanLimitPolicy, rates: RateTable) -> None:
    # 60 % of 2,500 = 1,500 a month; 等额本金's first payment P/360 + P·2.6%/12 must fit:
    # P = 1500 / (1/360 + 0.026/12) = 303,370.78 -> 303,300 (rounded down to 100).
    poorer = replace(BASE, monthly_income=Y(2500), account_balance=Y(40000))
    result = max_hpf_loan(poorer, HOME, pol, rates, ON, method=RepaymentMethod.EQUAL_PRINCIPAL)
    assert _capacity(result) == Y("303370.78")
    assert result.limiting is LimitingFactor.REPAYMENT_CAPACITY and result.max_amount == Y(303300)
    assert "等额本金" in result.explanation_zh and "可贷 ¥303,370.78" in result.explanation_zh
    annuity = max_hpf_loan(poorer, HOME, pol, rates, ON)
    assert _capacity(annuity) == Y("374681.79") and annuity.max_amount == Y(374600)


def test_equal_principal_over_a_short_term(pol: LoanLimitPolicy, rates: RateTable) -> None:
    # 60 months at 2.1 %: P = 1500 / (1/60 + 0.021/12) = 1500 / 0.0184166.. = 81,447.96
    poorer = replace(BASE, monthly_income=Y(2500))
    result = max_hpf_loan(poorer, HOME, pol, rates, ON, months=60, method=RepaymentMethod.EQUAL_PRINCIPAL)
    assert _capacity(result) == Y("81447.96") and result.max_amount == Y(81400)


def test_existing_debt_exactly_the_income_share_and_above(pol: LoanLimitPolicy, rates: RateTable) -> None:
    poorer = replace(BASE, monthly_income=Y(2500))
    at = max_hpf_loan(replace(poorer, existing_monthly_debt=Y(1500)), HOME, pol, rates, ON)
    assert _capacity(at) == Money(0) and at.max_amount == Money(0) and at.eligible
    above = max_hpf_loan(replace(poorer, existing_monthly_debt=Y(2000)), HOME, pol, rates, ON)
    assert _capacity(above) == Money(0) and above.max_amount == Money(0)
    assert "即每月 ¥0.00" in above.explanation_zh and "扣除现有月还款 ¥2,000.00" in above.explanation_zh
    # 1,500 - 500 = 1,000 a month over 360 at 2.6 % (annuity): 1000 × (1.0021667^360 − 1) / (i·1.0021667^360)
    less = max_hpf_loan(replace(poorer, existing_monthly_debt=Y(500)), HOME, pol, rates, ON)
    assert _capacity(less) == Y("249787.86") and less.max_amount == Y(249700)
    assert "less ¥500.00 you already repay" in less.explanation_en
    no_debt = max_hpf_loan(poorer, HOME, pol, rates, ON)
    assert "扣除" not in no_debt.explanation_zh and "already repay" not in no_debt.explanation_en


def test_balance_times_multiple_and_the_floor(pol: LoanLimitPolicy, rates: RateTable, limits: Table) -> None:
    assert limits["balance_multiple"] == 25
    result = max_hpf_loan(replace(BASE, account_balance=Y("10000.04")), HOME, pol, rates, ON)
    balance = next(c for c in result.candidates if c.factor is LimitingFactor.BALANCE)
    assert balance.amount == Y(250001) and result.max_amount == Y(250000)  # 10,000.04 × 25 = 250,001.00
    floored = replace(pol, balance_floor=Y(300000))
    lifted = max_hpf_loan(replace(BASE, account_balance=Y(10000)), HOME, floored, rates, ON)
    assert next(c for c in lifted.candidates if c.factor is LimitingFactor.BALANCE).amount == Y(300000)


def test_balance_multiple_tiers_at_their_month_boundaries(pol: LoanLimitPolicy, rates: RateTable) -> None:
    tiered = replace(pol, balance_multiple_tiers=((0, Decimal(16)), (24, Decimal(18)), (49, Decimal(20))))
    assert [tiered.multiple_for(m) for m in (0, 23, 24, 25, 48, 49, 50)] == [16, 16, 18, 18, 18, 20, 20]
    assert pol.multiple_for(0) == 25 and pol.multiple_for(1000) == 25
    late = replace(pol, balance_multiple_tiers=((12, Decimal(30)),))
    assert late.multiple_for(11) == 25 and late.multiple_for(12) == 30
    result = max_hpf_loan(replace(BASE, account_balance=Y(10000), total_deposit_months=24), HOME, tiered, rates, ON)
    assert result.max_amount == Y(180000) and "× 18 倍" in result.explanation_zh


def test_price_times_ltv_exactly(pol: LoanLimitPolicy, rates: RateTable, limits: Table) -> None:
    assert (limits["ltv_percent"], limits["ltv_percent_guaranteed_housing"]) == (80, 85)
    result = max_hpf_loan(BASE, Purchase(Y("500000.50")), pol, rates, ON)
    price = next(c for c in result.candidates if c.factor is LimitingFactor.PRICE)
    assert price.amount == Y("400000.40") and result.max_amount == Y(400000)
    assert "首付 20%" in result.explanation_zh and "down payment 20 %" in result.explanation_en
    guaranteed = max_hpf_loan(BASE, Purchase(Y(500000), housing=HousingType.GUARANTEED), pol, rates, ON)
    assert guaranteed.max_amount == Y(425000)


def test_rounding_down_to_the_policy_unit(pol: LoanLimitPolicy, rates: RateTable, limits: Table) -> None:
    assert limits["round_down_to"] == 100
    for balance, expected in (("3999.96", 99900), ("4000.00", 100000), ("4000.04", 100000)):
        result = max_hpf_loan(replace(BASE, account_balance=Y(balance)), HOME, pol, rates, ON)
        assert result.max_amount == Y(expected), balance
    exact = max_hpf_loan(replace(BASE, account_balance=Y("3999.99")), HOME, replace(pol, round_down_to=Money(0)),
                         rates, ON)
    assert exact.max_amount == Y("99999.75")  # no rounding unit: to the fen


# -- the city cap ------------------------------------------------------------------------------------------


def test_short_history_cap_at_36_months(pol: LoanLimitPolicy, rates: RateTable, limits: Table) -> None:
    months = limits["short_history_months"]
    assert months == 36
    assert max_hpf_loan(replace(BASE, total_deposit_months=months - 1), HOME, pol, rates, ON).max_amount == Y(500000)
    for m in (months, months + 1):
        assert max_hpf_loan(replace(BASE, total_deposit_months=m), HOME, pol, rates, ON).max_amount == Y(700000)
    short = max_hpf_loan(replace(BASE, total_deposit_months=months - 1), HOME, pol, rates, ON)
    assert "缴存不满 3 年的单人最高额度 ¥500,000.00" in short.explanation_zh


def test_talent_ignores_history_only_when_the_policy_says_so(pol: LoanLimitPolicy, rates: RateTable) -> None:
    talent = replace(BASE, total_deposit_months=10, uplift=frozenset({UpliftCategory.TALENT}))
    assert max_hpf_loan(talent, HOME, pol, rates, ON).max_amount == Y(910000)  # 700,000 × 1.3
    strict = replace(pol, talent_ignores_deposit_years=False)
    assert max_hpf_loan(talent, HOME, strict, rates, ON).max_amount == Y(650000)  # 500,000 × 1.3
    military = replace(BASE, total_deposit_months=10, uplift=frozenset({UpliftCategory.MILITARY}))
    assert max_hpf_loan(military, HOME, pol, rates, ON).max_amount == Y(650000)


def test_uplift_exactly_and_capped(pol: LoanLimitPolicy, rates: RateTable) -> None:
    couple = replace(BASE, two_depositors=True, uplift=frozenset({UpliftCategory.MULTI_CHILD}))
    result = max_hpf_loan(couple, HOME, pol, rates, ON)
    assert result.max_amount == Y(1300000)  # 1,000,000 × 1.3 = 1,300,000 = uplift_max
    assert "上浮 30%（最高 ¥1,300,000.00）为 ¥1,300,000.00" in result.explanation_zh
    assert "raised 30 % (at most ¥1,300,000.00) to ¥1,300,000.00" in result.explanation_en
    lower_max = replace(pol, uplift_max=Y(1200000))
    assert max_hpf_loan(couple, HOME, lower_max, rates, ON).max_amount == Y(1200000)
    no_uplift = replace(pol, uplift_percent=Decimal(0))
    plain = max_hpf_loan(couple, HOME, no_uplift, rates, ON)
    assert plain.max_amount == Y(1000000) and "上浮" not in plain.explanation_zh
    not_listed = replace(pol, uplift_categories=frozenset({UpliftCategory.TALENT}))
    assert max_hpf_loan(couple, HOME, not_listed, rates, ON).max_amount == Y(1000000)
    two = max_hpf_loan(replace(BASE, two_depositors=True), HOME, pol, rates, ON)
    assert "夫妻双方缴存最高额度 ¥1,000,000.00" in two.explanation_zh


def test_limiting_factor_on_a_tie_is_the_first_listed(pol: LoanLimitPolicy, rates: RateTable) -> None:
    # balance 28,000 × 25 = 700,000 = the city cap: the balance (listed first) names the limit.
    result = max_hpf_loan(replace(BASE, account_balance=Y(28000)), HOME, pol, rates, ON)
    assert result.limiting is LimitingFactor.BALANCE and result.max_amount == Y(700000)


# -- policy validation at its bounds ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value", "ok"),
    [
        (("loan", "max_term_months"), 11, False),
        (("loan", "max_term_months"), 12, True),
        (("loan", "max_term_months"), 360, True),
        (("loan", "max_term_months"), 361, False),
        (("loan", "limits", "ltv_percent"), 0, False),
        (("loan", "limits", "ltv_percent"), "0.01", True),
        (("loan", "limits", "ltv_percent"), 100, True),
        (("loan", "limits", "ltv_percent"), "100.01", False),
        (("loan", "limits", "uplift_percent"), -1, False),
        (("loan", "limits", "uplift_percent"), 0, True),
        (("loan", "limits", "uplift_percent"), 100, True),
        (("loan", "limits", "uplift_percent"), 101, False),
        (("loan", "limits", "balance_multiple"), 0, False),
        (("loan", "limits", "balance_multiple"), "0.1", True),
        (("loan", "limits", "cap_single"), 0, True),
        (("loan", "limits", "cap_single"), "-0.01", False),
        (("loan", "limits", "max_previous_loans"), 0, True),
        (("loan", "limits", "max_previous_loans"), -1, False),
    ],
)
def test_policy_bounds(raw: Table, path: tuple[str, ...], value: object, ok: bool) -> None:
    broken = copy.deepcopy(raw)
    node = broken
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    if ok:
        load_loan_limit_policy(broken)
    else:
        with pytest.raises(PolicyError, match=path[-1]):
            load_loan_limit_policy(broken)


def test_policy_tiers_and_sex_specific_ages(raw: Table) -> None:
    good = copy.deepcopy(raw)
    good["loan"]["limits"]["balance_multiple_tiers"] = [{"min_deposit_months": 0, "multiple": 16},
                                                        {"min_deposit_months": 24, "multiple": 18}]
    good["loan"]["limits"]["max_age_at_maturity_male"] = 65
    loaded = load_loan_limit_policy(good)
    assert loaded.balance_multiple_tiers == ((0, Decimal(16)), (24, Decimal(18)))
    assert loaded.max_age_at_maturity == {Sex.MALE: 65, Sex.FEMALE: 68}
    for tiers in ([{"min_deposit_months": 24, "multiple": 18}, {"min_deposit_months": 0, "multiple": 16}],
                  [{"min_deposit_months": 0, "multiple": 16}, {"min_deposit_months": 0, "multiple": 18}],
                  [{"min_deposit_months": 0, "multiple": 0}], ["16"], "16"):
        bad = copy.deepcopy(raw)
        bad["loan"]["limits"]["balance_multiple_tiers"] = tiers
        with pytest.raises(PolicyError, match="balance_multiple_tiers"):
            load_loan_limit_policy(bad)


# -- combined loans ------------------------------------------------------------------------------------------


def test_combined_split_at_its_bounds() -> None:
    # ceiling 1,000,000 × 80 % = 800,000: exactly the ceiling is allowed, a fen more is not.
    assert combined_loan_split(Y(1000000), Decimal(80), Y(700000), Y(800000)) == (Y(700000), Y(100000))
    with pytest.raises(ValueError, match="total must be within"):
        combined_loan_split(Y(1000000), Decimal(80), Y(700000), Y("800000.01"))
    assert combined_loan_split(Y(1000000), Decimal(80), Y(700000), Money(1)) == (Money(1), Money(0))
    with pytest.raises(ValueError, match="total must be within"):
        combined_loan_split(Y(1000000), Decimal(80), Y(700000), Money(0))
    assert combined_loan_split(Y(1000000), Decimal(80), Y(900000)) == (Y(800000), Money(0))


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("loan", "max_term_months"), 11, "policy: loan.max_term_months = 11 must be 12..360"),
        (("loan", "limits", "ltv_percent"), 0, "policy: loan.limits.ltv_percent = 0 must be a percentage in (0, 100]"),
        (("loan", "limits", "uplift_percent"), 101, "policy: loan.limits.uplift_percent = 101 must be 0..100"),
        (("loan", "limits", "balance_multiple"), 0, "policy: loan.limits.balance_multiple = 0 must be positive"),
        (("loan", "limits", "cap_single"), "-0.01", "policy: loan.limits.cap_single = -0.01 must not be negative"),
        (("loan", "limits", "max_previous_loans"), -1,
         "policy: loan.limits.max_previous_loans = -1 must not be negative"),
        (("loan", "limits", "uplift_categories"), ["royalty"],
         "policy: loan.limits.uplift_categories = ['royalty'] has an unknown category "
         "(known: ['talent', 'multi_child', 'military'])"),
        (("loan", "limits", "balance_multiple_tiers"), "16",
         "policy: loan.limits.balance_multiple_tiers must be a list of tables"),
        (("loan", "limits", "balance_multiple_tiers"), ["16"],
         "policy: loan.limits.balance_multiple_tiers must be a list of tables"),
        (("loan", "limits", "balance_multiple_tiers"), [{"min_deposit_months": 0, "multiple": 0}],
         "policy: loan.limits.balance_multiple_tiers need ascending, distinct min_deposit_months and positive "
         "multiples"),
        (("loan", "limits", "balance_multiple_tiers"), [{"min_deposit_months": 0}],
         "policy: missing key loan.limits.balance_multiple_tiers.multiple"),
        (("loan", "limits", "balance_multiple_tiers"), [{"multiple": 16}],
         "policy: missing key loan.limits.balance_multiple_tiers.min_deposit_months"),
        (("loan", "limits", "max_age_at_maturity_male"), -1,
         "policy: loan.limits.max_age_at_maturity_male = -1 must not be negative"),
        (("loan", "limits", "max_age_at_maturity_female"), -1,
         "policy: loan.limits.max_age_at_maturity_female = -1 must not be negative"),
        (("loan", "limits", "talent_ignores_deposit_years"), "yes",
         "policy: loan.limits.talent_ignores_deposit_years = 'yes' must be bool"),
        (("loan", "limits", "uplift_categories"), "talent",
         "policy: loan.limits.uplift_categories = 'talent' must be list"),
    ],
)
def test_policy_messages_word_for_word(raw: Table, path: tuple[str, ...], value: object, message: str) -> None:
    broken = copy.deepcopy(raw)
    node = broken
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    with pytest.raises(PolicyError) as err:
        load_loan_limit_policy(broken)
    assert str(err.value) == message


def test_tiers_with_one_row_at_one_times_the_balance(raw: Table) -> None:
    one = copy.deepcopy(raw)
    one["loan"]["limits"]["balance_multiple_tiers"] = [{"min_deposit_months": 0, "multiple": 1}]
    assert load_loan_limit_policy(one).balance_multiple_tiers == ((0, Decimal(1)),)
    assert load_loan_limit_policy(raw).balance_multiple_tiers == ()
