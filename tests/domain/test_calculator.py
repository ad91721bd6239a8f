"""Loan calculator: BRIEF §3 worked examples to the fen, bad input, property tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.calculator import (
    InvalidLoanInput,
    LoanPart,
    RepaymentMethod,
    TotalBasis,
    annuity_payment,
    annuity_principal,
    by_year,
    combined_schedule,
    due_date,
    monthly_rate,
    repayment_schedule,
    summarize,
)

EI, EP = RepaymentMethod.EQUAL_INSTALLMENT, RepaymentMethod.EQUAL_PRINCIPAL
D = Decimal

# BRIEF §3 table: rate, EI monthly, EI last, EI interest (schedule), EI interest (M×n), EP 1, EP 2, EP drop, EP interest
WORKED = [
    ("2.85", "2067.79", "2066.10", "244402.71", "244404.40", "2576.39", "2573.09", "3.30", "214343.57"),
    ("2.60", "2001.70", "2000.84", "220611.14", "220612.00", "2472.22", "2469.21", "3.01", "195541.52"),
]


@pytest.mark.parametrize(("rate", "m", "last", "int_sched", "int_mn", "ep1", "ep2", "drop", "ep_int"), WORKED)
def test_brief_worked_examples_to_the_fen(
    rate: str, m: str, last: str, int_sched: str, int_mn: str, ep1: str, ep2: str, drop: str, ep_int: str
) -> None:
    ei = summarize(repayment_schedule(D(500000), D(rate), 360, EI), EI)
    assert (ei.first_payment, ei.last_payment) == (D(m), D(last))
    assert ei.total_interest == D(int_sched) and ei.basis is TotalBasis.SCHEDULE_SUM
    assert ei.total_interest_payment_times_months == D(int_mn)
    assert ei.total_repayment == D(500000) + D(int_sched)
    ep_rows = repayment_schedule(D(500000), D(rate), 360, EP)
    ep = summarize(ep_rows, EP)
    assert (ep_rows[0].payment, ep_rows[1].payment) == (D(ep1), D(ep2))
    assert ep.monthly_decrease == D(drop) and ep.total_interest == D(ep_int)
    assert ep.total_interest_payment_times_months is None


def test_brief_detail_500k_285() -> None:
    ei = repayment_schedule(D(500000), D("2.85"), 360, EI)
    assert (ei[0].interest, ei[0].principal) == (D("1187.50"), D("880.29"))
    year1 = by_year(ei)[0]
    assert (year1.interest, year1.principal) == (D("14110.91"), D("10702.57"))
    assert year1.payment == year1.interest + year1.principal and year1.balance == ei[11].balance
    ep = repayment_schedule(D(500000), D("2.85"), 360, EP)
    assert (ep[0].principal, ep[0].interest) == (D("1388.89"), D("1187.50"))
    i = monthly_rate(D("2.85"))
    closed_form = (D(500000) * i * 361 / 2).quantize(D("0.01"))
    assert closed_form == D("214343.75")
    assert summarize(ep, EP).total_interest == D("214343.57")


def test_year_view_has_thirty_years_summing_to_the_plan() -> None:
    rows = repayment_schedule(D(500000), D("2.60"), 360, EP)
    years = by_year(rows)
    assert [y.year for y in years] == list(range(1, 31))
    assert sum((y.interest for y in years), D(0)) == summarize(rows, EP).total_interest
    assert years[-1].balance == 0


def test_short_last_year_and_zero_rate() -> None:
    rows = repayment_schedule(D(12000), D(0), 18, EI)
    assert all(r.interest == 0 for r in rows) and rows[0].payment == D("666.67")
    assert sum((r.principal for r in rows), D(0)) == D(12000) and rows[-1].payment == D("666.61")
    assert [y.payment for y in by_year(rows)] == [D("8000.04"), D("3999.96")]


def test_combined_loan_sums_per_period() -> None:
    combo = combined_schedule(LoanPart(D(600000), D("2.60"), EI), LoanPart(D(400000), D("3.05"), EI), 360)
    assert combo.total[0].payment == combo.hpf[0].payment + combo.commercial[0].payment
    assert combo.total[0].payment == D("2402.04") + D("1697.22")  # independent float check of M
    assert combo.total[-1].balance == 0
    assert sum((r.principal for r in combo.total), D(0)) == D(1000000)


@pytest.mark.parametrize(
    ("principal", "rate", "months", "fragment"),
    [
        (D(-1000), D("2.6"), 360, "principal must be positive, got -1000"),
        (D(0), D("2.6"), 360, "principal must be positive"),
        (D(500000), D("2.6"), 0, "months must be 1..360, got 0"),
        (D(500000), D("2.6"), 361, "got 361"),
        (D(500000), D(300), 360, "got 300 %"),
        (D(500000), D(-1), 360, "got -1 %"),
        (D("1000.001"), D("2.6"), 12, "2 decimal places"),
        (D(1000), D("2.6"), 360, "too small for 360 months"),
        (D(3600), D(24), 360, "too small for 360 months at this rate"),
        (D(500000), D("1E-25"), 360, "at most 6 decimal places"),
        (D("NaN"), D("2.6"), 12, "must be a Decimal"),
    ],
)
def test_bad_input_is_named(principal: Decimal, rate: Decimal, months: int, fragment: str) -> None:
    with pytest.raises(InvalidLoanInput, match="/") as err:
        repayment_schedule(principal, rate, months, EI)
    assert fragment in str(err.value)
    assert isinstance(err.value, ValueError)


def test_float_and_bool_inputs_refused() -> None:
    with pytest.raises(InvalidLoanInput, match="principal must be a Decimal"):
        repayment_schedule(500000.0, D("2.6"), 360, EI)  # type: ignore[arg-type]
    with pytest.raises(InvalidLoanInput, match="annual rate must be a Decimal"):
        repayment_schedule(D(500000), 2.6, 360, EI)  # type: ignore[arg-type]
    with pytest.raises(InvalidLoanInput, match="months must be a whole number"):
        repayment_schedule(D(500000), D("2.6"), True, EI)  # type: ignore[arg-type]


def test_annuity_inverse_round_trips() -> None:
    i = monthly_rate(D("2.60"))
    assert annuity_principal(annuity_payment(D(500000), i, 360), i, 360).quantize(D("0.01")) == D(500000)
    assert annuity_principal(D(100), D(0), 12) == D(1200)


loans = st.tuples(
    st.integers(min_value=10_000, max_value=3_000_000).map(lambda y: D(y)),
    st.integers(min_value=200, max_value=1000).map(lambda bp: D(bp) / 100),
    st.integers(min_value=24, max_value=360),
)


@settings(max_examples=60, deadline=None)
@given(loans, st.sampled_from([EI, EP]))
def test_any_loan_schedule_is_sound(loan: tuple[Decimal, Decimal, int], method: RepaymentMethod) -> None:
    principal, rate, months = loan
    rows = repayment_schedule(principal, rate, months, method)
    assert len(rows) == months and [r.period for r in rows] == list(range(1, months + 1))
    assert sum((r.principal for r in rows), D(0)) == principal
    assert all(r.balance >= 0 for r in rows) and rows[-1].balance == 0
    assert all(r.payment > 0 and r.principal > 0 and r.interest >= 0 for r in rows)
    assert all(r.payment == r.principal + r.interest for r in rows)
    assert all(r.payment == r.payment.quantize(D("0.01")) for r in rows)


@settings(max_examples=40, deadline=None)
@given(loans)
def test_equal_principal_costs_less_interest(loan: tuple[Decimal, Decimal, int]) -> None:
    principal, rate, months = loan
    ei = summarize(repayment_schedule(principal, rate, months, EI), EI)
    ep = summarize(repayment_schedule(principal, rate, months, EP), EP)
    assert ep.total_interest < ei.total_interest
    assert ep.first_payment > ei.first_payment


@settings(max_examples=200, deadline=None)
@given(
    st.decimals(allow_nan=True, allow_infinity=True) | st.integers(-(10**40), 10**40).map(Decimal),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.integers(-5, 1000),
    st.sampled_from([EI, EP]),
)
def test_any_input_gives_a_plan_or_a_named_error(
    principal: Decimal, rate: Decimal, months: int, method: RepaymentMethod
) -> None:
    try:
        rows = repayment_schedule(principal, rate, months, method)
    except InvalidLoanInput as exc:
        assert " / " in str(exc)
    else:
        assert len(rows) == months and rows[-1].balance == 0
        assert sum((r.principal for r in rows), D(0)) == principal
        assert all(r.balance >= 0 and r.principal > 0 and r.payment > 0 for r in rows)


@pytest.mark.parametrize("rate", ["0", "0.5", "12", "24"])
@pytest.mark.parametrize("principal", [3600, 20000, 100000])
def test_extreme_rates_and_terms_are_sound_or_refused(rate: str, principal: int) -> None:
    accepted = 0
    for months in (1, 2, 60, 240, 359, 360):
        for method in (EI, EP):
            try:
                rows = repayment_schedule(D(principal), D(rate), months, method)
            except InvalidLoanInput as exc:
                assert "too small" in str(exc)
                continue
            accepted += 1
            assert all(r.balance >= 0 and r.principal > 0 and r.payment > 0 for r in rows)
            assert sum((r.principal for r in rows), D(0)) == D(principal)
    assert accepted >= 6


def test_due_dates_keep_the_day_or_the_month_end() -> None:
    assert due_date(date(2026, 1, 31), 1) == date(2026, 1, 31)
    assert due_date(date(2026, 1, 31), 2) == date(2026, 2, 28)
    assert due_date(date(2026, 1, 31), 3) == date(2026, 3, 31)
    assert due_date(date(2027, 12, 31), 3) == date(2028, 2, 29)
    assert due_date(date(2026, 12, 20), 360) == date(2056, 11, 20)
    with pytest.raises(ValueError, match="periods start at 1"):
        due_date(date(2026, 1, 1), 0)
