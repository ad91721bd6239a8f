"""Loan calculator and early repayment at their edges, with exact figures (issue 16)."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal

import pytest

from domain.calculator import (
    Installment,
    InvalidLoanInput,
    LoanPart,
    RepaymentMethod,
    TotalBasis,
    by_year,
    combined_schedule,
    due_date,
    repayment_schedule,
    summarize,
    validate_loan,
)
from domain.early_repayment import (
    AfterPrepayment,
    EarlyRepaymentPolicy,
    RunningLoan,
    load_early_repayment_policy,
    quote_early_repayment,
)
from domain.policy import PolicyError, Table, load_policy_table

D = Decimal
EI, EP = RepaymentMethod.EQUAL_INSTALLMENT, RepaymentMethod.EQUAL_PRINCIPAL


# ---- combined loans ---------------------------------------------------------------------------------------------


def test_combined_schedule_sums_every_field_with_its_sign() -> None:
    plan = combined_schedule(LoanPart(D(700000), D("2.6"), EI), LoanPart(D(300000), D("3.05"), EP), 360)
    # HPF: interest 700,000 × 2.6 % / 12 = 1,516.67; commercial: 300,000 / 360 = 833.33 principal,
    # 300,000 × 3.05 % / 12 = 762.50 interest.
    assert plan.hpf[0] == Installment(1, D("1285.71"), D("1516.67"), D("2802.38"), D("698714.29"))
    assert plan.commercial[0] == Installment(1, D("833.33"), D("762.50"), D("1595.83"), D("299166.67"))
    assert plan.total[0] == Installment(1, D("2119.04"), D("2279.17"), D("4398.21"), D("997880.96"))
    for x, y, t in zip(plan.hpf, plan.commercial, plan.total, strict=True):
        assert t == Installment(x.period, x.principal + y.principal, x.interest + y.interest, x.payment + y.payment,
                                x.balance + y.balance)
    assert plan.total[-1].balance == D("0.00") and plan.total[-1].period == 360
    with pytest.raises(InvalidLoanInput):
        combined_schedule(LoanPart(D(700000), D("2.6"), EI), LoanPart(D(0), D("3.05"), EP), 360)


# ---- the small-loan rounding guard and the other input bounds -------------------------------------------------------


def test_small_loan_rounding_guard_at_its_threshold() -> None:
    # At 24 % over 360 months the fen rounding could add up to more than the payment below 31,761.78.
    with pytest.raises(InvalidLoanInput, match="fen rounding could exceed the payment"):
        repayment_schedule(D("31761.77"), D(24), 360, EI)
    plan = repayment_schedule(D("31761.78"), D(24), 360, EI)
    assert plan[0] == Installment(1, D("0.51"), D("635.24"), D("635.75"), D("31761.27"))
    assert plan[-1] == Installment(360, D("336.49"), D("6.73"), D("343.22"), D("0.00"))
    assert all(r.principal > 0 and r.balance >= 0 for r in plan)
    # 等额本金 has no such drift: the same loan is fine.
    assert repayment_schedule(D("31761.77"), D(24), 360, EP)[-1].balance == D("0.00")


def test_minimum_principal_per_month_a_fen_either_side() -> None:
    assert repayment_schedule(D("3600.00"), D(0), 360, EI)[0].payment == D("10.00")
    with pytest.raises(InvalidLoanInput, match=r"at least 3600"):
        repayment_schedule(D("3599.99"), D(0), 360, EI)
    assert repayment_schedule(D("10.00"), D(0), 1, EP) == [Installment(1, D("10.00"), D("0.00"), D("10.00"),
                                                                       D("0.00"))]


@pytest.mark.parametrize(
    ("principal", "rate", "months", "ok"),
    [("1000000000", "2.6", 360, True), ("1000000000.01", "2.6", 360, False), ("0", "2.6", 12, False),
     ("-0.01", "2.6", 12, False), ("1000.001", "2.6", 12, False), ("1000", "2.6", 0, False),
     ("1000", "2.6", 1, True), ("100000", "2.6", 360, True), ("100000", "2.6", 361, False),
     ("100000", "0", 12, True), ("100000", "-0.000001", 12, False), ("100000", "24", 12, True),
     ("100000", "24.000001", 12, False), ("100000", "2.525001", 12, True), ("100000", "2.5250001", 12, False)],
)
def test_input_bounds(principal: str, rate: str, months: int, ok: bool) -> None:
    if ok:
        validate_loan(D(principal), D(rate), months)
    else:
        with pytest.raises(InvalidLoanInput):
            validate_loan(D(principal), D(rate), months)


def test_input_types_are_named() -> None:
    with pytest.raises(InvalidLoanInput, match="principal must be a Decimal"):
        validate_loan(1000, D(2), 12)  # type: ignore[arg-type]
    with pytest.raises(InvalidLoanInput, match="annual rate must be a Decimal"):
        validate_loan(D(1000), D("NaN"), 12)
    with pytest.raises(InvalidLoanInput, match="months must be a whole number"):
        validate_loan(D(1000), D(2), True)  # type: ignore[arg-type]


def test_one_month_loans_and_due_dates() -> None:
    assert repayment_schedule(D("1000.00"), D("12"), 1, EI) == [Installment(1, D("1000.00"), D("10.00"),
                                                                             D("1010.00"), D("0.00"))]
    assert due_date(date(2026, 1, 31), 1) == date(2026, 1, 31)
    assert due_date(date(2026, 1, 31), 2) == date(2026, 2, 28)
    assert due_date(date(2027, 12, 31), 3) == date(2028, 2, 29)
    assert due_date(date(2026, 11, 10), 2) == date(2026, 12, 10)
    assert due_date(date(2026, 11, 10), 3) == date(2027, 1, 10)
    with pytest.raises(ValueError, match="periods start at 1, got 0"):
        due_date(date(2026, 1, 31), 0)


def test_summaries_and_year_view_exactly() -> None:
    ep = repayment_schedule(D("120000.00"), D("3.6"), 24, EP)
    summary = summarize(ep, EP)
    # 5,000 principal a month; interest falls by 5,000 × 0.3 % = 15.00 a month.
    assert (summary.first_payment, summary.monthly_decrease) == (D("5360.00"), D("15.00"))
    assert summary.total_interest == D("4500.00") and summary.total_repayment == D("124500.00")
    assert summary.total_interest_payment_times_months is None and summary.basis is TotalBasis.SCHEDULE_SUM
    one = summarize(repayment_schedule(D("1000.00"), D("12"), 1, EP), EP)
    assert one.monthly_decrease == D(0) and one.months == 1
    ei = repayment_schedule(D("120000.00"), D("3.6"), 24, EI)
    nominal = summarize(ei, EI)
    assert nominal.monthly_decrease is None
    assert nominal.total_interest_payment_times_months == ei[0].payment * 24 - D("120000.00")
    with pytest.raises(InvalidLoanInput, match="^还款计划为空 / the schedule is empty$"):
        summarize([], EI)
    assert summary.principal == D("120000.00") and nominal.principal == D("120000.00")
    two = summarize(repayment_schedule(D("1000.00"), D("12"), 2, EP), EP)
    assert two.monthly_decrease == D("5.00")  # 1,000 × 1 % then 500 × 1 %
    years = by_year(ep)
    assert all(isinstance(y.year, int) for y in years)
    assert [(y.year, y.principal, y.balance) for y in years] == [(1, D("60000.00"), D("60000.00")),
                                                                 (2, D("60000.00"), D("0.00"))]
    assert years[0].interest == D("3330.00") and years[0].payment == D("63330.00")
    assert len(by_year(ep[:13])) == 2 and by_year(ep[:13])[1].principal == D("5000.00")
    assert (TotalBasis.SCHEDULE_SUM.zh, TotalBasis.PAYMENT_TIMES_MONTHS.en) == ("按还款计划逐期合计",
                                                                                "monthly payment × months")
    assert (EI.zh, EP.zh, EI.en, EP.en) == ("等额本息", "等额本金", "equal installments", "equal principal")


# ---- early repayment ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def raw() -> Table:
    return load_policy_table("taiyuan")


@pytest.fixture(scope="module")
def pol(raw: Table) -> EarlyRepaymentPolicy:
    return load_early_repayment_policy(raw)


LOAN = RunningLoan(D(500000), D("2.85"), 240, EI, 24, date(2020, 1, 10))


def test_partial_prepayment_at_the_policy_minimum(pol: EarlyRepaymentPolicy, raw: Table) -> None:
    minimum = D(raw["loan"]["early_repayment"]["min_partial"])
    assert minimum == D(10000) == pol.min_partial
    assert quote_early_repayment(LOAN, pol, minimum).prepayment == minimum
    with pytest.raises(InvalidLoanInput, match="a partial prepayment is at least 10000, got 9999.99"):
        quote_early_repayment(LOAN, pol, minimum - D("0.01"))
    assert quote_early_repayment(LOAN, pol, minimum + D("0.01")).prepayment == D("10000.01")


def test_prepayment_equal_to_the_balance_is_full_and_a_fen_more_is_refused(pol: EarlyRepaymentPolicy) -> None:
    full = quote_early_repayment(LOAN, pol, D("461813.16"))
    assert full.full and full.option is None and full.schedule == [] and full.months_after == 0
    assert full.new_last_period == 0 and full.payment_after == D(0) and full.new_maturity is None
    with pytest.raises(InvalidLoanInput, match="exceeds the balance 461813.16"):
        quote_early_repayment(LOAN, pol, D("461813.17"))
    with pytest.raises(InvalidLoanInput, match="the remaining 0.01 is too small for 1 months"):
        quote_early_repayment(LOAN, pol, D("461813.15"))  # a fen left: pay off in full instead
    for bad, message in ((D(0), "must be positive"), (D("-1"), "must be positive"),
                         (D("10000.001"), "at most 2 decimal places"), (D("Infinity"), "must be a Decimal")):
        with pytest.raises(InvalidLoanInput, match=message):
            quote_early_repayment(LOAN, pol, bad)


def test_shorten_term_and_lower_payment_exactly(pol: EarlyRepaymentPolicy) -> None:
    short = quote_early_repayment(LOAN, pol, D(100000))
    assert short.option is AfterPrepayment.SHORTEN_TERM and not short.full
    assert (short.balance_before, short.balance_after) == (D("461813.16"), D("361813.16"))
    assert (short.months_before, short.months_after, short.new_last_period) == (216, 159, 183)
    assert (short.payment_before, short.payment_after) == (D("2735.59"), D("2734.85"))
    assert short.interest_saved == D("56046.61") and short.schedule[0].period == 25
    assert (short.old_maturity, short.new_maturity) == (date(2039, 12, 10), date(2035, 3, 10))
    assert "剩余期数由 216 期变为 159 期" in short.summary_zh and "216 installments become 159" in short.summary_en
    lower = quote_early_repayment(LOAN, pol, D(100000), AfterPrepayment.LOWER_PAYMENT)
    assert (lower.months_after, lower.payment_after, lower.interest_saved) == (216, D("2143.23"), D("27949.62"))
    whole = quote_early_repayment(LOAN, pol)
    assert (whole.pay_now, whole.interest_saved) == (D("461813.16"), D("129075.44"))
    assert "一次性结清需还 ¥461,813.16，可节省利息 ¥129,075.44" in whole.summary_zh
    assert whole.summary_en.startswith("Paying off now costs ¥461,813.16 and saves ¥129,075.44")


def test_shorten_term_for_equal_principal_and_zero_rate(pol: EarlyRepaymentPolicy) -> None:
    ep = quote_early_repayment(RunningLoan(D(360000), D("2.85"), 360, EP, 12), pol, D(100000))
    # 348 × 1,000 − 100,000 = 248,000 left at 1,000 principal a month: 248 months.
    assert (ep.months_after, ep.schedule[0].principal, ep.payment_before, ep.payment_after) == (
        248, D("1000.00"), D("1826.50"), D("1589.00"))
    # Shortened terms round up: 247,400 left at 1,000 a month is 248 months, not 247.
    assert quote_early_repayment(RunningLoan(D(360000), D("2.85"), 360, EP, 12), pol, D(100600)).months_after == 248
    assert quote_early_repayment(RunningLoan(D(120000), D(0), 120, EI, 10), pol, D(10600)).months_after == 100
    last = quote_early_repayment(RunningLoan(D(500000), D("2.85"), 240, EI, 239), EarlyRepaymentPolicy(D(0), D(0)),
                                 D("100.00"))
    assert last.months_after == 1 and last.schedule[0].period == 240
    zero = quote_early_repayment(RunningLoan(D(120000), D(0), 120, EI, 10), pol, D(10000))
    assert (zero.months_after, zero.payment_after, zero.balance_after) == (100, D("1000.00"), D("100000.00"))


def test_periods_paid_bounds(pol: EarlyRepaymentPolicy) -> None:
    first = quote_early_repayment(RunningLoan(D(500000), D("2.85"), 240, EI, 0), pol)
    assert first.balance_before == D(500000) and first.months_before == 240
    last = quote_early_repayment(RunningLoan(D(500000), D("2.85"), 240, EI, 239), pol)
    assert last.months_before == 1
    for paid in (-1, 240):
        with pytest.raises(InvalidLoanInput, match="periods paid must be 0..239"):
            quote_early_repayment(RunningLoan(D(500000), D("2.85"), 240, EI, paid), pol)


def test_penalty_exactly_and_policy_bounds(raw: Table) -> None:
    charged = EarlyRepaymentPolicy(D(10000), D("1.5"))
    quote = quote_early_repayment(LOAN, charged, D("10000.33"))
    assert quote.penalty == D("150.00") and quote.pay_now == D("10150.33")  # 150.00495 -> 150.00
    assert quote_early_repayment(LOAN, EarlyRepaymentPolicy(D(0), D(0)), D("0.01")).prepayment == D("0.01")
    for minimum, penalty, ok in (("0", "0", True), ("-0.01", "0", False), ("0", "10", True), ("0", "10.01", False),
                                 ("0", "-0.01", False)):
        changed = copy.deepcopy(raw)
        changed["loan"]["early_repayment"].update(min_partial=minimum, penalty_percent=penalty)
        if ok:
            assert load_early_repayment_policy(changed).penalty_percent == D(penalty)
        else:
            with pytest.raises(PolicyError, match="loan.early_repayment"):
                load_early_repayment_policy(changed)
    missing = copy.deepcopy(raw)
    del missing["loan"]["early_repayment"]["penalty_percent"]
    with pytest.raises(PolicyError, match="^policy: missing key loan.early_repayment.penalty_percent$"):
        load_early_repayment_policy(missing)
    assert AfterPrepayment.SHORTEN_TERM.zh == "缩短还款期限" and AfterPrepayment.LOWER_PAYMENT.zh == "减少月还款额"


def test_a_remainder_too_small_for_its_term_asks_to_shorten(pol: EarlyRepaymentPolicy) -> None:
    small = RunningLoan(D(400000), D("2.85"), 360, EI, 0)
    with pytest.raises(InvalidLoanInput, match="too small for 360 months; shorten the term or pay off in full"):
        quote_early_repayment(small, EarlyRepaymentPolicy(D(0), D(0)), D("396400.01"), AfterPrepayment.LOWER_PAYMENT)


@pytest.mark.parametrize(
    ("principal", "rate", "months", "message"),
    [
        (D(1000), D(2), True, "期数须为整数 / months must be a whole number, got True"),
        (D(10**9 + 1), D(2), 12, "贷款金额过大 / principal above 1,000,000,000 is not a home loan, got 1000000001"),
        (D(0), D(2), 12, "贷款金额须大于零 / principal must be positive, got 0"),
        (D("1000.001"), D(2), 12, "贷款金额最多两位小数 / principal has at most 2 decimal places: 1000.001"),
        (D(1000), D(2), 0, "期数须在 1 到 360 个月之间 / months must be 1..360, got 0"),
        (D(1000), D(25), 12, "年利率须在 0% 到 24% 之间 / annual rate must be 0..24 %, got 25 %"),
        (D(1000), D("2.0000001"), 12,
         "年利率最多六位小数 / the annual rate has at most 6 decimal places, got 2.0000001"),
        (D(100), D(2), 12, "贷款金额 100 对 12 期过小 / principal 100 is too small for 12 months (at least 120)"),
        (1000, D(2), 12, "贷款金额须为 Decimal / principal must be a Decimal, got 1000"),
        (D(1000), 2, 12, "年利率须为 Decimal / annual rate must be a Decimal, got 2"),
    ],
)
def test_loan_input_messages_word_for_word(principal: object, rate: object, months: object, message: str) -> None:
    with pytest.raises(InvalidLoanInput) as err:
        validate_loan(principal, rate, months)  # type: ignore[arg-type]
    assert str(err.value) == message


def test_rounding_guard_and_early_repayment_messages_word_for_word(pol: EarlyRepaymentPolicy) -> None:
    with pytest.raises(InvalidLoanInput) as guard:
        repayment_schedule(D("31761.77"), D(24), 360, EI)
    assert str(guard.value) == ("贷款金额 31761.77 对该利率和期限过小 / principal 31761.77 is too small for 360 months "
                                "at this rate: fen rounding could exceed the payment 635.74")
    for amount, message in (
        (D(0), "提前还款金额须大于零 / the prepayment must be positive, got 0"),
        (D("461813.17"), "提前还款金额 461813.17 超过剩余本金 461813.16，请选择全部结清 / the prepayment 461813.17 "
                         "exceeds the balance 461813.16; choose full repayment"),
        (D("10000.001"), "提前还款金额最多两位小数 / the prepayment has at most 2 decimal places, got 10000.001"),
        (D("9999.99"), "部分提前还款不少于 10000 元 / a partial prepayment is at least 10000, got 9999.99"),
        (D("Infinity"), "提前还款金额须为 Decimal / the prepayment must be a Decimal, got Decimal('Infinity')"),
    ):
        with pytest.raises(InvalidLoanInput) as err:
            quote_early_repayment(LOAN, pol, amount)
        assert str(err.value) == message
    with pytest.raises(InvalidLoanInput) as paid:
        quote_early_repayment(RunningLoan(D(500000), D("2.85"), 240, EI, 240), pol)
    assert str(paid.value) == "已还期数须在 0 到 239 之间 / periods paid must be 0..239, got 240"
    quote = quote_early_repayment(LOAN, pol, D(100000))
    assert quote.summary_zh == ("提前还款 ¥100,000.00 后剩余本金 ¥361,813.16，月还款额由 ¥2,735.59 变为 ¥2,734.85，"
                                "剩余期数由 216 期变为 159 期，可节省利息 ¥56,046.61（试算，仅供参考）")
    assert quote.summary_en == ("After repaying ¥100,000.00 early, ¥361,813.16 remains; the monthly payment goes from "
                                "¥2,735.59 to ¥2,734.85 and 216 installments become 159, saving ¥56,046.61 of "
                                "interest (illustrative)")
    assert quote_early_repayment(LOAN, pol).summary_en == (
        "Paying off now costs ¥461,813.16 and saves ¥129,075.44 of interest (illustrative)")
