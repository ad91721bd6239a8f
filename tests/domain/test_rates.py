"""Dated rate table: HPF by home and term, commercial LPR + spread, repricing, bad policy."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal

import pytest

from domain.policy import PolicyError, Table, load_policy_table
from domain.rates import HomeOrder, LoanKind, load_rate_table, rate_for, repricing_date

D = Decimal
HPF, COM = LoanKind.HPF, LoanKind.COMMERCIAL
FIRST, SECOND = HomeOrder.FIRST, HomeOrder.SECOND


@pytest.fixture(scope="module")
def policy() -> Table:
    return load_policy_table("taiyuan")


@pytest.mark.parametrize(
    ("home", "months", "on", "expected"),
    [
        (FIRST, 60, date(2025, 6, 1), "2.10"),
        (FIRST, 61, date(2025, 6, 1), "2.60"),
        (SECOND, 60, date(2025, 6, 1), "2.525"),
        (SECOND, 360, date(2025, 6, 1), "3.075"),
        (FIRST, 360, date(2025, 5, 7), "2.85"),  # the day before the May 2025 cut
        (FIRST, 360, date(2025, 5, 8), "2.60"),
        (SECOND, 12, date(2024, 12, 31), "2.775"),
        (SECOND, 240, date(2024, 5, 18), "3.325"),
    ],
)
def test_hpf_rate_by_date_home_and_term(policy: Table, home: HomeOrder, months: int, on: date, expected: str) -> None:
    quote = rate_for(load_rate_table(policy), HPF, home, months, on)
    assert quote.annual_percent == D(expected)
    assert expected.rstrip("0") in quote.basis_zh and quote.source


def test_commercial_rate_is_lpr_plus_spread(policy: Table) -> None:
    table = load_rate_table(policy)
    default = rate_for(table, COM, FIRST, 360, date(2025, 6, 1))
    assert default.annual_percent == D("3.05") and default.effective == date(2025, 5, 20)
    assert "LPR 3.5" in default.basis_en
    assert rate_for(table, COM, SECOND, 360, date(2025, 6, 1)).annual_percent == D("3.25")
    assert rate_for(table, COM, FIRST, 36, date(2025, 6, 1), spread_percent=D("0.2")).annual_percent == D("3.2")
    assert rate_for(table, COM, FIRST, 360, date(2025, 5, 19), spread_percent=D(0)).annual_percent == D("3.6")
    with pytest.raises(ValueError, match="not positive"):
        rate_for(table, COM, FIRST, 360, date(2025, 6, 1), spread_percent=D(-4))


def test_running_loan_reprices_on_the_next_first_of_january(policy: Table) -> None:
    table = load_rate_table(policy)
    start = date(2020, 3, 1)
    assert rate_for(table, HPF, FIRST, 360, date(2025, 12, 31), loan_start=start).annual_percent == D("2.85")
    assert rate_for(table, HPF, FIRST, 360, date(2026, 1, 1), loan_start=start).annual_percent == D("2.60")
    # a loan taken after the cut has the new rate at once
    assert rate_for(table, HPF, FIRST, 360, date(2025, 9, 1), loan_start=date(2025, 6, 1)).annual_percent == D("2.60")
    assert repricing_date(date(2025, 9, 1), date(2020, 1, 1)) == date(2025, 1, 1)
    # a 2020 loan: 3.25 % through 2022, 3.10 % in 2023-24, 2.85 % in 2025, 2.60 % from 2026
    table_rates = [rate_for(table, HPF, FIRST, 360, date(y, 6, 1), loan_start=start).annual_percent
                   for y in (2022, 2023, 2024, 2025, 2026)]
    assert table_rates == [D("3.25"), D("3.1"), D("3.1"), D("2.85"), D("2.6")]


def test_no_rate_before_the_table_starts(policy: Table) -> None:
    with pytest.raises(ValueError, match="no 公积金 HPF rate known for 2015-10-23"):
        rate_for(load_rate_table(policy), HPF, FIRST, 360, date(2015, 10, 23))
    with pytest.raises(ValueError, match="months must be positive"):
        rate_for(load_rate_table(policy), HPF, FIRST, 0, date(2025, 6, 1))


def _without(policy: Table, path: str) -> Table:
    broken = copy.deepcopy(policy)
    *parents, last = path.split(".")
    node = broken
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    del node[last]
    return broken


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("loan.rates.hpf.3.second_home_long", "missing key loan.rates.hpf.second_home_long"),
        ("loan.rates.lpr", "missing table [[loan.rates.lpr]]"),
        ("loan.rates.commercial", "missing table [loan.rates.commercial]"),
        ("loan.rates.short_term_lpr", "missing key loan.rates.short_term_lpr"),
        ("loan.short_term_max_months", "missing key loan.short_term_max_months"),
    ],
)
def test_missing_policy_key_is_named(policy: Table, path: str, message: str) -> None:
    with pytest.raises(PolicyError) as err:
        load_rate_table(_without(policy, path))
    assert message in str(err.value)


def test_implausible_or_unordered_rates_rejected(policy: Table) -> None:
    bad = copy.deepcopy(policy)
    bad["loan"]["rates"]["hpf"][-1]["first_home_long"] = 300
    with pytest.raises(PolicyError, match=r"first_home_long = 300 is not a plausible"):
        load_rate_table(bad)
    swapped = copy.deepcopy(policy)
    swapped["loan"]["rates"]["lpr"].reverse()
    with pytest.raises(PolicyError, match="ascending"):
        load_rate_table(swapped)
