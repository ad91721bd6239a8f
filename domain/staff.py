"""Counter staff: roles, what each role may do, and the sign-in lockout rule. Pure: no I/O, no clock.

Roles follow docs/architecture.md: a clerk (柜员) handles cases and the queue, a supervisor approves
what the rules routed to a person, a technician maintains devices and may not touch cases. A
case action is checked twice: here for the staff role, and by `domain.cases` for the case's state.

The lockout rule (N failed sign-ins in a row lock the account for M minutes) follows the usual
reading of GB/T 22239-2019 (等保 2.0) "登录失败处理": the numbers are a terminal setting, the
defaults below are the common 5 attempts / 15 minutes, not a legal figure.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from domain.cases import Role as CaseRole


class StaffRole(enum.StrEnum):
    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    TECHNICIAN = "technician"
    ADMIN = "admin"  # manages staff accounts and roles; acts on no case

    @property
    def zh(self) -> str:
        return {"clerk": "柜员", "supervisor": "审批主管", "technician": "技术维护", "admin": "系统管理员"}[self.value]


class Permission(enum.StrEnum):
    CALL_QUEUE = "call_queue"  # call, recall, skip, transfer tickets
    INTAKE = "intake"  # open cases, checklist, capture, one-time notice, drafts
    SUBMIT_DECISION = "submit_decision"  # apply the rules' instant decision or route to a supervisor
    APPROVE = "approve"  # approve / reject a routed case
    VIEW_WORKLIST = "view_worklist"
    DAY_REPORT = "day_report"
    PRINT = "print"
    DEVICES = "devices"  # diagnostics, test prints
    MANAGE_STAFF = "manage_staff"

    @property
    def zh(self) -> str:
        return _PERMISSION_ZH[self]


_PERMISSION_ZH = {
    Permission.CALL_QUEUE: "叫号",
    Permission.INTAKE: "业务受理",
    Permission.SUBMIT_DECISION: "提交审批结果",
    Permission.APPROVE: "审批",
    Permission.VIEW_WORKLIST: "查看待办",
    Permission.DAY_REPORT: "日终报表",
    Permission.PRINT: "打印",
    Permission.DEVICES: "设备维护",
    Permission.MANAGE_STAFF: "人员管理",
}

P = Permission
# Separation of duties (前后台分离): whoever takes a case in never approves it, so intake and approval
# belong to different roles; a supervisor who must serve at a window signs in with a clerk account.
PERMISSIONS: dict[StaffRole, frozenset[Permission]] = {
    StaffRole.CLERK: frozenset({P.CALL_QUEUE, P.INTAKE, P.SUBMIT_DECISION, P.VIEW_WORKLIST, P.DAY_REPORT, P.PRINT}),
    StaffRole.SUPERVISOR: frozenset({P.APPROVE, P.VIEW_WORKLIST, P.DAY_REPORT, P.PRINT, P.MANAGE_STAFF}),
    StaffRole.TECHNICIAN: frozenset({P.DEVICES, P.PRINT}),
    StaffRole.ADMIN: frozenset({P.MANAGE_STAFF}),
}

# The role a staff member acts in on a case (domain.cases checks transitions by it).
CASE_ROLE: dict[StaffRole, CaseRole | None] = {
    StaffRole.CLERK: CaseRole.CLERK,
    StaffRole.SUPERVISOR: CaseRole.SUPERVISOR,
    StaffRole.TECHNICIAN: None,
    StaffRole.ADMIN: None,
}


class PermissionDeniedError(Exception):
    """The signed-in role may not do this; the message is bilingual."""

    def __init__(self, role: StaffRole, permission: Permission) -> None:
        self.role, self.permission = role, permission
        super().__init__(f"{role.zh}无权{permission.zh} / the {role.value} role may not {permission.value}")


def can(role: StaffRole, permission: Permission) -> bool:
    return permission in PERMISSIONS[role]


def require(role: StaffRole, permission: Permission) -> None:
    if not can(role, permission):
        raise PermissionDeniedError(role, permission)


_STAFF_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{1,31}\Z")
MIN_PASSWORD_LENGTH = 8


def check_staff_id(staff_id: str) -> str:
    if not _STAFF_ID.match(staff_id):
        raise ValueError(f"工号须为2-32位字母、数字、-或_ / staff id must be 2-32 letters, digits, - or _: "
                         f"{staff_id!r}")
    return staff_id


def check_new_password(password: str) -> str:
    """A new staff password: long enough and not all one kind of character."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"密码至少{MIN_PASSWORD_LENGTH}位 / a password needs at least {MIN_PASSWORD_LENGTH} "
                         "characters")
    kinds = sum((any(c.isdigit() for c in password), any(c.isalpha() for c in password),
                 any(not c.isalnum() for c in password)))
    if kinds < 2:
        raise ValueError("密码须包含字母、数字、符号中的至少两类 / use at least two of letters, digits and symbols")
    return password


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int = 5
    lock_minutes: int = 15

    def __post_init__(self) -> None:
        if self.max_failures < 1 or self.lock_minutes < 1:
            raise ValueError("锁定策略须为正数 / lockout numbers must be positive")


@dataclass(frozen=True)
class LoginState:
    """A staff account's sign-in history that the lockout rule needs."""

    failures: int = 0  # consecutive failures since the last success or lock
    locked_until: datetime | None = None

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def minutes_left(self, now: datetime) -> int:
        if not self.locked(now):
            return 0
        assert self.locked_until is not None
        return max(1, -(-int((self.locked_until - now).total_seconds()) // 60))

    def after_failure(self, now: datetime, policy: LockoutPolicy) -> LoginState:
        """A wrong password. While locked, failures neither extend nor count (a locked account
        never checks the password, see `after_attempt`)."""
        if self.locked(now):
            return self
        failures = self.failures + 1
        if failures >= policy.max_failures:
            return LoginState(0, now + timedelta(minutes=policy.lock_minutes))
        return replace(self, failures=failures, locked_until=None)

    def after_success(self) -> LoginState:
        return LoginState()

    def remaining(self, policy: LockoutPolicy) -> int:
        return policy.max_failures - self.failures


class SignInOutcome(enum.StrEnum):
    OK = "ok"
    BAD_PASSWORD = "bad_password"
    LOCKED = "locked"
    UNKNOWN = "unknown"  # no such staff id, or disabled: said the same way as a bad password


def after_attempt(state: LoginState, password_ok: bool, now: datetime,
                  policy: LockoutPolicy) -> tuple[SignInOutcome, LoginState]:
    """Decide one sign-in attempt. A locked account is refused whatever the password."""
    if state.locked(now):
        return SignInOutcome.LOCKED, state
    if password_ok:
        return SignInOutcome.OK, state.after_success()
    new = state.after_failure(now, policy)
    return (SignInOutcome.LOCKED if new.locked(now) else SignInOutcome.BAD_PASSWORD), new
