"""The ledger re-checks every transaction with the domain rules: a terminal is never trusted."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import FastAPI
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from ledger.models import Account, Case, Deposit, Loan, Member, Withdrawal
from ledger.models_exchange import ExchangeLookup
from tests.ledger.conftest import SignedTestClient
from tests.ledger.items import (
    AUTHORISED,
    CLAIMS_NO_HOME_UNMARRIED,
    balance,
    clean_members,
    exchange_mode,
    item,
    rent,
    staff_sign_in,
    tell,
)


def _reason(result: dict[str, Any]) -> dict[str, str]:
    assert result["status"] == "rejected", result
    reason: dict[str, str] = result["reason"]
    assert reason["zh"] and reason["en"], "every refusal is explained in Chinese and English"
    return reason


def test_more_than_the_balance_is_refused(kiosk: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    member = clean_members(sessions)[0].member_id
    before = balance(sessions, member)
    reason = _reason(kiosk.batch([rent(member, before + 1)])[0])
    assert reason["code"] == "withdrawal_rejected"
    assert balance(sessions, member) == before


def test_rent_above_the_yearly_cap_is_refused(kiosk: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    member = clean_members(sessions)[0].member_id
    # Taiyuan's urban cap is 25,000 yuan a year (policy file); 25,000.01 is one fen over.
    reason = _reason(kiosk.batch([rent(member, 2_500_001, district="140105")])[0])
    assert reason["code"] == "withdrawal_rejected"


def test_a_member_who_owns_a_home_cannot_withdraw_for_rent(
        kiosk: SignedTestClient, sessions: sessionmaker[Session], exchange_app: FastAPI) -> None:
    found = clean_members(sessions)[0]
    member = found.member_id
    tell(exchange_app, found.id_number, "property.ownership", {"property_ids": ["140105-0001"]})
    # the payload claims no home: the ledger reads the registry's answer instead
    reason = _reason(kiosk.batch([rent(member, 100_000, shared=CLAIMS_NO_HOME_UNMARRIED)])[0])
    assert reason["code"] == "withdrawal_rejected" and "住房" in reason["zh"]


def test_without_the_members_authorisation_nothing_is_looked_up_and_materials_are_missing(
        kiosk: SignedTestClient, sessions: sessionmaker[Session], exchange_app: FastAPI) -> None:
    member = clean_members(sessions)[0].member_id
    reason = _reason(kiosk.batch([rent(member, 100_000, authorisation=None, shared=CLAIMS_NO_HOME_UNMARRIED)])[0])
    assert reason["code"] == "missing_materials"
    assert exchange_app.state.sim.received == []  # no consent, no look-up
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(ExchangeLookup)) == 0


def test_a_frozen_account_is_refused_whatever_the_terminal_believed(
        kiosk: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    member = clean_members(sessions)[0].member_id
    with sessions.begin() as session:
        session.execute(update(Account).where(Account.member_id == member)
                        .values(frozen=True, frozen_amount_fen=Account.balance_fen))
    reason = _reason(kiosk.batch([rent(member, 100_000)])[0])
    assert reason["code"] == "withdrawal_rejected" and "冻结" in reason["zh"]


def test_an_open_loan_blocks_a_rent_withdrawal(kiosk: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    member = clean_members(sessions, loans=True)[0].member_id
    _reason(kiosk.batch([rent(member, 100_000)])[0])


def test_no_payout_card_is_refused(kiosk: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    member = clean_members(sessions)[0].member_id
    with sessions.begin() as session:
        session.execute(update(Member).where(Member.member_id == member).values(cobranded_card=""))
    assert _reason(kiosk.batch([rent(member, 100_000)])[0])["code"] == "no_payout_card"


def test_an_unknown_member_is_refused(kiosk: SignedTestClient) -> None:
    assert _reason(kiosk.batch([rent("999999999999", 100_000)])[0])["code"] == "unknown_member"


def test_a_member_kind_without_a_member_is_refused(kiosk: SignedTestClient) -> None:
    assert _reason(kiosk.batch([rent(None, 100_000)])[0])["code"] == "member_required"  # type: ignore[arg-type]


def test_a_review_case_pays_on_approval(counter: SignedTestClient, kiosk: SignedTestClient,
                                        sessions: sessionmaker[Session], exchange_app: FastAPI) -> None:
    """Same flow, forced: with the exchange down the case needs a clerk's check."""
    member = clean_members(sessions)[0].member_id
    before = balance(sessions, member)
    exchange_mode(exchange_app, "outage")
    result = kiosk.batch([rent(member, 200_000)])[0]
    assert result["status"] == "accepted" and result["result"]["status"] == "review"
    assert "exchange.unavailable" in {r["rule"] for r in result["result"]["reasons"]}
    exchange_mode(exchange_app, "normal")
    case_id = result["result"]["case_id"]
    assert balance(sessions, member) == before
    with sessions() as session:
        pending = session.scalars(select(Withdrawal).where(Withdrawal.case_id == case_id)).one()
        assert pending.status == "pending"
    def act(client: SignedTestClient, action: str, actor: str = "clerk-01", **extra: Any) -> dict[str, Any]:
        payload = {"case_id": case_id, "action": action, "actor": actor, **extra}
        return client.batch([item("case.action", payload)])[0]

    staff_sign_in(counter, "clerk-01")
    staff_sign_in(counter, "supervisor-01")
    # A kiosk acts only for the member: it may neither approve nor pose as a clerk.
    assert _reason(act(kiosk, "approve"))["code"] == "bad_case_state"
    assert _reason(act(kiosk, "approve", role="clerk"))["code"] == "not_allowed_here"
    assert _reason(act(counter, "approve", "supervisor-01", role="supervisor"))["code"] == "bad_case_state", \
        "a case is accepted before it is approved"
    assert act(counter, "accept")["result"]["status"] == "accepted"
    assert _reason(act(counter, "approve"))["code"] == "staff_role", "a clerk cannot approve"
    assert act(counter, "approve", "supervisor-01", role="supervisor")["result"]["paid_fen"] == 200_000
    assert balance(sessions, member) == before - 200_000
    assert act(counter, "disburse")["result"]["status"] == "disbursed"
    with sessions() as session:
        assert session.scalars(select(Withdrawal).where(Withdrawal.case_id == case_id)).one().status == "paid"
    detail = counter.get(f"/v1/cases/{case_id}").json()
    assert detail["status"] == "disbursed"
    assert [e["action"] for e in detail["events"]] == ["open", "submit", "comment", "accept", "approve", "disburse"]


def test_one_in_flight_withdrawal_per_type(kiosk: SignedTestClient, sessions: sessionmaker[Session],
                                          exchange_app: FastAPI) -> None:
    member = clean_members(sessions)[0].member_id
    exchange_mode(exchange_app, "outage")
    assert kiosk.batch([rent(member, 100_000)])[0]["result"]["status"] == "review"
    exchange_mode(exchange_app, "normal")
    assert _reason(kiosk.batch([rent(member, 100_000)])[0])["code"] == "withdrawal_rejected"


def test_case_actions_follow_the_domain_lifecycle(counter: SignedTestClient,
                                                 sessions: sessionmaker[Session]) -> None:
    member = clean_members(sessions)[0].member_id

    def act(action: str, actor: str = "clerk-01", **extra: Any) -> dict[str, Any]:
        payload = {"case_id": "C-LIFE-1", "action": action, "actor": actor, "item_code": "loan_application",
                   **extra}
        return counter.batch([item("case.action", payload, member)])[0]

    staff_sign_in(counter, "clerk-01")
    staff_sign_in(counter, "supervisor-01")

    assert act("open")["result"]["status"] == "draft"
    assert _reason(act("open"))["code"] == "case_exists"
    refused = _reason(act("approve", "supervisor-01", role="supervisor"))
    assert refused["code"] == "bad_case_state" and "draft" in refused["en"] and "草稿" in refused["zh"]
    assert act("submit")["result"]["status"] == "submitted"
    assert act("request_materials")["result"]["status"] == "needs_materials"
    assert act("add_material", data={"material": "income_proof"})["result"]["status"] == "needs_materials"
    assert act("submit")["result"]["status"] == "submitted"
    assert _reason(act("assign"))["code"] == "invalid_payload"  # no assignee
    assert act("assign", data={"assignee": "supervisor-01"})["status"] == "accepted"
    assert _reason(act("accept", role="supervisor"))["code"] == "staff_role", "clerk-01 is no supervisor"
    assert act("accept", "supervisor-01", role="supervisor")["result"]["status"] == "accepted"
    assert act("reject")["result"]["status"] == "rejected"
    assert act("close")["result"]["status"] == "closed"
    assert _reason(act("comment"))["code"] == "bad_case_state"
    assigned = counter.get("/v1/cases?assignee=supervisor-01").json()["cases"]
    assert "C-LIFE-1" in {c["case_id"] for c in assigned}


def test_queue_ticket_and_events(kiosk: SignedTestClient, counter: SignedTestClient) -> None:
    ticket = {"ticket_no": "A017", "outlet": "总部服务大厅", "business": "提取"}
    assert kiosk.batch([item("queue.ticket", ticket)])[0]["status"] == "accepted"
    assert _reason(kiosk.batch([item("queue.ticket", ticket)])[0])["code"] == "ticket_exists"
    call = {"ticket_no": "A017", "outlet": "总部服务大厅", "event": "called", "window": "3"}
    assert counter.batch([item("queue.event", call)])[0]["result"]["status"] == "called"
    done = {**call, "event": "done"}
    assert counter.batch([item("queue.event", done)])[0]["status"] == "accepted"
    assert _reason(counter.batch([item("queue.event", call)])[0])["code"] == "ticket_finished"
    unknown = {**call, "ticket_no": "Z999"}
    assert _reason(counter.batch([item("queue.event", unknown)])[0])["code"] == "unknown_ticket"
    state = counter.get("/v1/queue?outlet=%E6%80%BB%E9%83%A8%E6%9C%8D%E5%8A%A1%E5%A4%A7%E5%8E%85").json()
    assert [t["status"] for t in state["tickets"]] == ["done"]


def test_loan_offset_needs_the_members_own_loan_in_good_standing(
        kiosk: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    member = clean_members(sessions, loans=True)[0].member_id
    with sessions() as session:
        loan = session.scalars(select(Loan).where(Loan.member_id == member)).first()
        assert loan is not None
        loan_id = loan.loan_id
    with sessions.begin() as session:
        session.execute(update(Loan).where(Loan.loan_id == loan_id).values(status="normal"))
    sign = {"loan_id": loan_id, "mode": "monthly", "channel": "kiosk"}
    assert kiosk.batch([item("loan_offset.sign", sign, member)])[0]["status"] == "accepted"
    other = clean_members(sessions)[0].member_id
    assert _reason(kiosk.batch([item("loan_offset.sign", sign, other)])[0])["code"] == "unknown_loan"
    with sessions.begin() as session:
        session.execute(update(Loan).where(Loan.loan_id == loan_id).values(status="overdue"))
    assert _reason(kiosk.batch([item("loan_offset.sign", sign, member)])[0])["code"] == "loan_overdue"


def test_cobranded_card_signing_changes_the_payout_card_once_the_bank_confirms(
        kiosk: SignedTestClient, sessions: sessionmaker[Session], exchange_app: FastAPI) -> None:
    found = clean_members(sessions)[0]
    member = found.member_id
    sign = {"bank": "中国建设银行", "card_number": "6217000010000000003", "channel": "kiosk",
            "authorisation": AUTHORISED}
    # the bank does not know this card as the member's: refused, the card on file stays
    assert _reason(kiosk.batch([item("cobranded_card.sign", sign, member)])[0])["code"] == "card_not_members"
    # the bank cannot be asked: the signing stays pending and pays nothing to the new card yet
    exchange_mode(exchange_app, "outage")
    pending = kiosk.batch([item("cobranded_card.sign", {**sign, "card_number": "6217000010000000029"}, member)])[0]
    assert pending["status"] == "accepted" and pending["result"]["status"] == "pending"
    with sessions() as session:
        row = session.get(Member, member)
        assert row is not None and row.cobranded_card == found.cobranded_card
    exchange_mode(exchange_app, "normal")
    # the member's own card (the bank says so): signed. (Another card: the refusal above is cached for a day.)
    tell(exchange_app, found.id_number, "bank.account_ownership", {"owner_matches": True, "card_last4": "0011"})
    sign = {**sign, "card_number": "6217000010000000011"}
    result = kiosk.batch([item("cobranded_card.sign", sign, member)])[0]
    assert result["result"]["card_last4"] == "0011" and result["result"]["status"] == "signed"
    with sessions() as session:
        row = session.get(Member, member)
        assert row is not None and row.cobranded_card == "6217000010000000011"
    bad = {**sign, "card_number": "12ab"}
    assert _reason(kiosk.batch([item("cobranded_card.sign", bad, member)])[0])["code"] == "invalid_payload"


def test_transfer_out_is_blocked_by_an_open_loan_and_opens_a_case_otherwise(
        kiosk: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    out = {"direction": "out", "counterpart_centre": "晋中市住房公积金管理中心", "counterpart_account": "X1",
           "channel": "kiosk"}
    borrower = clean_members(sessions, loans=True)[0].member_id
    assert _reason(kiosk.batch([item("transfer.apply", out, borrower)])[0])["code"] == "open_loan"
    member = clean_members(sessions)[0].member_id
    result = kiosk.batch([item("transfer.apply", out, member)])[0]
    with sessions() as session:
        case = session.get(Case, result["result"]["case_id"])
        assert case is not None and case.business_code == "transfer_out"


def test_fraud_signals_send_a_withdrawal_to_a_clerk_with_the_reason(
        screening_kiosk: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    """One phone number behind four members (policy limit 3): the ledger alone can see it."""
    group = [m.member_id for m in clean_members(sessions, limit=4)]
    with sessions.begin() as session:
        session.execute(update(Member).where(Member.member_id.in_(group)).values(phone="13900000000"))
        # Accounts opened long ago, so the only signal is the shared phone.
        session.execute(update(Account).where(Account.member_id.in_(group)).values(opened_on=date(2015, 1, 1)))
        session.execute(update(Deposit).where(Deposit.account_no.in_([f"A{m}" for m in group]))
                        .values(paid_on=date(2015, 2, 1)))
    result = screening_kiosk.batch([rent(group[0], 100_000)])[0]
    assert result["status"] == "accepted" and result["result"]["status"] == "review"
    assert result["result"]["amount_fen"] == 100_000 and balance(sessions, group[0]) > 0
    rules = {r["rule"] for r in result["result"]["reasons"]}
    assert rules == {"fraud.shared_phone"}
    assert "4" in next(r["zh"] for r in result["result"]["reasons"])


def test_a_fourth_application_in_thirty_days_goes_to_a_clerk(
        screening_kiosk: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    member = clean_members(sessions)[0].member_id
    with sessions.begin() as session:
        session.execute(update(Account).where(Account.member_id == member).values(opened_on=date(2015, 1, 1)))
        session.execute(update(Deposit).where(Deposit.account_no == f"A{member}").values(paid_on=date(2015, 2, 1)))
    statuses = [screening_kiosk.batch([rent(member, 10_000)])[0]["result"]["status"] for _ in range(4)]
    assert statuses == ["approved", "approved", "approved", "review"]
