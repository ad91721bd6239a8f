"""The loan-application API (issue 11, docs/loans.md): /v1/loan-applications and /v1/loan-cases.

`install(app)` is the one line ledger.app calls. The centre trusts no terminal: the price, the
buyers, the seller's account, the credit reports, the property and the mortgage registration are
fetched by the ledger through the exchange (ledger.exchange.loans); the limits are domain's; a
terminal only says who applies, for how much and for how long, and which documents the clerk saw.

Authentication: every request is signed by the terminal (ledger.auth). A kiosk acts for the member of
its session (X-HPF-Member-Session); a counter for its signed-in staff member (X-HPF-Staff-Session),
whose role is checked by ledger.staff_rules.loan_actor. Every write carries an `idempotency_key`: the
same key from the same terminal returns the application as it is, and never acts twice. Staff
actions land in the audit chain (ledger.audit), refusals of a role included.
"""

# No `from __future__ import annotations`: FastAPI reads the route signatures.

import hashlib
import json
import secrets
import uuid
from datetime import UTC, date, datetime, time
from decimal import Decimal
from functools import cache
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Header, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from domain import loan_application as la
from domain.calculator import RepaymentMethod, due_date, repayment_schedule
from domain.exchange_contract import Authorisation, Status, Topic
from domain.identity import InvalidIdNumber, parse_id_number
from domain.loan_limits import Borrower, load_loan_limit_policy
from domain.masking import mask_bank_card, mask_id_number, mask_name
from domain.policy import load_policy_table
from domain.precheck import borrower_from_snapshot
from domain.rates import load_rate_table
from domain.workdays import WorkCalendar, calendar_from_policy
from ledger import audit, staff, staff_rules
from ledger import sessions as member_sessions
from ledger.errors import LedgerError, bad_request, not_found
from ledger.exchange.client import ExchangeUnavailableError
from ledger.exchange.loans import ask, credit_authorisation, exchange_down
from ledger.exchange.source import LookupContext
from ledger.models import Loan, LoanPeriod, Member
from ledger.models_loans import LoanApplicationEvent, LoanApplicationRow
from ledger.settings import CENTRE_TZ
from ledger.snapshot import build_snapshot
from protocol.sessions import SESSION_HEADER
from protocol.staff import STAFF_SESSION_HEADER

BASE = "/v1/loan-applications"
OPEN_STATES = tuple(s.value for s in la.LoanState if not s.final)


# ---- request bodies ----

class Write(BaseModel):
    idempotency_key: str = Field(min_length=8, max_length=100, description="unique per terminal and write")


class CreateIn(Write):
    member_id: str = Field("", description="counters: the member (a kiosk applies for its session's member)")
    amount_fen: int = Field(gt=0, le=10**11)
    term_months: int = Field(ge=12, le=360)
    method: str = Field("10", pattern="^(10|20)$", description="10 等额本息 | 20 等额本金")
    purchase_contract_no: str = Field(min_length=1, max_length=64, description="网签合同编号")
    property_certificate_no: str = Field("", max_length=100)
    property_address: str = Field("", max_length=200)
    bank_part_fen: int = Field(0, ge=0, le=10**11, description="组合贷: the commercial bank's part")
    bank_name: str = Field("", max_length=60)
    spouse_id_number: str = Field("", max_length=18)
    precheck_ref: str = Field("", max_length=64)


class CreditAuthIn(BaseModel):
    method: str = Field("counter_form", max_length=20)
    reference: str = Field("", max_length=100, description="document-camera reference of the signed form")
    signature: str = Field("", max_length=200, description="signature capture reference or digest")


class IntakeIn(Write):
    checklist: dict[str, str] = Field(default_factory=dict, description="material code -> evidence reference")
    credit_authorisation: CreditAuthIn
    note: str = Field("", max_length=500)


class SpouseIn(Write):
    id_number: str = Field(max_length=18)
    id_evidence_ref: str = Field(min_length=1, max_length=100)
    consent: bool
    credit_authorisation: CreditAuthIn


class DecisionIn(Write):
    approve: bool
    amount_fen: int | None = Field(None, gt=0)
    reasons: list[str] = Field(default_factory=list)


class ContractIn(Write):
    party: str = Field(pattern="^(borrower|spouse)$")
    signature_ref: str = Field(min_length=1, max_length=100)


class DisburseIn(Write):
    # A terminal names no payee: anything it sends here is compared with the contract's record and refused
    # when it differs (a forged payee), never used.
    payee_account: str = Field("", max_length=40)
    payee_name: str = Field("", max_length=100)


# ---- policy, cached per city ----

@cache
def _policy(city: str) -> tuple[Any, Any, Any, WorkCalendar, la.LoanPolicy]:
    raw = load_policy_table(city)
    return load_loan_limit_policy(raw), load_rate_table(raw), raw, calendar_from_policy(raw), la.load_loan_policy(city)


def _city(request: Request) -> str:
    return str(request.app.state.settings.policy_city)


# ---- who is asking ----

class Who:
    def __init__(self, terminal_id: str, kind: str, actor: la.Actor, name: str, member_id: str = "",
                 roles: str = "") -> None:
        self.terminal_id, self.kind, self.actor, self.name = terminal_id, kind, actor, name
        self.member_id, self.roles = member_id, roles


def _staff_who(request: Request, caller: Any, token: str | None, action: str, obj: str = "") -> Who:
    if caller.role != "counter":
        raise LedgerError(403, "counter_only", "该操作只能由柜面工作人员办理。",
                          "Only staff at a counter terminal may take this action.")
    db = request.app.state.sessions
    denied: LedgerError | None = None
    with db.begin() as session:
        account = staff.session_account(session, token or "", caller.terminal_id)
        try:
            actor = staff_rules.loan_actor(account, action)
        except LedgerError as exc:
            audit.append(session, audit.current_key(), action=f"loan.{action}", staff_id=account.username,
                         role=",".join(sorted(account.roles)), terminal_id=caller.terminal_id, obj=obj[:100],
                         outcome="denied", details={"reason": exc.code})
            denied = exc
    if denied is not None:
        raise denied
    return Who(caller.terminal_id, "staff", actor, account.username, roles=",".join(sorted(account.roles)))


def _member_who(request: Request, caller: Any, token: str | None) -> Who:
    db = request.app.state.sessions
    current = member_sessions.resolve(db, token, caller.terminal_id)
    member_sessions.record_read(db, caller.terminal_id, "loan_application", current.member_id,
                                request.app.state.settings)
    return Who(caller.terminal_id, "member", la.Actor.MEMBER, current.member_id, member_id=current.member_id)


def _reader(request: Request, caller: Any, staff_token: str | None, session_token: str | None) -> Who:
    if caller.role == "counter" and staff_token:
        db = request.app.state.sessions
        with db() as session:
            account = staff.require_role(staff.session_account(session, staff_token, caller.terminal_id),
                                         "clerk", "supervisor")
        return Who(caller.terminal_id, "staff", la.Actor.CLERK, account.username)
    if caller.role == "counter":
        raise LedgerError(401, "staff_session", "请先登录工作人员账号。", "Sign a staff member in first.")
    return _member_who(request, caller, session_token)


# ---- helpers ----

def _hash(body: BaseModel) -> str:
    data = body.model_dump()
    data.pop("idempotency_key", None)
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def _replayed(session: Session, terminal_id: str, body: Write) -> str | None:
    """The application a repeated write already acted on (None: a new write); 409 when the key was used
    for a different request."""
    event = session.scalars(select(LoanApplicationEvent).where(
        LoanApplicationEvent.terminal_id == terminal_id,
        LoanApplicationEvent.idempotency_key == body.idempotency_key)).first()
    if event is None:
        return None
    if event.request_sha256 != _hash(body):
        raise LedgerError(409, "idempotency_conflict", "该幂等键已用于另一笔不同的请求。",
                          "This idempotency key was already used for a different request.")
    return event.application_id


def _load(session: Session, application_id: str, *, lock: bool = False) -> LoanApplicationRow:
    row = session.get(LoanApplicationRow, application_id, with_for_update=lock)
    if row is None:
        raise not_found("没有该贷款申请。", "There is no such loan application.", code="unknown_application")
    return row


def _event(session: Session, row: LoanApplicationRow, who: Who, action: str, from_state: str,
           body: Write | None, note: str = "", *, role: str | None = None) -> None:
    session.add(LoanApplicationEvent(
        application_id=row.application_id, action=action, actor=who.name if role != "system" else "system",
        role=role or who.actor.value, from_state=from_state, to_state=row.state, note=note[:500],
        terminal_id=who.terminal_id, idempotency_key=body.idempotency_key if body is not None else None,
        request_sha256=_hash(body) if body is not None else "", at=datetime.now(UTC)))
    row.updated_at = datetime.now(UTC)
    if who.kind == "staff" and role != "system":
        audit.append(session, audit.current_key(), action=f"loan.{action}", staff_id=who.name, role=who.actor.value,
                     terminal_id=who.terminal_id, obj=row.application_id,
                     details={"from": from_state, "to": row.state, "note": note[:200]})


def _advance(row: LoanApplicationRow, action: str, actor: la.Actor) -> str:
    """Move the row by the domain's table; the old state is returned. 409 with the domain's words otherwise."""
    before = row.state
    try:
        row.state = la.check_action(la.LoanState(row.state), action, actor).value
    except la.LoanActionError as exc:
        raise LedgerError(409 if exc.code == "loan_state" else 403, exc.code, exc.zh, exc.en) from None
    return before


def _data(row: LoanApplicationRow) -> dict[str, Any]:
    return dict(row.data or {})


def _set(row: LoanApplicationRow, **values: Any) -> None:
    data = _data(row)
    data.update(values)
    row.data = data  # a new dict: SQLAlchemy sees the change


def _ctx(row: LoanApplicationRow, id_number: str, who: Who, purpose: str, auth: Authorisation | None) -> LookupContext:
    return LookupContext(row.member_id, id_number, purpose, row.application_id, who.name,
                         "staff" if who.kind == "staff" else "terminal", auth)


def _application_auth(row: LoanApplicationRow, who: Who) -> Authorisation:
    """The member's consent to the non-credit look-ups, given by applying (kiosk session or counter form)."""
    return Authorisation("session" if who.kind == "member" else "counter_form",
                         row.created_at.isoformat(timespec="seconds"), row.application_id)


def _clock(row: LoanApplicationRow, city: str, now: datetime | None = None) -> la.LoanClock:
    policy = _policy(city)
    pauses = []
    if row.registration_requested_at is not None:
        pauses.append(la.Pause(row.registration_requested_at, row.registration_completed_at))
    return la.loan_clock(row.review_started_at, pauses, row.disbursed_at, now or datetime.now(UTC), policy[3],
                         CENTRE_TZ, limit_days=policy[4].limit_workdays, warn_on_days=policy[4].warn_on_days)


def _view(session: Session, row: LoanApplicationRow, city: str, *, for_member: bool = False) -> dict[str, Any]:
    data = _data(row)
    member = session.get(Member, row.member_id)
    name = member.name if member else ""
    spouse = data.get("spouse")
    if spouse is not None:
        spouse = {k: v for k, v in spouse.items() if k not in ("id_number", "credit_authorisation")}
    contract = data.get("contract") or {}
    events = session.scalars(select(LoanApplicationEvent).where(
        LoanApplicationEvent.application_id == row.application_id).order_by(LoanApplicationEvent.id)).all()
    return {
        "application_id": row.application_id, "member_id": row.member_id,
        "member_name": mask_name(name) if for_member else name, "state": row.state, "state_zh": la.LoanState(
            row.state).zh, "channel": row.channel, "amount_fen": row.amount_fen, "term_months": row.term_months,
        "method": row.method_code, "bank_part_fen": row.bank_part_fen, "bank_name": row.bank_name,
        "purchase_contract_no": row.purchase_contract_no, "property_certificate_no": row.property_certificate_no,
        "property_address": row.property_address, "created_at": row.created_at.isoformat(),
        "notice": data.get("notice", {}), "checklist": data.get("checklist", {}),
        "clock": _clock(row, city).to_json(), "spouse": spouse, "review": data.get("review"),
        "decision": data.get("decision"), "contract_no": contract.get("contract_no", ""),
        "borrower_signed": bool(contract.get("borrower_signed_at")), "registration": data.get("registration"),
        "disbursement": data.get("disbursement"),
        "allowed_actions": list(la.allowed_actions(la.LoanState(row.state))),
        "events": [{"action": e.action, "actor": e.actor, "role": e.role, "from_state": e.from_state,
                    "to_state": e.to_state, "at": e.at.isoformat(), "note": e.note} for e in events],
    }


def _answer(request: Request, application_id: str, *, for_member: bool = False) -> dict[str, Any]:
    with request.app.state.sessions() as session:
        return _view(session, _load(session, application_id), _city(request), for_member=for_member)


def _loan_id(now: datetime) -> str:
    return f"GJ{now.astimezone(CENTRE_TZ):%Y%m%d}{secrets.randbelow(10**8):08d}"  # 18 characters


def _borrower(session: Session, member_id: str, spouse_member_id: str | None, now: datetime) -> Borrower:
    own = borrower_from_snapshot(build_snapshot(session, member_id, now=now))
    if not spouse_member_id:
        return own
    other = borrower_from_snapshot(build_snapshot(session, spouse_member_id, now=now))
    return Borrower(own.birth_date, own.sex, own.account_balance + other.account_balance,
                    own.monthly_income + other.monthly_income, own.consecutive_deposit_months,
                    own.total_deposit_months, True, own.previous_hpf_loans, own.open_hpf_loan or other.open_hpf_loan,
                    own.account_normal)


StaffToken = Annotated[str | None, Header(alias=STAFF_SESSION_HEADER, description="the staff session token")]
SessionToken = Annotated[str | None, Header(alias=SESSION_HEADER, description="the member session token (kiosk)")]


def _router() -> APIRouter:  # noqa: C901 - one flat list of endpoints
    from ledger.app import ERRORS, Caller

    router = APIRouter(tags=["loan applications"])

    @router.post(BASE, responses=ERRORS)
    async def create(body: CreateIn, caller: Caller, request: Request, staff_token: StaffToken = None,
                     session_token: SessionToken = None) -> dict[str, Any]:
        """Start an application: a kiosk for its session's member, a counter's clerk for a member. The answer
        carries the one-time notice; the ledger fetches the marriage record and the purchase contract."""
        return await run_in_threadpool(_create, body, caller, request, staff_token, session_token)

    @router.get(BASE, responses=ERRORS)
    def work_list(caller: Caller, request: Request, staff_token: StaffToken = None, state: str | None = None,
                  warnings: bool = False) -> dict[str, Any]:
        """The clerk's work list: open applications with the clock (warning at working day 3 and 4, late after 5)."""
        if caller.role != "counter":
            raise LedgerError(403, "counter_only", "工作清单仅限柜面。", "The work list is for counters only.")
        _reader(request, caller, staff_token, None)
        states = state.split(",") if state else list(OPEN_STATES)
        city = _city(request)
        with request.app.state.sessions() as session:
            rows = session.scalars(select(LoanApplicationRow).where(LoanApplicationRow.state.in_(states))
                                   .order_by(LoanApplicationRow.created_at).limit(500)).all()
            out = []
            for row in rows:
                clock = _clock(row, city)
                if warnings and not (clock.warning or clock.late):
                    continue
                member = session.get(Member, row.member_id)
                out.append({"application_id": row.application_id, "member_id": row.member_id,
                            "member_name": member.name if member else "", "state": row.state,
                            "state_zh": la.LoanState(row.state).zh,
                            "amount_fen": row.amount_fen, "clock": clock.to_json(),
                            "updated_at": row.updated_at.isoformat()})
        out.sort(key=lambda a: (not a["clock"]["late"], not a["clock"]["warning"], -a["clock"]["day"]))
        return {"applications": out}

    @router.get(BASE + "/mine", responses=ERRORS)
    def mine(caller: Caller, request: Request, session_token: SessionToken = None) -> dict[str, Any]:
        """The session member's own applications (kiosk)."""
        who = _member_who(request, caller, session_token)
        with request.app.state.sessions() as session:
            rows = session.scalars(select(LoanApplicationRow).where(LoanApplicationRow.member_id == who.member_id)
                                   .order_by(LoanApplicationRow.created_at.desc()).limit(20)).all()
            return {"applications": [_view(session, r, _city(request), for_member=True) for r in rows]}

    @router.get(BASE + "/{application_id}", responses=ERRORS)
    def detail(application_id: str, caller: Caller, request: Request, staff_token: StaffToken = None,
               session_token: SessionToken = None) -> dict[str, Any]:
        """One application with its notice, review, decision, clock and history."""
        who = _reader(request, caller, staff_token, session_token)
        with request.app.state.sessions() as session:
            row = _load(session, application_id)
            if who.kind == "member" and row.member_id != who.member_id:
                raise LedgerError(403, "session_other_member", "该申请不属于本会话的缴存职工。",
                                  "This application belongs to another member.")
            return _view(session, row, _city(request), for_member=who.kind == "member")

    @router.post(BASE + "/{application_id}/intake", responses=ERRORS)
    def intake(application_id: str, body: IntakeIn, caller: Caller, request: Request,
               staff_token: StaffToken = None) -> dict[str, Any]:
        """Counter intake (受理): the checklist with the document camera's references and the borrower's signed
        credit-report authorisation. Refused while a material of the notice has no evidence."""
        who = _staff_who(request, caller, staff_token, "intake", application_id)
        auth = body.credit_authorisation
        if not auth.reference.strip() or not auth.signature.strip():
            raise bad_request("征信查询授权须有本人签字及其扫描件。",
                              "The credit-report authorisation needs the signature and the scan of the signed form.",
                              code="credit_authorisation_required")
        with request.app.state.sessions.begin() as session:
            if _replayed(session, caller.terminal_id, body):
                return _view(session, _load(session, application_id), _city(request))
            row = _load(session, application_id, lock=True)
            notice = la.LoanNotice(
                "", "", tuple(la.NoticeLine(m["material"], m["name"], m["name_en"], "", "")
                              for m in _data(row).get("notice", {}).get("missing", [])), (), 0)
            checklist = {**body.checklist, "credit_authorisation": auth.reference}
            missing = la.missing_at_intake(notice, checklist)
            if missing:
                names = "、".join(m.name for m in missing)
                raise LedgerError(409, "materials_missing", f"以下材料尚未核验：{names}。",
                                  "Not yet checked: " + ", ".join(m.name_en for m in missing) + ".")
            before = _advance(row, "intake", who.actor)
            row.intake_by = who.name
            _set(row, checklist=checklist, credit_authorisation={
                "method": auth.method, "reference": auth.reference, "signature": auth.signature,
                "granted_at": datetime.now(UTC).isoformat(timespec="seconds")})
            _event(session, row, who, "intake", before, body, body.note)
            return _view(session, row, _city(request))

    @router.post(BASE + "/{application_id}/spouse", responses=ERRORS)
    def spouse(application_id: str, body: SpouseIn, caller: Caller, request: Request,
               staff_token: StaffToken = None) -> dict[str, Any]:
        """The spouse (co-borrower): identity from their ID card, consent, signed credit authorisation."""
        who = _staff_who(request, caller, staff_token, "spouse", application_id)
        try:
            spouse_id = parse_id_number(body.id_number).number
        except InvalidIdNumber as exc:
            raise bad_request(f"配偶身份证号码无效：{exc}", f"The spouse's ID number is not valid: {exc}") from None
        auth = body.credit_authorisation
        if not body.consent:
            raise bad_request("配偶须同意作为共同借款人。", "The spouse must consent to be a co-borrower.",
                              code="spouse_consent_required")
        if not auth.reference.strip() or not auth.signature.strip():
            raise bad_request("配偶的征信查询授权须有其本人签字及其扫描件。",
                              "The spouse's credit-report authorisation needs their signature and the scan.",
                              code="credit_authorisation_required")
        with request.app.state.sessions.begin() as session:
            if _replayed(session, caller.terminal_id, body):
                return _view(session, _load(session, application_id), _city(request))
            row = _load(session, application_id, lock=True)
            data = _data(row)
            current = data.get("spouse")
            if not current or not current.get("required"):
                raise LedgerError(409, "spouse_not_required", "民政婚姻登记显示申请人未婚，无需配偶作为共同借款人。",
                                  "The marriage registry shows the applicant unmarried: no spouse co-borrower.")
            recorded = str(current.get("id_number", ""))
            if recorded and recorded != spouse_id:
                raise LedgerError(409, "spouse_mismatch", "该身份证与婚姻登记记录中的配偶不符。",
                                  "This ID card is not the spouse on the marriage record.")
            before = _advance(row, "spouse", who.actor)
            spouse_member = session.scalars(select(Member.member_id).where(Member.id_number == spouse_id)).first()
            _set(row, spouse={**current, "id_number": spouse_id, "id_number_masked": mask_id_number(spouse_id),
                              "member_id": spouse_member or "", "identity_verified": True,
                              "id_evidence_ref": body.id_evidence_ref, "consented": True, "credit_authorised": True,
                              "credit_authorisation": {"method": auth.method, "reference": auth.reference,
                                                       "signature": auth.signature,
                                                       "granted_at": datetime.now(UTC).isoformat(timespec="seconds")}})
            row.spouse_id_number = spouse_id
            _event(session, row, who, "spouse", before, body, "配偶核验、同意并授权征信查询")
            return _view(session, row, _city(request))

    @router.post(BASE + "/{application_id}/review", responses=ERRORS)
    async def review(application_id: str, body: Write, caller: Caller, request: Request,
                     staff_token: StaffToken = None) -> dict[str, Any]:
        """Start the approval clock and review on the facts the ledger fetches (征信, 网签合同, 不动产, 房产套数)."""
        return await run_in_threadpool(_review, application_id, body, caller, request, staff_token)

    @router.post(BASE + "/{application_id}/decision", responses=ERRORS)
    def decision(application_id: str, body: DecisionIn, caller: Caller, request: Request,
                 staff_token: StaffToken = None) -> dict[str, Any]:
        """A supervisor approves (the reviewed limit at most) or refuses with reasons (the review's added)."""
        who = _staff_who(request, caller, staff_token, "approve" if body.approve else "refuse", application_id)
        with request.app.state.sessions.begin() as session:
            if _replayed(session, caller.terminal_id, body):
                return _view(session, _load(session, application_id), _city(request))
            row = _load(session, application_id, lock=True)
            try:
                la.check_separation(row.intake_by, who.name)
            except la.LoanActionError as exc:
                raise LedgerError(403, exc.code, exc.zh, exc.en) from None
            data = _data(row)
            result = data.get("review") or {}
            now = datetime.now(UTC)
            if body.approve:
                try:
                    amount = la.approved_amount(result, row.amount_fen, body.amount_fen)
                except la.LoanActionError as exc:
                    raise LedgerError(409, exc.code, exc.zh, exc.en) from None
                before = _advance(row, "approve", who.actor)
                _set(row, decision={"outcome": "approved", "by": who.name, "at": now.isoformat(),
                                    "amount_fen": amount, "reasons": []})
                _event(session, row, who, "approve", before, body, f"批准 {amount / 100:.2f} 元")
            else:
                try:
                    given = la.refusal_reasons(result, body.reasons)
                except la.LoanActionError as exc:
                    raise bad_request(exc.zh, exc.en, code=exc.code) from None
                before = _advance(row, "refuse", who.actor)
                _set(row, decision={"outcome": "refused", "by": who.name, "at": now.isoformat(), "amount_fen": 0,
                                    "reasons": [r.to_json() for r in given]})
                _event(session, row, who, "refuse", before, body, "；".join(r.zh for r in given))
            return _view(session, row, _city(request))

    @router.post(BASE + "/{application_id}/contract", responses=ERRORS)
    def contract(application_id: str, body: ContractIn, caller: Caller, request: Request,
                 staff_token: StaffToken = None) -> dict[str, Any]:
        """The borrower's or the spouse's signature on the loan contract; signed once every party has."""
        who = _staff_who(request, caller, staff_token, "sign", application_id)
        with request.app.state.sessions.begin() as session:
            if _replayed(session, caller.terminal_id, body):
                return _view(session, _load(session, application_id), _city(request))
            row = _load(session, application_id, lock=True)
            data = _data(row)
            before = _advance(row, "sign", who.actor)
            spouse_info = data.get("spouse") or {}
            needs_spouse = bool(spouse_info.get("required"))
            if body.party == "spouse" and not needs_spouse:
                raise LedgerError(409, "spouse_not_required", "本申请没有共同借款人。", "This loan has no co-borrower.")
            if body.party == "spouse" and not spouse_info.get("consented"):
                raise LedgerError(409, "spouse_incomplete", "配偶尚未核验身份并同意。",
                                  "The spouse has not been identified and consented yet.")
            now = datetime.now(UTC)
            signed = dict(data.get("contract") or {})
            signed.setdefault("contract_no", f"HT{application_id[-12:]}")
            signed[f"{body.party}_signed_at"] = now.isoformat()
            signed[f"{body.party}_signature_ref"] = body.signature_ref
            if body.party == "spouse":
                _set(row, spouse={**spouse_info, "signed": True})
            _set(row, contract=signed)
            note = "借款人签署借款合同" if body.party == "borrower" else "配偶（共同借款人）签署借款合同"
            _event(session, row, who, "sign", before, body, note)
            if signed.get("borrower_signed_at") and (not needs_spouse or signed.get("spouse_signed_at")):
                before = _advance(row, "contract_complete", who.actor)
                _event(session, row, who, "contract_complete", before, None, f"合同 {signed['contract_no']} 签订")
            return _view(session, row, _city(request))

    @router.post(BASE + "/{application_id}/registration", responses=ERRORS)
    async def registration(application_id: str, body: Write, caller: Caller, request: Request,
                           staff_token: StaffToken = None) -> dict[str, Any]:
        """不动产抵押登记 through the exchange (a write; its receipt is kept). The clock pauses until it completes."""
        return await run_in_threadpool(_registration, application_id, body, caller, request, staff_token)

    @router.post(BASE + "/{application_id}/registration/poll", responses=ERRORS)
    async def registration_poll(application_id: str, body: Write, caller: Caller, request: Request,
                                staff_token: StaffToken = None) -> dict[str, Any]:
        """Ask the registry whether the mortgage is registered; when it is, the clock runs again."""
        return await run_in_threadpool(_poll, application_id, body, caller, request, staff_token)

    @router.post(BASE + "/{application_id}/disbursement", responses=ERRORS)
    def disbursement(application_id: str, body: DisburseIn, caller: Caller, request: Request,
                     staff_token: StaffToken = None) -> dict[str, Any]:
        """Pay the approved amount to the seller's account of the purchase contract's record: one ledger
        transaction creates the loan and its repayment schedule (domain.calculator, to the fen)."""
        who = _staff_who(request, caller, staff_token, "disburse", application_id)
        with request.app.state.sessions.begin() as session:
            if _replayed(session, caller.terminal_id, body):
                return _view(session, _load(session, application_id), _city(request))
            row = _load(session, application_id, lock=True)
            data = _data(row)
            facts = (data.get("facts") or {}).get("contract") or {}
            if body.payee_account and body.payee_account != facts.get("seller_account"):
                audit.append(session, audit.current_key(), action="loan.disburse", staff_id=who.name,
                             role=who.actor.value, terminal_id=who.terminal_id, obj=row.application_id,
                             outcome="denied", details={"reason": "payee_mismatch"})
                refused = LedgerError(409, "payee_mismatch", "收款账户与网签合同备案的售房人账户不符，已拒绝放款。",
                                      "The payee is not the seller's account of the registered purchase contract; "
                                      "nothing was paid.")
            else:
                refused = None
            if refused is None:
                before = _advance(row, "disburse", who.actor)
                now = datetime.now(UTC)
                amount = int((data.get("decision") or {}).get("amount_fen", 0))
                rate = Decimal(str((data.get("review") or {}).get("rate_percent", "0")))
                method = RepaymentMethod(row.method_code)
                today = now.astimezone(CENTRE_TZ).date()
                first = la.first_due_date(today, _policy(_city(request))[4].max_repayment_day)
                rows = repayment_schedule(Decimal(amount) / 100, rate, row.term_months, method)
                loan_id = _loan_id(now)
                session.add(Loan(loan_id=loan_id, member_id=row.member_id, principal_fen=amount, balance_fen=amount,
                                 annual_rate=rate, term_months=row.term_months, method_code=method.value,
                                 start_date=today, repayment_day=first.day, status="normal", offset_mode=""))
                session.flush()
                for inst in rows:
                    session.add(LoanPeriod(loan_id=loan_id, period=inst.period, due_date=due_date(first, inst.period),
                                           principal_fen=int(inst.principal * 100),
                                           interest_fen=int(inst.interest * 100), paid_fen=0,
                                           status="due" if inst.period == 1 else "future"))
                row.loan_id, row.disbursed_at = loan_id, now
                _set(row, disbursement={
                    "loan_id": loan_id, "amount_fen": amount, "payee_name": facts.get("seller_name", ""),
                    "payee_bank": facts.get("seller_bank", ""),
                    "payee_account_masked": mask_bank_card(str(facts.get("seller_account", ""))),
                    "disbursed_at": now.isoformat(), "first_due_on": first.isoformat()})
                _event(session, row, who, "disburse", before, body,
                       f"放款 {amount / 100:.2f} 元至售房人账户 {mask_bank_card(str(facts.get('seller_account', '')))}")
                return _view(session, row, _city(request))
        assert refused is not None
        raise refused

    return router


# ---- the writes that ask the exchange (run in a thread: no row is locked while it answers) ----

def _create(body: CreateIn, caller: Any, request: Request, staff_token: str | None,
            session_token: str | None) -> dict[str, Any]:
    if caller.role == "counter":
        who = _staff_who(request, caller, staff_token, "submit")
        member_id = body.member_id
    else:
        who = _member_who(request, caller, session_token)
        member_id = who.member_id  # a kiosk applies for its session's member, whatever the body says
    try:
        la.LoanRequest(body.amount_fen, body.term_months, RepaymentMethod(body.method), body.bank_part_fen)
    except la.LoanActionError as exc:
        raise bad_request(exc.zh, exc.en, code=exc.code) from None
    if body.bank_part_fen and not body.bank_name.strip():
        raise bad_request("组合贷款须写明承办商业贷款的银行。",
                          "A combined loan names the bank of its commercial part.")
    db: sessionmaker[Session] = request.app.state.sessions
    with db() as session:
        replay = _replayed(session, caller.terminal_id, body)
        if replay:
            return _view(session, _load(session, replay), _city(request), for_member=who.kind == "member")
        member = session.get(Member, member_id) if member_id else None
        if member is None:
            raise not_found("账务中心没有该缴存职工。", "The ledger has no such member.", code="unknown_member")
        id_number = member.id_number
    now = datetime.now(UTC)
    application_id = f"DK{now.astimezone(CENTRE_TZ):%Y%m%d}{uuid.uuid4().hex[:10].upper()}"
    row = LoanApplicationRow(
        application_id=application_id, member_id=member_id, state=la.LoanState.DRAFT.value,
        channel="counter" if who.kind == "staff" else "kiosk", terminal_id=caller.terminal_id, intake_by="",
        amount_fen=body.amount_fen, term_months=body.term_months, method_code=body.method,
        bank_part_fen=body.bank_part_fen, bank_name=body.bank_name.strip(),
        purchase_contract_no=body.purchase_contract_no.strip(),
        property_certificate_no=body.property_certificate_no.strip(), property_address=body.property_address.strip(),
        spouse_id_number="", data={}, created_at=now, updated_at=now)
    evidence = request.app.state.evidence
    auth = _application_auth(row, who)
    answered: set[str] = set()
    married, spouse_id, contract_facts = False, body.spouse_id_number.strip().upper(), None
    try:
        marriage = ask(evidence, _ctx(row, id_number, who, "loan.application", auth), Topic.MARRIAGE)
        answered.add(Topic.MARRIAGE)
        married = marriage.status is Status.OK and bool(marriage.facts.get("married"))
        spouse_id = str(marriage.facts.get("spouse_id_number") or "") or spouse_id if married else ""
    except ExchangeUnavailableError:
        married = bool(spouse_id)
    try:
        found = ask(evidence, _ctx(row, id_number, who, "loan.application", auth), Topic.PURCHASE_CONTRACT,
                    {"contract_no": row.purchase_contract_no})
    except ExchangeUnavailableError:
        found = None
    if found is not None:
        if found.status is not Status.OK:
            raise LedgerError(409, "purchase_contract_unknown",
                              "住建部门没有该网签合同的备案，或申请人不是其买受人。",
                              "The housing bureau has no registered purchase contract of this number with the "
                              "applicant as a buyer.")
        answered.add(Topic.PURCHASE_CONTRACT)
        contract_facts = dict(found.facts)
    policy = _policy(_city(request))[4]
    notice = la.loan_notice(policy, notice_no=f"GZ{application_id[2:]}", married=married, supplied_topics=answered,
                            down_payment_on_record=bool(contract_facts and contract_facts.get("down_payment_paid")))
    data: dict[str, Any] = {"notice": notice.to_json(), "precheck_ref": body.precheck_ref}
    if contract_facts is not None:
        data["facts"] = {"contract": contract_facts}
    if married:
        data["spouse"] = {"required": True, "id_number": spouse_id,
                          "id_number_masked": mask_id_number(spouse_id) if spouse_id else "", "name_masked": "",
                          "identity_verified": False, "consented": False, "credit_authorised": False, "signed": False}
    row.data = data
    row.spouse_id_number = spouse_id if married else ""
    with db.begin() as session:
        if _replayed(session, caller.terminal_id, body):  # a concurrent twin got there first
            replay = _replayed(session, caller.terminal_id, body)
            assert replay is not None
            return _view(session, _load(session, replay), _city(request), for_member=who.kind == "member")
        session.add(row)
        session.flush()
        _event(session, row, who, "create", "", None, "申请创建并出具一次性告知书")
        before = _advance(row, "submit", who.actor)
        _event(session, row, who, "submit", before, body, f"来自{'自助终端' if who.kind == 'member' else '柜面'}")
        return _view(session, row, _city(request), for_member=who.kind == "member")


def _review(application_id: str, body: Write, caller: Any, request: Request, staff_token: str | None) -> dict[str, Any]:
    who = _staff_who(request, caller, staff_token, "start_review", application_id)
    db: sessionmaker[Session] = request.app.state.sessions
    city = _city(request)
    with db.begin() as session:
        if _replayed(session, caller.terminal_id, body):
            return _view(session, _load(session, application_id), city)
        row = _load(session, application_id, lock=True)
        if row.state == la.LoanState.ACCEPTED.value:  # the approval clock starts here
            before = _advance(row, "start_review", who.actor)
            row.review_started_at = datetime.now(UTC)
            _event(session, row, who, "start_review", before, None, "审批开始计时")
        elif row.state != la.LoanState.UNDER_REVIEW.value:
            _advance(row, "review", la.Actor.SYSTEM)  # raises the domain's "not now"
        data = _data(row)
        member = session.get(Member, row.member_id)
        assert member is not None
        id_number, spouse = member.id_number, data.get("spouse") or {}
        snapshot_now = datetime.now(UTC)
        borrower = _borrower(session, row.member_id, spouse.get("member_id") or None, snapshot_now)
    borrower_auth = credit_authorisation(data.get("credit_authorisation"))
    if borrower_auth is None:
        from ledger.exchange.loans import CreditAuthorisationMissingError

        raise CreditAuthorisationMissingError("借款人", "the borrower")
    spouse_auth = None
    if spouse.get("required"):
        spouse_auth = credit_authorisation(spouse.get("credit_authorisation"))
        if spouse_auth is None or not spouse.get("consented"):
            raise LedgerError(409, "spouse_incomplete", "配偶（共同借款人）尚未核验身份、同意并签字授权征信查询。",
                              "The spouse (co-borrower) has not been identified, consented and signed the credit "
                              "authorisation yet.")
    evidence = request.app.state.evidence
    auth = _application_auth(row, who)
    try:
        credit = [la.CreditReport.from_facts(id_number, ask(
            evidence, _ctx(row, id_number, who, "loan.review", borrower_auth), Topic.CREDIT_REPORT).facts)]
        if spouse_auth is not None:
            sid = str(spouse["id_number"])
            credit.append(la.CreditReport.from_facts(sid, ask(
                evidence, _ctx(row, sid, who, "loan.review.spouse", spouse_auth), Topic.CREDIT_REPORT).facts))
        found = ask(evidence, _ctx(row, id_number, who, "loan.review", auth), Topic.PURCHASE_CONTRACT,
                    {"contract_no": row.purchase_contract_no})
        if found.status is not Status.OK:
            raise LedgerError(409, "purchase_contract_unknown", "住建部门没有该网签合同的备案，或申请人不是其买受人。",
                              "The housing bureau has no registered purchase contract of this number with the "
                              "applicant as a buyer.")
        contract = la.PurchaseContract.from_facts(found.facts)
        where = {"certificate_no": row.property_certificate_no or contract.certificate_no}
        if not where["certificate_no"]:
            where = {"address": row.property_address or contract.address}
        prop = ask(evidence, _ctx(row, id_number, who, "loan.review", auth), Topic.PROPERTY, where)
        owned = ask(evidence, _ctx(row, id_number, who, "loan.review", auth), Topic.PROPERTY_OWNERSHIP)
    except ExchangeUnavailableError as exc:
        raise exchange_down(exc) from None
    homes = len(owned.facts.get("property_ids", ())) if owned.status is Status.OK else 0
    limits, rates, _raw, _cal, policy = _policy(city)
    try:
        result = la.review_application(
            la.LoanRequest(row.amount_fen, row.term_months, RepaymentMethod(row.method_code), row.bank_part_fen),
            borrower, applicant_id_number=id_number, homes_owned=homes, contract=contract,
            property_facts=la.PropertyFacts.from_facts(prop.facts) if prop.status is Status.OK else None,
            credit=credit, limits=limits, rates=rates, policy=policy,
            on=datetime.now(UTC).astimezone(CENTRE_TZ).date())
    except ValueError as exc:
        raise bad_request(f"无法审查：{exc}", f"Cannot review: {exc}", code="review_failed") from None
    with db.begin() as session:
        row = _load(session, application_id, lock=True)
        if row.state != la.LoanState.UNDER_REVIEW.value:
            return _view(session, row, city)  # a concurrent review finished first
        before = _advance(row, "review", la.Actor.SYSTEM)
        review_json = {**result.to_json(), "reviewed_at": datetime.now(UTC).isoformat()}
        facts = dict(_data(row).get("facts") or {})
        facts.update({"contract": dict(found.facts), "property": dict(prop.facts) if prop.status is Status.OK else {},
                      "homes_owned": homes})
        _set(row, review=review_json, facts=facts)
        note = "审查通过" if result.eligible else "审查发现不予贷款的理由：" + "；".join(r.zh for r in result.reasons)
        _event(session, row, who, "review", before, body, note, role="system")
        return _view(session, row, city)


def _registration(application_id: str, body: Write, caller: Any, request: Request,
                  staff_token: str | None) -> dict[str, Any]:
    who = _staff_who(request, caller, staff_token, "request_registration", application_id)
    db: sessionmaker[Session] = request.app.state.sessions
    city = _city(request)
    with db() as session:
        if _replayed(session, caller.terminal_id, body):
            return _view(session, _load(session, application_id), city)
        row = _load(session, application_id)
        if row.state != la.LoanState.CONTRACT_SIGNED.value:
            _advance(row, "request_registration", who.actor)  # raises the domain's "not now" (nothing is saved)
        member = session.get(Member, row.member_id)
        assert member is not None
        data, id_number = _data(row), member.id_number
    contract = (data.get("facts") or {}).get("contract") or {}
    loan_contract = (data.get("contract") or {}).get("contract_no", "")
    amount = int((data.get("decision") or {}).get("amount_fen", 0))
    auth = Authorisation("counter_form", datetime.now(UTC).isoformat(timespec="seconds"), loan_contract)
    try:
        receipt = ask(request.app.state.evidence, _ctx(row, id_number, who, "loan.mortgage", auth),
                      Topic.MORTGAGE_REGISTRATION,
                      {"certificate_no": str(contract.get("certificate_no", "")), "loan_amount_fen": str(amount),
                       "contract_no": loan_contract, "mortgagee": _policy(city)[4].mortgagee})
    except ExchangeUnavailableError as exc:
        raise exchange_down(exc) from None
    if receipt.status is not Status.OK or not receipt.facts.get("receipt_no"):
        raise LedgerError(409, "registration_refused", "不动产登记机构未受理抵押登记申请。",
                          "The property registry did not accept the mortgage registration.")
    with db.begin() as session:
        row = _load(session, application_id, lock=True)
        if row.state != la.LoanState.CONTRACT_SIGNED.value:
            return _view(session, row, city)
        before = _advance(row, "request_registration", who.actor)
        row.registration_requested_at = datetime.now(UTC)
        _set(row, registration={"receipt_no": receipt.facts["receipt_no"],
                                "requested_at": row.registration_requested_at.isoformat(), "completed_at": None,
                                "certificate_no": ""})
        _event(session, row, who, "request_registration", before, body,
               f"抵押登记受理编号 {receipt.facts['receipt_no']}，暂停计时")
        return _view(session, row, city)


def _poll(application_id: str, body: Write, caller: Any, request: Request, staff_token: str | None) -> dict[str, Any]:
    who = _staff_who(request, caller, staff_token, "complete_registration", application_id)
    db: sessionmaker[Session] = request.app.state.sessions
    city = _city(request)
    with db() as session:
        if _replayed(session, caller.terminal_id, body):
            return _view(session, _load(session, application_id), city)
        row = _load(session, application_id)
        if row.state != la.LoanState.REGISTRATION_REQUESTED.value:
            _advance(row, "complete_registration", who.actor)  # raises the domain's "not now"
        member = session.get(Member, row.member_id)
        assert member is not None
        data, id_number = _data(row), member.id_number
    receipt_no = str((data.get("registration") or {}).get("receipt_no", ""))
    auth = Authorisation("counter_form", datetime.now(UTC).isoformat(timespec="seconds"), receipt_no)
    try:
        status = ask(request.app.state.evidence, _ctx(row, id_number, who, "loan.mortgage", auth),
                     Topic.MORTGAGE_STATUS, {"receipt_no": receipt_no})
    except ExchangeUnavailableError as exc:
        raise exchange_down(exc) from None
    with db.begin() as session:
        row = _load(session, application_id, lock=True)
        if status.facts.get("status") != "registered" or row.state != la.LoanState.REGISTRATION_REQUESTED.value:
            return _view(session, row, city)
        before = _advance(row, "complete_registration", who.actor)
        row.registration_completed_at = datetime.now(UTC)
        _set(row, registration={**(_data(row).get("registration") or {}),
                                "completed_at": row.registration_completed_at.isoformat(),
                                "certificate_no": str(status.facts.get("registration_no", ""))})
        _event(session, row, who, "complete_registration", before, body,
               f"抵押已登记 {status.facts.get('registration_no', '')}，恢复计时")
        return _view(session, row, city)


# ---- the day-end report ----

def late_report(sessions: sessionmaker[Session], day: date, city: str = "taiyuan") -> list[dict[str, Any]]:
    """Applications late at the end of `day` (centre time): open past the limit, or disbursed late that day."""
    end = datetime.combine(day, time(23, 59, 59), CENTRE_TZ).astimezone(UTC)
    out = []
    with sessions() as session:
        rows = session.scalars(select(LoanApplicationRow).where(
            LoanApplicationRow.review_started_at.is_not(None), LoanApplicationRow.review_started_at <= end)
            .order_by(LoanApplicationRow.review_started_at)).all()
        for row in rows:
            if row.disbursed_at is not None and row.disbursed_at > end:
                finished = None
            else:
                finished = row.disbursed_at
            if finished is not None and finished.astimezone(CENTRE_TZ).date() != day:
                continue  # disbursed on an earlier day: reported then
            if row.state == la.LoanState.REFUSED.value:
                continue
            pauses = [la.Pause(row.registration_requested_at,
                               row.registration_completed_at if row.registration_completed_at and
                               row.registration_completed_at <= end else None)] \
                if row.registration_requested_at is not None and row.registration_requested_at <= end else []
            policy = _policy(city)
            clock = la.loan_clock(row.review_started_at, pauses, finished, end, policy[3], CENTRE_TZ,
                                  limit_days=policy[4].limit_workdays, warn_on_days=policy[4].warn_on_days)
            if clock.late:
                member = session.get(Member, row.member_id)
                out.append({"application_id": row.application_id, "member_id": row.member_id,
                            "member_name": member.name if member else "", "state": row.state,
                            "state_zh": la.LoanState(row.state).zh, "day": clock.day,
                            "clock": clock.state.value, "started_at": row.review_started_at.isoformat()
                            if row.review_started_at else None})
    return out


def install(app: FastAPI) -> None:
    from ledger import loan_cases

    app.include_router(_router())
    app.include_router(loan_cases.router())  # early repayment and 冲还贷 as cases (ledger/loan_cases.py)


__all__ = ["BASE", "install", "late_report"]
