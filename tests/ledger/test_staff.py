"""Central staff: accounts, lockout, role history, sign-in over HTTP, and the ledger's role check of
staff actions (a clerk cannot approve; an offline action needs the role at the time it was taken)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ledger import staff
from ledger.cli import main as ledger_main
from ledger.models_staff import AuditEntryRow
from tests.ledger.conftest import SignedTestClient
from tests.ledger.items import clean_members, item, staff_sign_in


def _reason(result: dict[str, Any]) -> dict[str, str]:
    assert result["status"] == "rejected", result
    reason: dict[str, str] = result["reason"]
    return reason


def _last_audit(sessions: sessionmaker[Session]) -> AuditEntryRow:
    with sessions() as session:
        row = session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.seq.desc()).limit(1)).one()
        session.expunge(row)
        return row


def test_accounts_lockout_and_role_history(sessions: sessionmaker[Session]) -> None:
    t0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    with sessions.begin() as session:
        staff.add_account(session, "clerk-77", "张柜员", "Good-pass-77", ["clerk"], by="admin", at=t0)
        with pytest.raises(ValueError, match="exists"):
            staff.add_account(session, "clerk-77", "again", "Good-pass-77", ["clerk"])
        with pytest.raises(ValueError, match="at least"):
            staff.add_account(session, "clerk-78", "弱密码", "short", ["clerk"])
        with pytest.raises(ValueError, match="role"):
            staff.add_account(session, "clerk-79", "坏角色", "Good-pass-79", ["boss"])
        assert staff.verify_staff(session, "clerk-77", "Good-pass-77").roles == {"clerk"}
        staff.set_roles(session, "clerk-77", ["supervisor"], by="admin", at=t0 + timedelta(days=30))
        assert staff.roles_at(session, "clerk-77", t0 + timedelta(days=1)) == {"clerk"}
        assert staff.roles_at(session, "clerk-77", t0 + timedelta(days=31)) == {"supervisor"}
        assert staff.roles_at(session, "clerk-77", t0 - timedelta(seconds=1)) == frozenset()
    for attempt in range(5):
        with sessions.begin() as session, pytest.raises(staff.StaffAuthError) as err:
            staff.verify_staff(session, "clerk-77", "wrong password")
        assert err.value.code == ("staff_locked" if attempt == 4 else "bad_credentials")
    with sessions.begin() as session, pytest.raises(staff.StaffAuthError) as err:
        staff.verify_staff(session, "clerk-77", "Good-pass-77")  # locked: even the right password
    assert err.value.code == "staff_locked" and "锁定" in err.value.zh
    with sessions.begin() as session:
        staff.disable(session, "clerk-77", by="admin")
    with sessions.begin() as session, pytest.raises(staff.StaffAuthError) as err:
        staff.verify_staff(session, "clerk-77", "Good-pass-77")
    assert err.value.code == "bad_credentials", "a disabled id reads like a wrong password"
    with sessions() as session:
        assert staff.roles_at(session, "clerk-77") == frozenset()


def test_demo_staff_with_demo_passwords_are_reported(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        assert set(staff.demo_credentials_present(session)) == {"clerk-01", "clerk-02", "supervisor-01", "tech-01"}
    with sessions.begin() as session:
        staff.reset_password(session, "clerk-01", "A-new-secret-1", by="admin")
        staff.disable(session, "tech-01", by="admin")
    with sessions() as session:
        assert set(staff.demo_credentials_present(session)) == {"clerk-02", "supervisor-01"}
        require = staff.require_role(staff.verify_staff(session, "clerk-01", "A-new-secret-1"), "clerk")
        assert require.username == "clerk-01"
        with pytest.raises(staff.LedgerError) as err:
            staff.require_role(require, "supervisor", "admin")
        assert err.value.status == 403


def test_sign_in_over_http_from_a_counter_only(counter: SignedTestClient, kiosk: SignedTestClient,
                                               sessions: sessionmaker[Session]) -> None:
    body = staff_sign_in(counter, "supervisor-01")
    assert body["roles"] == ["supervisor"] and body["offline_valid_hours"] == 72 and len(body["token"]) > 30
    assert _last_audit(sessions).action == "staff.sign_in"
    me = counter.get("/v1/staff/me", headers={"X-HPF-Staff-Session": body["token"]})
    assert me.status_code == 200 and me.json()["username"] == "supervisor-01"
    assert counter.get("/v1/staff/me", headers={"X-HPF-Staff-Session": "forged"}).status_code == 401
    refused = kiosk.post("/v1/staff/sign-in", {"username": "supervisor-01", "password": "Super-2026"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "counter_only"
    wrong = counter.post("/v1/staff/sign-in", {"username": "supervisor-01", "password": "guess"})
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "bad_credentials"
    denied = _last_audit(sessions)
    assert (denied.action, denied.staff_id, denied.outcome) == ("staff.sign_in", "supervisor-01", "denied")
    out = counter.post("/v1/staff/sign-out", None, headers={"X-HPF-Staff-Session": body["token"]})
    assert out.status_code == 200
    assert counter.get("/v1/staff/me", headers={"X-HPF-Staff-Session": body["token"]}).status_code == 401


def _open_review_case(counter: SignedTestClient, member: str, case_id: str) -> None:
    for action in ("open", "submit", "accept"):
        payload = {"case_id": case_id, "action": action, "actor": "clerk-01", "role": "clerk",
                   "item_code": "loan_application"}
        assert counter.batch([item("case.action", payload, member)])[0]["status"] == "accepted"


def test_a_clerk_cannot_approve_over_http_refused_and_audited(counter: SignedTestClient,
                                                              sessions: sessionmaker[Session]) -> None:
    member = clean_members(sessions)[0].member_id
    staff_sign_in(counter, "clerk-01")
    _open_review_case(counter, member, "C-STAFF-1")
    approve = {"case_id": "C-STAFF-1", "action": "approve", "actor": "clerk-01", "role": "clerk"}
    assert _reason(counter.batch([item("case.action", approve, member)])[0])["code"] == "staff_role"
    entry = _last_audit(sessions)
    assert (entry.action, entry.staff_id, entry.outcome, entry.object) == ("case.approve", "clerk-01", "denied",
                                                                          "C-STAFF-1")
    assert entry.details["reason"] == "staff_role"
    # posing as a supervisor does not help: clerk-01 never held that role
    posing = {**approve, "role": "supervisor"}
    assert _reason(counter.batch([item("case.action", posing, member)])[0])["code"] == "staff_role"
    # nor does naming a supervisor who never signed in at this counter
    absent = {**approve, "actor": "supervisor-01", "role": "supervisor"}
    assert _reason(counter.batch([item("case.action", absent, member)])[0])["code"] == "staff_not_signed_in"
    staff_sign_in(counter, "supervisor-01")
    assert counter.batch([item("case.action", absent, member)])[0]["result"]["status"] == "approved"
    with sessions() as session:
        assert session.scalars(select(AuditEntryRow).where(AuditEntryRow.object == "C-STAFF-1")).all()[-1].outcome \
            == "ok"


def test_offline_actions_are_judged_by_the_role_held_at_their_time(counter: SignedTestClient,
                                                                   sessions: sessionmaker[Session]) -> None:
    member = clean_members(sessions)[0].member_id
    now = datetime.now(UTC)
    staff_sign_in(counter, "clerk-01")
    staff_sign_in(counter, "supervisor-01")
    staff_sign_in(counter, "clerk-02")
    for case_id in ("C-OFF-1", "C-OFF-2", "C-OFF-3"):
        _open_review_case(counter, member, case_id)
    with sessions.begin() as session:  # supervisor-01 lost the role 2 minutes ago; clerk-02 gains it now
        staff.set_roles(session, "supervisor-01", [], by="admin", at=now - timedelta(minutes=2))
        staff.set_roles(session, "clerk-02", ["clerk", "supervisor"], by="admin", at=now)

    def approve(case_id: str, actor: str, at: datetime) -> dict[str, Any]:
        payload = {"case_id": case_id, "action": "approve", "actor": actor, "role": "supervisor"}
        return counter.batch([item("case.action", payload, member, created_at=at.isoformat())])[0]

    assert _reason(approve("C-OFF-1", "supervisor-01", now - timedelta(minutes=1)))["code"] == "staff_role", \
        "revoked before the action"
    assert _reason(approve("C-OFF-2", "clerk-02", now - timedelta(minutes=3)))["code"] == "staff_role", \
        "granted after the action"
    assert approve("C-OFF-3", "supervisor-01", now - timedelta(minutes=3))["result"]["status"] == "approved", \
        "queued while the role was held: accepted later"
    future = approve("C-OFF-1", "clerk-02", now + timedelta(hours=1))
    assert _reason(future)["code"] == "staff_time"


def test_counter_audit_entries_join_the_chain(counter: SignedTestClient, kiosk: SignedTestClient,
                                              sessions: sessionmaker[Session]) -> None:
    entry = {"action": "sign_in", "staff_id": "clerk-01", "role": "", "at": datetime.now(UTC).isoformat(),
             "outcome": "bad_password", "detail": "offline"}
    result = counter.batch([item("staff.audit", entry)])[0]
    assert result["status"] == "accepted" and result["result"]["audit_seq"] >= 1
    row = _last_audit(sessions)
    assert (row.action, row.outcome, row.terminal_id) == ("sign_in", "bad_password", "DEMO-COUNTER-01")
    assert _reason(kiosk.batch([item("staff.audit", entry)])[0])["code"] == "counter_only"


def test_staff_cli(db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Strong-pass-9\n"))
    assert ledger_main(["staff", "add", "admin-09", "--name", "管理员", "--role", "admin", "--db", db_url]) == 0
    assert ledger_main(["staff", "set-role", "clerk-02", "--role", "clerk", "--role", "supervisor",
                        "--db", db_url]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("Another-pass-1\n"))
    assert ledger_main(["staff", "reset-password", "tech-01", "--db", db_url]) == 0
    assert ledger_main(["staff", "disable", "clerk-01", "--db", db_url]) == 0
    assert ledger_main(["staff", "list", "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert "admin-09\t管理员\tadmin" in out and "clerk-02\t陈柜员\tclerk,supervisor" in out
    assert "clerk-01\t王柜员\t- (disabled" in out
    assert ledger_main(["staff", "set-role", "nobody", "--role", "clerk", "--db", db_url]) == 2
    assert "no staff account nobody" in capsys.readouterr().err
    assert ledger_main(["audit", "verify", "--db", db_url]) == 0, "the staff changes were audited in a valid chain"


def test_only_a_supervisor_session_lists_and_unlocks_accounts(counter: SignedTestClient,
                                                             sessions: sessionmaker[Session]) -> None:
    for _ in range(5):
        counter.post("/v1/staff/sign-in", {"username": "clerk-02", "password": "wrong"})
    clerk = staff_sign_in(counter, "clerk-01")["token"]
    supervisor = staff_sign_in(counter, "supervisor-01")["token"]
    assert counter.get("/v1/staff/accounts", headers={"X-HPF-Staff-Session": clerk}).status_code == 403
    listed = counter.get("/v1/staff/accounts", headers={"X-HPF-Staff-Session": supervisor}).json()["accounts"]
    assert next(a for a in listed if a["username"] == "clerk-02")["minutes_locked"] > 0
    assert counter.post("/v1/staff/unlock", {"username": "clerk-02"},
                        headers={"X-HPF-Staff-Session": clerk}).status_code == 403
    assert counter.post("/v1/staff/unlock", {"username": "clerk-02"},
                        headers={"X-HPF-Staff-Session": supervisor}).status_code == 200
    assert _last_audit(sessions).action == "staff.unlock"
    assert staff_sign_in(counter, "clerk-02")["roles"] == ["clerk"]


def test_production_problems_name_the_demo_key_and_the_demo_staff(sessions: sessionmaker[Session],
                                                                  tmp_path: Any) -> None:
    from ledger import audit

    with sessions() as session:
        problems = staff.production_problems(session, "")
    assert problems[0].startswith("audit_key_file:") and "clerk-01" in problems[1]
    key = tmp_path / "audit.pem"
    audit.generate_key_file(key)
    with sessions.begin() as session:
        for username in ("clerk-01", "clerk-02", "supervisor-01", "tech-01"):
            staff.disable(session, username, by="admin")
    with sessions() as session:
        assert staff.production_problems(session, str(key)) == []
