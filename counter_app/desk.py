"""The counter desk: who is signed in, what they may do, and the audit row every action leaves.

Screens never check roles themselves: they call `desk.guard(permission, action, case_id=...)`,
which refuses (and audits the refusal) or audits the action. No Qt here, so the rules of the desk
are tested without a window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from domain.catalogue import Catalogue
from domain.staff import CASE_ROLE, Permission, PermissionDeniedError, StaffRole, require
from domain.withdrawals.policy import WithdrawalPolicy
from domain.workdays import WorkCalendar
from infra.logs import get_logger
from sync.staff_store import SignInResult, StaffAccount, StaffStore

log = get_logger("counter")


class NotSignedInError(Exception):
    def __init__(self) -> None:
        super().__init__("请先登录 / please sign in first")


@dataclass
class DeskSettings:
    terminal_id: str
    outlet: str
    window: str  # the window number called out in the hall ("3 号窗口")
    centre_name: str = "太原市住房公积金管理中心"
    hotline: str = "12329"


@dataclass
class Desk:
    """One counter terminal's signed-in state and its collaborators."""

    settings: DeskSettings
    staff: StaffStore
    catalogue: Catalogue
    calendar: WorkCalendar
    withdrawal_policy: WithdrawalPolicy
    runtime: Any  # sync.runtime.SyncRuntime (enqueue, client, status, account_snapshot)
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    account: StaffAccount | None = None

    # --- session ---------------------------------------------------------------------------------

    def sign_in(self, staff_id: str, password: str) -> SignInResult:
        result = self.staff.sign_in(staff_id.strip(), password, self.clock())
        if result.ok:
            self.account = result.account
            log.info("staff %s signed in at %s", staff_id, self.settings.terminal_id)
        return result

    def sign_out(self) -> None:
        if self.account is not None:
            self.staff.audit(self.account, "sign_out")
        self.account = None

    @property
    def me(self) -> StaffAccount:
        if self.account is None:
            raise NotSignedInError
        return self.account

    @property
    def role(self) -> StaffRole | None:
        return None if self.account is None else self.account.role

    def guard(self, permission: Permission, action: str, *, case_id: str = "", detail: str = "") -> StaffAccount:
        """Refuse (audited, PermissionDeniedError) or record the action; returns the acting staff."""
        me = self.me
        try:
            require(me.role, permission)
        except PermissionDeniedError:
            self.staff.audit(me, action, case_id=case_id, detail=detail, outcome="denied")
            raise
        self.staff.audit(me, action, case_id=case_id, detail=detail)
        return me

    # --- the outbox ------------------------------------------------------------------------------

    def enqueue(self, kind: str, payload: dict[str, Any], member_id: str | None = None) -> Any:
        """Durably queue a transaction for the ledger (works offline; the engine sends it later)."""
        return self.runtime.enqueue(kind, payload, member_id=member_id)

    def case_action(self, case_id: str, action: str, *, member_id: str | None, item_code: str = "",
                    note: str = "", data: dict[str, Any] | None = None) -> Any:
        """A `case.action` for the ledger, acting as the signed-in staff in their case role; the
        ledger replays it through `domain.cases`, so an illegal step is refused there too."""
        me = self.me
        role = CASE_ROLE[me.role]
        if role is None:
            raise PermissionDeniedError(me.role, Permission.INTAKE)
        payload = {"case_id": case_id, "action": action, "actor": me.staff_id, "role": role.value, "note": note,
                   "data": data or {}}
        if item_code:
            payload["item_code"] = item_code
        return self.enqueue("case.action", payload, member_id)

    @property
    def online(self) -> bool:
        status = getattr(self.runtime, "status", None)
        return getattr(status, "state", "offline") == "online"
