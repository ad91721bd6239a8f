"""Every ledger handler's result, stored rows and refusal sentences, pinned exactly (issue 16).

A refusal reaches the clerk who handles a parked item, so its code and both sentences are part of
the behaviour. Tests marked FACT PLUMBING hand the handler the department facts the ledger fetched
from the exchange (`ItemContext.evidence`); a payload carries no facts.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import transactions as tx
from domain.evidence import Department, IllnessFact, RetirementFact, SharedData
from domain.transactions import TransactionError
from domain.withdrawals import WithdrawalType
from ledger import rules
from ledger.exchange.source import Evidence
from ledger.models import (
    Account,
    Agreement,
    Case,
    CaseEvent,
    DeviceReportRow,
    Loan,
    Member,
    QueueTicketRow,
    RatingRow,
    Withdrawal,
)
from tests.rules.conftest import MEMBER, NOW, SIGNED_IN_AT, ctx

HRSS = Department.HRSS


def _refusal(err: pytest.ExceptionInfo[TransactionError]) -> tuple[str, str, str]:
    return err.value.code, err.value.zh, err.value.en


def _loan(session: Session, status: str = "normal") -> None:
    session.add(Loan(loan_id="JK1", member_id=MEMBER, principal_fen=1, balance_fen=1, annual_rate=Decimal("2.85"),
                     term_months=12, method_code="10", start_date=date(2026, 1, 1), repayment_day=10, status=status))
    session.flush()


# ---- refusals, word for word ---------------------------------------------------------------------------------------


def test_unknown_member_and_missing_account(session: Session) -> None:
    with pytest.raises(TransactionError) as err:
        rules.transfer_apply(session, ctx(member="NOBODY"), tx.TransferApply("in", "晋中", "", "counter"))
    assert _refusal(err) == ("unknown_member", "账务中心没有该缴存职工。", "The ledger has no such member.")
    session.delete(session.scalars(select(Account)).one())
    session.flush()
    with pytest.raises(TransactionError) as none:
        rules.transfer_apply(session, ctx(), tx.TransferApply("in", "晋中", "", "counter"))
    assert _refusal(none) == ("no_account", "该职工没有住房公积金个人账户。",
                              "The member has no provident fund account.")


def test_frozen_and_pledged_sentences(session: Session) -> None:
    account = session.scalars(select(Account)).one()
    account.frozen = True
    with pytest.raises(TransactionError) as frozen:
        rules.transfer_apply(session, ctx(), tx.TransferApply("in", "晋中", "", "counter"))
    assert _refusal(frozen) == ("account_frozen", "账户已冻结，不能办理该业务。",
                                "The account is frozen; this business is not allowed.")
    account.frozen, account.pledged = False, True
    with pytest.raises(TransactionError) as pledged:
        rules.transfer_apply(session, ctx(), tx.TransferApply("in", "晋中", "", "counter"))
    assert _refusal(pledged) == ("account_pledged", "账户已质押，不能办理该业务。",
                                 "The account is pledged; this business is not allowed.")


def test_offset_signing_refusals_and_its_agreement(session: Session) -> None:
    with pytest.raises(TransactionError) as unknown:
        rules.loan_offset_sign(session, ctx(), tx.LoanOffsetSign("JK1", "monthly", "counter"))
    assert _refusal(unknown) == ("unknown_loan", "该职工名下没有这笔贷款。", "The member has no such loan.")
    _loan(session, "settled")
    with pytest.raises(TransactionError) as settled:
        rules.loan_offset_sign(session, ctx(), tx.LoanOffsetSign("JK1", "monthly", "counter"))
    assert _refusal(settled) == ("loan_settled", "贷款已结清，无需签约冲还贷。",
                                 "The loan is settled; no offset agreement needed.")
    session.get(Loan, "JK1").status = "overdue"  # type: ignore[union-attr]
    with pytest.raises(TransactionError) as overdue:
        rules.loan_offset_sign(session, ctx(), tx.LoanOffsetSign("JK1", "monthly", "counter"))
    assert _refusal(overdue) == ("loan_overdue", "贷款逾期，请先到柜台处理逾期后再签约冲还贷。",
                                 "The loan is overdue; settle the arrears at a counter before signing the offset.")
    session.get(Loan, "JK1").status = "normal"  # type: ignore[union-attr]
    applied = rules.loan_offset_sign(session, ctx(), tx.LoanOffsetSign("JK1", "monthly", "kiosk"))
    agreement = session.scalars(select(Agreement)).one()
    assert applied.result == {"agreement_id": agreement.id, "loan_id": "JK1", "mode": "monthly"}
    assert applied.amount_fen == 0
    assert (agreement.member_id, agreement.kind, agreement.signed_at.replace(tzinfo=NOW.tzinfo), agreement.detail,
            agreement.idempotency_key) == (MEMBER, "loan_offset", NOW,
                                           {"loan_id": "JK1", "mode": "monthly", "channel": "kiosk"}, "k1")


def test_open_loan_sentence_and_the_transfer_case(session: Session) -> None:
    _loan(session)
    with pytest.raises(TransactionError) as err:
        rules.transfer_apply(session, ctx(), tx.TransferApply("out", "晋中", "", "counter"))
    assert _refusal(err) == ("open_loan", "有未结清的公积金贷款，不能转出。",
                             "An open provident fund loan blocks a transfer out.")
    payload = tx.TransferApply("in", "晋中市住房公积金管理中心", "123456", "kiosk")
    applied = rules.transfer_apply(session, ctx(), payload)
    assert applied.result == {"case_id": "TR-L-k1", "status": "submitted"}
    case = session.get(Case, "TR-L-k1")
    assert case is not None
    assert (case.business_code, case.member_id, case.channel, case.summary, case.status) == (
        "transfer_in", MEMBER, "kiosk", "in 晋中市住房公积金管理中心", "submitted")
    events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == "TR-L-k1").order_by(CaseEvent.id)).all()
    assert [e.action for e in events] == ["open", "submit", "comment"]
    comment = events[-1]
    assert (comment.actor, comment.data, comment.idempotency_key) == (
        "T1", {"counterpart_centre": "晋中市住房公积金管理中心", "counterpart_account": "123456", "account_no": "A1"},
        "k1")
    assert (events[0].actor, events[0].to_state, events[0].idempotency_key) == (MEMBER, "draft", "k1")
    assert (events[1].actor, events[1].role, events[1].from_state, events[1].to_state) == (
        MEMBER, "member", "draft", "submitted")


def test_cobranded_card_signing(session: Session) -> None:
    card = tx.CobrandedCardSign("渤海银行", "6229000011112222", "kiosk")
    applied = rules.cobranded_card_sign(session, ctx("kiosk", evidence=Evidence(card_owned=True)), card)
    agreement = session.scalars(select(Agreement)).one()
    assert applied.result == {"agreement_id": agreement.id, "bank": "渤海银行", "card_last4": "2222",
                              "status": "signed"}
    member = session.get(Member, MEMBER)
    assert member is not None and (member.cobranded_bank, member.cobranded_card) == ("渤海银行", "6229000011112222")
    assert (agreement.member_id, agreement.kind, agreement.detail, agreement.idempotency_key) == (
        MEMBER, "cobranded_card", {"bank": "渤海银行", "card_last4": "2222", "channel": "kiosk", "status": "signed"},
        "k1")
    assert agreement.signed_at.replace(tzinfo=NOW.tzinfo) == NOW
    with pytest.raises(TransactionError) as not_members:
        rules.cobranded_card_sign(session, ctx("kiosk", key="k2", evidence=Evidence(card_owned=False)), card)
    assert _refusal(not_members) == ("card_not_members", "银行核验：该卡不属于申请人本人，不能签约。",
                                     "The bank says this card is not the applicant's own: it cannot be signed.")
    with pytest.raises(TransactionError) as unauthorised:
        rules.cobranded_card_sign(session, ctx("kiosk", key="k2", evidence=Evidence(authorised=False)), card)
    assert _refusal(unauthorised) == ("authorisation_required", "联名卡签约需本人授权向银行核验卡片归属。",
                                      "Signing a co-branded card needs the member's authorisation to check the card "
                                      "with the bank.")
    with pytest.raises(TransactionError) as err:
        rules.cobranded_card_sign(session, ctx(member=None), tx.CobrandedCardSign("b", "1", "kiosk"))
    assert err.value.code == "unknown_member"


def test_cobranded_card_signing_stays_pending_until_the_bank_answers(session: Session) -> None:
    card = tx.CobrandedCardSign("渤海银行", "6229000011112222", "kiosk")
    applied = rules.cobranded_card_sign(session, ctx("kiosk"), card)  # the bank was not asked
    agreement = session.scalars(select(Agreement)).one()
    assert applied.result == {"agreement_id": agreement.id, "bank": "渤海银行", "card_last4": "2222",
                              "status": "pending"}
    assert applied.amount_fen == 0
    member = session.get(Member, MEMBER)
    assert member is not None and (member.cobranded_bank, member.cobranded_card) == ("华夏银行", "6230123412341234")
    assert agreement.detail == {"bank": "渤海银行", "card_last4": "2222", "channel": "kiosk", "status": "pending_bank",
                                "card_number": "6229000011112222", "authorisation": None}


def test_queue_sentences_and_results(session: Session) -> None:
    issued = rules.queue_ticket(session, ctx(), tx.QueueTicket("A001", "XD", "withdraw", priority=True))
    ticket_id = issued.result["ticket_id"]
    row = session.get(QueueTicketRow, ticket_id)
    assert row is not None
    assert (row.member_id, row.priority, row.status, row.business, row.issued_at.replace(tzinfo=NOW.tzinfo),
            row.updated_at.replace(tzinfo=NOW.tzinfo)) == (MEMBER, True, "waiting", "withdraw", NOW, NOW)
    other = rules.queue_ticket(session, ctx(), tx.QueueTicket("A002", "XD", "withdraw"))  # another number, same day
    assert other.result["ticket_no"] == "A002"
    assert issued.result == {"ticket_id": ticket_id, "ticket_no": "A001", "status": "waiting"}
    with pytest.raises(TransactionError) as again:
        rules.queue_ticket(session, ctx(), tx.QueueTicket("A001", "XD", "withdraw"))
    assert _refusal(again) == ("ticket_exists", "该网点当天已有同号排队票。",
                               "This outlet already issued this ticket number today.")
    # The same number issued again the next day: events go to the newest ticket.
    tomorrow = ctx(created=NOW + timedelta(days=1))
    newer = rules.queue_ticket(session, tomorrow, tx.QueueTicket("A001", "XD", "withdraw")).result["ticket_id"]
    called = rules.queue_event(session, ctx(), tx.QueueEvent("A001", "XD", "called", window="2", clerk="c1"))
    assert called.result == {"ticket_id": newer, "status": "called"}
    with pytest.raises(TransactionError) as unknown:
        rules.queue_event(session, ctx(), tx.QueueEvent("A001", "YZ", "called"))
    assert _refusal(unknown) == ("unknown_ticket", "没有该排队票。", "There is no such queue ticket.")
    rules.queue_event(session, ctx(), tx.QueueEvent("A001", "XD", "done"))
    with pytest.raises(TransactionError) as finished:
        rules.queue_event(session, ctx(), tx.QueueEvent("A001", "XD", "called"))
    assert _refusal(finished) == ("ticket_finished", "该排队票已办结或作废。", "This queue ticket is already finished.")


def test_rating_and_device_report_rows(session: Session) -> None:
    rating = rules.rating(session, ctx("kiosk"), tx.Rating(4, "withdraw", "kiosk", window="3", staff="c1",
                                                             serial_no="S1", text="好"))
    row = session.scalars(select(RatingRow)).one()
    assert rating.result == {"rating_id": row.id}
    assert (row.member_id, row.score, row.service_item, row.channel, row.window, row.staff, row.serial_no, row.text,
            row.terminal_id, row.rated_at.replace(tzinfo=NOW.tzinfo)) == (
        MEMBER, 4, "withdraw", "kiosk", "3", "c1", "S1", "好", "T1", NOW)
    report = rules.device_report(session, ctx("kiosk"), tx.DeviceReport("printer", "paper_out", {"code": 7}))
    device = session.scalars(select(DeviceReportRow)).one()
    assert report.result == {"report_id": device.id}
    assert (device.terminal_id, device.device, device.status, device.detail,
            device.reported_at.replace(tzinfo=NOW.tzinfo)) == ("T1", "printer", "paper_out", {"code": 7}, NOW)
    assert set(rules.HANDLERS) == {"withdrawal.apply", "loan_offset.sign", "transfer.apply", "cobranded_card.sign",
                                   "case.action", "queue.ticket", "queue.event", "rating", "device.report",
                                   "certificate.issue", "technician.action", "staff.audit"}
    assert rules.HANDLERS["rating"] is rules.rating and rules.HANDLERS["queue.event"] is rules.queue_event


def test_case_open_and_assign_results(session: Session) -> None:
    opened = rules.case_action(session, ctx("counter"), tx.CaseAction("C1", "open", "clerk-01", item_code="loan",
                                                                      note="walk-in"))
    assert opened.result == {"case_id": "C1", "status": "draft"}
    case = session.get(Case, "C1")
    assert case is not None and (case.business_code, case.channel, case.summary, case.member_id) == (
        "loan", "counter", "walk-in", MEMBER)
    with pytest.raises(TransactionError) as err:
        rules.case_action(session, ctx(), tx.CaseAction("C1", "assign", "clerk-01", data={}))
    assert _refusal(err) == ("invalid_payload", "分派须由工作人员办理，并给出经办人（data.assignee）。",
                             "Assigning is for staff and needs data.assignee.")
    done = rules.case_action(session, ctx(), tx.CaseAction("C1", "assign", "clerk-01", data={"assignee": "c2"}))
    assert done.result == {"case_id": "C1", "status": "draft", "paid_fen": 0} and done.amount_fen == 0
    with pytest.raises(TransactionError) as member:
        rules.case_action(session, ctx("kiosk"), tx.CaseAction("C1", "assign", MEMBER, data={"assignee": "c2"}))
    assert member.value.code == "invalid_payload"
    submitted = rules.case_action(session, ctx(), tx.CaseAction("C1", "submit", "clerk-01", note="材料齐"))
    assert submitted.result == {"case_id": "C1", "status": "submitted", "paid_fen": 0}
    event = session.scalars(select(CaseEvent).where(CaseEvent.case_id == "C1").order_by(CaseEvent.id.desc())).first()
    assert event is not None
    assert (event.action, event.actor, event.role, event.note, event.from_state, event.to_state,
            event.idempotency_key) == ("submit", "clerk-01", "clerk", "材料齐", "draft", "submitted", "k1")
    assert session.get(Case, "C1").updated_at.replace(tzinfo=NOW.tzinfo) == NOW  # type: ignore[union-attr]


def test_role_refusal_sentence(session: Session) -> None:
    with pytest.raises(TransactionError) as err:
        rules.case_action(session, ctx("kiosk"), tx.CaseAction("C1", "accept", "x", role="supervisor"))
    assert _refusal(err) == ("not_allowed_here", "kiosk 终端不能以「supervisor」身份办理业务。",
                             "A kiosk terminal may not act in the supervisor role.")
    with pytest.raises(TransactionError) as unknown:
        rules.case_action(session, ctx(), tx.CaseAction("C9", "accept", "clerk-01"))
    assert _refusal(unknown) == ("unknown_case", "没有该业务编号。", "There is no case with this id.")
    rules.case_action(session, ctx(), tx.CaseAction("C1", "open", "clerk-01", item_code="loan"))
    with pytest.raises(TransactionError) as exists:
        rules.case_action(session, ctx(), tx.CaseAction("C1", "open", "clerk-01", item_code="loan"))
    assert _refusal(exists) == ("case_exists", "该业务编号已存在。", "A case with this id already exists.")


def test_staff_refusal_sentences(session: Session) -> None:
    """A counter action needs a staff account that held the role at the action time and signed in online."""
    with pytest.raises(TransactionError) as nobody:
        rules.case_action(session, ctx(), tx.CaseAction("C1", "open", "ghost-01", item_code="loan"))
    assert _refusal(nobody) == ("staff_role", "ghost-01 在 2026-11-20 02:00 UTC 不具有「clerk」角色。",
                                "ghost-01 did not hold the clerk role at 2026-11-20 02:00 UTC.")
    with pytest.raises(TransactionError) as not_supervisor:
        rules.case_action(session, ctx(), tx.CaseAction("C1", "open", "clerk-01", role="supervisor", item_code="x"))
    assert not_supervisor.value.code == "staff_role" and "supervisor" in not_supervisor.value.en
    rules.open_case(session, "C2", "x", MEMBER, "kiosk", NOW, submit_as=MEMBER)
    rules.case_action(session, ctx(), tx.CaseAction("C2", "accept", "clerk-01"))
    with pytest.raises(TransactionError) as clerk_approves:
        rules.case_action(session, ctx(), tx.CaseAction("C2", "approve", "clerk-01"))
    assert _refusal(clerk_approves) == ("staff_role", "「approve」须由supervisor办理，clerk-01 是 clerk。",
                                        "approve needs the supervisor role; clerk-01 acts as clerk.")
    elsewhere = rules.ItemContext("k2", "T2", "counter", MEMBER, NOW, NOW, "L-k2")  # never signed in at T2
    with pytest.raises(TransactionError) as offline:
        rules.case_action(session, elsewhere, tx.CaseAction("C2", "comment", "clerk-01"))
    assert _refusal(offline) == ("staff_not_signed_in", "clerk-01 在该操作前 72 小时内未在本柜台联机登录。",
                                 "clerk-01 had not signed in online at this counter within 72 h before the action.")
    before_sign_in = ctx(created=SIGNED_IN_AT - timedelta(minutes=6))
    with pytest.raises(TransactionError) as early:
        rules.case_action(session, before_sign_in, tx.CaseAction("C2", "comment", "clerk-01"))
    assert early.value.code == "staff_not_signed_in"
    rules.case_action(session, ctx(created=SIGNED_IN_AT - timedelta(minutes=5)),
                      tx.CaseAction("C2", "comment", "clerk-01"))  # five minutes of clock skew are allowed


def test_withdrawal_case_rejected_and_disbursed_through_actions(session: Session) -> None:
    rules.open_case(session, "WD-1", "withdraw_retirement", MEMBER, "kiosk", NOW, submit_as=MEMBER)
    session.add(Withdrawal(member_id=MEMBER, account_no="A1", reason_code="03", subtype="retirement",
                           amount_fen=500, status="pending", application_no="TQ1", channel="kiosk", applied_at=NOW,
                           case_id="WD-1"))
    session.flush()
    rules.case_action(session, ctx(), tx.CaseAction("WD-1", "accept", "c1"))
    rules.case_action(session, ctx(), tx.CaseAction("WD-1", "approve", "sup-01", role="supervisor"))
    paid = rules.case_action(session, ctx(), tx.CaseAction("WD-1", "disburse", "c1"))
    assert paid.result == {"case_id": "WD-1", "status": "disbursed", "paid_fen": 0}
    assert session.scalars(select(Withdrawal)).one().status == "paid"
    assert session.scalars(select(Account)).one().balance_fen == 99_500


# ---- withdrawal_apply (FACT PLUMBING: the facts the ledger fetched arrive in ctx.evidence) -------------------------


def _apply(session: Session, facts: SharedData, kind: WithdrawalType = WithdrawalType.RETIREMENT, key: str = "k1",
           card_owned: bool | None = None, **payload: object) -> rules.Applied:
    p = tx.WithdrawalApply(kind, payload.pop("amount_fen", None), "TQ1", "kiosk",  # type: ignore[arg-type]
                           **payload)  # type: ignore[arg-type]
    return rules.withdrawal_apply(session, ctx("kiosk", key=key, evidence=Evidence(facts, card_owned=card_owned)), p)


def test_an_approved_withdrawal_result_and_row(session: Session) -> None:
    applied = _apply(session, SharedData(retirement=RetirementFact(True, date(2026, 3, 1), HRSS)),
                     payout_card="6217000000001234", property_id="P-1", card_owned=True)
    row = session.scalars(select(Withdrawal)).one()
    assert applied.amount_fen == 100_000
    assert applied.result == {"withdrawal_id": row.id, "status": "approved", "instant": True, "amount_fen": 100_000,
                              "case_id": None, "balance_after_fen": 0, "application_no": "TQ1", "reason_code": "03",
                              "policy_version": "2026.11-1", "reasons": [], "facts_from": "exchange"}
    assert (row.member_id, row.account_no, row.reason_code, row.subtype, row.property_id, row.amount_fen, row.status,
            row.application_no, row.channel, row.payout_card, row.idempotency_key, row.case_id) == (
        MEMBER, "A1", "03", "retirement", "P-1", 100_000, "approved", "TQ1", "kiosk", "6217000000001234", "k1", None)
    assert row.applied_at.replace(tzinfo=NOW.tzinfo) == NOW and row.decided_at.replace(tzinfo=NOW.tzinfo) == NOW


def test_a_reviewed_withdrawal_opens_a_case_and_moves_no_money(session: Session) -> None:
    paper = SharedData(retirement=RetirementFact(True, None, Department.APPLICANT))
    applied = _apply(session, paper)
    row = session.scalars(select(Withdrawal)).one()
    assert applied.amount_fen == 0 and session.scalars(select(Account)).one().balance_fen == 100_000
    reasons = applied.result["reasons"]
    assert [r["rule"] for r in reasons] == ["retirement.paper.retirement_certificate"]
    assert reasons[0]["verdict"] == "review" and reasons[0]["zh"].startswith("退休证明为申请人提供的材料")
    assert {k: applied.result[k] for k in ("status", "instant", "amount_fen", "case_id", "balance_after_fen")} == {
        "status": "review", "instant": False, "amount_fen": 100_000, "case_id": "WD-L-k1", "balance_after_fen": 100_000}
    assert (row.status, row.decided_at, row.case_id) == ("pending", None, "WD-L-k1")
    case = session.get(Case, "WD-L-k1")
    assert case is not None and case.business_code == "withdraw_retirement" and case.status == "submitted"
    assert case.summary == "TQ1: 退休证明为申请人提供的材料，需柜员核验原件" and case.channel == "kiosk"
    events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == "WD-L-k1").order_by(CaseEvent.id)).all()
    assert [(e.action, e.actor, e.idempotency_key) for e in events] == [
        ("open", MEMBER, "k1"), ("submit", MEMBER, "k1"), ("comment", "rules", "k1")]
    assert events[-1].note == "规则引擎转人工复核 / the rules engine routed it to a clerk"
    assert events[-1].data["decision"]["outcome"] == "review"


def test_rejected_and_missing_withdrawals_are_refused_with_reasons(session: Session) -> None:
    with pytest.raises(TransactionError) as rejected:
        _apply(session, SharedData(retirement=RetirementFact(False, None, HRSS)))
    assert _refusal(rejected) == ("withdrawal_rejected", "不予受理：人社记录显示尚未办理退休。",
                                  "Refused: the social-insurance record shows you are not retired.")
    with pytest.raises(TransactionError) as missing:
        _apply(session, SharedData())
    assert _refusal(missing) == ("missing_materials", "材料不全：缺少退休证明：无共享数据，请提供材料。",
                                 "Materials missing: missing proof of retirement: no shared data, please bring the "
                                 "document.")
    assert session.scalars(select(Withdrawal)).all() == []


def test_requested_fen_become_yuan_exactly(session: Session) -> None:
    ill = SharedData(illness=IllnessFact("140105199003071234", "self", True, Decimal("500.00"), date(2026, 11, 1),
                                         Department.MEDICAL_INSURANCE))
    applied = _apply(session, ill, WithdrawalType.ILLNESS, amount_fen=12_345)
    assert applied.amount_fen == 12_345 and session.scalars(select(Account)).one().balance_fen == 100_000 - 12_345
    with pytest.raises(TransactionError) as over:
        _apply(session, ill, WithdrawalType.ILLNESS, key="k2", amount_fen=50_001)
    assert over.value.code == "withdrawal_rejected" and "¥500.01" in over.value.en


def test_fraud_velocity_sends_it_to_a_clerk_only_when_screening(session: Session) -> None:
    for k in range(3):
        session.add(Withdrawal(member_id=MEMBER, account_no="A1", reason_code="09", subtype="illness", amount_fen=1,
                               status="rejected", application_no=f"T{k}", channel="kiosk",
                               applied_at=NOW - timedelta(days=k)))
    session.flush()
    facts = SharedData(retirement=RetirementFact(True, None, HRSS))
    flagged = _apply(session, facts)
    assert flagged.result["status"] == "review"
    assert [r["rule"] for r in flagged.result["reasons"]] == ["fraud.velocity"]
    session.get(Withdrawal, flagged.result["withdrawal_id"]).status = "rejected"  # type: ignore[union-attr]
    unscreened = rules.withdrawal_apply(session, rules.ItemContext(
        "k9", "T1", "kiosk", MEMBER, NOW, NOW, "L-k9", fraud_screening=False, evidence=Evidence(facts)),
        tx.WithdrawalApply(WithdrawalType.RETIREMENT, None, "TQ2", "kiosk"))
    assert unscreened.result["status"] == "approved"


def test_no_payout_card_sentence_and_reason_keys(session: Session) -> None:
    session.get(Member, MEMBER).cobranded_card = ""  # type: ignore[union-attr]
    with pytest.raises(TransactionError) as err:
        _apply(session, SharedData(retirement=RetirementFact(True, None, HRSS)))
    assert _refusal(err) == ("no_payout_card", "未签约联名卡，也未提供本人银行卡，无法支付提取款。",
                             "No co-branded card is signed and no own bank card was given: nowhere to pay the money.")
    review = _apply(session, SharedData(retirement=RetirementFact(True, None, Department.APPLICANT)), payout_card="1",
                    card_owned=True)
    assert review.result["reasons"] == [{
        "rule": "retirement.paper.retirement_certificate", "verdict": "review",
        "zh": "退休证明为申请人提供的材料，需柜员核验原件",
        "en": "proof of retirement was supplied by the applicant and must be checked by a clerk"}]
    assert review.result["status"] == "review" and session.scalars(select(Withdrawal)).one().payout_card == "1"


def test_payout_card_checks_with_the_bank(session: Session) -> None:
    facts = SharedData(retirement=RetirementFact(True, None, HRSS))
    with pytest.raises(TransactionError) as not_own:
        _apply(session, facts, payout_card="6217000000001234", card_owned=False)
    assert _refusal(not_own) == ("payout_card_not_verified",
                                 "银行核验：收款卡不属于申请人本人，不予支付。请使用本人联名卡或本人名下银行卡。",
                                 "The bank says the payout card is not the applicant's own: nothing is paid. Use your "
                                 "co-branded card or a card in your own name.")
    with pytest.raises(TransactionError) as unauthorised:
        rules.withdrawal_apply(session, ctx("kiosk", evidence=Evidence(facts, authorised=False)),
                               tx.WithdrawalApply(WithdrawalType.RETIREMENT, None, "TQ1", "kiosk",
                                                  payout_card="6217000000001234"))
    assert _refusal(unauthorised) == ("payout_card_not_verified", "未经本人授权，无法向银行核验收款卡归属，不予支付。",
                                      "Without the member's authorisation the payout card's owner cannot be checked "
                                      "with the bank: nothing is paid.")
    assert session.scalars(select(Withdrawal)).all() == []
    unanswered = _apply(session, facts, payout_card="6217000000001234")  # the bank did not answer: a clerk checks
    assert applied_keys(unanswered) == ("review", 0, "WD-L-k1")
    assert unanswered.result["reasons"] == [{
        "rule": "payout.card_unverified", "verdict": "review", "zh": "收款卡归属未能经银行核验，转人工复核",
        "en": "the bank could not confirm who owns the payout card; a clerk reviews it"}]
    assert session.scalars(select(Account)).one().balance_fen == 100_000


def applied_keys(applied: rules.Applied) -> tuple[str, int, str | None]:
    return applied.result["status"], applied.amount_fen, applied.result["case_id"]


def test_settling_pays_every_pending_row_of_the_case_and_no_other(session: Session) -> None:
    case = rules.open_case(session, "WD-1", "withdraw_retirement", MEMBER, "kiosk", NOW, submit_as=MEMBER)
    for amount, case_id in ((10_000, "WD-1"), (20_000, "WD-1"), (40_000, None)):
        session.add(Withdrawal(member_id=MEMBER, account_no="A1", reason_code="03", subtype="retirement",
                               amount_fen=amount, status="pending", application_no="TQ", channel="kiosk",
                               applied_at=NOW, case_id=case_id))
    session.flush()
    assert rules._settle_case_withdrawals(session, case, "approve", now=NOW) == 30_000
    statuses = sorted((w.amount_fen, w.status) for w in session.scalars(select(Withdrawal)))
    assert statuses == [(10_000, "approved"), (20_000, "approved"), (40_000, "pending")]
    assert session.scalars(select(Account)).one().balance_fen == 70_000
    rules._settle_case_withdrawals(session, case, "disburse", now=NOW)
    assert sorted(w.status for w in session.scalars(select(Withdrawal))) == ["paid", "paid", "pending"]


def test_rejecting_a_withdrawal_case_through_its_action(session: Session) -> None:
    rules.open_case(session, "WD-2", "withdraw_retirement", MEMBER, "kiosk", NOW, submit_as=MEMBER)
    session.add(Withdrawal(member_id=MEMBER, account_no="A1", reason_code="03", subtype="retirement",
                           amount_fen=500, status="pending", application_no="TQ", channel="kiosk", applied_at=NOW,
                           case_id="WD-2"))
    session.flush()
    rules.case_action(session, ctx(), tx.CaseAction("WD-2", "reject", "c1", note="材料不实"))
    row = session.scalars(select(Withdrawal)).one()
    assert row.status == "rejected" and row.decided_at.replace(tzinfo=NOW.tzinfo) == NOW  # type: ignore[union-attr]
    session.get(Case, "WD-2").status = "closed"  # type: ignore[union-attr]
    with pytest.raises(TransactionError) as err:
        rules.case_action(session, ctx(), tx.CaseAction("WD-2", "comment", "c1"))
    assert _refusal(err) == ("bad_case_state", "业务已办结，不能再操作。", "The case is closed; no more actions.")


def test_another_members_open_loan_does_not_block_a_transfer_out(session: Session) -> None:
    session.add(Member(member_id="OTHER", id_number="11010519491231002X", name="李四", sex="1",
                       birth_date=date(1949, 12, 31), phone="1", region_code="110105", employer="-", password_hash="-"))
    session.flush()
    session.add(Loan(loan_id="JK9", member_id="OTHER", principal_fen=1, balance_fen=1, annual_rate=Decimal("2.85"),
                     term_months=12, method_code="10", start_date=date(2026, 1, 1), repayment_day=10, status="normal"))
    session.flush()
    applied = rules.transfer_apply(session, ctx(), tx.TransferApply("out", "晋中", "", "counter"))
    assert applied.result["status"] == "submitted"


def test_without_the_exchange_a_clerk_reviews_what_is_available_and_own_data_still_refuses(session: Session) -> None:
    account = session.scalars(select(Account)).one()
    account.frozen, account.frozen_amount_fen = True, 40_000
    unasked = rules.withdrawal_apply(session, ctx("kiosk"), tx.WithdrawalApply(WithdrawalType.RETIREMENT, None,
                                                                               "TQ1", "kiosk"))
    outage = ("数据共享交换平台未能提供信息，转人工复核（exchange：未向数据共享交换平台查询）",
              "the data-sharing exchange could not provide the facts, so a clerk reviews it (exchange: the exchange "
              "was not asked)")
    assert unasked.amount_fen == 0 and unasked.result == {
        "withdrawal_id": 1, "status": "review", "instant": False, "amount_fen": 60_000, "case_id": "WD-L-k1",
        "balance_after_fen": 100_000, "application_no": "TQ1", "reason_code": "03", "policy_version": "2026.11-1",
        "reasons": [
            {"rule": "retirement.frozen", "verdict": "review", "zh": "账户处于冻结（¥400.00）状态，需人工核查",
             "en": "the account is frozen (¥400.00); a clerk must check"},
            {"rule": "retirement.missing.retirement_certificate", "verdict": "missing",
             "zh": "缺少退休证明：无共享数据，请提供材料",
             "en": "missing proof of retirement: no shared data, please bring the document"},
            {"rule": "exchange.unavailable", "verdict": "review", "zh": outage[0], "en": outage[1]}],
        "facts_from": "exchange"}
    note = session.scalars(select(CaseEvent).where(CaseEvent.actor == "rules")).one()
    assert note.note == ("数据共享交换平台未能提供信息或收款卡未核验，转人工复核 / the exchange did not provide "
                         "the facts or the payout card is unverified: a clerk reviews it")
    assert note.data["exchange"] == [{"rule": "exchange.unavailable", "zh": outage[0], "en": outage[1]}]
    assert note.at.replace(tzinfo=NOW.tzinfo) == NOW
    assert session.get(Case, "WD-L-k1").summary == (  # type: ignore[union-attr]
        f"TQ1: 账户处于冻结（¥400.00）状态，需人工核查；{outage[0]}")
    # The fund's own data refuses it (one of its kind is in flight) even when the exchange did not answer.
    with pytest.raises(TransactionError) as own:
        rules.withdrawal_apply(session, ctx("kiosk", key="k2"), tx.WithdrawalApply(WithdrawalType.RETIREMENT, 500,
                                                                                   "TQ2", "kiosk"))
    assert _refusal(own) == ("withdrawal_rejected", "不予受理：已有一笔同类申请（TQ1）正在办理。",
                             "Refused: an application of this type (TQ1) is still being processed.")
    # A refusal that rests on a department's answer while the payout card is unchecked goes to a clerk.
    not_retired = Evidence(SharedData(retirement=RetirementFact(False, None, HRSS)))
    routed = rules.withdrawal_apply(session, ctx("kiosk", key="k3", evidence=not_retired), tx.WithdrawalApply(
        WithdrawalType.RETIREMENT, 12_345, "TQ3", "kiosk", payout_card="6217000000001234"))
    assert (routed.result["status"], routed.result["amount_fen"], routed.amount_fen) == ("review", 12_345, 0)
    assert [r["rule"] for r in routed.result["reasons"]] == ["retirement.frozen", "retirement.in_flight",
                                                             "retirement.retired", "payout.card_unverified"]
    assert session.scalars(select(Account)).one().balance_fen == 100_000
