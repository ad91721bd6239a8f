"""Loan service cases through the generic case path (issue 11): early repayment (提前还款) and 冲还贷 signing.

    POST /v1/loan-cases/early-repayment/quote   {loan_id, amount_fen|null, option}   -> the quote
    POST /v1/loan-cases/early-repayment         {..., idempotency_key}                -> a case with its quote
    POST /v1/loan-cases/offset                  {loan_id, mode, idempotency_key}      -> a case, agreement signed

The quote is the ledger's, on the loan it holds (domain.early_repayment); the application opens a case
(`cases`, business code loan_repayment / loan_settle_early) that a clerk completes on the work list like
any other. 冲还贷 is signed by the ledger's own rule (ledger.rules.loan_offset_sign) and recorded as a case.
A kiosk acts for its session's member, a counter for its signed-in clerk.
"""

# No `from __future__ import annotations`: FastAPI reads the route signatures.

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain import transactions as tx
from domain.calculator import InvalidLoanInput, RepaymentMethod
from domain.early_repayment import AfterPrepayment, RunningLoan, load_early_repayment_policy, quote_early_repayment
from domain.policy import load_policy_table
from domain.transactions import TransactionError
from ledger import audit, rules
from ledger.errors import LedgerError, bad_request, not_found
from ledger.models import Case, CaseEvent, Loan, LoanPeriod
from ledger.settings import CENTRE_TZ

BASE = "/v1/loan-cases"


class QuoteIn(BaseModel):
    loan_id: str = Field(min_length=1, max_length=24)
    amount_fen: int | None = Field(None, gt=0, description="null: repay in full")
    option: str = Field("shorten_term", pattern="^(shorten_term|lower_payment)$")


class EarlyIn(QuoteIn):
    idempotency_key: str = Field(min_length=8, max_length=100)


class OffsetIn(BaseModel):
    loan_id: str = Field(min_length=1, max_length=24)
    mode: str = Field("monthly", pattern="^(monthly|yearly|one_off)$")
    idempotency_key: str = Field(min_length=8, max_length=100)


def _loan(session: Session, loan_id: str, member_id: str) -> Loan:
    loan = session.get(Loan, loan_id)
    if loan is None or loan.member_id != member_id:
        raise not_found("该职工名下没有这笔贷款。", "The member has no such loan.", code="unknown_loan")
    return loan


def _quote(session: Session, loan: Loan, body: QuoteIn, city: str) -> dict[str, Any]:
    paid = int(session.scalar(select(func.count()).select_from(LoanPeriod).where(
        LoanPeriod.loan_id == loan.loan_id, LoanPeriod.status == "paid")) or 0)
    first = session.scalar(select(LoanPeriod.due_date).where(LoanPeriod.loan_id == loan.loan_id,
                                                             LoanPeriod.period == 1))
    running = RunningLoan(Decimal(loan.principal_fen) / 100, loan.annual_rate, loan.term_months,
                          RepaymentMethod(loan.method_code), paid, first)
    try:
        q = quote_early_repayment(running, load_early_repayment_policy(load_policy_table(city)),
                                  None if body.amount_fen is None else Decimal(body.amount_fen) / 100,
                                  AfterPrepayment(body.option))
    except InvalidLoanInput as exc:
        zh, _, en = str(exc).partition(" / ")
        raise bad_request(zh, en or zh, code="bad_amount") from None
    return {"loan_id": loan.loan_id, "full": q.full, "option": q.option.value if q.option else "",
            "prepayment_fen": int(q.prepayment * 100), "penalty_fen": int(q.penalty * 100),
            "pay_now_fen": int(q.pay_now * 100), "balance_after_fen": int(q.balance_after * 100),
            "months_after": q.months_after, "payment_after_fen": int(q.payment_after * 100),
            "summary_zh": q.summary_zh, "summary_en": q.summary_en}


def _replayed_case(session: Session, key: str) -> Case | None:
    case_id = session.scalar(select(CaseEvent.case_id).where(CaseEvent.idempotency_key == key).limit(1))
    return session.get(Case, case_id) if case_id else None


def _case_json(case: Case, kind: str, loan_id: str, quote: dict[str, Any] | None, zh: str, en: str) -> dict[str, Any]:
    return {"case_id": case.case_id, "kind": kind, "status": case.status, "loan_id": loan_id, "quote": quote,
            "zh": zh, "en": en}


def router() -> APIRouter:
    from ledger.app import ERRORS, Caller
    from ledger.loan_routes import SessionToken, StaffToken, Who, _city, _member_who, _staff_who

    r = APIRouter(tags=["loan cases"])

    def who_of(request: Request, caller: Any, staff_token: str | None, session_token: str | None,
               member_id: str | None = None) -> Who:
        if caller.role == "counter":
            return _staff_who(request, caller, staff_token, "intake")  # a clerk takes member cases in
        return _member_who(request, caller, session_token)

    def member_of(session: Session, who: Who, loan_id: str) -> str:
        if who.kind == "member":
            return who.member_id
        loan = session.get(Loan, loan_id)
        if loan is None:
            raise not_found("没有这笔贷款。", "There is no such loan.", code="unknown_loan")
        return loan.member_id

    @r.post(BASE + "/early-repayment/quote", responses=ERRORS)
    def quote(body: QuoteIn, caller: Caller, request: Request, staff_token: StaffToken = None,
              session_token: SessionToken = None) -> dict[str, Any]:
        """提前还款试算 on the loan the ledger holds."""
        who = who_of(request, caller, staff_token, session_token)
        with request.app.state.sessions() as session:
            loan = _loan(session, body.loan_id, member_of(session, who, body.loan_id))
            return _quote(session, loan, body, _city(request))

    @r.post(BASE + "/early-repayment", responses=ERRORS)
    def early(body: EarlyIn, caller: Caller, request: Request, staff_token: StaffToken = None,
              session_token: SessionToken = None) -> dict[str, Any]:
        """Apply for an early repayment: a case with the ledger's quote, for a clerk to complete."""
        who = who_of(request, caller, staff_token, session_token)
        with request.app.state.sessions.begin() as session:
            replay = _replayed_case(session, body.idempotency_key)
            loan = _loan(session, body.loan_id, member_of(session, who, body.loan_id))
            q = _quote(session, loan, body, _city(request))
            if replay is not None:
                return _case_json(replay, "early_repayment", loan.loan_id, q, "已受理", "received")
            now = datetime.now(UTC)
            code = "loan_settle_early" if q["full"] else "loan_repayment"
            case_id = f"HK{now.astimezone(CENTRE_TZ):%Y%m%d}{body.idempotency_key[:12].upper()}"
            case = rules.open_case(session, case_id, code, loan.member_id, "kiosk" if who.kind == "member" else
                                   "counter", now, summary=q["summary_zh"][:500], key=body.idempotency_key,
                                   submit_as=loan.member_id)
            session.add(CaseEvent(case_id=case_id, action="comment", actor=who.name, at=now,
                                  data={"quote": q, "loan_id": loan.loan_id}))
            if who.kind == "staff":
                audit.append(session, audit.current_key(), action="loan.early_repayment", staff_id=who.name,
                             role=who.actor.value, terminal_id=who.terminal_id, obj=case_id)
            return _case_json(case, "early_repayment", loan.loan_id, q, "提前还款申请已受理，请按试算金额还款。",
                              "The early repayment is received; pay the quoted amount.")

    @r.post(BASE + "/offset", responses=ERRORS)
    def offset(body: OffsetIn, caller: Caller, request: Request, staff_token: StaffToken = None,
               session_token: SessionToken = None) -> dict[str, Any]:
        """冲还贷签约 as a case: the ledger's rule checks the loan and the account, then signs the agreement."""
        who = who_of(request, caller, staff_token, session_token)
        with request.app.state.sessions.begin() as session:
            replay = _replayed_case(session, body.idempotency_key)
            member_id = member_of(session, who, body.loan_id)
            if replay is not None:
                return _case_json(replay, "offset_sign", body.loan_id, None, "已签约", "signed")
            now = datetime.now(UTC)
            channel = "kiosk" if who.kind == "member" else "counter"
            ctx = rules.ItemContext(body.idempotency_key, who.terminal_id, caller.role, member_id, now, now)
            try:
                rules.loan_offset_sign(session, ctx, tx.LoanOffsetSign(body.loan_id, body.mode, channel))
            except TransactionError as exc:
                raise LedgerError(409, exc.code, exc.zh, exc.en) from None
            case_id = f"CH{now.astimezone(CENTRE_TZ):%Y%m%d}{body.idempotency_key[:12].upper()}"
            case = rules.open_case(session, case_id, "withdraw_repay_hpf_loan", member_id, channel, now,
                                   summary=f"冲还贷签约 {body.mode}", key=body.idempotency_key, submit_as=member_id)
            return _case_json(case, "offset_sign", body.loan_id, None, "冲还贷签约成功。",
                              "The loan offset (冲还贷) is signed.")

    return r
