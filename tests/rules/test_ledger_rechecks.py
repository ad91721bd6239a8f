"""The ledger's re-checks (ledger/rules.py) at their boundaries (issue 16).

Each test builds the few rows it needs in a fresh SQLite file and calls one handler or helper
directly, so it does not depend on how a request is signed. The one test that goes through
`withdrawal_apply` is marked below (fact plumbing: the facts the ledger fetched from the exchange
arrive in `ItemContext.evidence`; a payload carries none).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain import transactions as tx
from domain.decision import Decision, Outcome, Reason, Verdict
from domain.evidence import Department, RetirementFact, SharedData
from domain.fraud import load_fraud_policy
from domain.transactions import TransactionError
from domain.withdrawals import WithdrawalApplication, WithdrawalType
from ledger import rules
from ledger.exchange.source import Evidence
from ledger.models import Account, Case, CaseEvent, Loan, Member, QueueTicketRow, Withdrawal
from tests.rules.conftest import MEMBER, NOW, ctx


def _account(session: Session) -> Account:
    found = session.scalars(select(Account).where(Account.member_id == MEMBER)).one()
    return found


def _case_with_withdrawal(session: Session, amount_fen: int, status: str = "pending") -> Case:
    case = rules.open_case(session, "WD-1", "withdraw_retirement", MEMBER, "kiosk", NOW, submit_as=MEMBER)
    session.add(Withdrawal(member_id=MEMBER, account_no="A1", reason_code="03", subtype="retirement",
                           amount_fen=amount_fen, status=status, application_no="TQ1", channel="kiosk",
                           applied_at=NOW, case_id="WD-1"))
    session.flush()
    return case


# ---- paying a case's withdrawals: the balance boundary ----------------------------------------------------------


def test_approving_exactly_the_available_balance_pays_it_all(session: Session) -> None:
    case = _case_with_withdrawal(session, 100_000)
    assert rules._settle_case_withdrawals(session, case, "approve", now=NOW) == 100_000
    assert _account(session).balance_fen == 0
    row = session.scalars(select(Withdrawal)).one()
    assert row.status == "approved" and row.decided_at is not None


def test_approving_a_fen_more_than_available_is_refused(session: Session) -> None:
    case = _case_with_withdrawal(session, 100_001)
    with pytest.raises(TransactionError) as err:
        rules._settle_case_withdrawals(session, case, "approve", now=NOW)
    assert err.value.code == "insufficient_balance"
    assert err.value.en == "The available balance ¥1,000.00 cannot pay ¥1,000.01."
    assert err.value.zh == "可提取余额 ¥1,000.00 不足以支付 ¥1,000.01。"
    assert _account(session).balance_fen == 100_000


def test_the_frozen_part_is_not_available_only_while_frozen(session: Session) -> None:
    account = _account(session)
    account.frozen, account.frozen_amount_fen = True, 40_000
    case = _case_with_withdrawal(session, 60_001)
    with pytest.raises(TransactionError, match="¥600.00"):
        rules._settle_case_withdrawals(session, case, "approve", now=NOW)
    session.scalars(select(Withdrawal)).one().amount_fen = 60_000
    assert rules._settle_case_withdrawals(session, case, "approve", now=NOW) == 60_000
    assert account.balance_fen == 40_000


def test_a_held_amount_on_an_unfrozen_account_is_ignored(session: Session) -> None:
    account = _account(session)
    account.frozen, account.frozen_amount_fen = False, 40_000
    case = _case_with_withdrawal(session, 100_000)
    assert rules._settle_case_withdrawals(session, case, "approve", now=NOW) == 100_000


def test_rejecting_and_disbursing_move_no_money(session: Session) -> None:
    case = _case_with_withdrawal(session, 50_000)
    assert rules._settle_case_withdrawals(session, case, "disburse", now=NOW) == 0  # still pending: untouched
    assert session.scalars(select(Withdrawal)).one().status == "pending"
    assert rules._settle_case_withdrawals(session, case, "reject", now=NOW) == 0
    row = session.scalars(select(Withdrawal)).one()
    assert row.status == "rejected" and row.decided_at is not None and _account(session).balance_fen == 100_000
    row.status = "approved"
    assert rules._settle_case_withdrawals(session, case, "disburse", now=NOW) == 0
    assert row.status == "paid" and _account(session).balance_fen == 100_000


# ---- cases: roles, closed cases, event times ----------------------------------------------------------------------


def test_terminal_roles(session: Session) -> None:
    with pytest.raises(TransactionError) as err:
        rules.case_action(session, ctx("kiosk"), tx.CaseAction("C1", "open", MEMBER, role="clerk", item_code="x"))
    assert err.value.code == "not_allowed_here" and err.value.en == "A kiosk terminal may not act in the clerk role."
    with pytest.raises(TransactionError, match="not_allowed_here|may not act"):
        rules.case_action(session, ctx("diag"), tx.CaseAction("C1", "open", MEMBER, item_code="x"))
    opened = rules.case_action(session, ctx("kiosk"), tx.CaseAction("C1", "open", MEMBER, item_code="x"))
    assert opened.result == {"case_id": "C1", "status": "draft"}
    with pytest.raises(TransactionError) as again:
        rules.case_action(session, ctx("kiosk"), tx.CaseAction("C1", "open", MEMBER, item_code="x"))
    assert again.value.code == "case_exists"
    with pytest.raises(TransactionError) as unknown:
        rules.case_action(session, ctx(), tx.CaseAction("C9", "accept", "clerk-01"))
    assert unknown.value.code == "unknown_case"


def test_case_event_times_never_run_backwards(session: Session) -> None:
    rules.open_case(session, "C2", "x", MEMBER, "kiosk", NOW, submit_as=MEMBER)
    earlier = ctx(created=NOW - timedelta(minutes=5))
    rules.case_action(session, earlier, tx.CaseAction("C2", "accept", "clerk-01"))
    last = session.scalars(select(CaseEvent).where(CaseEvent.case_id == "C2").order_by(CaseEvent.id.desc())).first()
    assert last is not None and last.at == NOW and last.to_state == "accepted" and last.from_state == "submitted"
    later = ctx(created=NOW + timedelta(minutes=5))
    rules.case_action(session, later, tx.CaseAction("C2", "comment", "clerk-01", note="ok"))
    last = session.scalars(select(CaseEvent).where(CaseEvent.case_id == "C2").order_by(CaseEvent.id.desc())).first()
    assert last is not None and last.at == NOW + timedelta(minutes=5) and last.to_state == ""


def test_assigning_needs_staff_and_an_assignee_and_closed_cases_take_nothing(session: Session) -> None:
    rules.open_case(session, "C3", "x", MEMBER, "kiosk", NOW, submit_as=MEMBER)
    for data in ({}, {"assignee": ""}, {"assignee": 7}):
        with pytest.raises(TransactionError) as err:
            rules.case_action(session, ctx(), tx.CaseAction("C3", "assign", "clerk-01", data=data))
        assert err.value.code == "invalid_payload"
    rules.case_action(session, ctx(), tx.CaseAction("C3", "assign", "sup-01", role="supervisor",
                                                    data={"assignee": "clerk-02"}))
    assert session.get(Case, "C3").assignee == "clerk-02"  # type: ignore[union-attr]
    session.get(Case, "C3").status = "closed"  # type: ignore[union-attr]
    with pytest.raises(TransactionError) as closed:
        rules.case_action(session, ctx(), tx.CaseAction("C3", "comment", "clerk-01"))
    assert closed.value.code == "bad_case_state" and closed.value.en == "The case is closed; no more actions."


def test_an_illegal_transition_is_refused_in_both_languages(session: Session) -> None:
    rules.open_case(session, "C4", "x", MEMBER, "kiosk", NOW, submit_as=MEMBER)
    with pytest.raises(TransactionError) as err:
        rules.case_action(session, ctx(), tx.CaseAction("C4", "disburse", "clerk-01"))
    assert err.value.code == "bad_case_state" and err.value.zh and err.value.en and err.value.zh != err.value.en
    assert rules._bilingual(ValueError("甲 / A")) == ("甲", "A")
    assert rules._bilingual(ValueError("only one")) == ("only one", "only one")


def test_approving_a_withdrawal_case_pays_through_the_case(session: Session) -> None:
    _case_with_withdrawal(session, 30_000)
    rules.case_action(session, ctx(), tx.CaseAction("WD-1", "accept", "clerk-01"))
    applied = rules.case_action(session, ctx(), tx.CaseAction("WD-1", "approve", "sup-01", role="supervisor"))
    assert applied.amount_fen == 30_000 and applied.result["paid_fen"] == 30_000
    assert _account(session).balance_fen == 70_000 and session.get(Case, "WD-1").status == "approved"  # type: ignore


# ---- accounts, loans and transfers --------------------------------------------------------------------------------


@pytest.mark.parametrize(("frozen", "pledged", "code"), [(True, False, "account_frozen"),
                                                          (False, True, "account_pledged")])
def test_a_frozen_or_pledged_account_refuses_a_transfer(session: Session, frozen: bool, pledged: bool,
                                                        code: str) -> None:
    account = _account(session)
    account.frozen, account.pledged = frozen, pledged
    with pytest.raises(TransactionError) as err:
        rules.transfer_apply(session, ctx(), tx.TransferApply("in", "晋中市住房公积金管理中心", "", "counter"))
    assert err.value.code == code


def _loan(session: Session, status: str, member: str = MEMBER) -> None:
    session.add(Loan(loan_id="JK1", member_id=member, principal_fen=1, balance_fen=1, annual_rate=Decimal("2.85"),
                     term_months=12, method_code="10", start_date=date(2026, 1, 1), repayment_day=10, status=status))
    session.flush()


@pytest.mark.parametrize(("status", "refused"), [("normal", True), ("overdue", True), ("settled", False)])
def test_an_open_loan_blocks_a_transfer_out_only(session: Session, status: str, refused: bool) -> None:
    _loan(session, status)
    payload = tx.TransferApply("out", "晋中市住房公积金管理中心", "", "counter")
    if refused:
        with pytest.raises(TransactionError) as err:
            rules.transfer_apply(session, ctx(), payload)
        assert err.value.code == "open_loan"
    else:
        assert rules.transfer_apply(session, ctx(), payload).result == {"case_id": "TR-L-k1", "status": "submitted"}
    incoming = rules.transfer_apply(session, ctx(key="k2"), tx.TransferApply("in", "晋中", "", "counter"))
    assert incoming.result["status"] == "submitted"


@pytest.mark.parametrize(("status", "code"), [("settled", "loan_settled"), ("overdue", "loan_overdue"),
                                              ("normal", None)])
def test_offset_signing_by_loan_status(session: Session, status: str, code: str | None) -> None:
    _loan(session, status)
    payload = tx.LoanOffsetSign("JK1", "yearly", "counter")
    if code:
        with pytest.raises(TransactionError) as err:
            rules.loan_offset_sign(session, ctx(), payload)
        assert err.value.code == code
    else:
        assert rules.loan_offset_sign(session, ctx(), payload).result["mode"] == "yearly"
        assert session.get(Loan, "JK1").offset_mode == "yearly"  # type: ignore[union-attr]


def test_offset_signing_on_someone_elses_loan_or_for_nobody(session: Session) -> None:
    session.add(Member(member_id="OTHER", id_number="11010519491231002X", name="李四", sex="1",
                       birth_date=date(1949, 12, 31), phone="1", region_code="110105", employer="-", password_hash="-"))
    session.flush()
    _loan(session, "normal", member="OTHER")
    with pytest.raises(TransactionError) as err:
        rules.loan_offset_sign(session, ctx(), tx.LoanOffsetSign("JK1", "monthly", "counter"))
    assert err.value.code == "unknown_loan"
    with pytest.raises(TransactionError) as nobody:
        rules.loan_offset_sign(session, ctx(member=None), tx.LoanOffsetSign("JK1", "monthly", "counter"))
    assert nobody.value.code == "unknown_member"


# ---- queue tickets: one number per outlet per Beijing day ----------------------------------------------------------


def test_queue_ticket_numbers_repeat_only_on_another_beijing_day(session: Session) -> None:
    last_second = datetime(2026, 11, 20, 15, 59, 59, tzinfo=UTC)  # 23:59:59 in Beijing
    rules.queue_ticket(session, ctx(created=last_second), tx.QueueTicket("A001", "XD", "withdraw"))
    with pytest.raises(TransactionError) as err:
        rules.queue_ticket(session, ctx(created=NOW), tx.QueueTicket("A001", "XD", "withdraw"))
    assert err.value.code == "ticket_exists"
    midnight = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)  # 00:00 on the 21st in Beijing
    applied = rules.queue_ticket(session, ctx(created=midnight), tx.QueueTicket("A001", "XD", "withdraw"))
    assert applied.result["status"] == "waiting"
    rules.queue_ticket(session, ctx(created=NOW), tx.QueueTicket("A001", "YZ", "withdraw"))  # another outlet
    days = sorted(r.issued_on for r in session.scalars(select(QueueTicketRow).where(QueueTicketRow.outlet == "XD")))
    assert days == [date(2026, 11, 20), date(2026, 11, 21)]


@pytest.mark.parametrize("final", ["done", "no_show", "cancelled"])
def test_a_finished_ticket_takes_no_more_events(session: Session, final: str) -> None:
    rules.queue_ticket(session, ctx(), tx.QueueTicket("A002", "XD", "withdraw"))
    rules.queue_event(session, ctx(), tx.QueueEvent("A002", "XD", "called", window="3", clerk="clerk-01"))
    rules.queue_event(session, ctx(), tx.QueueEvent("A002", "XD", final))
    row = session.scalars(select(QueueTicketRow)).one()
    assert (row.status, row.window, row.clerk) == (final, "3", "clerk-01")  # empty fields keep the old values
    with pytest.raises(TransactionError) as err:
        rules.queue_event(session, ctx(), tx.QueueEvent("A002", "XD", "called"))
    assert err.value.code == "ticket_finished"
    with pytest.raises(TransactionError) as unknown:
        rules.queue_event(session, ctx(), tx.QueueEvent("Z999", "XD", "called"))
    assert unknown.value.code == "unknown_ticket"


def test_a_rating_for_an_unknown_member_is_refused(session: Session) -> None:
    with pytest.raises(TransactionError) as err:
        rules.rating(session, ctx(member="NOBODY"), tx.Rating(5, "withdraw", "kiosk"))
    assert err.value.code == "unknown_member"
    assert rules.rating(session, ctx(member=None), tx.Rating(5, "withdraw", "kiosk")).result["rating_id"] >= 1


# ---- what only the ledger sees: the fraud population ---------------------------------------------------------------


def test_velocity_window_includes_its_first_second(session: Session) -> None:
    policy = load_fraud_policy("taiyuan")
    since = NOW - timedelta(days=policy.velocity_window_days)
    for at, no in ((since, "IN"), (since - timedelta(seconds=1), "OUT")):
        session.add(Withdrawal(member_id=MEMBER, account_no="A1", reason_code="07", subtype="rent", amount_fen=1,
                               status="paid", application_no=no, channel="kiosk", applied_at=at, property_id="P1"))
    session.flush()
    member = session.get(Member, MEMBER)
    assert member is not None
    from tests.domain.withdrawal_builders import snapshot

    app = WithdrawalApplication(WithdrawalType.RENT, snapshot(), SharedData(), date(2026, 11, 20), property_id="P1")
    found = rules.population(session, member, app, policy, NOW)
    assert [t.replace(tzinfo=UTC) if t.tzinfo is None else t for t in found.recent_applications] == [since]
    assert len(found.purchase_withdrawals["P1"]) == 2
    assert found.members_by_phone == {"13812341234": frozenset({MEMBER})}
    assert found.members_by_card == {"6230123412341234": frozenset({MEMBER})}
    member.cobranded_card = ""
    no_card = rules.population(session, member, app, policy, NOW)
    assert no_card.members_by_card == {}
    without_property = WithdrawalApplication(WithdrawalType.RENT, snapshot(), SharedData(), date(2026, 11, 20))
    assert rules.population(session, member, without_property, policy, NOW).purchase_withdrawals == {}


# ---- refusals built from a decision ----------------------------------------------------------------------------------


def test_decision_reasons_become_the_refusal_text() -> None:
    reasons = [Reason(Verdict.REJECT, "a", "甲", "A", "c"), Reason(Verdict.REJECT, "b", "乙", "B", "c"),
               Reason(Verdict.MISSING, "m", "缺", "gone", "c", material="x")]
    decision = Decision.of(reasons, Decimal(0), "03", "retirement", "v1")
    refused = rules._decision_reason(decision, "withdrawal_rejected", Verdict.REJECT)
    assert (refused.code, refused.zh, refused.en) == ("withdrawal_rejected", "不予受理：甲；乙。", "Refused: A; B.")
    missing = rules._decision_reason(decision, "missing_materials", Verdict.MISSING)
    assert (missing.zh, missing.en) == ("材料不全：缺。", "Materials missing: gone.")
    empty = Decision(Outcome.REJECTED, (), Decimal(0), "03", "retirement", "v1")
    bare = rules._decision_reason(empty, "withdrawal_rejected", Verdict.REJECT)
    assert (bare.zh, bare.en) == ("不予受理：不予受理。", "Refused: rejected.")


# ---- withdrawal_apply (FACT PLUMBING: the fetched facts arrive in ctx.evidence) ------------------------------------


def test_withdrawal_apply_pays_to_the_fen_and_needs_a_payout_card(session: Session) -> None:
    facts = Evidence(SharedData(retirement=RetirementFact(True, date(2026, 3, 1), Department.HRSS)))
    payload = tx.WithdrawalApply(WithdrawalType.RETIREMENT, None, "TQ1", "kiosk")
    applied = rules.withdrawal_apply(session, ctx("kiosk", evidence=facts), payload)
    assert applied.amount_fen == 100_000 and applied.result["status"] == "approved"
    assert applied.result["balance_after_fen"] == 0 and _account(session).balance_fen == 0
    session.get(Member, MEMBER).cobranded_card = ""  # type: ignore[union-attr]
    with pytest.raises(TransactionError) as err:
        rules.withdrawal_apply(session, ctx("kiosk", key="k2", evidence=facts), payload)
    assert err.value.code == "no_payout_card"


def test_without_fetched_facts_nothing_is_decided_and_a_clerk_reviews(session: Session) -> None:
    payload = tx.WithdrawalApply(WithdrawalType.RETIREMENT, None, "TQ1", "kiosk")
    applied = rules.withdrawal_apply(session, ctx("kiosk"), payload)  # the exchange was not asked
    assert (applied.result["status"], applied.amount_fen, applied.result["case_id"]) == ("review", 0, "WD-L-k1")
    assert applied.result["reasons"][-1]["rule"] == "exchange.unavailable"
    assert _account(session).balance_fen == 100_000
    assert session.scalars(select(Withdrawal)).one().status == "pending"
