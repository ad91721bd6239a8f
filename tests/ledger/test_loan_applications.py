"""The loan-application API (issue 11): the honest path to a disbursed loan, and the forged requests.

The ledger fetches every fact through the (in-process) exchange simulator; a terminal names who, how
much and how long. Staff act with their session token; the kiosk with the member's session.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from domain import demo_loans
from domain.calculator import RepaymentMethod, repayment_schedule
from domain.demo_people import demo_people
from domain.exchange_contract import Topic
from ledger.models import Loan, LoanPeriod, Member
from ledger.models_exchange import ExchangeLookup
from ledger.models_staff import AuditEntryRow
from protocol.staff import STAFF_SESSION_HEADER
from tests.ledger.conftest import TEMPLATE_MEMBERS, SignedTestClient
from tests.ledger.items import clean_members, staff_sign_in, tell
from tests.ledger.memberproof import open_session, session_headers

BASE = "/v1/loan-applications"
PEOPLE = {p.member_id: p for p in demo_people(TEMPLATE_MEMBERS)}
AUTH = {"method": "counter_form", "reference": "CAM-AUTH-1", "signature": "SIG-1"}
CHECKLIST = {"income_proof": "CAM-INCOME-1"}


def _key() -> str:
    return uuid.uuid4().hex


def _pick(sessions: sessionmaker[Session], *, credit: str = "clean", married: bool = False) -> Member:
    for m in clean_members(sessions, limit=40):
        p = PEOPLE[m.member_id]
        if demo_loans.credit_class(p) == credit and p.married == married and p.birth_date.year >= 1975:
            return m
    pytest.skip(f"no template member with a {credit} credit report (married={married})")


def _staff(counter: SignedTestClient, username: str) -> dict[str, str]:
    return {STAFF_SESSION_HEADER: staff_sign_in(counter, username)["token"]}


def _ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _create(counter: SignedTestClient, clerk: dict[str, str], member: Member, **extra: Any) -> dict[str, Any]:
    body = {"idempotency_key": _key(), "member_id": member.member_id, "amount_fen": 10_000_000, "term_months": 120,
            "method": "10", "purchase_contract_no": demo_loans.contract_no_for(PEOPLE[member.member_id]), **extra}
    return _ok(counter.post(BASE, body, headers=clerk))


def _to_reviewed(counter: SignedTestClient, clerk: dict[str, str], member: Member, **extra: Any) -> dict[str, Any]:
    app = _create(counter, clerk, member, **extra)
    aid = app["application_id"]
    _ok(counter.post(f"{BASE}/{aid}/intake", {"idempotency_key": _key(), "checklist": CHECKLIST,
                                              "credit_authorisation": AUTH}, headers=clerk))
    return _ok(counter.post(f"{BASE}/{aid}/review", {"idempotency_key": _key()}, headers=clerk))


def test_a_counter_application_goes_from_notice_to_a_disbursed_loan_with_its_schedule(
        counter: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    member = _pick(sessions)
    clerk, supervisor = _staff(counter, "clerk-01"), _staff(counter, "supervisor-01")
    app = _create(counter, clerk, member)
    assert app["state"] == "submitted" and app["channel"] == "counter"
    missing = {m["material"] for m in app["notice"]["missing"]}
    supplied = {m["material"] for m in app["notice"]["supplied"]}
    # the exchange supplies the contract, the marriage record and (paid into supervision) the down payment
    assert missing == {"income_proof", "credit_authorisation"}
    assert supplied == {"purchase_contract", "marriage_status", "down_payment_proof"}
    assert app["clock"]["state"] == "not_started"
    aid = app["application_id"]
    refused = counter.post(f"{BASE}/{aid}/intake", {"idempotency_key": _key(), "checklist": {},
                                                    "credit_authorisation": AUTH}, headers=clerk)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "materials_missing"
    assert "收入证明" in refused.json()["error"]["zh"]
    _ok(counter.post(f"{BASE}/{aid}/intake", {"idempotency_key": _key(), "checklist": CHECKLIST,
                                              "credit_authorisation": AUTH}, headers=clerk))
    review = _ok(counter.post(f"{BASE}/{aid}/review", {"idempotency_key": _key()}, headers=clerk))
    assert review["state"] == "reviewed" and review["review"]["eligible"], review["review"]
    assert review["clock"]["day"] >= 0 and review["clock"]["started_at"]
    assert review["review"]["limiting_factor"] in ("balance", "repayment_capacity", "price", "city_cap")
    approved = _ok(counter.post(f"{BASE}/{aid}/decision", {"idempotency_key": _key(), "approve": True},
                                headers=supervisor))
    assert approved["state"] == "approved" and approved["decision"]["amount_fen"] == 10_000_000
    signed = _ok(counter.post(f"{BASE}/{aid}/contract", {"idempotency_key": _key(), "party": "borrower",
                                                         "signature_ref": "SIG-C-1"}, headers=clerk))
    assert signed["state"] == "contract_signed" and signed["contract_no"]
    requested = _ok(counter.post(f"{BASE}/{aid}/registration", {"idempotency_key": _key()}, headers=clerk))
    assert requested["state"] == "registration_requested" and requested["registration"]["receipt_no"]
    assert requested["clock"]["paused"] is True
    registered = _ok(counter.post(f"{BASE}/{aid}/registration/poll", {"idempotency_key": _key()}, headers=clerk))
    assert registered["state"] == "registered" and registered["registration"]["certificate_no"]
    paid = _ok(counter.post(f"{BASE}/{aid}/disbursement", {"idempotency_key": _key()}, headers=clerk))
    assert paid["state"] == "disbursed" and paid["clock"]["state"] == "done"
    contract = demo_loans.purchase_contract(PEOPLE[member.member_id])
    assert paid["disbursement"]["payee_account_masked"][-4:] == contract["seller_account"][-4:]
    loan_id = paid["disbursement"]["loan_id"]
    with sessions() as session:
        loan = session.get(Loan, loan_id)
        periods = session.scalars(select(LoanPeriod).where(LoanPeriod.loan_id == loan_id)
                                  .order_by(LoanPeriod.period)).all()
        assert loan is not None and loan.member_id == member.member_id and loan.principal_fen == 10_000_000
    plan = repayment_schedule(Decimal("100000.00"), Decimal(review["review"]["rate_percent"]), 120,
                              RepaymentMethod.EQUAL_INSTALLMENT)
    assert [(p.principal_fen, p.interest_fen) for p in periods] == [
        (int(r.principal * 100), int(r.interest * 100)) for r in plan]
    snapshot = _ok(counter.get(f"/v1/members/{member.member_id}/snapshot"))
    assert snapshot["loan"]["contract_no"] == loan_id and snapshot["loan"]["next_due_on"]
    # the staff actions are in the audit chain
    with sessions() as session:
        actions = {e.action for e in session.scalars(select(AuditEntryRow).where(AuditEntryRow.object == aid)).all()}
    assert {"loan.intake", "loan.approve", "loan.disburse"} <= actions


def test_a_refusal_names_the_limiting_factor(counter: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    member = _pick(sessions)
    clerk, supervisor = _staff(counter, "clerk-01"), _staff(counter, "supervisor-01")
    review = _to_reviewed(counter, clerk, member, amount_fen=5_000_000_000)  # ¥50,000,000: above every limit
    assert not review["review"]["eligible"]
    first = review["review"]["reasons"][0]
    factor = review["review"]["limiting_factor"]
    assert first["code"] == f"limit_{factor}" and review["review"]["limiting_zh"] in first["zh"]
    aid = review["application_id"]
    approve = counter.post(f"{BASE}/{aid}/decision", {"idempotency_key": _key(), "approve": True}, headers=supervisor)
    assert approve.status_code == 409 and approve.json()["error"]["code"] == "review_not_eligible"
    refused = _ok(counter.post(f"{BASE}/{aid}/decision", {"idempotency_key": _key(), "approve": False,
                                                          "reasons": ["超过可贷额度"]}, headers=supervisor))
    assert refused["state"] == "refused"
    codes = [r["code"] for r in refused["decision"]["reasons"]]
    assert codes[:2] == ["supervisor", f"limit_{factor}"]


def test_adverse_credit_and_an_existing_mortgage_are_refusal_reasons(
        counter: SignedTestClient, sessions: sessionmaker[Session], exchange_app: FastAPI) -> None:
    member = _pick(sessions)
    tell(exchange_app, member.id_number, Topic.CREDIT_REPORT, {"overdue_now": False, "max_consecutive_overdue": 3,
                                                               "overdue_count_24m": 7, "monthly_debt_fen": 0})
    clerk = _staff(counter, "clerk-01")
    review = _to_reviewed(counter, clerk, member,
                          purchase_contract_no=demo_loans.contract_no_for(PEOPLE[member.member_id], mortgaged=True))
    codes = {r["code"] for r in review["review"]["reasons"]}
    assert {"credit_record", "property_mortgaged"} <= codes and not review["review"]["eligible"]


def test_the_forged_requests_are_refused(counter: SignedTestClient, kiosk: SignedTestClient,
                                         sessions: sessionmaker[Session]) -> None:
    member = _pick(sessions)
    clerk, supervisor = _staff(counter, "clerk-01"), _staff(counter, "supervisor-01")
    review = _to_reviewed(counter, clerk, member)
    aid = review["application_id"]
    # a kiosk trying to approve (even with the member's own session)
    opened = open_session(kiosk, member.member_id)
    by_kiosk = kiosk.post(f"{BASE}/{aid}/decision", {"idempotency_key": _key(), "approve": True},
                          headers=session_headers(opened))
    assert by_kiosk.status_code == 403 and by_kiosk.json()["error"]["code"] == "counter_only"
    # a clerk approving (the one who took the intake, too): approval is a supervisor's
    by_clerk = counter.post(f"{BASE}/{aid}/decision", {"idempotency_key": _key(), "approve": True}, headers=clerk)
    assert by_clerk.status_code == 403 and by_clerk.json()["error"]["code"] == "staff_role"
    # no staff session at all
    anonymous = counter.post(f"{BASE}/{aid}/decision", {"idempotency_key": _key(), "approve": True})
    assert anonymous.status_code == 401
    key = _key()
    _ok(counter.post(f"{BASE}/{aid}/decision", {"idempotency_key": key, "approve": True}, headers=supervisor))
    # replay: the same key acts once; the same key for another request is a conflict
    again = _ok(counter.post(f"{BASE}/{aid}/decision", {"idempotency_key": key, "approve": True},
                             headers=supervisor))
    assert again["state"] == "approved" and sum(e["action"] == "approve" for e in again["events"]) == 1
    other = counter.post(f"{BASE}/{aid}/decision", {"idempotency_key": key, "approve": False, "reasons": ["x"]},
                         headers=supervisor)
    assert other.status_code == 409 and other.json()["error"]["code"] == "idempotency_conflict"
    # a byte-for-byte replay of a signed request is refused by the signature's nonce
    nonce = uuid.uuid4().hex
    body = {"idempotency_key": _key(), "party": "borrower", "signature_ref": "SIG"}
    _ok(counter.post(f"{BASE}/{aid}/contract", body, headers=clerk, nonce=nonce))
    replayed = counter.post(f"{BASE}/{aid}/contract", body, headers=clerk, nonce=nonce)
    assert replayed.status_code == 401
    _ok(counter.post(f"{BASE}/{aid}/registration", {"idempotency_key": _key()}, headers=clerk))
    _ok(counter.post(f"{BASE}/{aid}/registration/poll", {"idempotency_key": _key()}, headers=clerk))
    # disbursement to a payee the terminal invents: refused, nothing paid, the denial audited
    forged = counter.post(f"{BASE}/{aid}/disbursement", {"idempotency_key": _key(),
                                                          "payee_account": "6222020000000000001"}, headers=clerk)
    assert forged.status_code == 409 and forged.json()["error"]["code"] == "payee_mismatch"
    assert forged.json()["error"]["zh"] and forged.json()["error"]["en"]
    with sessions() as session:
        assert session.scalars(select(Loan).where(Loan.member_id == member.member_id)).first() is None
        denied = session.scalars(select(AuditEntryRow).where(AuditEntryRow.object == aid,
                                                             AuditEntryRow.outcome == "denied")).all()
    assert {d.action for d in denied} >= {"loan.approve", "loan.disburse"}


def test_no_credit_report_is_asked_without_the_signed_authorisation(
        counter: SignedTestClient, sessions: sessionmaker[Session], exchange_app: FastAPI) -> None:
    member = _pick(sessions)
    clerk = _staff(counter, "clerk-01")
    app = _create(counter, clerk, member)
    aid = app["application_id"]
    unsigned = counter.post(f"{BASE}/{aid}/intake", {"idempotency_key": _key(), "checklist": CHECKLIST,
                                                     "credit_authorisation": {"reference": "CAM-1"}}, headers=clerk)
    assert unsigned.status_code == 400 and unsigned.json()["error"]["code"] == "credit_authorisation_required"
    early = counter.post(f"{BASE}/{aid}/review", {"idempotency_key": _key()}, headers=clerk)
    assert early.status_code == 409  # not taken in yet: no review, no look-up
    with sessions() as session:
        asked = session.scalars(select(ExchangeLookup.topic).where(ExchangeLookup.member_id == member.member_id)).all()
    assert Topic.CREDIT_REPORT not in asked
    assert not [r for r in exchange_app.state.sim.received if r["topic"] == Topic.CREDIT_REPORT]


def test_a_married_applicants_spouse_must_consent_authorise_and_co_sign(
        counter: SignedTestClient, sessions: sessionmaker[Session], exchange_app: FastAPI) -> None:
    member = _pick(sessions, married=True)
    spouse_id = "140105199003071234"
    tell(exchange_app, member.id_number, Topic.MARRIAGE, {"married": True, "spouse_id_number": spouse_id})
    clerk, supervisor = _staff(counter, "clerk-01"), _staff(counter, "supervisor-01")
    app = _create(counter, clerk, member)
    assert app["spouse"]["required"] and not app["spouse"]["consented"]
    assert {"spouse_id_card", "credit_authorisation"} <= {m["material"] for m in app["notice"]["missing"]}
    aid = app["application_id"]
    _ok(counter.post(f"{BASE}/{aid}/intake", {"idempotency_key": _key(), "credit_authorisation": AUTH,
                                              "checklist": {**CHECKLIST, "spouse_id_card": "CAM-SP-1"}},
                     headers=clerk))
    blocked = counter.post(f"{BASE}/{aid}/review", {"idempotency_key": _key()}, headers=clerk)
    assert blocked.status_code == 409 and blocked.json()["error"]["code"] == "spouse_incomplete"
    wrong = counter.post(f"{BASE}/{aid}/spouse", {"idempotency_key": _key(), "id_number": "11010519491231002X",
                                                  "id_evidence_ref": "ID-1", "consent": True,
                                                  "credit_authorisation": AUTH}, headers=clerk)
    assert wrong.status_code == 409 and wrong.json()["error"]["code"] == "spouse_mismatch"
    _ok(counter.post(f"{BASE}/{aid}/spouse", {"idempotency_key": _key(), "id_number": spouse_id,
                                              "id_evidence_ref": "ID-1", "consent": True,
                                              "credit_authorisation": {**AUTH, "signature": "SIG-SP"}},
                     headers=clerk))
    review = _ok(counter.post(f"{BASE}/{aid}/review", {"idempotency_key": _key()}, headers=clerk))
    assert "2" in review["review"]["credit_zh"]  # two credit reports: the borrower's and the spouse's
    credit_asks = [r for r in exchange_app.state.sim.received if r["topic"] == Topic.CREDIT_REPORT]
    assert {r["id_number"] for r in credit_asks} == {member.id_number, spouse_id}
    assert all(r["authorisation"]["signature"] for r in credit_asks)
    _ok(counter.post(f"{BASE}/{aid}/decision", {"idempotency_key": _key(), "approve": True}, headers=supervisor))
    one = _ok(counter.post(f"{BASE}/{aid}/contract", {"idempotency_key": _key(), "party": "borrower",
                                                      "signature_ref": "S-B"}, headers=clerk))
    assert one["state"] == "approved", "the contract is not complete without the co-borrower's signature"
    both = _ok(counter.post(f"{BASE}/{aid}/contract", {"idempotency_key": _key(), "party": "spouse",
                                                       "signature_ref": "S-S"}, headers=clerk))
    assert both["state"] == "contract_signed" and both["spouse"]["signed"]


def test_a_kiosk_starts_an_application_in_the_members_session_only(
        kiosk: SignedTestClient, counter: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    member, other = clean_members(sessions, limit=2)
    body = {"idempotency_key": _key(), "member_id": other.member_id, "amount_fen": 10_000_000, "term_months": 120,
            "purchase_contract_no": demo_loans.contract_no_for(PEOPLE[member.member_id])}
    assert kiosk.post(BASE, body).status_code == 401  # no member session
    opened = open_session(kiosk, member.member_id)
    app = _ok(kiosk.post(BASE, body, headers=session_headers(opened)))
    assert app["member_id"] == member.member_id and app["channel"] == "kiosk"  # the session's member, not `other`
    assert app["member_name"] != PEOPLE[member.member_id].name  # masked for a kiosk
    mine = _ok(kiosk.get(f"{BASE}/mine", headers=session_headers(opened)))
    assert [a["application_id"] for a in mine["applications"]] == [app["application_id"]]
    listed = _ok(counter.get(BASE, headers=_staff(counter, "clerk-01")))
    assert app["application_id"] in {a["application_id"] for a in listed["applications"]}
    assert kiosk.get(BASE, headers=session_headers(opened)).status_code == 403


def test_the_loan_routes_are_in_the_openapi(counter: SignedTestClient) -> None:
    paths = counter.client.get("/openapi.json").json()["paths"]
    for suffix in ("", "/{application_id}", "/{application_id}/intake", "/{application_id}/review",
                   "/{application_id}/decision", "/{application_id}/contract", "/{application_id}/registration",
                   "/{application_id}/disbursement"):
        assert BASE + suffix in paths
    assert datetime.now(UTC)


def test_early_repayment_and_offset_signing_go_through_the_case_path(
        kiosk: SignedTestClient, counter: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        loans = session.scalars(select(Loan).where(Loan.status == "normal").order_by(Loan.loan_id)).all()
        assert len(loans) >= 2, "the template has members with normal loans"
        mine, theirs = loans[0], next(x for x in loans if x.member_id != loans[0].member_id)
        member_id, loan_id, balance = mine.member_id, mine.loan_id, mine.balance_fen
    opened = open_session(kiosk, member_id)
    quote = _ok(kiosk.post("/v1/loan-cases/early-repayment/quote", {"loan_id": loan_id, "amount_fen": None},
                           headers=session_headers(opened)))
    assert quote["full"] and quote["pay_now_fen"] > 0 and quote["summary_zh"] and quote["summary_en"]
    other = kiosk.post("/v1/loan-cases/early-repayment/quote", {"loan_id": theirs.loan_id, "amount_fen": None},
                       headers=session_headers(opened))
    assert other.status_code == 404, "a kiosk session quotes only its own member's loan"
    clerk = _staff(counter, "clerk-01")
    key = _key()
    body = {"loan_id": loan_id, "amount_fen": 1_000_000, "option": "lower_payment", "idempotency_key": key}
    case = _ok(counter.post("/v1/loan-cases/early-repayment", body, headers=clerk))
    assert case["kind"] == "early_repayment" and case["quote"]["prepayment_fen"] == 1_000_000
    assert _ok(counter.post("/v1/loan-cases/early-repayment", body, headers=clerk))["case_id"] == case["case_id"]
    listed = _ok(counter.get("/v1/cases?status=submitted"))["cases"]
    assert case["case_id"] in {c["case_id"] for c in listed}
    signed = _ok(kiosk.post("/v1/loan-cases/offset", {"loan_id": loan_id, "mode": "monthly", "idempotency_key": _key()},
                            headers=session_headers(opened)))
    assert signed["kind"] == "offset_sign" and signed["case_id"]
    with sessions() as session:
        loan = session.get(Loan, loan_id)
        assert loan is not None and loan.offset_mode == "monthly" and loan.balance_fen == balance  # nothing paid yet


def test_the_ledger_never_sends_a_credit_look_up_without_a_signature(evidence: Any, exchange_app: FastAPI) -> None:
    from domain.exchange_contract import Authorisation
    from ledger.exchange.loans import CreditAuthorisationMissingError, ask
    from ledger.exchange.source import LookupContext

    person = next(iter(PEOPLE.values()))
    unsigned = Authorisation("counter_form", "2026-12-01T08:00:00+00:00", "CAM-1", "")
    ctx = LookupContext(person.member_id, person.id_number, "loan.review", "DK1", "clerk-01", "staff", unsigned)
    with pytest.raises(CreditAuthorisationMissingError) as err:
        ask(evidence, ctx, Topic.CREDIT_REPORT)
    assert err.value.status == 409 and err.value.zh and err.value.en
    assert exchange_app.state.sim.received == [], "nothing was sent to the exchange"


def test_whoever_took_the_intake_may_not_approve_it_even_as_a_supervisor(
        counter: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    from datetime import timedelta

    from ledger import staff

    with sessions.begin() as session:
        staff.add_account(session, "both-01", "双岗", "Both-2026", ("clerk", "supervisor"), demo=True,
                          at=datetime.now(UTC) - timedelta(days=1))
    both = {STAFF_SESSION_HEADER: staff_sign_in(counter, "both-01", "Both-2026")["token"]}
    member = _pick(sessions)
    review = _to_reviewed(counter, both, member)
    assert review["state"] == "reviewed"
    refused = counter.post(f"{BASE}/{review['application_id']}/decision", {"idempotency_key": _key(), "approve": True},
                           headers=both)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "separation_of_duties"
    ok = _ok(counter.post(f"{BASE}/{review['application_id']}/decision", {"idempotency_key": _key(), "approve": True},
                          headers=_staff(counter, "supervisor-01")))
    assert ok["state"] == "approved" and ok["decision"]["by"] == "supervisor-01"


def test_the_work_list_warns_on_working_day_3_and_4_and_flags_late(
        counter: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from domain.workdays import WorkCalendar
    from ledger.models_loans import LoanApplicationRow

    tz, cal = ZoneInfo("Asia/Shanghai"), WorkCalendar()

    def started_on_day(n: int) -> datetime:
        """A review start that puts today on working day n (today counts when it is a working day)."""
        d, counted = datetime.now(tz).date(), 0
        while True:
            counted += cal.is_workday(d)
            if counted == n:
                return datetime(d.year, d.month, d.day, 9, tzinfo=tz)
            d -= timedelta(days=1)

    clerk = _staff(counter, "clerk-01")
    members = [m for m in clean_members(sessions, limit=40)][:4]
    ids = {}
    for day, member in zip((2, 3, 4, 6), members, strict=False):
        app = _create(counter, clerk, member)
        with sessions.begin() as session:
            row = session.get(LoanApplicationRow, app["application_id"])
            assert row is not None
            row.state, row.review_started_at = "reviewed", started_on_day(day)
        ids[app["application_id"]] = day
    listed = {a["application_id"]: a["clock"] for a in _ok(counter.get(BASE, headers=clerk))["applications"]
              if a["application_id"] in ids}
    assert {ids[a]: (c["day"], c["warning"], c["late"]) for a, c in listed.items()} == {
        2: (2, False, False), 3: (3, True, False), 4: (4, True, False), 6: (6, False, True)}
    flagged = _ok(counter.get(f"{BASE}?warnings=true", headers=clerk))["applications"]
    assert sorted(ids[a["application_id"]] for a in flagged if a["application_id"] in ids) == [3, 4, 6]
    assert ids[flagged[0]["application_id"]] == 6, "late first"
