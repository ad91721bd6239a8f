"""A case's lifecycle: draft → submitted → accepted → approved → disbursed → closed, with detours.

Every change is an event with who, in which role, and when; a case is the fold of its events, so
the ledger and the counter app can rebuild it from what they stored. An illegal transition or an
actor whose role may not take the action raises `IllegalTransitionError` with a bilingual message.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any, Self

from domain import jsoncodec
from domain.workdays import Deadline, WorkCalendar

BEIJING = timezone(timedelta(hours=8))


class CaseState(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    NEEDS_MATERIALS = "needs_materials"
    APPROVED = "approved"
    REJECTED = "rejected"
    DISBURSED = "disbursed"
    CLOSED = "closed"

    @property
    def zh(self) -> str:
        return _STATE_ZH[self]


_STATE_ZH = {
    CaseState.DRAFT: "草稿",
    CaseState.SUBMITTED: "已提交",
    CaseState.ACCEPTED: "已受理",
    CaseState.NEEDS_MATERIALS: "待补正材料",
    CaseState.APPROVED: "已审批",
    CaseState.REJECTED: "不予受理/不予批准",
    CaseState.DISBURSED: "已放款/已到账",
    CaseState.CLOSED: "已办结",
}


class Role(enum.StrEnum):
    MEMBER = "member"
    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    SYSTEM = "system"  # the rules engine (秒批) or the payment run


class Action(enum.StrEnum):
    SUBMIT = "submit"
    ACCEPT = "accept"
    REQUEST_MATERIALS = "request_materials"
    APPROVE = "approve"
    REJECT = "reject"
    DISBURSE = "disburse"
    CLOSE = "close"


S, A, R = CaseState, Action, Role
# (from, action) -> to
TRANSITIONS: dict[tuple[CaseState, Action], CaseState] = {
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.DRAFT, A.CLOSE): S.CLOSED,  # abandoned draft
    (S.SUBMITTED, A.ACCEPT): S.ACCEPTED,
    (S.SUBMITTED, A.REQUEST_MATERIALS): S.NEEDS_MATERIALS,
    (S.SUBMITTED, A.REJECT): S.REJECTED,  # 不予受理
    (S.NEEDS_MATERIALS, A.SUBMIT): S.SUBMITTED,  # 补正 after the one-time notice
    (S.NEEDS_MATERIALS, A.CLOSE): S.CLOSED,  # never came back
    (S.ACCEPTED, A.APPROVE): S.APPROVED,
    (S.ACCEPTED, A.REJECT): S.REJECTED,
    (S.ACCEPTED, A.REQUEST_MATERIALS): S.NEEDS_MATERIALS,
    (S.APPROVED, A.DISBURSE): S.DISBURSED,
    (S.APPROVED, A.CLOSE): S.CLOSED,  # nothing to pay (signing, certificates)
    (S.REJECTED, A.CLOSE): S.CLOSED,
    (S.DISBURSED, A.CLOSE): S.CLOSED,
}

ROLES: dict[Action, frozenset[Role]] = {
    A.SUBMIT: frozenset({R.MEMBER, R.CLERK}),
    A.ACCEPT: frozenset({R.CLERK, R.SUPERVISOR, R.SYSTEM}),
    A.REQUEST_MATERIALS: frozenset({R.CLERK, R.SUPERVISOR, R.SYSTEM}),
    A.APPROVE: frozenset({R.CLERK, R.SUPERVISOR, R.SYSTEM}),
    A.REJECT: frozenset({R.CLERK, R.SUPERVISOR, R.SYSTEM}),
    A.DISBURSE: frozenset({R.SYSTEM, R.CLERK}),
    A.CLOSE: frozenset({R.MEMBER, R.CLERK, R.SUPERVISOR, R.SYSTEM}),
}


class IllegalTransitionError(Exception):
    """The action is not allowed in the case's state, or not for this actor's role."""


@dataclass(frozen=True)
class CaseEvent:
    seq: int
    action: Action
    from_state: CaseState
    to_state: CaseState
    actor: str  # member id, clerk id, or "rules" / "payment-run"
    role: Role
    at: datetime  # UTC
    note: str = ""


@dataclass(frozen=True)
class Case:
    case_id: str
    item_code: str  # catalogue item
    member_id: str
    created_at: datetime
    state: CaseState = CaseState.DRAFT
    events: tuple[CaseEvent, ...] = ()

    @classmethod
    def open(cls, case_id: str, item_code: str, member_id: str, at: datetime) -> Case:
        if not case_id or not item_code or not member_id:
            raise ValueError("案件编号、业务和职工账号不能为空 / case id, item and member id are required")
        return cls(case_id, item_code, member_id, _utc(at))

    def allowed(self) -> tuple[Action, ...]:
        return tuple(a for (s, a) in TRANSITIONS if s is self.state)

    def act(self, action: Action, actor: str, role: Role, at: datetime, note: str = "") -> Case:
        """The case after `action`; raises IllegalTransitionError and leaves this case unchanged otherwise."""
        target = TRANSITIONS.get((self.state, action))
        if target is None:
            allowed = "、".join(a.value for a in self.allowed()) or "无"
            raise IllegalTransitionError(
                f"案件{self.case_id}处于“{self.state.zh}”状态，不能执行{action.value}（可执行：{allowed}） / "
                f"case {self.case_id} is {self.state.value}; {action.value} is not allowed "
                f"(allowed: {', '.join(a.value for a in self.allowed()) or 'none'})"
            )
        if role not in ROLES[action]:
            raise IllegalTransitionError(
                f"{role.value}角色不能执行{action.value} / the {role.value} role may not {action.value} a case"
            )
        if not actor.strip():
            raise IllegalTransitionError("必须记录经办人 / every transition needs an actor")
        when = _utc(at)
        last = self.events[-1].at if self.events else self.created_at
        if when < last:
            raise IllegalTransitionError(
                f"时间{when.isoformat()}早于上一事件{last.isoformat()} / event time goes backwards"
            )
        event = CaseEvent(len(self.events) + 1, action, self.state, target, actor, role, when, note)
        return replace(self, state=target, events=(*self.events, event))

    @classmethod
    def replay(
        cls, case_id: str, item_code: str, member_id: str, created_at: datetime, events: tuple[CaseEvent, ...]
    ) -> Case:
        """Rebuild from stored events, re-checking each one."""
        case = cls.open(case_id, item_code, member_id, created_at)
        for e in events:
            case = case.act(e.action, e.actor, e.role, e.at, e.note)
            if case.state is not e.to_state:
                raise IllegalTransitionError(
                    f"stored event {e.seq} claims {e.to_state.value}, replay gives {case.state.value}"
                )
        return case

    @property
    def is_finished(self) -> bool:
        return self.state is CaseState.CLOSED

    def clock_started_on(self) -> date | None:
        """Beijing date the time limit runs from: the last acceptance (restarts after 补正)."""
        accepted = [e for e in self.events if e.to_state is CaseState.ACCEPTED]
        return accepted[-1].at.astimezone(BEIJING).date() if accepted else None

    def deadline(self, time_limit: int, calendar: WorkCalendar) -> Deadline | None:
        start = self.clock_started_on()
        return None if start is None else calendar.add_working_days(start, time_limit)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = jsoncodec.to_json(self)
        return data

    @classmethod
    def from_json(cls, data: Any) -> Self:
        case = jsoncodec.from_json(cls, data)
        cls.replay(case.case_id, case.item_code, case.member_id, case.created_at, case.events)
        return case


def _utc(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("时间必须带时区 / times must be timezone-aware")
    return at.astimezone(UTC)
