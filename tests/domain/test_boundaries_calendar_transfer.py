"""Working days and transfer intake at their edges (issue 16).

The calendar package knows 2026 and not 2027, so 2027 shows what the policy file's extra working
days and holidays do to a count.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date

import pytest

from domain.catalogue import load_catalogue
from domain.policy import PolicyError, Table, load_policy_table
from domain.transfer import (
    Centre,
    FormError,
    TransferRules,
    centre_by_code,
    centres_in,
    check_account,
    check_member,
    load_transfer_rules,
    provinces,
    rules_from_policy,
    time_limit_sentences,
    transfer_deadline,
    transfer_in_payload,
)
from domain.workdays import (
    Deadline,
    SlaState,
    WorkCalendar,
    add_working_days,
    calendar_from_policy,
    load_calendar,
)
from tests.domain.withdrawal_builders import account, snapshot

SUNDAY = date(2026, 11, 29)
FRIDAY = date(2026, 11, 27)


@pytest.fixture(scope="module")
def raw() -> Table:
    return load_policy_table("taiyuan")


def _with_calendar(raw: Table, **entries: list[date]) -> WorkCalendar:
    changed = copy.deepcopy(raw)
    changed["calendar"].update(entries)
    return calendar_from_policy(changed)


# -- counts ---------------------------------------------------------------------------------------------


def test_a_count_starting_on_a_sunday() -> None:
    cal = WorkCalendar()
    assert cal.add_working_days(SUNDAY, 1).due == date(2026, 11, 30)
    assert cal.add_working_days(SUNDAY, 3).due == date(2026, 12, 2)
    assert cal.add_working_days(SUNDAY, 5).due == date(2026, 12, 4)
    assert cal.add_working_days(SUNDAY, 6).due == date(2026, 12, 7)
    assert cal.add_working_days(SUNDAY, 0).due == date(2026, 11, 30)
    assert cal.add_working_days(date(2026, 11, 28), 0).due == date(2026, 11, 30)  # Saturday: two days on
    saturday = cal.add_working_days(date(2026, 11, 28), 0)
    assert (saturday.start, saturday.working_days, saturday.provisional, saturday.unknown_years) == (
        date(2026, 11, 28), 0, False, ())
    assert cal.add_working_days(date(2026, 10, 1), 0).due == date(2026, 10, 8)  # 国庆: a week on
    assert cal.add_working_days(date(2026, 11, 30), 0).due == date(2026, 11, 30)
    assert cal.add_working_days(FRIDAY, 1).due == date(2026, 11, 30)
    deadline = cal.add_working_days(SUNDAY, 3)
    assert (deadline.start, deadline.working_days, deadline.provisional, deadline.unknown_years) == (
        SUNDAY, 3, False, ())


def test_the_policy_files_extra_working_day_is_used_in_a_count(raw: Table) -> None:
    # 2027-01-01 is a Friday; 2027-01-02 a Saturday. Listed as a working day (调休), it is day one.
    plain = calendar_from_policy(raw)
    assert plain.add_working_days(date(2027, 1, 1), 1).due == date(2027, 1, 4)
    cal = _with_calendar(raw, extra_workdays=[date(2027, 1, 2)])
    assert cal.is_workday(date(2027, 1, 2))
    assert cal.add_working_days(date(2027, 1, 1), 1).due == date(2027, 1, 2)
    assert cal.add_working_days(date(2027, 1, 1), 2).due == date(2027, 1, 4)
    assert cal.working_days_between(date(2027, 1, 1), date(2027, 1, 4)) == 2
    assert plain.working_days_between(date(2027, 1, 1), date(2027, 1, 4)) == 1
    # Starting on the listed Saturday with n = 0 keeps that day, known (not provisional).
    zero = cal.add_working_days(date(2027, 1, 2), 0)
    assert zero.due == date(2027, 1, 2) and not zero.provisional


def test_the_policy_files_extra_holiday_and_closure_are_skipped(raw: Table) -> None:
    holiday = _with_calendar(raw, extra_holidays=[date(2027, 1, 4)])
    assert holiday.add_working_days(date(2027, 1, 1), 1).due == date(2027, 1, 5)
    closed = _with_calendar(raw, local_closures=[date(2026, 11, 30)])
    assert closed.add_working_days(SUNDAY, 1).due == date(2026, 12, 1)
    assert closed.day(date(2026, 11, 30)) == (False, True)
    # A closure wins over an extra working day on the same date.
    both = _with_calendar(raw, extra_workdays=[date(2027, 1, 2)], local_closures=[date(2027, 1, 2)])
    assert not both.is_workday(date(2027, 1, 2))


def test_official_days_and_unknown_years() -> None:
    cal = WorkCalendar()
    assert cal.day(date(2026, 10, 1)) == (False, True)
    assert cal.day(date(2026, 9, 28)) == (True, True)
    assert cal.day(date(2027, 1, 4)) == (True, False)  # Monday of an unknown year: weekends only
    assert cal.day(date(2027, 1, 2)) == (False, False)  # Saturday of an unknown year
    assert cal.day(date(2027, 1, 1)) == (True, False)  # Friday: 元旦 not known yet
    deadline = cal.add_working_days(date(2026, 12, 30), 3)
    assert deadline.due == date(2027, 1, 4) and deadline.provisional and deadline.unknown_years == (2027,)
    known = cal.add_working_days(date(2026, 12, 28), 3)
    assert known.due == date(2026, 12, 31) and not known.provisional


def test_unknown_start_day_counts_as_provisional_even_for_zero() -> None:
    cal = WorkCalendar()
    zero = cal.add_working_days(date(2027, 1, 4), 0)
    assert zero.due == date(2027, 1, 4) and zero.provisional and zero.unknown_years == (2027,)
    from_weekend = cal.add_working_days(date(2027, 1, 2), 0)
    assert from_weekend.due == date(2027, 1, 4) and from_weekend.unknown_years == (2027,)
    start_only = cal.add_working_days(date(2027, 1, 4), 1)
    assert start_only.unknown_years == (2027,)


def test_provisional_notes_name_every_unknown_year() -> None:
    two = Deadline(date(2027, 12, 30), 3, date(2028, 1, 4), True, (2027, 2028))
    assert two.note_zh == "2027、2028年节假日安排尚未公布，期限按周末推算，可能调整"
    assert two.note_en == ("the 2027, 2028 holiday schedule is not published yet; counted by weekends only, "
                           "may change")
    long = WorkCalendar().add_working_days(date(2027, 12, 30), 3)
    assert long.unknown_years == (2027, 2028) and long.due == date(2028, 1, 4)
    sure = Deadline(FRIDAY, 1, date(2026, 11, 30), False)
    assert sure.note_zh == "" and sure.note_en == ""


@pytest.mark.parametrize("n", [-1, True, 1.0])
def test_bad_counts_are_refused(n: object) -> None:
    with pytest.raises(ValueError, match="working days must be a whole number >= 0"):
        WorkCalendar().add_working_days(FRIDAY, n)  # type: ignore[arg-type]


def test_working_days_between_edges() -> None:
    cal = WorkCalendar()
    assert cal.working_days_between(FRIDAY, FRIDAY) == 0
    assert cal.working_days_between(FRIDAY, SUNDAY) == 0
    assert cal.working_days_between(FRIDAY, date(2026, 11, 30)) == 1
    assert cal.working_days_between(date(2026, 11, 26), FRIDAY) == 1  # (start, end]: the end counts
    assert cal.working_days_between(date(2026, 11, 30), FRIDAY) == -1
    assert add_working_days(SUNDAY, 1).due == date(2026, 11, 30)
    assert add_working_days(SUNDAY, 1, WorkCalendar(closures=frozenset({date(2026, 11, 30)}))).due == date(
        2026, 12, 1)


def test_sla_due_today_one_day_either_side() -> None:
    cal = WorkCalendar()
    deadline = cal.add_working_days(date(2026, 11, 24), 3)  # Tuesday + 3 = Friday 27th
    assert deadline.due == FRIDAY
    today = cal.sla(deadline, FRIDAY)
    assert (today.state, today.working_days_left) == (SlaState.DUE_TODAY, 0)
    before = cal.sla(deadline, date(2026, 11, 26))
    assert (before.state, before.working_days_left) == (SlaState.ON_TIME, 1)
    saturday = cal.sla(deadline, date(2026, 11, 28))  # no working day past it yet, still overdue by one
    assert (saturday.state, saturday.working_days_left) == (SlaState.OVERDUE, -1)
    tuesday = cal.sla(deadline, date(2026, 12, 1))
    assert (tuesday.state, tuesday.working_days_left) == (SlaState.OVERDUE, -2)
    assert tuesday.deadline is deadline and today.deadline is deadline and before.deadline is deadline


def test_calendar_policy_errors(raw: Table) -> None:
    with pytest.raises(PolicyError, match="2027-01-02 is both a holiday and a working day"):
        _with_calendar(raw, extra_workdays=[date(2027, 1, 2)], extra_holidays=[date(2027, 1, 2)])
    for key in ("extra_holidays", "extra_workdays", "local_closures"):
        with pytest.raises(PolicyError, match=f"calendar.{key} must be a list of dates"):
            _with_calendar(raw, **{key: ["2027-01-02"]})  # type: ignore[list-item]
        with pytest.raises(PolicyError, match=f"calendar.{key} must be a list of dates"):
            _with_calendar(raw, **{key: date(2027, 1, 2)})  # type: ignore[arg-type]
    empty = copy.deepcopy(raw)
    empty["calendar"] = {}
    assert calendar_from_policy(empty) == WorkCalendar()
    assert load_calendar() == WorkCalendar()


# -- transfer intake ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rules() -> TransferRules:
    return load_transfer_rules()


def test_account_digits_at_both_policy_bounds(rules: TransferRules, raw: Table) -> None:
    lo, hi = raw["transfer"]["account_min_digits"], raw["transfer"]["account_max_digits"]
    assert (lo, hi) == (6, 20) == (rules.account_min_digits, rules.account_max_digits)
    for length in (lo, lo + 1, hi - 1, hi):
        assert check_account("1" * length, rules) == ("1" * length, None)
    for length in (lo - 1, hi + 1):
        cleaned, error = check_account("1" * length, rules)
        assert cleaned == "1" * length and error is not None
        assert error.zh == "原公积金账号应为 6 至 20 位数字。"
        assert error.en == "The account number there has 6 to 20 digits."


def test_account_cleaning_and_characters(rules: TransferRules) -> None:
    assert check_account("", rules) == ("", None)
    assert check_account("   ", rules) == ("", None)
    assert check_account(" 1234 5678 ", rules) == ("12345678", None)
    cleaned, error = check_account("12345a", rules)
    assert cleaned == "12345a" and error is not None and error.en == "The account number there has digits only."
    assert error.zh == "原公积金账号只能由数字组成。"
    assert check_account("１２３４５６", rules)[1] is not None  # full-width digits are not ASCII digits


@pytest.mark.parametrize(
    ("own", "lo", "hi", "ok"),
    [("140100", 1, 1, True), ("140100", 0, 5, False), ("140100", 6, 5, False), ("140100", 6, 64, True),
     ("140100", 6, 65, False), ("14010", 6, 20, False), ("1401000", 6, 20, False), ("14010a", 6, 20, False)],
)
def test_transfer_policy_bounds(raw: Table, own: str, lo: int, hi: int, ok: bool) -> None:
    changed = copy.deepcopy(raw)
    changed["transfer"].update(own_region=own, account_min_digits=lo, account_max_digits=hi)
    if ok:
        assert rules_from_policy(changed).account_max_digits == hi
    else:
        with pytest.raises(PolicyError, match="transfer"):
            rules_from_policy(changed)


@pytest.mark.parametrize("key", ["own_region", "account_min_digits", "account_max_digits", "excluded_provinces"])
def test_transfer_policy_missing_keys_are_named(raw: Table, key: str) -> None:
    changed = copy.deepcopy(raw)
    del changed["transfer"][key]
    with pytest.raises(PolicyError, match=f"^policy: missing key transfer.{key}$"):
        rules_from_policy(changed)


def test_transfer_policy_values_and_messages(raw: Table) -> None:
    loaded = rules_from_policy(raw)
    assert loaded == TransferRules("140100", frozenset({"71", "81", "82"}), 6, 20)
    changed = copy.deepcopy(raw)
    changed["transfer"].update(account_min_digits=7, account_max_digits=6, excluded_provinces=[71])
    with pytest.raises(PolicyError, match="^policy: transfer.account_min_digits/max_digits = 7/6 must satisfy "
                                          "1 <= min <= max <= 64$"):
        rules_from_policy(changed)
    changed["transfer"].update(account_min_digits=6, own_region="1401")
    with pytest.raises(PolicyError, match="^policy: transfer.own_region = '1401' must be a six-digit GB/T 2260 code$"):
        rules_from_policy(changed)
    changed["transfer"].update(own_region="140100", account_max_digits=20)
    assert rules_from_policy(changed).excluded_provinces == frozenset({"71"})


def test_centres_leave_out_this_centre_and_places_without_a_fund(rules: TransferRules) -> None:
    codes = [code for code, _ in provinces(rules)]
    assert "14" in codes and "11" in codes and not {"71", "81", "82"} & set(codes)
    assert codes == sorted(codes)
    shanxi = centres_in("14", rules)
    assert all(c.code.endswith("00") and not c.code.endswith("0000") for c in shanxi)
    assert "140100" not in [c.code for c in shanxi] and "140700" in [c.code for c in shanxi]
    assert centres_in("11", rules) == [Centre("110000", "北京市")]
    assert centres_in("81", rules) == []
    assert centre_by_code("429004", rules) == Centre("429004", "仙桃市")
    assert centre_by_code("140100", rules) is None and centre_by_code("140700", rules) is not None
    assert centre_by_code("141100", rules) == Centre("141100", "吕梁市")  # a prefecture code of 14 beyond 1409
    assert centre_by_code("110000", rules) == Centre("110000", "北京市")  # a municipality is its own centre
    assert centre_by_code("500000", rules) == Centre("500000", "重庆市")
    assert centre_by_code("140700", rules).name == "晋中市住房公积金管理中心"  # type: ignore[union-attr]
    elsewhere = replace(rules, own_region="140700")
    assert "140100" in [c.code for c in centres_in("14", elsewhere)]


def test_transfer_needs_a_normal_account_and_states_its_time_limit() -> None:
    assert check_member(snapshot()) is None
    sealed = check_member(snapshot(account(status_code="02", sealed_on=date(2026, 1, 1))))
    assert sealed == FormError(
        "您在本中心的账户不是正常缴存状态，暂不能转入。请新单位为您开户缴存后再办理，或到柜台咨询。",
        "Your account here is not in normal deposit, so nothing can be transferred into it yet. "
        "Apply once your new employer has opened it and paid into it, or ask at a counter.")
    payload = transfer_in_payload(Centre("140700", "晋中市"), "123456", "kiosk")
    assert payload == {"direction": "in", "counterpart_centre": "晋中市住房公积金管理中心",
                       "counterpart_account": "123456", "channel": "kiosk"}
    deadline = transfer_deadline(load_catalogue(), SUNDAY, WorkCalendar())
    assert deadline.working_days == 3 and deadline.due == date(2026, 12, 2)
    zh, en = time_limit_sentences(deadline)
    assert zh == ("时限：本中心受理后 3 个工作日内发起转移（今日受理则于 2026-12-02 前），"
                  "转出地中心收到后 3 个工作日内办理。")
    assert "(by 2026-12-02 if accepted today)" in en and not en.endswith(")")
    late = transfer_deadline(load_catalogue(), date(2026, 12, 30), WorkCalendar())
    zh, en = time_limit_sentences(late)
    assert zh.endswith("（2027年节假日安排尚未公布，期限按周末推算，可能调整）")
    assert en.endswith("(the 2027 holiday schedule is not published yet; counted by weekends only, may change)")
