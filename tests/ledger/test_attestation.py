"""Clerk attestation of paper evidence: a supervisor-approved paper case lands with the clerk's
attestation; a clerk-only approval, a kiosk-signed attestation and one person in both roles do not."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ledger import staff
from ledger.models import Withdrawal
from ledger.models_staff import AttestationRow
from tests.ledger.conftest import SignedTestClient
from tests.ledger.items import balance, clean_members, item, staff_sign_in

RETIREMENT_PAPER = {"material": "retirement_certificate",
                    "attestation": {"figures": {"retired_on": "2025-06-30", "certificate_no": "晋退2025-0042"},
                                    "scan_ref": "case_files/CT/retirement_certificate-1.jpg"}}


def _reason(result: dict[str, Any]) -> dict[str, str]:
    assert result["status"] == "rejected", result
    reason: dict[str, str] = result["reason"]
    return reason


class PaperCase:
    """A retirement withdrawal taken in at a counter on a paper retirement certificate."""

    def __init__(self, client: SignedTestClient, member: str) -> None:
        self.client, self.member = client, member
        self.case_id = f"CT-{uuid.uuid4().hex[:8].upper()}"

    def act(self, action: str, actor: str = "clerk-01", role: str = "clerk", **extra: Any) -> dict[str, Any]:
        payload = {"case_id": self.case_id, "action": action, "actor": actor, "role": role,
                   "item_code": "withdraw_retirement", **extra}
        return self.client.batch([item("case.action", payload, self.member)])[0]

    def intake(self, attestation: dict[str, Any] = RETIREMENT_PAPER) -> dict[str, Any]:
        for action in ("open", "submit", "accept"):
            assert self.act(action)["status"] == "accepted"
        return self.act("add_material", data=attestation)

    def withdraw(self, client: SignedTestClient | None = None, shared: dict[str, Any] | None = None) -> dict[str, Any]:
        payload = {"withdrawal_type": "retirement", "amount_fen": None, "application_no": self.case_id,
                   "channel": "counter", "shared": shared or {}}
        return (client or self.client).batch([item("withdrawal.apply", payload, self.member)])[0]


def test_a_supervisor_approved_paper_case_lands_with_the_attestation(counter: SignedTestClient,
                                                                     sessions: sessionmaker[Session]) -> None:
    member = clean_members(sessions)[0].member_id
    before = balance(sessions, member)
    staff_sign_in(counter, "clerk-01")
    staff_sign_in(counter, "supervisor-01")
    case = PaperCase(counter, member)
    attested = case.intake()
    assert attested["status"] == "accepted" and attested["result"]["attestation"]["material"] == \
        "retirement_certificate"
    assert _reason(case.withdraw())["code"] == "missing_materials", "not a fact before the supervisor approves"
    assert case.act("approve", "supervisor-01", "supervisor")["result"]["status"] == "approved"
    landed = case.withdraw()
    assert landed["status"] == "accepted" and landed["result"]["status"] == "approved", landed
    assert not landed["result"]["instant"], "paper is never 秒批"
    assert landed["result"]["amount_fen"] == before and balance(sessions, member) == 0
    again = case.withdraw()  # the same application number cannot ride on the attestation twice
    assert again["status"] == "rejected"
    with sessions() as session:
        row = session.scalars(select(AttestationRow).where(AttestationRow.case_id == case.case_id)).one()
        assert (row.clerk, row.approved_by, row.status) == ("clerk-01", "supervisor-01", "approved")
        assert row.figures == {"retired_on": "2025-06-30", "certificate_no": "晋退2025-0042"}
        assert row.scan_ref.endswith("retirement_certificate-1.jpg")
        paid = session.scalars(select(Withdrawal).where(Withdrawal.application_no == case.case_id)).one()
        assert paid.status == "approved"


def test_a_clerk_only_approval_is_refused(counter: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    member = clean_members(sessions)[1].member_id
    before = balance(sessions, member)
    staff_sign_in(counter, "clerk-01")
    case = PaperCase(counter, member)
    assert case.intake()["status"] == "accepted"
    assert _reason(case.act("approve"))["code"] == "staff_role"
    # the counter claiming the clerk's check itself in the payload changes nothing
    claimed = {"retirement": {"retired": True, "retired_on": "2025-06-30", "source": "柜员核验"}}
    assert _reason(case.withdraw(shared=claimed))["code"] == "missing_materials"
    assert balance(sessions, member) == before


def test_a_kiosk_signed_attestation_is_refused(kiosk: SignedTestClient, counter: SignedTestClient,
                                               sessions: sessionmaker[Session]) -> None:
    member = clean_members(sessions)[2].member_id
    before = balance(sessions, member)
    staff_sign_in(counter, "clerk-01")
    case = PaperCase(counter, member)
    for action in ("open", "submit", "accept"):
        assert case.act(action)["status"] == "accepted"
    as_member = {"case_id": case.case_id, "action": "add_material", "actor": member, "data": RETIREMENT_PAPER}
    assert _reason(kiosk.batch([item("case.action", as_member, member)])[0])["code"] == "attestation_not_allowed"
    as_clerk = {**as_member, "actor": "clerk-01", "role": "clerk"}
    assert _reason(kiosk.batch([item("case.action", as_clerk, member)])[0])["code"] == "not_allowed_here"
    claimed = {"retirement": {"retired": True, "retired_on": "2025-06-30", "source": "柜员核验"}}
    kiosk_apply = {"withdrawal_type": "retirement", "amount_fen": None, "application_no": case.case_id,
                   "channel": "kiosk", "shared": claimed}
    assert _reason(kiosk.batch([item("withdrawal.apply", kiosk_apply, member)])[0])["code"] == "missing_materials"
    with sessions() as session:
        assert session.scalars(select(AttestationRow).where(AttestationRow.case_id == case.case_id)).all() == []
    assert balance(sessions, member) == before


def test_the_same_person_cannot_attest_and_approve(counter: SignedTestClient,
                                                   sessions: sessionmaker[Session]) -> None:
    member = clean_members(sessions)[3].member_id
    before = balance(sessions, member)
    with sessions.begin() as session:
        staff.set_roles(session, "clerk-02", ["clerk", "supervisor"], by="admin")
    staff_sign_in(counter, "clerk-02")
    case = PaperCase(counter, member)
    for action in ("open", "submit", "accept"):
        assert case.act(action, "clerk-02")["status"] == "accepted"
    assert case.act("add_material", "clerk-02", data=RETIREMENT_PAPER)["status"] == "accepted"
    assert _reason(case.act("approve", "clerk-02", "supervisor"))["code"] == "same_person"
    assert _reason(case.withdraw())["code"] == "missing_materials"
    assert balance(sessions, member) == before


def test_bad_figures_are_refused_naming_the_field(counter: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    member = clean_members(sessions)[4].member_id
    staff_sign_in(counter, "clerk-01")
    case = PaperCase(counter, member)
    bad_date = {"material": "retirement_certificate",
                "attestation": {"figures": {"retired_on": "30/06/2025", "certificate_no": "x"}, "scan_ref": "s.jpg"}}
    refused = _reason(case.intake(bad_date))
    assert refused["code"] == "invalid_attestation"
    assert "退休日期" in refused["zh"] and "retirement date" in refused["en"]
    no_scan = {"material": "retirement_certificate",
               "attestation": {"figures": {"retired_on": "2025-06-30", "certificate_no": "x"}, "scan_ref": ""}}
    assert "scan" in _reason(case.act("add_material", data=no_scan))["en"]
    unknown = {"material": "loan_application", "attestation": {"figures": {}, "scan_ref": "s.jpg"}}
    assert _reason(case.act("add_material", data=unknown))["code"] == "invalid_attestation"
