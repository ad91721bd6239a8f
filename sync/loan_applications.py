"""The terminals' client of the ledger's loan-application API (个人住房公积金贷款, issue 11).

A thin typed layer over `sync.client.LedgerClient` (the same signed HTTP transport as every other
call): each method sends one request and returns dataclasses decoded from the ledger's JSON. The
ledger decides everything (notice, review, clock, who may act); a screen only shows these values.

Who authenticates how:
  kiosk    the terminal's signature + the member's session token (`session_token=`): the member may
           start an application and read their own ones.
  counter  the terminal's signature + the signed-in staff member's token (`staff_token=`, from
           `sync.staff_auth.StaffAuth.sign_in(...).token`): every staff action.
Writes carry an idempotency key (one is made when none is given); sending the same key again returns
the same answer, never a second action.

    apps = LoanApplications(ledger_client)
    view = apps.create(CreateRequest(member_id="140100000001", amount_fen=50_000_000, term_months=240,
                                     purchase_contract_no="WQ-2026-000123"), staff_token=token)
    view.notice.missing          # what the member still has to bring (exchange-supplied items excluded)
    view = apps.intake(view.application_id, {"loan_application": "CAM-1", ...}, credit_auth, staff_token=t)
    view = apps.review(view.application_id, staff_token=t)   # the ledger asks 征信 / 不动产 / 网签
    view = apps.decide(view.application_id, approve=True, staff_token=supervisor_token)
    ...  sign_contract / request_registration / poll_registration / disburse
    view.clock.day, view.clock.warning, view.clock.late
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from protocol.sessions import SESSION_HEADER
from protocol.staff import STAFF_SESSION_HEADER
from sync.client import LedgerClient

BASE_PATH = "/v1/loan-applications"

# The application's states, in order (domain.loan_application.LoanState values).
STATES = ("draft", "submitted", "accepted", "under_review", "reviewed", "approved", "refused", "contract_signed",
          "registration_requested", "registered", "disbursed")
# Materials of the one-time notice (resources/policy/taiyuan.loans.toml [loans.materials]).
MATERIALS = ("purchase_contract", "income_proof", "marriage_status", "credit_authorisation", "down_payment_proof")


def _text(d: Mapping[str, Any], key: str) -> str:
    value = d.get(key)
    return "" if value is None else str(value)


def _int(d: Mapping[str, Any], key: str, default: int = 0) -> int:
    value = d.get(key)
    return default if value is None else int(value)


def _opt_int(d: Mapping[str, Any], key: str) -> int | None:
    value = d.get(key)
    return None if value is None else int(value)


def _dt(d: Mapping[str, Any], key: str) -> datetime | None:
    value = d.get(key)
    return datetime.fromisoformat(str(value)) if value else None


def _day(d: Mapping[str, Any], key: str) -> date | None:
    value = d.get(key)
    return date.fromisoformat(str(value)) if value else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


@dataclass(frozen=True)
class Reason:
    """One bilingual reason (a refusal, a blocker, a credit finding)."""

    code: str
    zh: str
    en: str

    @classmethod
    def from_json(cls, d: Any) -> Reason:
        d = _dict(d)
        return cls(_text(d, "code"), _text(d, "zh"), _text(d, "en"))


@dataclass(frozen=True)
class CreditAuthorisation:
    """A person's signed authorisation of the 人民银行征信 look-up, as taken at the counter.

    `reference`: the document camera's evidence reference of the signed form; `signature`: the
    signature capture's reference (or digest). Both are required: the ledger asks for no credit report
    without them."""

    reference: str
    signature: str
    method: str = "counter_form"

    def to_json(self) -> dict[str, str]:
        return {"method": self.method, "reference": self.reference, "signature": self.signature}


@dataclass(frozen=True)
class CreateRequest:
    """What a kiosk or counter sends to start an application; every fact is fetched by the ledger.

    `member_id` is ignored from a kiosk (the session's member applies). `purchase_contract_no` names
    the online-registered purchase contract (网签合同): price, seller and the seller's account come
    from 住建's record of it. `property_certificate_no` or `property_address` names the home at the
    registry. `bank_part_fen` > 0 makes it a combined loan (组合贷) with `bank_name`'s commercial part."""

    amount_fen: int
    term_months: int
    purchase_contract_no: str
    member_id: str = ""
    method: str = "10"  # 10 等额本息 | 20 等额本金
    property_certificate_no: str = ""
    property_address: str = ""
    bank_part_fen: int = 0
    bank_name: str = ""
    spouse_id_number: str = ""  # a married applicant's spouse (co-borrower); the registry's record wins
    precheck_ref: str = ""  # the kiosk pre-check this application was started from, if any

    def to_json(self) -> dict[str, Any]:
        return {"member_id": self.member_id, "amount_fen": self.amount_fen, "term_months": self.term_months,
                "method": self.method, "purchase_contract_no": self.purchase_contract_no,
                "property_certificate_no": self.property_certificate_no, "property_address": self.property_address,
                "bank_part_fen": self.bank_part_fen, "bank_name": self.bank_name,
                "spouse_id_number": self.spouse_id_number, "precheck_ref": self.precheck_ref}


@dataclass(frozen=True)
class NoticeLine:
    material: str
    name: str
    name_en: str
    why: str = ""
    why_en: str = ""
    supplied_by: str = ""  # department whose data replaces the paper ("" = the member brings it)

    @classmethod
    def from_json(cls, d: Any) -> NoticeLine:
        d = _dict(d)
        return cls(_text(d, "material"), _text(d, "name"), _text(d, "name_en"), _text(d, "why"),
                   _text(d, "why_en"), _text(d, "supplied_by"))


@dataclass(frozen=True)
class Notice:
    """The one-time notice (一次性告知): everything the member must bring, once; `supplied` is what the
    exchange supplies instead (not asked for). `lines` is the printable text (zh then en)."""

    notice_no: str
    item_code: str
    missing: tuple[NoticeLine, ...]
    supplied: tuple[NoticeLine, ...]
    time_limit_workdays: int
    lines: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.missing

    @classmethod
    def from_json(cls, d: Any) -> Notice:
        d = _dict(d)
        return cls(_text(d, "notice_no"), _text(d, "item_code"),
                   tuple(NoticeLine.from_json(x) for x in _list(d.get("missing"))),
                   tuple(NoticeLine.from_json(x) for x in _list(d.get("supplied"))),
                   _int(d, "time_limit_workdays"), tuple(str(x) for x in _list(d.get("lines"))))


@dataclass(frozen=True)
class Candidate:
    """One of the loan limit's candidates (balance, repayment capacity, price, city cap)."""

    factor: str
    amount_fen: int
    zh: str
    en: str

    @classmethod
    def from_json(cls, d: Any) -> Candidate:
        d = _dict(d)
        return cls(_text(d, "factor"), _int(d, "amount_fen"), _text(d, "zh"), _text(d, "en"))


@dataclass(frozen=True)
class ReviewResult:
    """The system review (系统审查): limits from domain.loan_limits on the ledger's own facts, the credit
    report and the property. `reasons` are what would refuse it (the limiting factor named first)."""

    eligible: bool
    requested_fen: int
    max_amount_fen: int
    limiting_factor: str  # balance | repayment_capacity | price | city_cap | "" (blocked)
    limiting_zh: str
    limiting_en: str
    explanation_zh: str
    explanation_en: str
    rate_percent: str
    term_months: int
    monthly_payment_fen: int
    second_home: bool
    bank_part_fen: int
    candidates: tuple[Candidate, ...]
    reasons: tuple[Reason, ...]
    credit_zh: str
    credit_en: str
    property_zh: str
    property_en: str
    reviewed_at: datetime | None = None

    @classmethod
    def from_json(cls, d: Any) -> ReviewResult:
        d = _dict(d)
        return cls(bool(d.get("eligible")), _int(d, "requested_fen"), _int(d, "max_amount_fen"),
                   _text(d, "limiting_factor"), _text(d, "limiting_zh"), _text(d, "limiting_en"),
                   _text(d, "explanation_zh"), _text(d, "explanation_en"), _text(d, "rate_percent"),
                   _int(d, "term_months"), _int(d, "monthly_payment_fen"), bool(d.get("second_home")),
                   _int(d, "bank_part_fen"), tuple(Candidate.from_json(x) for x in _list(d.get("candidates"))),
                   tuple(Reason.from_json(x) for x in _list(d.get("reasons"))), _text(d, "credit_zh"),
                   _text(d, "credit_en"), _text(d, "property_zh"), _text(d, "property_en"), _dt(d, "reviewed_at"))


@dataclass(frozen=True)
class LoanClock:
    """The 5-working-day clock from the start of approval (review start) to disbursement, registry time
    not counted. `day` is the working day the case is on (1..); `state`: not_started | running |
    warning | due_today | late | paused (at the registry) | done | done_late."""

    state: str
    day: int
    limit_days: int
    warning: bool
    late: bool
    paused: bool
    started_at: datetime | None
    due_on: date | None  # the last working day, if the registry took no more time ("" when paused)
    registry_days_excluded: int
    zh: str
    en: str

    @classmethod
    def from_json(cls, d: Any) -> LoanClock:
        d = _dict(d)
        return cls(_text(d, "state"), _int(d, "day"), _int(d, "limit_days", 5), bool(d.get("warning")),
                   bool(d.get("late")), bool(d.get("paused")), _dt(d, "started_at"), _day(d, "due_on"),
                   _int(d, "registry_days_excluded"), _text(d, "zh"), _text(d, "en"))


@dataclass(frozen=True)
class SpouseView:
    """The married applicant's spouse, a co-borrower: each step must be done before the contract completes."""

    required: bool
    id_number_masked: str
    name_masked: str
    identity_verified: bool
    consented: bool
    credit_authorised: bool
    signed: bool

    @classmethod
    def from_json(cls, d: Any) -> SpouseView:
        d = _dict(d)
        return cls(bool(d.get("required")), _text(d, "id_number_masked"), _text(d, "name_masked"),
                   bool(d.get("identity_verified")), bool(d.get("consented")), bool(d.get("credit_authorised")),
                   bool(d.get("signed")))


@dataclass(frozen=True)
class Decision:
    outcome: str  # approved | refused
    by: str
    at: datetime | None
    amount_fen: int
    reasons: tuple[Reason, ...]

    @classmethod
    def from_json(cls, d: Any) -> Decision:
        d = _dict(d)
        return cls(_text(d, "outcome"), _text(d, "by"), _dt(d, "at"), _int(d, "amount_fen"),
                   tuple(Reason.from_json(x) for x in _list(d.get("reasons"))))


@dataclass(frozen=True)
class Registration:
    """不动产抵押登记: the registry's receipt, and its completion (the clock is paused in between)."""

    receipt_no: str
    requested_at: datetime | None
    completed_at: datetime | None
    certificate_no: str  # 不动产登记证明号 once registered

    @classmethod
    def from_json(cls, d: Any) -> Registration:
        d = _dict(d)
        return cls(_text(d, "receipt_no"), _dt(d, "requested_at"), _dt(d, "completed_at"),
                   _text(d, "certificate_no"))


@dataclass(frozen=True)
class Disbursement:
    loan_id: str
    amount_fen: int
    payee_name: str  # the seller, from the purchase contract's record (masked)
    payee_bank: str
    payee_account_masked: str
    disbursed_at: datetime | None
    first_due_on: date | None

    @classmethod
    def from_json(cls, d: Any) -> Disbursement:
        d = _dict(d)
        return cls(_text(d, "loan_id"), _int(d, "amount_fen"), _text(d, "payee_name"), _text(d, "payee_bank"),
                   _text(d, "payee_account_masked"), _dt(d, "disbursed_at"), _day(d, "first_due_on"))


@dataclass(frozen=True)
class Event:
    action: str
    actor: str
    role: str
    from_state: str
    to_state: str
    at: datetime | None
    note: str

    @classmethod
    def from_json(cls, d: Any) -> Event:
        d = _dict(d)
        return cls(_text(d, "action"), _text(d, "actor"), _text(d, "role"), _text(d, "from_state"),
                   _text(d, "to_state"), _dt(d, "at"), _text(d, "note"))


@dataclass(frozen=True)
class LoanApplicationView:
    """One application as the ledger holds it. Personal data is masked for kiosks."""

    application_id: str
    member_id: str
    member_name: str
    state: str
    channel: str  # kiosk | counter
    amount_fen: int
    term_months: int
    method: str
    bank_part_fen: int
    bank_name: str
    purchase_contract_no: str
    property_certificate_no: str
    property_address: str
    created_at: datetime | None
    notice: Notice
    checklist: dict[str, str]  # material -> evidence reference (document camera)
    clock: LoanClock
    spouse: SpouseView | None
    review: ReviewResult | None
    decision: Decision | None
    contract_no: str
    borrower_signed: bool
    registration: Registration | None
    disbursement: Disbursement | None
    allowed_actions: tuple[str, ...]  # what may come next (intake, spouse, review, decide, sign, ...)
    events: tuple[Event, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    state_zh: str = ""  # the state's Chinese name, as the ledger words it

    @classmethod
    def from_json(cls, d: Any) -> LoanApplicationView:
        d = _dict(d)
        spouse, review, decision = d.get("spouse"), d.get("review"), d.get("decision")
        registration, disbursement = d.get("registration"), d.get("disbursement")
        return cls(
            _text(d, "application_id"), _text(d, "member_id"), _text(d, "member_name"), _text(d, "state"),
            _text(d, "channel"), _int(d, "amount_fen"), _int(d, "term_months"), _text(d, "method"),
            _int(d, "bank_part_fen"), _text(d, "bank_name"), _text(d, "purchase_contract_no"),
            _text(d, "property_certificate_no"), _text(d, "property_address"), _dt(d, "created_at"),
            Notice.from_json(d.get("notice")), {str(k): str(v) for k, v in _dict(d.get("checklist")).items()},
            LoanClock.from_json(d.get("clock")), SpouseView.from_json(spouse) if spouse else None,
            ReviewResult.from_json(review) if review else None, Decision.from_json(decision) if decision else None,
            _text(d, "contract_no"), bool(d.get("borrower_signed")),
            Registration.from_json(registration) if registration else None,
            Disbursement.from_json(disbursement) if disbursement else None,
            tuple(str(a) for a in _list(d.get("allowed_actions"))),
            tuple(Event.from_json(e) for e in _list(d.get("events"))), d, _text(d, "state_zh"))


@dataclass(frozen=True)
class WorkListEntry:
    """A row of the clerk's loan work list; `clock.warning` at working day 3 and 4, `clock.late` after 5."""

    application_id: str
    member_id: str
    member_name: str
    state: str
    amount_fen: int
    clock: LoanClock
    updated_at: datetime | None
    state_zh: str = ""

    @classmethod
    def from_json(cls, d: Any) -> WorkListEntry:
        d = _dict(d)
        return cls(_text(d, "application_id"), _text(d, "member_id"), _text(d, "member_name"), _text(d, "state"),
                   _int(d, "amount_fen"), LoanClock.from_json(d.get("clock")), _dt(d, "updated_at"),
                   _text(d, "state_zh"))


@dataclass(frozen=True)
class EarlyRepaymentQuote:
    """提前还款试算, computed by the ledger on the loan it holds (domain.early_repayment)."""

    loan_id: str
    full: bool
    option: str  # shorten_term | lower_payment | "" (full)
    prepayment_fen: int
    penalty_fen: int
    pay_now_fen: int
    balance_after_fen: int
    months_after: int
    payment_after_fen: int
    summary_zh: str
    summary_en: str

    @classmethod
    def from_json(cls, d: Any) -> EarlyRepaymentQuote:
        d = _dict(d)
        return cls(_text(d, "loan_id"), bool(d.get("full")), _text(d, "option"), _int(d, "prepayment_fen"),
                   _int(d, "penalty_fen"), _int(d, "pay_now_fen"), _int(d, "balance_after_fen"),
                   _int(d, "months_after"), _int(d, "payment_after_fen"), _text(d, "summary_zh"),
                   _text(d, "summary_en"))


@dataclass(frozen=True)
class LoanCase:
    """A loan service case (early repayment, 冲还贷 signing) opened through the same case path."""

    case_id: str
    kind: str  # early_repayment | offset_sign
    status: str
    loan_id: str
    quote: EarlyRepaymentQuote | None
    zh: str
    en: str

    @classmethod
    def from_json(cls, d: Any) -> LoanCase:
        d = _dict(d)
        quote = d.get("quote")
        return cls(_text(d, "case_id"), _text(d, "kind"), _text(d, "status"), _text(d, "loan_id"),
                   EarlyRepaymentQuote.from_json(quote) if quote else None, _text(d, "zh"), _text(d, "en"))


def _key(idempotency_key: str | None) -> str:
    return idempotency_key or uuid.uuid4().hex


class LoanApplications:
    """The loan-application calls of one terminal (wraps its `LedgerClient`)."""

    def __init__(self, client: LedgerClient) -> None:
        self.client = client

    # --- transport ---

    @staticmethod
    def _headers(staff_token: str | None, session_token: str | None) -> dict[str, str]:
        headers: dict[str, str] = {}
        if staff_token:
            headers[STAFF_SESSION_HEADER] = staff_token
        if session_token:
            headers[SESSION_HEADER] = session_token
        return headers

    def _get(self, path: str, *, staff_token: str | None = None, session_token: str | None = None,
             params: Mapping[str, str] | None = None) -> dict[str, Any]:
        response = self.client._call("GET", path, params=params, headers=self._headers(staff_token, session_token))
        return self.client._json(response)

    def _post(self, path: str, body: Mapping[str, Any], *, staff_token: str | None = None,
              session_token: str | None = None, idempotency_key: str | None = None) -> dict[str, Any]:
        payload = {**body, "idempotency_key": _key(idempotency_key)}
        response = self.client._call("POST", path, body=payload, headers=self._headers(staff_token, session_token))
        return self.client._json(response)

    def _view(self, path: str, body: Mapping[str, Any], **kw: Any) -> LoanApplicationView:
        return LoanApplicationView.from_json(self._post(path, body, **kw))

    @staticmethod
    def _path(application_id: str, action: str = "") -> str:
        if not application_id or any(c in application_id for c in "/?#"):
            raise ValueError(f"{application_id!r} is not an application id")
        return f"{BASE_PATH}/{application_id}" + (f"/{action}" if action else "")

    # --- the application ---

    def create(self, request: CreateRequest, *, staff_token: str | None = None, session_token: str | None = None,
               idempotency_key: str | None = None) -> LoanApplicationView:
        """Start an application (kiosk: with the member's session; counter: with a clerk's token). The answer
        carries the one-time notice of materials."""
        return self._view(BASE_PATH, request.to_json(), staff_token=staff_token, session_token=session_token,
                          idempotency_key=idempotency_key)

    def get(self, application_id: str, *, staff_token: str | None = None,
            session_token: str | None = None) -> LoanApplicationView:
        return LoanApplicationView.from_json(self._get(self._path(application_id), staff_token=staff_token,
                                                       session_token=session_token))

    def mine(self, session_token: str) -> list[LoanApplicationView]:
        """The session member's own applications (kiosk)."""
        body = self._get(BASE_PATH + "/mine", session_token=session_token)
        return [LoanApplicationView.from_json(x) for x in _list(body.get("applications"))]

    def work_list(self, staff_token: str, *, state: str | None = None,
                  warnings_only: bool = False) -> list[WorkListEntry]:
        """The clerk's work list: open applications, oldest clock first, with the day-3/day-4 warnings."""
        params = {k: v for k, v in (("state", state), ("warnings", "1" if warnings_only else None)) if v}
        body = self._get(BASE_PATH, staff_token=staff_token, params=params)
        return [WorkListEntry.from_json(x) for x in _list(body.get("applications"))]

    def intake(self, application_id: str, checklist: Mapping[str, str], credit_authorisation: CreditAuthorisation,
               *, staff_token: str, note: str = "", idempotency_key: str | None = None) -> LoanApplicationView:
        """Counter intake (受理): material -> evidence reference from the document camera, and the borrower's
        signed credit-report authorisation. Refused while a required material is missing."""
        return self._view(self._path(application_id, "intake"),
                          {"checklist": dict(checklist), "credit_authorisation": credit_authorisation.to_json(),
                           "note": note}, staff_token=staff_token, idempotency_key=idempotency_key)

    def spouse(self, application_id: str, *, id_number: str, id_evidence_ref: str, consent: bool,
               credit_authorisation: CreditAuthorisation, staff_token: str,
               idempotency_key: str | None = None) -> LoanApplicationView:
        """The spouse (co-borrower) at the counter: identity read from their ID card, consent, credit authorisation."""
        return self._view(self._path(application_id, "spouse"),
                          {"id_number": id_number, "id_evidence_ref": id_evidence_ref, "consent": consent,
                           "credit_authorisation": credit_authorisation.to_json()},
                          staff_token=staff_token, idempotency_key=idempotency_key)

    def review(self, application_id: str, *, staff_token: str,
               idempotency_key: str | None = None) -> LoanApplicationView:
        """Start the approval clock and run the system review: the ledger fetches the credit reports, the
        property and the purchase contract through the exchange and applies domain.loan_limits."""
        return self._view(self._path(application_id, "review"), {}, staff_token=staff_token,
                          idempotency_key=idempotency_key)

    def decide(self, application_id: str, *, approve: bool, staff_token: str, amount_fen: int | None = None,
               reasons: Sequence[str] = (), idempotency_key: str | None = None) -> LoanApplicationView:
        """A supervisor's decision (not the one who took the intake). A refusal needs reasons; the ledger adds
        the review's own (the limiting factor named)."""
        return self._view(self._path(application_id, "decision"),
                          {"approve": approve, "amount_fen": amount_fen, "reasons": list(reasons)},
                          staff_token=staff_token, idempotency_key=idempotency_key)

    def sign_contract(self, application_id: str, *, party: str, signature_ref: str, staff_token: str,
                      idempotency_key: str | None = None) -> LoanApplicationView:
        """The borrower's (`party="borrower"`) or the spouse's (`"spouse"`) signature on the loan contract;
        the contract is signed once every required party has signed."""
        return self._view(self._path(application_id, "contract"), {"party": party, "signature_ref": signature_ref},
                          staff_token=staff_token, idempotency_key=idempotency_key)

    def request_registration(self, application_id: str, *, staff_token: str,
                             idempotency_key: str | None = None) -> LoanApplicationView:
        """不动产抵押登记 through the exchange (a write: the registry's receipt number); the clock pauses."""
        return self._view(self._path(application_id, "registration"), {}, staff_token=staff_token,
                          idempotency_key=idempotency_key)

    def poll_registration(self, application_id: str, *, staff_token: str,
                          idempotency_key: str | None = None) -> LoanApplicationView:
        """Ask the registry whether the mortgage is registered; when it is, the state moves to registered."""
        return self._view(self._path(application_id, "registration/poll"), {}, staff_token=staff_token,
                          idempotency_key=idempotency_key)

    def disburse(self, application_id: str, *, staff_token: str,
                 idempotency_key: str | None = None) -> LoanApplicationView:
        """Pay the loan to the seller's account of the purchase contract's record (the terminal names no payee);
        creates the loan and its repayment schedule."""
        return self._view(self._path(application_id, "disbursement"), {}, staff_token=staff_token,
                          idempotency_key=idempotency_key)

    # --- early repayment and 冲还贷 through the same case path ---

    def early_repayment_quote(self, loan_id: str, *, amount_fen: int | None, option: str = "shorten_term",
                              staff_token: str | None = None, session_token: str | None = None) -> EarlyRepaymentQuote:
        """`amount_fen=None`: repay in full. `option`: shorten_term | lower_payment."""
        body = {"loan_id": loan_id, "amount_fen": amount_fen, "option": option}
        return EarlyRepaymentQuote.from_json(self._post("/v1/loan-cases/early-repayment/quote", body,
                                                        staff_token=staff_token, session_token=session_token))

    def apply_early_repayment(self, loan_id: str, *, amount_fen: int | None, option: str = "shorten_term",
                              staff_token: str | None = None, session_token: str | None = None,
                              idempotency_key: str | None = None) -> LoanCase:
        body = {"loan_id": loan_id, "amount_fen": amount_fen, "option": option}
        return LoanCase.from_json(self._post("/v1/loan-cases/early-repayment", body, staff_token=staff_token,
                                             session_token=session_token, idempotency_key=idempotency_key))

    def sign_offset(self, loan_id: str, *, mode: str = "monthly", staff_token: str | None = None,
                    session_token: str | None = None, idempotency_key: str | None = None) -> LoanCase:
        """冲还贷 signing (monthly | yearly | one_off) as a loan case."""
        return LoanCase.from_json(self._post("/v1/loan-cases/offset", {"loan_id": loan_id, "mode": mode},
                                             staff_token=staff_token, session_token=session_token,
                                             idempotency_key=idempotency_key))


__all__ = ["BASE_PATH", "MATERIALS", "STATES", "Candidate", "CreateRequest", "CreditAuthorisation", "Decision",
           "Disbursement", "EarlyRepaymentQuote", "Event", "LoanApplicationView", "LoanApplications", "LoanCase",
           "LoanClock", "Notice", "NoticeLine", "Reason", "Registration", "ReviewResult", "SpouseView",
           "WorkListEntry"]
