"""Member look-up, query password with lockout, the account snapshot, reference data and OpenAPI."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from domain.account import AccountSnapshot, LoanStatus
from ledger import members
from ledger.errors import LedgerError
from ledger.models import Account, Loan, Member
from ledger.seed import demo_password
from ledger.settings import LedgerSettings
from tests.ledger.conftest import SignedTestClient
from tests.ledger.items import clean_members, rent


def _any_member(sessions: sessionmaker[Session]) -> Member:
    return clean_members(sessions)[0]


def test_lookup_by_id_number_in_the_body(kiosk: SignedTestClient, counter: SignedTestClient,
                                         sessions: sessionmaker[Session]) -> None:
    member = _any_member(sessions)
    response = counter.post("/v1/members/lookup", {"id_number": member.id_number.lower()})
    assert response.status_code == 200 and response.json() == {"member_id": member.member_id}
    refused = kiosk.post("/v1/members/lookup", {"id_number": member.id_number})  # a kiosk opens a session instead
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "counter_only"
    missing = counter.post("/v1/members/lookup", {"id_number": "11010519491231002X"})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "unknown_member"


def test_the_demo_password_verifies_and_a_wrong_one_does_not(
        kiosk: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    member = _any_member(sessions)
    good = kiosk.post("/v1/members/verify-password",
                      {"id_number": member.id_number, "password": demo_password(member.id_number)})
    assert good.status_code == 200 and good.json()["member_id"] == member.member_id
    bad = kiosk.post("/v1/members/verify-password", {"id_number": member.id_number, "password": "000000x"})
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "bad_password"
    nobody = kiosk.post("/v1/members/verify-password", {"id_number": "11010519491231002X", "password": "1"})
    assert nobody.status_code == 401 and nobody.json()["error"]["code"] == "bad_password"


def test_five_wrong_passwords_lock_the_member_out_even_for_the_right_one(sessions: sessionmaker[Session]) -> None:
    member = _any_member(sessions)
    settings = LedgerSettings(password_max_failures=5, password_lockout_s=900)
    now = datetime.now(UTC)
    for _ in range(5):
        with pytest.raises(LedgerError) as wrong:
            members.verify_password(sessions, member.id_number, "wrong!", settings, now=now)
        assert wrong.value.code == "bad_password"
    right = demo_password(member.id_number)
    with pytest.raises(LedgerError) as locked:
        members.verify_password(sessions, member.id_number, right, settings, now=now + timedelta(minutes=1))
    assert locked.value.code == "locked_out" and "分钟" in locked.value.zh and "minutes" in locked.value.en
    later = now + timedelta(seconds=901)
    assert members.verify_password(sessions, member.id_number, right, settings, now=later) == member.member_id


def test_snapshot_is_a_domain_account_snapshot_with_the_ledgers_figures(
        kiosk: SignedTestClient, counter: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    member = _any_member(sessions)
    kiosk.batch([rent(member.member_id, 123_456)])
    response = counter.get(f"/v1/members/{member.member_id}/snapshot")  # by member id: counters only
    assert response.status_code == 200
    snap = AccountSnapshot.from_json(response.json())
    with sessions() as session:
        account = session.scalars(select(Account).where(Account.member_id == member.member_id)).one()
    assert snap.member.id_number == member.id_number and snap.source == "ledger"
    assert snap.account.balance == Decimal(account.balance_fen) / 100
    assert snap.withdrawals[0].amount == Decimal("1234.56") and snap.withdrawals[0].subtype == "rent"
    assert abs((datetime.now(UTC) - snap.as_of).total_seconds()) < 60


def test_snapshot_of_an_overdue_loan_shows_the_arrears(
        counter: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        loan = session.scalars(select(Loan).where(Loan.status == "overdue")).first()
        assert loan is not None, "the seeded template has overdue loans"
        member_id = loan.member_id
    snap = AccountSnapshot.from_json(counter.get(f"/v1/members/{member_id}/snapshot").json())
    assert snap.loan is not None and snap.loan.status is LoanStatus.OVERDUE
    assert snap.loan.overdue_principal > 0 and snap.loan.overdue_interest >= 0 and snap.loan.overdue_penalty > 0
    plan = counter.get(f"/v1/members/{member_id}/loans/{snap.loan.contract_no}/schedule").json()["periods"]
    assert len(plan) == snap.loan.term_months and any(p["status"] == "overdue" for p in plan)


def test_unknown_member_snapshot_is_404(counter: SignedTestClient) -> None:
    response = counter.get("/v1/members/000000000000/snapshot")
    assert response.status_code == 404 and response.json()["error"]["zh"]


def test_reference_documents_have_etags_and_answer_304(kiosk: SignedTestClient) -> None:
    for name in ("policy", "rates", "catalogue", "holidays", "outlets"):
        first = kiosk.get(f"/v1/reference/{name}")
        assert first.status_code == 200, name
        etag = first.headers["ETag"]
        again = kiosk.get(f"/v1/reference/{name}", headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
    assert kiosk.get("/v1/reference/policy").json()["meta"]["city"] == "taiyuan"
    outlets = kiosk.get("/v1/reference/outlets").json()
    assert outlets["demo"] is True and len(outlets["outlets"]) >= 5
    holidays = kiosk.get("/v1/reference/holidays").json()
    assert holidays["holidays"]["2026-10-01"] and "adjusted_workdays" in holidays
    assert kiosk.get("/v1/reference/nonsense").status_code == 404


def test_heartbeat_is_recorded(kiosk: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    from ledger.models import Terminal

    response = kiosk.post("/v1/terminals/heartbeat", {"terminal_id": kiosk.key_id, "status": {"pending": 3}})
    assert response.status_code == 200 and response.json() == {"ok": True}
    with sessions() as session:
        terminal = session.get(Terminal, kiosk.key_id)
        assert terminal is not None and terminal.last_status == {"pending": 3}


def test_openapi_document_lists_the_protocol(kiosk: SignedTestClient) -> None:
    doc = kiosk.client.get("/openapi.json").json()
    for path in ("/v1/health", "/v1/transactions", "/v1/members/lookup", "/v1/members/verify-password",
                 "/v1/members/{member_id}/snapshot", "/v1/reference/{name}", "/v1/terminals/heartbeat",
                 "/v1/cases", "/v1/cases/{case_id}", "/v1/queue"):
        assert path in doc["paths"], path


def test_an_invalid_id_number_is_explained_and_a_15_digit_one_is_upgraded(
        counter: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    bad = counter.post("/v1/members/lookup", {"id_number": "140105199003071235"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "bad_id_number"
    assert "校验" in bad.json()["error"]["zh"] and "check character" in bad.json()["error"]["en"]
    with sessions() as session:  # first-generation (15-digit) numbers were issued to people born in the 1900s
        member = session.scalars(select(Member).where(Member.birth_date < date(2000, 1, 1)).limit(1)).one()
    old = member.id_number[:6] + member.id_number[8:17]
    found = counter.post("/v1/members/lookup", {"id_number": old})
    assert found.status_code == 200 and found.json()["member_id"] == member.member_id


def test_housekeeping_drops_old_heartbeats_and_keeps_recent_ones(sessions: sessionmaker[Session]) -> None:
    from sqlalchemy import func

    from ledger.app import HEARTBEAT_KEEP_DAYS, _housekeeping
    from ledger.models import Heartbeat

    now = datetime.now(UTC)
    with sessions.begin() as session:
        session.add_all([Heartbeat(terminal_id="T", at=now - timedelta(days=HEARTBEAT_KEEP_DAYS + 1), status={}),
                         Heartbeat(terminal_id="T", at=now - timedelta(days=1), status={})])
    _housekeeping(sessions)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Heartbeat)) == 1


def test_the_case_work_list_is_for_counters_only(kiosk: SignedTestClient, counter: SignedTestClient) -> None:
    refused = kiosk.get("/v1/cases")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "counter_only"
    assert kiosk.get("/v1/cases/DEMO-CASE-0001").status_code == 403
    listed = counter.get("/v1/cases").json()["cases"]
    assert "DEMO-CASE-0001" in {c["case_id"] for c in listed}
    assert counter.get("/v1/cases/DEMO-CASE-0001").json()["status"] == "submitted"
