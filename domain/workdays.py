"""Working days and deadlines (SLA) with China's official holiday calendar.

Holidays and adjusted working weekends (调休) come from the chinese-calendar package. For a year
the package does not know yet (it raises NotImplementedError), a day counts as working when it
is Monday-Friday and the deadline is flagged provisional, so a clerk sees that it may move once
the State Council publishes that year's arrangement. Dates added in the policy file's
[calendar] table override the package (for a year announced before the package caught up).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import chinese_calendar

from domain.policy import PolicyError, Table, load_policy_table, section


@dataclass(frozen=True)
class Deadline:
    start: date
    working_days: int
    due: date
    provisional: bool  # some day in the range was counted by weekends only
    unknown_years: tuple[int, ...] = ()

    @property
    def note_zh(self) -> str:
        if not self.provisional:
            return ""
        years = "、".join(str(y) for y in self.unknown_years)
        return f"{years}年节假日安排尚未公布，期限按周末推算，可能调整"

    @property
    def note_en(self) -> str:
        if not self.provisional:
            return ""
        years = ", ".join(str(y) for y in self.unknown_years)
        return f"the {years} holiday schedule is not published yet; counted by weekends only, may change"


class SlaState(enum.StrEnum):
    ON_TIME = "on_time"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class SlaStatus:
    state: SlaState
    working_days_left: int  # negative when overdue: working days past the deadline
    deadline: Deadline


@dataclass(frozen=True)
class WorkCalendar:
    extra_holidays: frozenset[date] = field(default_factory=frozenset)
    extra_workdays: frozenset[date] = field(default_factory=frozenset)
    closures: frozenset[date] = field(default_factory=frozenset)

    def day(self, d: date) -> tuple[bool, bool]:
        """(is a working day, known from an official calendar)."""
        if d in self.closures or d in self.extra_holidays:
            return False, True
        if d in self.extra_workdays:
            return True, True
        try:
            return bool(chinese_calendar.is_workday(d)), True
        except NotImplementedError:
            return d.weekday() < 5, False

    def is_workday(self, d: date) -> bool:
        return self.day(d)[0]

    def add_working_days(self, start: date, n: int) -> Deadline:
        """The n-th working day after `start` (start itself not counted); n = 0 means start if it is a
        working day, else the next one (on-the-spot business received on a holiday)."""
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise ValueError(f"工作日数必须是非负整数 / working days must be a whole number >= 0: {n!r}")
        unknown: set[int] = set()
        d = start
        working, known = self.day(d)
        if not known:
            unknown.add(d.year)
        if n == 0:
            while not working:
                d += timedelta(days=1)
                working, known = self.day(d)
                if not known:
                    unknown.add(d.year)
            return Deadline(start, 0, d, bool(unknown), tuple(sorted(unknown)))
        counted = 0
        while counted < n:
            d += timedelta(days=1)
            working, known = self.day(d)
            if not known:
                unknown.add(d.year)
            counted += working
        return Deadline(start, n, d, bool(unknown), tuple(sorted(unknown)))

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(self.is_workday(start + timedelta(days=k)) for k in range(1, (end - start).days + 1))

    def sla(self, deadline: Deadline, today: date) -> SlaStatus:
        if today == deadline.due:
            return SlaStatus(SlaState.DUE_TODAY, 0, deadline)
        left = self.working_days_between(today, deadline.due)
        if today > deadline.due:
            return SlaStatus(SlaState.OVERDUE, min(left, -1), deadline)
        return SlaStatus(SlaState.ON_TIME, left, deadline)


def _dates(table: Table, key: str) -> frozenset[date]:
    values: Any = table.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, date) for v in values):
        raise PolicyError(f"policy: calendar.{key} must be a list of dates (YYYY-MM-DD)")
    return frozenset(values)


def calendar_from_policy(raw: Table) -> WorkCalendar:
    table = section(raw, "calendar")
    holidays, workdays = _dates(table, "extra_holidays"), _dates(table, "extra_workdays")
    both = holidays & workdays
    if both:
        raise PolicyError(f"policy: calendar: {sorted(both)[0]} is both a holiday and a working day")
    return WorkCalendar(holidays, workdays, _dates(table, "local_closures"))


def load_calendar(city: str = "taiyuan") -> WorkCalendar:
    return calendar_from_policy(load_policy_table(city))


def add_working_days(start: date, n: int, calendar: WorkCalendar | None = None) -> Deadline:
    return (calendar or WorkCalendar()).add_working_days(start, n)
