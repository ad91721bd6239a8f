"""Working days with the official holiday calendar, provisional deadlines for unknown years, SLA."""

from __future__ import annotations

import copy
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.policy import PolicyError, load_policy_table
from domain.workdays import SlaState, WorkCalendar, add_working_days, calendar_from_policy, load_calendar

CAL = WorkCalendar()


def test_national_day_week_is_skipped_and_the_adjusted_saturday_counts() -> None:
    # 2026: Oct 1-7 off (National Day + Mid-Autumn), Sat Oct 10 is an adjusted working day.
    assert CAL.add_working_days(date(2026, 9, 30), 1).due == date(2026, 10, 8)
    three = CAL.add_working_days(date(2026, 9, 30), 3)
    assert three.due == date(2026, 10, 10) and three.due.weekday() == 5 and not three.provisional


def test_spring_festival_2026_adjusted_saturday() -> None:
    assert CAL.is_workday(date(2026, 2, 14))  # Saturday, 调休上班
    assert not CAL.is_workday(date(2026, 2, 17))  # 春节
    assert CAL.add_working_days(date(2026, 2, 13), 1).due == date(2026, 2, 14)


def test_deadline_into_an_unknown_year_is_provisional_weekends_only() -> None:
    d = CAL.add_working_days(date(2026, 12, 28), 5)
    assert d.due == date(2027, 1, 4)  # 1 Jan 2027 counted as a plain Friday
    assert d.provisional and d.unknown_years == (2027,)
    assert "2027" in d.note_zh and "not published" in d.note_en


def test_a_year_announced_in_the_policy_file_is_no_longer_provisional() -> None:
    raw = copy.deepcopy(load_policy_table("taiyuan"))
    raw["calendar"]["extra_holidays"] = [date(2027, 1, 1)]
    cal = calendar_from_policy(raw)
    d = cal.add_working_days(date(2026, 12, 28), 3)  # 29, 30, 31 Dec: all known
    assert d.due == date(2026, 12, 31) and not d.provisional
    assert not cal.is_workday(date(2027, 1, 1))
    assert cal.add_working_days(date(2026, 12, 28), 4).due == date(2027, 1, 4)


def test_policy_calendar_errors_are_named() -> None:
    raw = copy.deepcopy(load_policy_table("taiyuan"))
    raw["calendar"]["extra_workdays"] = ["2027-01-02"]
    with pytest.raises(PolicyError, match="extra_workdays"):
        calendar_from_policy(raw)
    raw["calendar"]["extra_workdays"] = [date(2027, 1, 1)]
    raw["calendar"]["extra_holidays"] = [date(2027, 1, 1)]
    with pytest.raises(PolicyError, match="both"):
        calendar_from_policy(raw)


def test_taiyuan_calendar_loads() -> None:
    assert load_calendar("taiyuan").is_workday(date(2026, 11, 27))


def test_local_closure_pushes_the_deadline() -> None:
    cal = WorkCalendar(closures=frozenset({date(2026, 11, 30)}))
    assert cal.add_working_days(date(2026, 11, 27), 1).due == date(2026, 12, 1)


def test_zero_days_means_the_same_day_or_the_next_working_day() -> None:
    assert add_working_days(date(2026, 11, 27), 0).due == date(2026, 11, 27)
    assert add_working_days(date(2026, 11, 28), 0).due == date(2026, 11, 30)  # Saturday -> Monday


@pytest.mark.parametrize("n", [-1, 1.5, True])
def test_bad_day_counts_are_refused(n: object) -> None:
    with pytest.raises(ValueError, match="working days"):
        CAL.add_working_days(date(2026, 1, 5), n)  # type: ignore[arg-type]


def test_sla_states() -> None:
    deadline = CAL.add_working_days(date(2026, 11, 23), 3)  # Mon -> Thu 26th
    assert deadline.due == date(2026, 11, 26)
    on_time = CAL.sla(deadline, date(2026, 11, 24))
    assert on_time.state is SlaState.ON_TIME and on_time.working_days_left == 2
    assert CAL.sla(deadline, date(2026, 11, 26)).state is SlaState.DUE_TODAY
    late = CAL.sla(deadline, date(2026, 11, 30))
    assert late.state is SlaState.OVERDUE and late.working_days_left == -2  # Fri 27, Mon 30


def test_working_days_between_is_antisymmetric() -> None:
    a, b = date(2026, 9, 25), date(2026, 10, 12)
    assert CAL.working_days_between(a, b) == -CAL.working_days_between(b, a) == 7  # 28-30 Sep, 8-10 Oct, 12 Oct


@settings(max_examples=80, deadline=None)
@given(start=st.dates(date(2024, 1, 1), date(2026, 12, 31)), n=st.integers(1, 30))
def test_any_deadline_is_a_working_day_with_exactly_n_working_days(start: date, n: int) -> None:
    d = CAL.add_working_days(start, n)
    assert CAL.is_workday(d.due)
    assert CAL.working_days_between(start, d.due) == n
    assert CAL.working_days_between(start, d.due - timedelta(days=1)) == n - 1
    assert d.provisional == (d.due.year >= 2027)
