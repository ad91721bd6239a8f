"""Staff roles, permissions and the sign-in lockout rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.cases import Role as CaseRole
from domain.staff import (
    CASE_ROLE,
    LockoutPolicy,
    LoginState,
    Permission,
    PermissionDeniedError,
    SignInOutcome,
    StaffRole,
    after_attempt,
    can,
    check_new_password,
    check_staff_id,
    require,
)

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
POLICY = LockoutPolicy(max_failures=5, lock_minutes=15)


def test_only_a_supervisor_approves() -> None:
    assert can(StaffRole.SUPERVISOR, Permission.APPROVE)
    assert not can(StaffRole.CLERK, Permission.APPROVE)
    with pytest.raises(PermissionDeniedError, match="may not approve"):
        require(StaffRole.CLERK, Permission.APPROVE)


def test_who_takes_a_case_in_never_approves_it() -> None:
    for role in StaffRole:
        assert not (can(role, Permission.INTAKE) and can(role, Permission.APPROVE)), role


def test_technician_touches_no_case_or_queue() -> None:
    for p in (Permission.INTAKE, Permission.CALL_QUEUE, Permission.APPROVE, Permission.SUBMIT_DECISION):
        assert not can(StaffRole.TECHNICIAN, p)
    assert can(StaffRole.TECHNICIAN, Permission.DEVICES)
    assert CASE_ROLE[StaffRole.TECHNICIAN] is None
    assert CASE_ROLE[StaffRole.SUPERVISOR] is CaseRole.SUPERVISOR


def test_five_failures_lock_for_fifteen_minutes() -> None:
    state = LoginState()
    outcomes = []
    for k in range(5):
        outcome, state = after_attempt(state, False, T0 + timedelta(seconds=k), POLICY)
        outcomes.append(outcome)
    assert outcomes == [SignInOutcome.BAD_PASSWORD] * 4 + [SignInOutcome.LOCKED]
    assert state.locked(T0 + timedelta(minutes=10))
    # the right password does not open a locked account
    outcome, state = after_attempt(state, True, T0 + timedelta(minutes=10), POLICY)
    assert outcome is SignInOutcome.LOCKED
    assert state.minutes_left(T0 + timedelta(minutes=10)) == 6  # locked at +4 s, 15 min, rounded up
    outcome, state = after_attempt(state, True, T0 + timedelta(minutes=16), POLICY)
    assert outcome is SignInOutcome.OK and state == LoginState()


def test_success_resets_the_count() -> None:
    state = LoginState()
    for _ in range(4):
        _, state = after_attempt(state, False, T0, POLICY)
    assert state.remaining(POLICY) == 1
    _, state = after_attempt(state, True, T0, POLICY)
    _, state = after_attempt(state, False, T0, POLICY)
    assert state.failures == 1 and not state.locked(T0)


@given(st.lists(st.booleans(), max_size=40), st.integers(1, 8))
def test_never_more_failures_in_a_row_than_allowed_without_a_lock(attempts: list[bool], limit: int) -> None:
    policy = LockoutPolicy(max_failures=limit, lock_minutes=15)
    state, run = LoginState(), 0
    for ok in attempts:  # all at the same instant: a lock, once set, holds for the rest
        outcome, state = after_attempt(state, ok, T0, policy)
        if outcome is SignInOutcome.LOCKED:
            assert state.locked(T0)
            break
        run = 0 if ok else run + 1
        assert run < limit
        assert outcome is (SignInOutcome.OK if ok else SignInOutcome.BAD_PASSWORD)


def test_staff_ids_and_passwords() -> None:
    assert check_staff_id("clerk-01") == "clerk-01"
    with pytest.raises(ValueError, match="staff id"):
        check_staff_id("柜员1")
    with pytest.raises(ValueError, match="at least 8"):
        check_new_password("a1b2")
    with pytest.raises(ValueError, match="two of"):
        check_new_password("abcdefghij")
    assert check_new_password("counter-2026")
    with pytest.raises(ValueError):
        LockoutPolicy(max_failures=0)
