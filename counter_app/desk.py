"""The counter desk: who is signed in, what they may do, and the audit row every action leaves.

Screens never check roles themselves: they call `desk.guard(permission, action, case_id=...)`,
which refuses (and audits the refusal) or audits the action. No Qt here, so the rules of the desk
are tested without a window.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from counter_app.desk_settings import DeskSettings
from domain.staff import CASE_ROLE, Permission, PermissionDeniedError, StaffRole, require
from infra.logs import get_logger

if TYPE_CHECKING:
    from domain.catalogue import Catalogue
    from domain.withdrawals.policy import WithdrawalPolicy
    from domain.workdays import WorkCalendar
    from sync.staff_store import StaffAccount, StaffStore

__all__ = ["Desk", "DeskSettings", "NotSignedInError"]

log = get_logger("counter")
_AUDIT_OUTCOMES = frozenset({"ok", "denied", "refused", "failed", "locked", "bad_password", "unknown", "offline"})


class NotSignedInError(Exception):
    def __init__(self) -> None:
        super().__init__("请先登录 / please sign in first")


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
    # Central staff (sync.staff_auth.StaffAuth): sign-in through the ledger, offline verifier cache.
    # None = the local accounts of this counter's store (a counter without a ledger, and old tests).
    remote: Any = None
    session_token: str = ""
    signed_in_offline: bool = False

    # --- session ---------------------------------------------------------------------------------

    def sign_in(self, staff_id: str, password: str) -> Any:
        """SignInResult (local accounts) or sync.staff_auth.RemoteSignIn (through the ledger)."""
        if self.remote is None:
            result = self.staff.sign_in(staff_id.strip(), password, self.clock())
        else:
            result = self.remote.sign_in(staff_id.strip(), password)
            role = result.account.role.value if result.account is not None else ""
            outcome = result.outcome.value if not (result.ok and result.offline) else "ok"
            self.staff.record(staff_id.strip(), role, "sign_in", outcome=outcome,
                              detail="offline" if result.offline else "")
            self.session_token, self.signed_in_offline = result.token, bool(result.offline)
        if result.ok:
            self.account = result.account
            log.info("staff %s signed in at %s", staff_id, self.settings.terminal_id)
        self.forward_audit()
        return result

    def sign_out(self) -> None:
        if self.account is not None:
            self.staff.audit(self.account, "sign_out")
        if self.remote is not None and self.session_token:
            # ending the ledger session must not hold the window when the network just went away
            threading.Thread(target=self.remote.sign_out, args=(self.session_token,), name="staff-sign-out",
                             daemon=True).start()
        self.account, self.session_token, self.signed_in_offline = None, "", False
        self.forward_audit()

    def forward_audit(self) -> int:
        """Queue this counter's new audit rows (denials included) for the ledger's audit chain."""
        if self.remote is None:
            return 0
        cached = self.staff.cache_get("audit_forwarded")
        last = int(cached[0]) if cached else 0
        rows = self.staff.unsent_audit(last)
        for row_id, e in rows:
            self.enqueue("staff.audit", {"action": e.action[:64], "staff_id": e.staff_id[:64] or "?",
                                         "role": e.role[:16], "at": e.at.isoformat(), "object": e.case_id[:100],
                                         "outcome": e.outcome if e.outcome in _AUDIT_OUTCOMES else "failed",
                                         "detail": e.detail[:500]})
            last = row_id
        if rows:
            self.staff.cache_put("audit_forwarded", last)
        return len(rows)

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
            self.forward_audit()
            raise
        self.staff.audit(me, action, case_id=case_id, detail=detail)
        self.forward_audit()
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
