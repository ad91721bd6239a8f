"""Case lifecycle: legal paths, illegal transitions, roles, events with who and when, SLA clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.cases import TRANSITIONS, Action, Case, CaseState, IllegalTransitionError, Role
from domain.workdays import WorkCalendar

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 09:00 Beijing


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def new() -> Case:
    return Case.open("C-1", "withdraw_rent", "100200300", T0)


def test_instant_approval_path_records_every_event() -> None:
    c = (
        new()
        .act(Action.SUBMIT, "100200300", Role.MEMBER, at(1))
        .act(Action.ACCEPT, "rules", Role.SYSTEM, at(1))
        .act(Action.APPROVE, "rules", Role.SYSTEM, at(1), "秒批")
        .act(Action.DISBURSE, "payment-run", Role.SYSTEM, at(30))
        .act(Action.CLOSE, "payment-run", Role.SYSTEM, at(31))
    )
    assert c.state is CaseState.CLOSED and c.is_finished
    assert [e.to_state for e in c.events] == [
        CaseState.SUBMITTED,
        CaseState.ACCEPTED,
        CaseState.APPROVED,
        CaseState.DISBURSED,
        CaseState.CLOSED,
    ]
    assert [e.seq for e in c.events] == [1, 2, 3, 4, 5]
    assert c.events[2].actor == "rules" and c.events[2].note == "秒批" and c.events[3].at == at(30)


def test_materials_detour_restarts_the_clock() -> None:
    c = (
        new()
        .act(Action.SUBMIT, "clerk-1", Role.CLERK, at(0))
        .act(Action.ACCEPT, "clerk-1", Role.CLERK, at(5))
        .act(Action.REQUEST_MATERIALS, "clerk-1", Role.CLERK, at(6), "一次性告知 GZ-0001")
    )
    assert c.state is CaseState.NEEDS_MATERIALS
    later = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # Thursday
    c = c.act(Action.SUBMIT, "100200300", Role.MEMBER, later).act(Action.ACCEPT, "clerk-2", Role.CLERK, later)
    assert c.clock_started_on() == date(2026, 11, 26)
    d = c.deadline(3, WorkCalendar())
    assert d is not None and d.due == date(2026, 12, 1)  # Fri 27, Mon 30, Tue 1


def test_clock_uses_the_beijing_date() -> None:
    late_evening_utc = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)  # 01:00 Tuesday in Beijing
    c = (
        new()
        .act(Action.SUBMIT, "m", Role.MEMBER, late_evening_utc)
        .act(Action.ACCEPT, "s", Role.SYSTEM, late_evening_utc)
    )
    assert c.clock_started_on() == date(2026, 11, 24)
    assert new().deadline(3, WorkCalendar()) is None


def test_illegal_transition_raises_and_changes_nothing() -> None:
    c = new()
    with pytest.raises(IllegalTransitionError, match=r"draft; approve is not allowed \(allowed: submit, close\)"):
        c.act(Action.APPROVE, "clerk-1", Role.CLERK, at(1))
    assert c.state is CaseState.DRAFT and c.events == ()
    closed = c.act(Action.CLOSE, "100200300", Role.MEMBER, at(1))
    with pytest.raises(IllegalTransitionError, match="none"):
        closed.act(Action.SUBMIT, "100200300", Role.MEMBER, at(2))


def test_roles_are_enforced() -> None:
    submitted = new().act(Action.SUBMIT, "100200300", Role.MEMBER, at(1))
    with pytest.raises(IllegalTransitionError, match="member role may not accept"):
        submitted.act(Action.ACCEPT, "100200300", Role.MEMBER, at(2))


def test_actor_and_time_are_required_and_ordered() -> None:
    with pytest.raises(IllegalTransitionError, match="actor"):
        new().act(Action.SUBMIT, "  ", Role.MEMBER, at(1))
    with pytest.raises(IllegalTransitionError, match="backwards"):
        new().act(Action.SUBMIT, "m", Role.MEMBER, at(-1))
    with pytest.raises(ValueError, match="timezone"):
        new().act(Action.SUBMIT, "m", Role.MEMBER, datetime(2026, 11, 23, 9))  # noqa: DTZ001
    with pytest.raises(ValueError, match="required"):
        Case.open("", "withdraw_rent", "1", T0)


def test_json_round_trip_and_tampered_history_is_refused() -> None:
    c = new().act(Action.SUBMIT, "m", Role.MEMBER, at(1)).act(Action.REJECT, "clerk", Role.CLERK, at(2), "有房")
    assert Case.from_json(c.to_json()) == c
    data = c.to_json()
    data["events"][1]["action"] = "approve"  # submitted -> approve is not a legal step
    with pytest.raises(IllegalTransitionError):
        Case.from_json(data)


def test_every_state_is_reachable_and_closed_is_terminal() -> None:
    reachable = {CaseState.DRAFT}
    frontier = [CaseState.DRAFT]
    while frontier:
        s = frontier.pop()
        for (src, _), dst in TRANSITIONS.items():
            if src is s and dst not in reachable:
                reachable.add(dst)
                frontier.append(dst)
    assert reachable == set(CaseState)
    assert not [a for (s, a) in TRANSITIONS if s is CaseState.CLOSED]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(list(Action)), max_size=12))
def test_any_action_sequence_either_follows_the_table_or_raises(actions: list[Action]) -> None:
    c = new()
    for k, action in enumerate(actions):
        expected = TRANSITIONS.get((c.state, action))
        if expected is None:
            with pytest.raises(IllegalTransitionError):
                c.act(action, "x", Role.SUPERVISOR if action is not Action.DISBURSE else Role.SYSTEM, at(k))
            continue
        role = Role.SYSTEM if action is Action.DISBURSE else Role.CLERK
        before, state = len(c.events), c.state
        c = c.act(action, "x", role, at(k))
        assert c.state is expected and len(c.events) == before + 1
        assert (c.events[-1].from_state, c.events[-1].action, c.events[-1].to_state) == (state, action, expected)
