"""Early-repayment quotes: full, partial with shorter term or lower payment, bad input."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.calculator import InvalidLoanInput, RepaymentMethod, annuity_payment, monthly_rate, repayment_schedule
from domain.early_repayment import (
    AfterPrepayment,
    EarlyRepaymentPolicy,
    RunningLoan,
    load_early_repayment_policy,
    quote_early_repayment,
)
from domain.policy import PolicyError, load_policy_table

D = Decimal
EI, EP = RepaymentMethod.EQUAL_INSTALLMENT, RepaymentMethod.EQUAL_PRINCIPAL
SHORTEN, LOWER = AfterPrepayment.SHORTEN_TERM, AfterPrepayment.LOWER_PAYMENT
POLICY = EarlyRepaymentPolicy(D(10000), D(0))
LOAN = RunningLoan(D(500000), D("2.85"), 360, EI, 60)


def test_policy_loaded_and_checked() -> None:
    raw = load_policy_table("taiyuan")
    assert load_early_repayment_policy(raw) == EarlyRepaymentPolicy(D(10000), D(0))
    broken = copy.deepcopy(raw)
    del broken["loan"]["early_repayment"]["min_partial"]
    with pytest.raises(PolicyError, match=r"missing key loan.early_repayment.min_partial"):
        load_early_repayment_policy(broken)


def test_full_repayment_saves_all_remaining_interest() -> None:
    plan = repayment_schedule(D(500000), D("2.85"), 360, EI)
    quote = quote_early_repayment(LOAN, POLICY)
    assert quote.full and quote.option is None and quote.schedule == []
    assert quote.pay_now == plan[59].balance == D("443306.27")
    assert quote.interest_saved == sum((r.interest for r in plan[60:]), D(0))
    assert "一次性结清" in quote.summary_zh and "Paying off" in quote.summary_en
    assert quote_early_repayment(LOAN, POLICY, D("443306.27")).full


def test_partial_shorter_term_keeps_the_payment() -> None:
    quote = quote_early_repayment(LOAN, POLICY, D(100000), SHORTEN)
    assert quote.balance_after == D("343306.27") and quote.months_after == 212 and quote.new_last_period == 272
    assert quote.payment_after <= quote.payment_before == D("2067.79")
    # one month fewer would need a payment above today's
    i = monthly_rate(D("2.85"))
    assert annuity_payment(quote.balance_after, i, 211) > quote.payment_before
    assert quote.schedule[0].period == 61 and quote.schedule[-1].balance == 0
    assert "剩余期数由 300 期变为 212 期" in quote.summary_zh
    dated = quote_early_repayment(replace(LOAN, first_due=date(2021, 1, 15)), POLICY, D(100000), SHORTEN)
    assert (dated.old_maturity, dated.new_maturity) == (date(2050, 12, 15), date(2043, 8, 15))


def test_partial_lower_payment_keeps_the_end_date() -> None:
    quote = quote_early_repayment(LOAN, POLICY, D(100000), LOWER)
    again = repayment_schedule(D("343306.27"), D("2.85"), 300, EI)
    assert quote.months_after == 300 and quote.new_last_period == 360
    assert quote.payment_after == again[0].payment
    shorten = quote_early_repayment(LOAN, POLICY, D(100000), SHORTEN)
    assert 0 < quote.interest_saved < shorten.interest_saved


def test_equal_principal_shorter_term_keeps_the_monthly_principal() -> None:
    loan = RunningLoan(D(500000), D("2.85"), 360, EP, 60)
    quote = quote_early_repayment(loan, POLICY, D(100000), SHORTEN)
    assert quote.months_after == 228  # ceil(316,666.60 / 1,388.89)
    assert quote.schedule[0].principal == D("1388.89")


def test_penalty_is_added_when_the_policy_has_one() -> None:
    quote = quote_early_repayment(LOAN, EarlyRepaymentPolicy(D(10000), D(1)), D(100000))
    assert quote.penalty == D(1000) and quote.pay_now == D(101000)


@pytest.mark.parametrize(
    ("amount", "periods_paid", "fragment"),
    [
        (D(5000), 60, "at least 10000, got 5000"),
        (D(-1), 60, "must be positive"),
        (D(500000), 60, "exceeds the balance 443306.27"),
        (D("100.001"), 60, "at most 2 decimal places"),
        (D("1E+40"), 60, "exceeds the balance"),
        (D("NaN"), 60, "must be a Decimal"),
        (D(10000), 360, "periods paid must be 0..359, got 360"),
        (D(10000), -1, "got -1"),
    ],
)
def test_bad_prepayments_are_named(amount: Decimal, periods_paid: int, fragment: str) -> None:
    loan = RunningLoan(D(500000), D("2.85"), 360, EI, periods_paid)
    with pytest.raises(InvalidLoanInput) as err:
        quote_early_repayment(loan, POLICY, amount)
    assert fragment in str(err.value)


def test_lower_payment_with_tiny_remainder_suggests_alternatives() -> None:
    with pytest.raises(InvalidLoanInput, match="shorten the term or pay off in full"):
        quote_early_repayment(LOAN, POLICY, D("442306.27"), LOWER)
    assert quote_early_repayment(LOAN, POLICY, D("442306.27"), SHORTEN).months_after == 1


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 300), st.integers(10_000, 300_000), st.sampled_from([EI, EP]), st.sampled_from([SHORTEN, LOWER]))
def test_prepayment_plus_new_plan_repays_the_balance(
    paid: int, amount: int, method: RepaymentMethod, option: AfterPrepayment
) -> None:
    loan = RunningLoan(D(800000), D("3.1"), 360, method, paid)
    try:
        quote = quote_early_repayment(loan, POLICY, D(amount), option)
    except InvalidLoanInput as exc:
        assert "exceeds the balance" in str(exc) or "too small" in str(exc)
        return
    assert quote.prepayment + sum((r.principal for r in quote.schedule), D(0)) == quote.balance_before
    assert quote.interest_saved > 0 and quote.months_after <= quote.months_before
    assert all(r.balance >= 0 and r.payment > 0 for r in quote.schedule)
