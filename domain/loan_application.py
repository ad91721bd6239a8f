"""The 个人住房公积金贷款 application: states, who may act, the one-time notice, the review and the clock.

    draft -> submitted -> accepted (counter intake) -> under_review (the clock starts) -> reviewed
          -> approved | refused (reasons, the limiting factor named) -> contract_signed
          -> registration_requested (不动产抵押登记: the clock pauses) -> registered -> disbursed

Pure: the ledger (ledger/loan_routes.py) persists the application, fetches every fact through the
exchange and calls these functions. Numbers come from resources/policy/<city>.loans.toml and
[loan.limits] of the city policy, each with its source there.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from domain.calculator import RepaymentMethod, repayment_schedule
from domain.loan_limits import (
    Borrower,
    HousingType,
    LoanLimit,
    LoanLimitPolicy,
    Purchase,
    max_hpf_loan,
)
from domain.money import Money, format_yuan
from domain.policy import PolicyError, Table, _read_toml, require, section
from domain.rates import HomeOrder, RateTable
from domain.workdays import WorkCalendar


class LoanState(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    UNDER_REVIEW = "under_review"
    REVIEWED = "reviewed"
    APPROVED = "approved"
    REFUSED = "refused"
    CONTRACT_SIGNED = "contract_signed"
    REGISTRATION_REQUESTED = "registration_requested"
    REGISTERED = "registered"
    DISBURSED = "disbursed"

    @property
    def zh(self) -> str:
        return _STATE_ZH[self]

    @property
    def final(self) -> bool:
        return self in (LoanState.REFUSED, LoanState.DISBURSED)


_STATE_ZH = {
    LoanState.DRAFT: "草稿", LoanState.SUBMITTED: "已提交", LoanState.ACCEPTED: "已受理",
    LoanState.UNDER_REVIEW: "审查中", LoanState.REVIEWED: "已审查", LoanState.APPROVED: "已审批",
    LoanState.REFUSED: "不予贷款", LoanState.CONTRACT_SIGNED: "已签合同",
    LoanState.REGISTRATION_REQUESTED: "抵押登记办理中", LoanState.REGISTERED: "抵押已登记",
    LoanState.DISBURSED: "已放款",
}


class Actor(enum.StrEnum):
    MEMBER = "member"          # the applicant, at a kiosk in their own session
    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    SYSTEM = "system"          # the ledger itself (review on fetched facts, registry completion)


class LoanActionError(ValueError):
    """An action the application's state or the actor's role does not allow (bilingual)."""

    def __init__(self, code: str, zh: str, en: str) -> None:
        super().__init__(f"{code}: {en}")
        self.code, self.zh, self.en = code, zh, en


@dataclass(frozen=True)
class ActionRule:
    from_states: frozenset[LoanState]
    to_state: LoanState | None  # None: the state stays (e.g. the spouse's consent, one party's signature)
    actors: frozenset[Actor]


_STAFF = frozenset({Actor.CLERK, Actor.SUPERVISOR})
_BEFORE_CONTRACT = frozenset({LoanState.SUBMITTED, LoanState.ACCEPTED, LoanState.UNDER_REVIEW, LoanState.REVIEWED,
                              LoanState.APPROVED})

# Who may do what, and from which states (docs/loans.md has the same table).
ACTIONS: dict[str, ActionRule] = {
    "submit": ActionRule(frozenset({LoanState.DRAFT}), LoanState.SUBMITTED, frozenset({Actor.MEMBER, Actor.CLERK})),
    "intake": ActionRule(frozenset({LoanState.SUBMITTED}), LoanState.ACCEPTED, frozenset({Actor.CLERK})),
    "spouse": ActionRule(_BEFORE_CONTRACT, None, _STAFF),
    "start_review": ActionRule(frozenset({LoanState.ACCEPTED}), LoanState.UNDER_REVIEW, _STAFF | {Actor.SYSTEM}),
    "review": ActionRule(frozenset({LoanState.UNDER_REVIEW}), LoanState.REVIEWED, frozenset({Actor.SYSTEM})),
    "approve": ActionRule(frozenset({LoanState.REVIEWED}), LoanState.APPROVED, frozenset({Actor.SUPERVISOR})),
    "refuse": ActionRule(frozenset({LoanState.REVIEWED}), LoanState.REFUSED, frozenset({Actor.SUPERVISOR})),
    "sign": ActionRule(frozenset({LoanState.APPROVED}), None, _STAFF),
    "contract_complete": ActionRule(frozenset({LoanState.APPROVED}), LoanState.CONTRACT_SIGNED,
                                    _STAFF | {Actor.SYSTEM}),
    "request_registration": ActionRule(frozenset({LoanState.CONTRACT_SIGNED}), LoanState.REGISTRATION_REQUESTED,
                                       _STAFF),
    "complete_registration": ActionRule(frozenset({LoanState.REGISTRATION_REQUESTED}), LoanState.REGISTERED,
                                        _STAFF | {Actor.SYSTEM}),
    "disburse": ActionRule(frozenset({LoanState.REGISTERED}), LoanState.DISBURSED, _STAFF),
}

_ACTOR_ZH = {Actor.MEMBER: "申请人本人", Actor.CLERK: "柜员", Actor.SUPERVISOR: "审批主管", Actor.SYSTEM: "系统"}


def check_action(state: LoanState, action: str, actor: Actor) -> LoanState:
    """The state after `action` by `actor` (the same state for actions that keep it); LoanActionError otherwise."""
    rule = ACTIONS.get(action)
    if rule is None:
        raise LoanActionError("unknown_action", f"没有「{action}」这项操作。", f"There is no action {action!r}.")
    if actor not in rule.actors:
        who = "、".join(_ACTOR_ZH[a] for a in sorted(rule.actors))
        raise LoanActionError("loan_role", f"「{action}」须由{who}办理。",
                              f"{action} must be taken by: {', '.join(sorted(a.value for a in rule.actors))}.")
    if state not in rule.from_states:
        raise LoanActionError("loan_state", f"申请当前为「{state.zh}」，不能办理「{action}」。",
                              f"The application is {state.value}; {action} is not possible now.")
    return rule.to_state or state


def allowed_actions(state: LoanState) -> tuple[str, ...]:
    return tuple(name for name, rule in ACTIONS.items() if state in rule.from_states)


def check_separation(intake_by: str, decider: str) -> None:
    """The supervisor who decides is not the person who took the application in (审贷分离)."""
    if intake_by and intake_by == decider:
        raise LoanActionError("separation_of_duties", f"{decider} 受理了本申请，不能再审批。",
                              f"{decider} took this application in and may not also decide it.")


# ---- policy ----

@dataclass(frozen=True)
class Material:
    code: str
    name: str
    name_en: str
    topic: str = ""            # exchange topic that supplies it ("" = the member brings it)
    department: str = ""
    spouse: bool = False       # also asked of the spouse
    spouse_only: bool = False
    satisfied_by_contract: bool = False


@dataclass(frozen=True)
class LoanPolicy:
    item_code: str
    limit_workdays: int
    warn_on_days: tuple[int, ...]
    max_homes_owned: int
    second_home_ltv_percent: Decimal
    max_consecutive_overdue: int
    max_overdue_24m: int
    refuse_overdue_now: bool
    refuse_existing_mortgage: bool
    materials: tuple[Material, ...]
    mortgagee: str = ""
    max_repayment_day: int = 28


def loans_policy_path(city: str = "taiyuan") -> Path:
    return Path(str(resources.files("resources.policy") / f"{city}.loans.toml"))


def load_loan_policy(city: str = "taiyuan", path: Path | None = None) -> LoanPolicy:
    raw = _read_toml(path or loans_policy_path(city), city)
    return loan_policy_from(raw)


def loan_policy_from(raw: Table) -> LoanPolicy:
    loans = section(raw, "loans")
    clock, review = section(raw, "loans.clock"), section(raw, "loans.review")
    limit: int = require(clock, "limit_workdays", int, "loans.clock")
    warn = require(clock, "warn_on_days", list, "loans.clock")
    if limit < 1 or not all(isinstance(d, int) and 0 < d <= limit for d in warn):
        raise PolicyError("policy: loans.clock: limit_workdays >= 1 and warn_on_days within 1..limit")
    mats = []
    for code, m in section(raw, "loans.materials").items():
        if not isinstance(m, dict):
            raise PolicyError(f"policy: loans.materials.{code} must be a table")
        where = f"loans.materials.{code}"
        mats.append(Material(code, require(m, "name", str, where), require(m, "name_en", str, where),
                             str(m.get("topic", "")), str(m.get("department", "")), bool(m.get("spouse", False)),
                             bool(m.get("spouse_only", False)), bool(m.get("satisfied_by_contract", False))))
    return LoanPolicy(require(loans, "item_code", str, "loans"), limit, tuple(warn),
                      require(review, "max_homes_owned", int, "loans.review"),
                      require(review, "second_home_ltv_percent", Decimal, "loans.review"),
                      require(review, "max_consecutive_overdue", int, "loans.review"),
                      require(review, "max_overdue_24m", int, "loans.review"),
                      require(review, "refuse_overdue_now", bool, "loans.review"),
                      require(review, "refuse_existing_mortgage", bool, "loans.review"), tuple(mats),
                      require(loans, "mortgagee", str, "loans"),
                      require(section(raw, "loans.repayment"), "max_repayment_day", int, "loans.repayment"))


# ---- the one-time notice ----

@dataclass(frozen=True)
class NoticeLine:
    material: str
    name: str
    name_en: str
    why: str
    why_en: str
    supplied_by: str = ""

    def to_json(self) -> dict[str, str]:
        return {"material": self.material, "name": self.name, "name_en": self.name_en, "why": self.why,
                "why_en": self.why_en, "supplied_by": self.supplied_by}


@dataclass(frozen=True)
class LoanNotice:
    notice_no: str
    item_code: str
    missing: tuple[NoticeLine, ...]
    supplied: tuple[NoticeLine, ...]
    time_limit_workdays: int

    @property
    def complete(self) -> bool:
        return not self.missing

    def lines(self) -> list[str]:
        out = ["一次性告知书 / One-time notice", f"编号 No.: {self.notice_no}",
               "事项 Item: 个人住房公积金贷款 / HPF home loan"]
        if self.missing:
            out.append(f"请一次带齐以下{len(self.missing)}项材料 / Please bring ({len(self.missing)}):")
            out += [f"{n}. {m.name} / {m.name_en}" for n, m in enumerate(self.missing, 1)]
        else:
            out.append("材料齐全，无需补充。/ Nothing is missing.")
        if self.supplied:
            out.append("以下由本中心通过数据共享获取，无需提供 / We fetch these ourselves, do not bring them:")
            out += [f"- {m.name}（{m.supplied_by}） / {m.name_en}" for m in self.supplied]
        out.append(f"办理时限 Time limit: 审批开始至放款{self.time_limit_workdays}个工作日（抵押登记时间除外） / "
                   f"{self.time_limit_workdays} working days from approval to disbursement, registration excepted")
        return out

    def to_json(self) -> dict[str, Any]:
        return {"notice_no": self.notice_no, "item_code": self.item_code, "complete": self.complete,
                "missing": [m.to_json() for m in self.missing], "supplied": [m.to_json() for m in self.supplied],
                "time_limit_workdays": self.time_limit_workdays, "lines": self.lines()}


def loan_notice(policy: LoanPolicy, *, notice_no: str, married: bool, supplied_topics: Iterable[str],
                down_payment_on_record: bool, presented: Iterable[str] = ()) -> LoanNotice:
    """Every material still to bring, once. A material whose exchange topic answered is supplied, not asked;
    the down-payment proof is not asked when 住建's contract record shows the down payment paid."""
    answered, have = set(supplied_topics), set(presented)
    missing: list[NoticeLine] = []
    supplied: list[NoticeLine] = []
    for m in policy.materials:
        if m.spouse_only and not married:
            continue
        why, why_en = "办理公积金贷款需要此材料", "required for an HPF loan"
        if m.spouse or m.spouse_only:
            if married:
                why = "已婚申请人的配偶为共同借款人，本人及配偶均需提供"
                why_en = "you and your spouse (co-borrower) both"
        if m.topic and m.topic in answered:
            supplied.append(NoticeLine(m.code, m.name, m.name_en, "由数据共享获取", "fetched through data sharing",
                                       m.department))
            continue
        if m.satisfied_by_contract and down_payment_on_record:
            supplied.append(NoticeLine(m.code, m.name, m.name_en, "网签备案记录显示首付款已缴入监管账户",
                                       "the contract record shows the down payment paid", "住建"))
            continue
        if m.code not in have:
            missing.append(NoticeLine(m.code, m.name, m.name_en, why, why_en))
    return LoanNotice(notice_no, policy.item_code, tuple(missing), tuple(supplied), policy.limit_workdays)


def missing_at_intake(notice: LoanNotice, checklist: Mapping[str, str]) -> list[NoticeLine]:
    """The notice's materials the clerk has no evidence reference for."""
    return [m for m in notice.missing if not str(checklist.get(m.material, "")).strip()]


# ---- facts fetched through the exchange ----

@dataclass(frozen=True)
class CreditReport:
    """人民银行征信, summarised: what the review needs of it."""

    id_number: str
    overdue_now: bool
    max_consecutive_overdue: int  # in the last 24 months
    overdue_count_24m: int
    monthly_debt_fen: int  # repayments of other open loans and cards, per month
    open_housing_loans: int

    @classmethod
    def from_facts(cls, id_number: str, facts: Mapping[str, Any]) -> CreditReport:
        return cls(id_number, bool(facts.get("overdue_now")), int(facts.get("max_consecutive_overdue", 0)),
                   int(facts.get("overdue_count_24m", 0)), int(facts.get("monthly_debt_fen", 0)),
                   int(facts.get("open_housing_loans", 0)))


@dataclass(frozen=True)
class PurchaseContract:
    """住建's record of the online-registered purchase contract (网签备案): the price, the buyers, the seller
    and the seller's account the loan is paid to."""

    contract_no: str
    buyer_id_numbers: tuple[str, ...]
    price_fen: int
    down_payment_fen: int
    down_payment_paid: bool
    seller_name: str
    seller_bank: str
    seller_account: str
    certificate_no: str
    address: str
    housing: str = "commercial"

    @classmethod
    def from_facts(cls, facts: Mapping[str, Any]) -> PurchaseContract:
        return cls(str(facts["contract_no"]), tuple(str(x) for x in facts.get("buyer_id_numbers", ())),
                   int(facts["price_fen"]), int(facts.get("down_payment_fen", 0)),
                   bool(facts.get("down_payment_paid")), str(facts["seller_name"]), str(facts["seller_bank"]),
                   str(facts["seller_account"]), str(facts.get("certificate_no", "")), str(facts.get("address", "")),
                   str(facts.get("housing", "commercial")))


@dataclass(frozen=True)
class PropertyFacts:
    """不动产登记: the home by certificate number or address."""

    certificate_no: str
    address: str
    owners: tuple[str, ...]
    mortgaged: bool  # an existing mortgage not yet released
    seized: bool  # 查封

    @classmethod
    def from_facts(cls, facts: Mapping[str, Any]) -> PropertyFacts:
        return cls(str(facts.get("certificate_no", "")), str(facts.get("address", "")),
                   tuple(str(x) for x in facts.get("owner_id_numbers", ())), bool(facts.get("mortgaged")),
                   bool(facts.get("seized")))


@dataclass(frozen=True)
class LoanRequest:
    amount_fen: int
    term_months: int
    method: RepaymentMethod = RepaymentMethod.EQUAL_INSTALLMENT
    bank_part_fen: int = 0

    def __post_init__(self) -> None:
        if self.amount_fen <= 0 or self.bank_part_fen < 0:
            raise LoanActionError("bad_amount", "贷款金额须大于零。", "The loan amount must be positive.")
        if not 12 <= self.term_months <= 360:
            raise LoanActionError("bad_term", "贷款期限须在 12 到 360 个月之间。", "The term must be 12..360 months.")


@dataclass(frozen=True)
class Reason:
    code: str
    zh: str
    en: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "zh": self.zh, "en": self.en}


@dataclass(frozen=True)
class Review:
    eligible: bool
    requested_fen: int
    max_amount_fen: int
    limit: LoanLimit
    reasons: tuple[Reason, ...]
    second_home: bool
    monthly_payment_fen: int
    bank_part_fen: int
    credit_zh: str
    credit_en: str
    property_zh: str
    property_en: str
    term_months: int = 0  # the term asked for (the payment is for it); 0 = not known

    @property
    def limiting_factor(self) -> str:
        return self.limit.limiting.value if self.limit.limiting else ""

    def to_json(self) -> dict[str, Any]:
        lim = self.limit.limiting
        return {
            "eligible": self.eligible, "requested_fen": self.requested_fen, "max_amount_fen": self.max_amount_fen,
            "limiting_factor": self.limiting_factor, "limiting_zh": lim.zh if lim else "",
            "limiting_en": lim.en if lim else "", "explanation_zh": self.limit.explanation_zh,
            "explanation_en": self.limit.explanation_en, "rate_percent": str(self.limit.rate.annual_percent),
            "term_months": self.term_months or min(self.limit.max_months, 360),
            "max_term_months": min(self.limit.max_months, 360), "monthly_payment_fen": self.monthly_payment_fen,
            "second_home": self.second_home, "bank_part_fen": self.bank_part_fen,
            "candidates": [{"factor": c.factor.value, "amount_fen": c.amount.fen, "zh": c.zh, "en": c.en}
                           for c in self.limit.candidates],
            "reasons": [r.to_json() for r in self.reasons], "credit_zh": self.credit_zh, "credit_en": self.credit_en,
            "property_zh": self.property_zh, "property_en": self.property_en}


def _credit_reasons(report: CreditReport, who_zh: str, who_en: str, policy: LoanPolicy) -> list[Reason]:
    out = []
    if policy.refuse_overdue_now and report.overdue_now:
        out.append(Reason("credit_overdue_now", f"{who_zh}征信报告显示当前有逾期未还款项",
                          f"{who_en} credit report shows an amount overdue now"))
    if (report.max_consecutive_overdue > policy.max_consecutive_overdue
            or report.overdue_count_24m > policy.max_overdue_24m):
        out.append(Reason("credit_record",
                          f"{who_zh}近24个月逾期{report.overdue_count_24m}次、最长连续{report.max_consecutive_overdue}期，"
                          f"超过连续{policy.max_consecutive_overdue}期或累计{policy.max_overdue_24m}次的限度",
                          f"{who_en} credit report has {report.overdue_count_24m} overdue payments in 24 months, "
                          f"{report.max_consecutive_overdue} in a row (limits {policy.max_consecutive_overdue} in a "
                          f"row, {policy.max_overdue_24m} in all)"))
    return out


def review_application(request: LoanRequest, borrower: Borrower, *, applicant_id_number: str,
                       homes_owned: int, contract: PurchaseContract, property_facts: PropertyFacts | None,
                       credit: Sequence[CreditReport], limits: LoanLimitPolicy, rates: RateTable,
                       policy: LoanPolicy, on: date) -> Review:
    """The system review on facts the ledger fetched: limits, second-home rules, 组合贷, credit and property.

    Each reason that would refuse the loan is listed; when the amount asked for is above the limit the
    first reason names the limiting factor (余额倍数, 还款能力, 房价和首付, 最高额度)."""
    reasons: list[Reason] = []
    if applicant_id_number not in contract.buyer_id_numbers:
        reasons.append(Reason("contract_buyer", "申请人不是网签购房合同的买受人",
                              "the applicant is not a buyer in the registered purchase contract"))
    second = homes_owned >= 1
    if homes_owned > policy.max_homes_owned:
        reasons.append(Reason("homes_owned",
                              f"本市已有住房{homes_owned}套，超过可申请公积金贷款的{policy.max_homes_owned}套",
                              f"owns {homes_owned} homes in the city; an HPF loan needs at most "
                              f"{policy.max_homes_owned}"))
    debt = sum(c.monthly_debt_fen for c in credit)
    b = Borrower(**{**_fields(borrower), "existing_monthly_debt": Money(debt)})
    housing = HousingType.GUARANTEED if contract.housing == "guaranteed" else HousingType.COMMERCIAL
    use_limits = limits
    if second and housing is HousingType.COMMERCIAL and policy.second_home_ltv_percent != limits.ltv_percent:
        use_limits = replace(limits, ltv_percent=policy.second_home_ltv_percent)
    purchase = Purchase(Money(contract.price_fen), HomeOrder.SECOND if second else HomeOrder.FIRST, housing)
    limit = max_hpf_loan(b, purchase, use_limits, rates, on, months=request.term_months, method=request.method)
    if not limit.eligible:
        reasons += [Reason(f"blocked_{x.code}", x.zh, x.en) for x in limit.blockers]
    elif request.amount_fen > limit.max_amount.fen:
        factor = limit.limiting
        cand = next(c for c in limit.candidates if c.factor is factor)
        assert factor is not None
        reasons.insert(0, Reason(
            f"limit_{factor.value}",
            f"申请金额 {format_yuan(Money(request.amount_fen))} 超过可贷额度 {format_yuan(limit.max_amount)}，"
            f"受{factor.zh}限制：{cand.zh}",
            f"the amount asked for, {format_yuan(Money(request.amount_fen))}, is above the limit "
            f"{format_yuan(limit.max_amount)}, set by {factor.en}: {cand.en}"))
    ltv = (use_limits.ltv_percent_guaranteed_housing if housing is HousingType.GUARANTEED
           else use_limits.ltv_percent)
    ceiling = Money(contract.price_fen) * (ltv / 100)
    if request.bank_part_fen and request.amount_fen + request.bank_part_fen > ceiling.fen:
        reasons.append(Reason("combined_over_ltv",
                              f"组合贷款总额 {format_yuan(Money(request.amount_fen + request.bank_part_fen))} "
                              f"超过房价的{ltv}%（{format_yuan(ceiling)}）",
                              f"the combined loan {format_yuan(Money(request.amount_fen + request.bank_part_fen))} "
                              f"is above {ltv} % of the price ({format_yuan(ceiling)})"))
    for n, report in enumerate(credit):
        who = ("借款人", "the borrower's") if n == 0 else ("配偶（共同借款人）", "the spouse's")
        reasons += _credit_reasons(report, *who, policy)
    prop_zh, prop_en = "未查询", "not looked up"
    if property_facts is not None:
        if policy.refuse_existing_mortgage and property_facts.mortgaged:
            reasons.append(Reason("property_mortgaged", "该房屋尚有未注销的抵押登记",
                                  "the home carries a mortgage that is not yet released"))
        if property_facts.seized:
            reasons.append(Reason("property_seized", "该房屋已被查封", "the home is under a court seizure"))
        prop_zh = (f"{property_facts.address or property_facts.certificate_no}："
                   f"{'有' if property_facts.mortgaged else '无'}抵押，{'已' if property_facts.seized else '未'}查封")
        prop_en = (f"{property_facts.certificate_no or property_facts.address}: "
                   f"{'mortgaged' if property_facts.mortgaged else 'no mortgage'}, "
                   f"{'seized' if property_facts.seized else 'not seized'}")
    clean = not any(r.code.startswith("credit_") for r in reasons)
    credit_zh = (f"征信报告{len(credit)}份：{'无不良记录' if clean else '有不良记录'}，"
                 f"其他负债月还款 {format_yuan(Money(debt))}")
    credit_en = (f"{len(credit)} credit report(s): {'clean' if clean else 'adverse records'}, other debt "
                 f"{format_yuan(Money(debt))} a month")
    payment = 0
    amount = min(request.amount_fen, limit.max_amount.fen) if limit.eligible else 0
    if amount > 0:
        rows = repayment_schedule(Money(amount).as_yuan, limit.rate.annual_percent, request.term_months,
                                  request.method)
        payment = int(rows[0].payment * 100)
    return Review(not reasons, request.amount_fen, limit.max_amount.fen, limit, tuple(reasons), second, payment,
                  request.bank_part_fen, credit_zh, credit_en, prop_zh, prop_en, request.term_months)


def _fields(b: Borrower) -> dict[str, Any]:
    return {name: getattr(b, name) for name in Borrower.__dataclass_fields__}


def approved_amount(review: Mapping[str, Any] | None, requested_fen: int, amount_fen: int | None) -> int:
    """What a supervisor may approve: nothing unless the review found the member eligible, and at most
    the amount asked for and the reviewed limit (`amount_fen` None or 0: the amount asked for)."""
    result = review or {}
    if not result.get("eligible"):
        reasons = result.get("reasons", [])
        raise LoanActionError("review_not_eligible",
                              "审查未通过，不能批准：" + "；".join(r["zh"] for r in reasons) + "。",
                              "The review found reasons to refuse; it cannot be approved: "
                              + "; ".join(r["en"] for r in reasons) + ".")
    amount = amount_fen or requested_fen
    if amount > min(requested_fen, int(result.get("max_amount_fen", 0))):
        raise LoanActionError("amount_above_limit", "批准金额超过申请金额或审查可贷额度。",
                              "The amount approved is above the amount asked for or the reviewed limit.")
    return amount


def refusal_reasons(review: Mapping[str, Any] | None, supervisor_reasons: Sequence[str]) -> list[Reason]:
    """A refusal's reasons: the supervisor's own words, then the review's (the limiting factor named).
    A refusal with neither is not allowed."""
    out = [Reason("supervisor", r.strip(), r.strip()) for r in supervisor_reasons if r.strip()]
    for r in (review or {}).get("reasons", []):
        out.append(Reason(str(r["code"]), str(r["zh"]), str(r["en"])))
    if not out:
        raise LoanActionError("reasons_required", "不予贷款须写明理由。", "A refusal must state its reasons.")
    return out


# ---- the clock ----

class ClockState(enum.StrEnum):
    NOT_STARTED = "not_started"
    RUNNING = "running"
    WARNING = "warning"
    DUE_TODAY = "due_today"
    LATE = "late"
    PAUSED = "paused"
    DONE = "done"
    DONE_LATE = "done_late"


@dataclass(frozen=True)
class Pause:
    """The mortgage registration at the registry: from the request to its completion (None: still there)."""

    start: datetime
    end: datetime | None = None


@dataclass(frozen=True)
class LoanClock:
    state: ClockState
    day: int
    limit_days: int
    warning: bool
    late: bool
    paused: bool
    started_at: datetime | None
    due_on: date | None
    registry_days_excluded: int
    counted: tuple[date, ...] = field(default=(), repr=False)

    @property
    def zh(self) -> str:
        if self.state is ClockState.NOT_STARTED:
            return "审批尚未开始"
        text = f"审批第{self.day}个工作日（时限{self.limit_days}个工作日）"
        extra = {ClockState.WARNING: "，请抓紧办理", ClockState.DUE_TODAY: "，今天到期", ClockState.LATE: "，已超时",
                 ClockState.PAUSED: "，抵押登记办理中，暂停计时", ClockState.DONE: "，已按时放款",
                 ClockState.DONE_LATE: "，超时放款"}.get(self.state, "")
        return text + extra

    @property
    def en(self) -> str:
        if self.state is ClockState.NOT_STARTED:
            return "approval has not started"
        text = f"working day {self.day} of {self.limit_days}"
        extra = {ClockState.WARNING: ", hurry", ClockState.DUE_TODAY: ", due today", ClockState.LATE: ", late",
                 ClockState.PAUSED: ", paused while the registry registers the mortgage",
                 ClockState.DONE: ", disbursed on time", ClockState.DONE_LATE: ", disbursed late"}.get(self.state, "")
        return text + extra

    def to_json(self) -> dict[str, Any]:
        return {"state": self.state.value, "day": self.day, "limit_days": self.limit_days, "warning": self.warning,
                "late": self.late, "paused": self.paused,
                "started_at": self.started_at.isoformat() if self.started_at else None,
                "due_on": self.due_on.isoformat() if self.due_on else None,
                "registry_days_excluded": self.registry_days_excluded, "zh": self.zh, "en": self.en}


def loan_clock(started_at: datetime | None, pauses: Sequence[Pause], finished_at: datetime | None, now: datetime,
               calendar: WorkCalendar, tz: tzinfo, *, limit_days: int = 5,
               warn_on_days: Sequence[int] = (3, 4)) -> LoanClock:
    """Working day N of the approval clock at `now` (centre-local dates).

    Day 1 is the first working day from the review's start. A working day wholly inside a registry
    interval (after the day of the request, before the day of the completion) is not counted; the
    days of the request and of the completion are. Warning on the days of `warn_on_days`, due on day
    `limit_days`, late after it; once disbursed the clock stops: done (on time) or done_late."""
    if started_at is None:
        return LoanClock(ClockState.NOT_STARTED, 0, limit_days, False, False, False, None, None, 0)
    start = started_at.astimezone(tz).date()
    end_moment = finished_at or now
    end = end_moment.astimezone(tz).date()
    spans = [(p.start.astimezone(tz).date(), p.end.astimezone(tz).date() if p.end else None) for p in pauses]
    counted: list[date] = []
    excluded = 0
    d = start
    while d <= end:
        if calendar.is_workday(d):
            inside = any(a < d and (b is None or d < b) for a, b in spans)
            if inside:
                excluded += 1
            else:
                counted.append(d)
        d += timedelta(days=1)
    day = len(counted)
    paused = finished_at is None and any(p.end is None for p in pauses)
    late = day > limit_days
    if finished_at is not None:
        state = ClockState.DONE_LATE if late else ClockState.DONE
    elif paused:
        state = ClockState.PAUSED
    elif late:
        state = ClockState.LATE
    elif day == limit_days:
        state = ClockState.DUE_TODAY
    elif day in warn_on_days:
        state = ClockState.WARNING
    else:
        state = ClockState.RUNNING
    due: date | None = None
    if finished_at is None and not paused and not late:
        left = limit_days - day
        due = end if left == 0 else calendar.add_working_days(end, left).due
    warning = finished_at is None and day in warn_on_days
    return LoanClock(state, day, limit_days, warning, late, paused, started_at, due, excluded, tuple(counted))


def first_due_date(disbursed_on: date, max_day: int = 28) -> date:
    """Repayment starts the month after disbursement, on the disbursement's day, at most `max_day`
    ([loans.repayment] of the policy)."""
    month0 = disbursed_on.month  # 0-based index of the next month
    year, month = disbursed_on.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(disbursed_on.day, max_day))
