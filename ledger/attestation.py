"""Clerk attestations of paper evidence at the ledger, and the facts they become for the rules.

A clerk at a counter sends `case.action` `add_material` with `data.attestation` = {"figures": {...},
"scan_ref": "..."}: the figures from the paper (fields per material in
resources/policy/attestation.toml) and the document-camera scan. The ledger keeps it only from a
counter credential, acting as a clerk who held that role when they attested. The supervisor's
`approve` of the case approves its attestations — never the clerk who attested them (separation of
duties). `accepted_facts` is the one place the rules take attested facts from.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import transactions as tx
from domain.attestation import (
    AttestationError,
    build_fact,
    check_figures,
    load_attestation_policy,
    with_attested,
    without_counter_facts,
)
from domain.cases import Role
from domain.evidence import SharedData
from domain.transactions import TransactionError
from ledger.models import Withdrawal
from ledger.models_staff import AttestationRow


def _refuse(code: str, zh: str, en: str) -> TransactionError:
    return TransactionError(code, zh, en)


def record(session: Session, *, terminal_role: str, terminal_id: str, member_id: str | None, case_member: str | None,
           p: tx.CaseAction, role: Role, at: datetime, key: str) -> dict[str, Any] | None:
    """Store the attestation an `add_material` carries (None when it carries none)."""
    raw = p.data.get("attestation")
    if raw is None:
        return None
    if terminal_role != "counter" or role is not Role.CLERK:
        raise _refuse("attestation_not_allowed", "纸质材料核验只能由柜面终端的柜员录入。",
                      "Paper evidence can be attested only by a clerk at a counter terminal.")
    material = p.data.get("material")
    if not isinstance(raw, dict) or not isinstance(material, str):
        raise _refuse("invalid_payload", "核验数据格式不正确（data.material, data.attestation）。",
                      "Malformed attestation (data.material, data.attestation).")
    try:
        figures = check_figures(load_attestation_policy(), material, raw.get("figures"), raw.get("scan_ref"))
    except AttestationError as exc:
        zh, _, en = str(exc).partition(" / ")
        raise _refuse("invalid_attestation", zh, en or zh) from None
    owner = case_member or member_id
    if not owner:
        raise _refuse("unknown_member", "核验材料的案件没有缴存职工。", "The attested case has no member.")
    row = AttestationRow(case_id=p.case_id, member_id=owner, material=material, figures=figures,
                         scan_ref=str(raw["scan_ref"]).strip(), clerk=p.actor, terminal_id=terminal_id,
                         attested_at=at, status="attested", idempotency_key=key)
    session.add(row)
    session.flush()
    return {"attestation_id": row.id, "material": material}


def on_decision(session: Session, case_id: str, action: str, actor: str, at: datetime) -> int:
    """A supervisor's approve/reject decides the case's pending attestations; returns how many.
    The clerk who attested a material may not be the one who approves it."""
    rows = session.scalars(select(AttestationRow).where(AttestationRow.case_id == case_id,
                                                        AttestationRow.status == "attested")).all()
    if action == "approve" and any(r.clerk == actor for r in rows):
        raise _refuse("same_person", "录入核验的柜员不能自己审批同一份材料。",
                      "The clerk who attested a material may not approve it too.")
    for row in rows:
        row.status = "approved" if action == "approve" else "rejected"
        row.approved_by, row.approved_at = actor, at
    return len(rows)


def accepted_facts(session: Session, *, terminal_role: str, member_id: str, application_no: str,
                   shared: SharedData) -> SharedData:
    """The facts the rules decide on: `shared` without any fact a terminal labelled 柜员核验 itself,
    plus the facts of supervisor-approved attestations of this application's case (a counter's
    application only; a kiosk's never carries them)."""
    shared = without_counter_facts(shared)
    if terminal_role != "counter" or not application_no:
        return shared
    rows = session.scalars(select(AttestationRow).where(  # by the indexed case id: usually none
        AttestationRow.case_id == application_no, AttestationRow.member_id == member_id,
        AttestationRow.status == "approved").order_by(AttestationRow.id)).all()
    if not rows:
        return shared
    used = session.scalar(select(Withdrawal.id).where(Withdrawal.application_no == application_no,
                                                      Withdrawal.member_id == member_id,
                                                      Withdrawal.status != "rejected").limit(1))
    if used is not None:
        return shared  # an attestation supports one application, not a second one under the same number
    policy = load_attestation_policy()
    facts = []
    for row in rows:
        form = policy.form(row.material)
        if form is not None:
            facts.append(build_fact(form.fact, row.figures))
    return with_attested(shared, facts)


def for_case(session: Session, case_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(select(AttestationRow).where(AttestationRow.case_id == case_id)
                           .order_by(AttestationRow.id)).all()
    return [{"material": r.material, "figures": r.figures, "scan_ref": r.scan_ref, "clerk": r.clerk,
             "status": r.status, "approved_by": r.approved_by, "attested_at": r.attested_at.isoformat()}
            for r in rows]
