"""The role check of every staff action at the ledger, and the audit entries the items leave.

A counter sends staff actions through its outbox signed by its own credential, each naming the
staff member (`actor`), the case role and the time it was taken (`created_at`). The ledger accepts
one only if that account held that role at that time, and — for an action queued at a counter —
only if that person signed in online at that counter within `staff.OFFLINE_WINDOW` before it
(the counter's offline verifier lives no longer). What each action needs:

  approve           supervisor; a clerk only to record an instant approval (秒批) that the ledger's
                    own rules already made for the case's withdrawal
  reject            clerk or supervisor (a refusal moves no money)
  everything else   clerk or supervisor (technicians and admins act on no case)
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import transactions as tx
from domain.cases import Role
from domain.transactions import TransactionError
from ledger import audit, staff
from ledger.models import Case, Withdrawal

FUTURE_SLACK = timedelta(minutes=5)
ACTION_ROLES: dict[str, frozenset[str]] = {"approve": frozenset({"supervisor"})}
DEFAULT_ROLES = frozenset({"clerk", "supervisor"})
_AUDITED = frozenset({"case.action"})


def _refuse(code: str, zh: str, en: str) -> TransactionError:
    return TransactionError(code, zh, en)


def _instant_by_rules(session: Session, case_id: str) -> bool:
    """The ledger itself approved this counter case's withdrawal at once (秒批 on shared data)."""
    case = session.get(Case, case_id)
    if case is None or not case.member_id:
        return False
    found = session.scalar(select(Withdrawal.id).where(  # the member's own rows first (indexed)
        Withdrawal.member_id == case.member_id, Withdrawal.application_no == case_id,
        Withdrawal.status.in_(("approved", "paid")), Withdrawal.case_id.is_(None)).limit(1))
    return found is not None


def check_case_action(session: Session, *, terminal_role: str, terminal_id: str, p: tx.CaseAction, role: Role,
                      created_at: Any, now: Any) -> None:
    """Refuse (TransactionError) a staff case action the named account may not take at that time."""
    if role not in (Role.CLERK, Role.SUPERVISOR):
        return  # a member's own action at a kiosk: domain.cases and the terminal role decide
    if created_at > now + FUTURE_SLACK:
        raise _refuse("staff_time", "操作时间晚于账务中心当前时间，已拒绝。",
                      "The action is dated in the future of the ledger's clock; refused.")
    if not staff.held_role(session, p.actor, role.value, created_at):
        raise _refuse("staff_role", f"{p.actor} 在 {created_at:%Y-%m-%d %H:%M} UTC 不具有「{role.value}」角色。",
                      f"{p.actor} did not hold the {role.value} role at {created_at:%Y-%m-%d %H:%M} UTC.")
    allowed = ACTION_ROLES.get(p.action, DEFAULT_ROLES)
    instant = p.action == "approve" and role is Role.CLERK and _instant_by_rules(session, p.case_id)
    if role.value not in allowed and not instant:
        need = sorted(allowed)
        raise _refuse("staff_role", f"「{p.action}」须由{'、'.join(need)}办理，{p.actor} 是 {role.value}。",
                      f"{p.action} needs the {' or '.join(need)} role; {p.actor} acts as {role.value}.")
    hours = int(staff.OFFLINE_WINDOW.total_seconds() // 3600)
    if terminal_role == "counter" and not staff.signed_in_recently(session, p.actor, terminal_id, created_at):
        raise _refuse("staff_not_signed_in", f"{p.actor} 在该操作前 {hours} 小时内未在本柜台联机登录。",
                      f"{p.actor} had not signed in online at this counter within {hours} h before the action.")


def audit_item(session: Session, *, terminal_id: str, terminal_role: str, kind: str, payload: Any,
               created_at: Any, refusal: TransactionError | None, result: dict[str, Any]) -> None:
    """One audit entry for a staff item the ledger accepted or refused (denials included)."""
    if kind not in _AUDITED or not isinstance(payload, dict):
        return
    p_role = payload.get("role") or ("clerk" if terminal_role == "counter" else "member")
    if terminal_role != "counter" and p_role == "member":
        return  # a member's own step at a kiosk is the transaction itself, not a staff action
    details: dict[str, Any] = {"kind": kind, "action_at": created_at.isoformat() if created_at else None,
                               "note": str(payload.get("note", ""))[:200]}
    if refusal is not None:
        details["reason"] = refusal.code
    elif result:
        details["status"] = result.get("status")
    if isinstance(payload.get("data"), dict) and "attestation" in payload["data"]:
        details["attestation"] = payload["data"].get("material")
    audit.append(session, audit.current_key(), action=f"case.{payload.get('action', '?')}",
                 staff_id=str(payload.get("actor", ""))[:64], role=str(p_role)[:16], terminal_id=terminal_id,
                 obj=str(payload.get("case_id", ""))[:100], outcome="ok" if refusal is None else "denied",
                 details=details)


def staff_audit(session: Session, ctx: Any, p: tx.StaffAudit) -> Any:
    """`staff.audit`: an entry of a counter's local audit trail joins the ledger's chain."""
    from ledger.rules import Applied

    if ctx.role != "counter":
        raise _refuse("counter_only", "只有柜面终端可以上报工作人员审计记录。",
                      "Only counter terminals report staff audit entries.")
    row = audit.append(session, audit.current_key(), action=p.action, staff_id=p.staff_id, role=p.role,
                       terminal_id=ctx.terminal_id, obj=p.object, outcome=p.outcome,
                       details={"reported_by": "counter", "action_at": p.at.isoformat(), "detail": p.detail})
    return Applied({"audit_seq": row.seq})


def loan_actor(account: staff.StaffAccount, action: str) -> Any:
    """The role (domain.loan_application.Actor) in which a signed-in staff member takes a loan-application
    action, from the action table of domain.loan_application (intake: clerk; approve/refuse: supervisor;
    the rest: clerk or supervisor); a 403 naming the role needed otherwise. A person holding both roles
    acts as supervisor where that is allowed."""
    from domain.loan_application import ACTIONS, Actor
    from ledger.errors import LedgerError

    rule = ACTIONS.get(action)
    allowed = rule.actors if rule is not None else frozenset()
    for actor in (Actor.SUPERVISOR, Actor.CLERK):
        if actor in allowed and account.has(actor.value):
            return actor
    need = sorted(a.value for a in allowed if a in (Actor.CLERK, Actor.SUPERVISOR)) or ["?"]
    raise LedgerError(403, "staff_role", f"「{action}」须由{'、'.join(need)}办理，{account.username} 没有该角色。",
                      f"{action} needs the {' or '.join(need)} role; {account.username} does not hold it.")
