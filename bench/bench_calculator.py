"""10,000 thirty-year repayment schedules: `domain.calculator` against bare formula loops.

Subject: `repayment_schedule` (validation, Decimal, fen half-up rounding, last-period true-up,
one Installment per row). Baselines, in the same run over the same loans: the textbook formula
as a plain float loop (no rounding, tuples), and the same Decimal arithmetic and rounding as a
bare loop (no validation, tuples), which isolates the cost of the API from the cost of Decimal.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from bench.harness import Result, best_of
from domain.calculator import RepaymentMethod, repayment_schedule

MONTHS = 360
RATE = Decimal("2.85")


def _loans(count: int) -> list[Decimal]:
    return [Decimal(200_000 + (k * 7_919) % 1_300_000) for k in range(count)]


def _float_loop(principals: list[float], annual: float) -> int:
    rows = 0
    i = annual / 100 / 12
    for p in principals:
        growth = (1 + i) ** MONTHS
        payment = p * i * growth / (growth - 1)
        balance = p
        plan = []
        for period in range(1, MONTHS + 1):
            interest = balance * i
            part = payment - interest
            balance -= part
            plan.append((period, part, interest, payment, balance))
        rows += len(plan)
    return rows


def _bare_decimal_loop(principals: list[Decimal], annual: Decimal) -> int:
    fen = Decimal("0.01")
    rows = 0
    i = annual / 100 / 12
    for p in principals:
        growth = (1 + i) ** MONTHS
        payment = (p * i * growth / (growth - 1)).quantize(fen, ROUND_HALF_UP)
        balance = p
        plan = []
        for period in range(1, MONTHS + 1):
            interest = (balance * i).quantize(fen, ROUND_HALF_UP)
            part = balance if period == MONTHS else payment - interest
            balance -= part
            plan.append((period, part, interest, part + interest, balance))
        rows += len(plan)
    return rows


def _subject(principals: list[Decimal], method: RepaymentMethod) -> int:
    return sum(len(repayment_schedule(p, RATE, MONTHS, method)) for p in principals)


def run(quick: bool) -> list[Result]:
    count = 500 if quick else 10_000
    repeat = 1 if quick else 3
    loans = _loans(count)
    floats = [float(p) for p in loans]
    assert _subject(loans[:3], RepaymentMethod.EQUAL_INSTALLMENT) == _bare_decimal_loop(loans[:3], RATE) == 3 * MONTHS
    ei = best_of(lambda: _subject(loans, RepaymentMethod.EQUAL_INSTALLMENT), repeat)
    ep = best_of(lambda: _subject(loans, RepaymentMethod.EQUAL_PRINCIPAL), repeat)
    plain_float = best_of(lambda: _float_loop(floats, float(RATE)), repeat)
    bare_decimal = best_of(lambda: _bare_decimal_loop(loans, RATE), repeat)
    note = f"{count:,} schedules × {MONTHS} months, 2.85 %"
    return [
        Result("calculator", "repayment_schedule 等额本息", ei, "plain float formula loop", plain_float, "s", note),
        Result("calculator", "repayment_schedule 等额本息", ei, "bare Decimal loop, same rounding", bare_decimal,
               "s", note),
        Result("calculator", "repayment_schedule 等额本金", ep, "plain float formula loop", plain_float, "s", note),
    ]
