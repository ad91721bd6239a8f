"""Re-check and apply one transaction of each kind against the ledger's own data.

A terminal is never trusted: every handler re-reads the member, account, loan or case rows
(locked FOR UPDATE where a decision depends on them) and refuses with a `TransactionError`
whose zh/en sentences reach the clerk who handles the parked item. Handlers run inside a
savepoint opened by `ledger.service`, so a refusal leaves no half-applied rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain import transactions as tx
from domain.account import AccountSnapshot, WithdrawalRecord
from domain.cases import Action as CaseLifecycleAction
from domain.cases import Case as DomainCase
from domain.cases import CaseState, IllegalTransitionError, Role
from domain.decision import Decision, Outcome, Reason, Verdict
from domain.evidence import Department
from domain.fraud import FraudPolicy, Population, load_fraud_policy, screen
from domain.money import Money, format_yuan
from domain.transactions import TransactionError
from domain.withdrawals import (
    BadApplicationError,
    WithdrawalApplication,
    WithdrawalPolicy,
    decide,
    load_withdrawal_policy,
)
from ledger import attestation, certificates, staff_rules
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
from ledger.settings import CENTRE_TZ
from ledger.snapshot import build_snapshot, withdrawal_record


@dataclass(frozen=True)
class ItemContext:
    idempotency_key: str
    terminal_id: str
    role: str            # the calling terminal's role: kiosk | counter
    member_id: str | None
    created_at: datetime
    now: datetime
    ledger_id: str = ""  # of the transaction being applied: unique, so ids derived from it are too
    policy_city: str = "taiyuan"
    fraud_screening: bool = True
    evidence: Evidence | None = None  # department facts the ledger fetched for this item (ledger.exchange)


@dataclass(frozen=True)
class Applied:
    result: dict[str, Any] = field(default_factory=dict)
    amount_fen: int = 0  # money this transaction moved (for reconciliation to the fen)


def _refuse(code: str, zh: str, en: str) -> TransactionError:
    return TransactionError(code, zh, en)


def _member(session: Session, member_id: str | None) -> Member:
    member = session.get(Member, member_id) if member_id else None
    if member is None:
        raise _refuse("unknown_member", "账务中心没有该缴存职工。", "The ledger has no such member.")
    return member


def _locked_account(session: Session, member_id: str) -> Account:
    account = session.scalars(select(Account).where(Account.member_id == member_id).with_for_update()).first()
    if account is None:
        raise _refuse("no_account", "该职工没有住房公积金个人账户。", "The member has no provident fund account.")
    return account


def _usable_account(session: Session, member_id: str) -> Account:
    account = _locked_account(session, member_id)
    if account.frozen:
        raise _refuse("account_frozen", "账户已冻结，不能办理该业务。",
                      "The account is frozen; this business is not allowed.")
    if account.pledged:
        raise _refuse("account_pledged", "账户已质押，不能办理该业务。",
                      "The account is pledged; this business is not allowed.")
    return account


@cache
def withdrawal_policy(city: str) -> WithdrawalPolicy:
    return load_withdrawal_policy(city)


@cache
def fraud_policy(city: str) -> FraudPolicy:
    return load_fraud_policy(city)


def compile_policies(city: str, *, fraud_screening: bool = True) -> None:
    """Read and compile the city's policy tables now (the ledger's start), not on the first request."""
    withdrawal_policy(city)
    if fraud_screening:
        fraud_policy(city)


def population(session: Session, member: Member, application: WithdrawalApplication, policy: FraudPolicy,
               now: datetime) -> Population:
    """What only the ledger sees across members, for domain.fraud's patterns."""
    by_property: dict[str, tuple[WithdrawalRecord, ...]] = {}
    if application.property_id:
        rows = session.scalars(select(Withdrawal).where(Withdrawal.property_id == application.property_id)).all()
        by_property[application.property_id] = tuple(withdrawal_record(w) for w in rows)
    same_phone = frozenset(session.scalars(select(Member.member_id).where(Member.phone == member.phone)).all())
    card = member.cobranded_card
    same_card = frozenset(session.scalars(select(Member.member_id).where(Member.cobranded_card == card)).all()
                          ) if card else frozenset()
    since = now - timedelta(days=policy.velocity_window_days)
    recent = tuple(session.scalars(select(Withdrawal.applied_at).where(
        Withdrawal.member_id == member.member_id, Withdrawal.applied_at >= since)).all())
    return Population(purchase_withdrawals=by_property, members_by_phone={member.phone: same_phone},
                      members_by_card={card: same_card} if card else {}, recent_applications=recent)


def _decision_reason(decision: Decision, code: str, verdict: Verdict) -> TransactionError:
    reasons = decision.having(verdict)
    zh = "；".join(r.zh for r in reasons) or decision.outcome.zh
    en = "; ".join(r.en for r in reasons) or decision.outcome.value
    if verdict is Verdict.MISSING:
        zh, en = f"材料不全：{zh}。", f"Materials missing: {en}."
    else:
        zh, en = f"不予受理：{zh}。", f"Refused: {en}."
    return _refuse(code, zh, en)


# Used when no evidence was gathered for an item (a caller outside ledger.service): nothing is known.
NOT_LOOKED_UP = Evidence(unavailable={"exchange": ("未向数据共享交换平台查询", "the exchange was not asked")})


def _payout_card(member: Member, p: tx.WithdrawalApply, ev: Evidence) -> tuple[str, tuple[str, str] | None]:
    """The card to pay: the co-branded card on file, or another card the bank confirmed is the member's.

    Returns (card, why a clerk must check it) — the second part when the bank could not be asked."""
    on_file = member.cobranded_card
    if not p.payout_card or p.payout_card == on_file:
        if not on_file:
            raise _refuse("no_payout_card", "未签约联名卡，也未提供本人银行卡，无法支付提取款。",
                          "No co-branded card is signed and no own bank card was given: nowhere to pay the money.")
        return on_file, None
    if ev.card_owned is True:
        return p.payout_card, None
    if ev.card_owned is False:
        raise _refuse("payout_card_not_verified",
                      "银行核验：收款卡不属于申请人本人，不予支付。请使用本人联名卡或本人名下银行卡。",
                      "The bank says the payout card is not the applicant's own: nothing is paid. Use your "
                      "co-branded card or a card in your own name.")
    if not ev.authorised:
        raise _refuse("payout_card_not_verified", "未经本人授权，无法向银行核验收款卡归属，不予支付。",
                      "Without the member's authorisation the payout card's owner cannot be checked with the "
                      "bank: nothing is paid.")
    return p.payout_card, ("收款卡归属未能经银行核验", "the bank could not confirm who owns the payout card")


def _refused_on_own_data(decision: Decision) -> bool:
    """A refusal that rests only on the fund's own ledger (balance, account state), not on any department."""
    reasons = decision.having(Verdict.REJECT)
    return bool(reasons) and all(r.source in (None, Department.FUND_CENTRE) for r in reasons)


def withdrawal_apply(session: Session, ctx: ItemContext, p: tx.WithdrawalApply) -> Applied:
    """Re-decide with domain.withdrawals on the ledger's own account data and the facts the ledger fetched
    from the exchange, then pay or route to a clerk. Facts in the payload are never read."""
    member = _member(session, ctx.member_id)
    account = _locked_account(session, member.member_id)  # locked first: the decision reads the balance
    return decide_withdrawal(session, ctx, p, member, account,
                             lambda: build_snapshot(session, member.member_id, now=ctx.now, member=member,
                                                    account=account),
                             _store_withdrawal(session))


StoreRow = Callable[[dict[str, Any]], int | None]


def _store_withdrawal(session: Session) -> StoreRow:
    def store(values: dict[str, Any]) -> int:
        row = Withdrawal(**values)
        session.add(row)
        session.flush()
        return row.id
    return store


def decide_withdrawal(session: Session, ctx: ItemContext, p: tx.WithdrawalApply, member: Member, account: Account,
                      snapshot_of: Callable[[], AccountSnapshot], store: StoreRow,
                      used_of: Callable[[int], Mapping[str, Decimal]] | None = None) -> Applied:
    """The decision and its rows, once the member and their (locked) account are known: `snapshot_of` gives the
    member's snapshot, `store` writes the withdrawal row (and returns its id, or None when the caller fills it
    in later: the batch apply of ledger.batch inserts a request's rows in one statement). `used_of(year)`, when
    given, is the member's counting withdrawals of that calendar year summed per sub-type in the database
    (`WithdrawalApplication.used_this_year`: the batch apply's snapshot then leaves out the rows it covers)."""
    ev = ctx.evidence or NOT_LOOKED_UP
    payout, card_unchecked = _payout_card(member, p, ev)
    snapshot = snapshot_of()
    shared = attestation.accepted_facts(session, terminal_role=ctx.role, member_id=member.member_id,
                                        application_no=p.application_no, shared=ev.shared)
    on = ctx.created_at.astimezone(CENTRE_TZ).date()
    application = WithdrawalApplication(
        type=p.withdrawal_type, snapshot=snapshot, shared=shared, on=on,
        requested=None if p.amount_fen is None else Decimal(p.amount_fen) / 100, property_id=p.property_id,
        district=p.district, repay_mode=p.repay_mode, used_this_year=None if used_of is None else used_of(on.year))
    flags: list[Reason] = []
    if ctx.fraud_screening:
        policy = fraud_policy(ctx.policy_city)
        signals = screen(application, population(session, member, application, policy, ctx.now), policy, ctx.now)
        flags = [s.to_reason() for s in signals]
    try:
        decision = decide(application, withdrawal_policy(ctx.policy_city), flags)
    except BadApplicationError as exc:
        raise _refuse("invalid_application", f"提取申请不完整：{exc}",
                      f"The withdrawal application is malformed: {exc}") from None
    # The exchange did not answer (down, timed out, answer failed verification): the case goes to a clerk.
    # It is neither approved nor refused on facts the ledger does not have, unless the fund's own data
    # (balance, frozen account …) already refuses it.
    extra: list[tuple[str, str, str]] = []
    if not ev.complete:
        zh, en = ev.unavailable_reason()
        extra.append(("exchange.unavailable", f"数据共享交换平台未能提供信息，转人工复核（{zh}）",
                      f"the data-sharing exchange could not provide the facts, so a clerk reviews it ({en})"))
    if card_unchecked:
        extra.append(("payout.card_unverified", f"{card_unchecked[0]}，转人工复核", f"{card_unchecked[1]}; a clerk "
                      "reviews it"))
    if extra and not (decision.outcome is Outcome.REJECTED and _refused_on_own_data(decision)):
        available = account.balance_fen - (account.frozen_amount_fen if account.frozen else 0)
        amount_fen = p.amount_fen or int((decision.amount * 100).to_integral_value()) or max(available, 0)
        return _withdrawal_row(session, ctx, p, member, account, decision, payout, amount_fen, approved=False,
                               extra=extra, store=store)
    if decision.outcome is Outcome.REJECTED:
        raise _decision_reason(decision, "withdrawal_rejected", Verdict.REJECT)
    if decision.outcome is Outcome.MISSING_MATERIALS:
        raise _decision_reason(decision, "missing_materials", Verdict.MISSING)
    amount_fen = int((decision.amount * 100).to_integral_value())
    return _withdrawal_row(session, ctx, p, member, account, decision, payout, amount_fen,
                           approved=decision.outcome is Outcome.APPROVED, extra=[], store=store)


def _withdrawal_row(session: Session, ctx: ItemContext, p: tx.WithdrawalApply, member: Member, account: Account,
                    decision: Decision, payout: str, amount_fen: int, *, approved: bool,
                    extra: list[tuple[str, str, str]], store: StoreRow) -> Applied:
    """Pay now (approved) or open a case for a clerk; nothing moves until the case is approved."""
    case_id = None
    if approved:
        account.balance_fen -= amount_fen
    else:  # needs a clerk: a case on the counter work list; the money moves when the case is approved
        case_id = f"WD-{ctx.ledger_id}"
        why = [r.zh for r in decision.having(Verdict.REVIEW)] + [zh for _, zh, _ in extra]
        summary = f"{p.application_no}: " + "；".join(why)
        open_case(session, case_id, f"withdraw_{decision.subtype}", member.member_id, p.channel, ctx.created_at,
                  summary=summary[:500], key=ctx.idempotency_key, submit_as=member.member_id)
        note = "规则引擎转人工复核 / the rules engine routed it to a clerk"
        if extra:
            note = ("数据共享交换平台未能提供信息或收款卡未核验，转人工复核 / the exchange did not provide the facts "
                    "or the payout card is unverified: a clerk reviews it")
        session.add(CaseEvent(case_id=case_id, action="comment", actor="rules", at=ctx.created_at, note=note,
                              data={"decision": decision.to_json(),
                                    "exchange": [{"rule": r, "zh": zh, "en": en} for r, zh, en in extra]},
                              idempotency_key=ctx.idempotency_key))
    withdrawal_id = store(dict(
        member_id=member.member_id, account_no=account.account_no, reason_code=decision.reason_code,
        subtype=decision.subtype, property_id=p.property_id, amount_fen=amount_fen,
        status="approved" if approved else "pending", application_no=p.application_no, channel=p.channel,
        payout_card=payout, applied_at=ctx.created_at, decided_at=ctx.now if approved else None,
        idempotency_key=ctx.idempotency_key, case_id=case_id))
    reasons = [{"rule": r.rule, "verdict": r.verdict.name.lower(), "zh": r.zh, "en": r.en}
               for r in decision.reasons if r.verdict is not Verdict.PASS]
    reasons += [{"rule": rule, "verdict": "review", "zh": zh, "en": en} for rule, zh, en in extra]
    return Applied({"withdrawal_id": withdrawal_id, "status": "approved" if approved else "review",
                    "instant": decision.instant and approved, "amount_fen": amount_fen, "case_id": case_id,
                    "balance_after_fen": account.balance_fen, "application_no": p.application_no,
                    "reason_code": decision.reason_code, "policy_version": decision.policy_version,
                    "reasons": reasons, "facts_from": "exchange"},
                   amount_fen=amount_fen if approved else 0)


def loan_offset_sign(session: Session, ctx: ItemContext, p: tx.LoanOffsetSign) -> Applied:
    member = _member(session, ctx.member_id)
    loan = session.get(Loan, p.loan_id, with_for_update=True)
    if loan is None or loan.member_id != member.member_id:
        raise _refuse("unknown_loan", "该职工名下没有这笔贷款。", "The member has no such loan.")
    if loan.status == "settled":
        raise _refuse("loan_settled", "贷款已结清，无需签约冲还贷。",
                      "The loan is settled; no offset agreement needed.")
    if loan.status == "overdue":
        raise _refuse("loan_overdue", "贷款逾期，请先到柜台处理逾期后再签约冲还贷。",
                      "The loan is overdue; settle the arrears at a counter before signing the offset.")
    _usable_account(session, member.member_id)
    loan.offset_mode = p.mode
    agreement = Agreement(member_id=member.member_id, kind="loan_offset", signed_at=ctx.now,
                          detail={"loan_id": loan.loan_id, "mode": p.mode, "channel": p.channel},
                          idempotency_key=ctx.idempotency_key)
    session.add(agreement)
    session.flush()
    return Applied({"agreement_id": agreement.id, "loan_id": loan.loan_id, "mode": p.mode})


def transfer_apply(session: Session, ctx: ItemContext, p: tx.TransferApply) -> Applied:
    member = _member(session, ctx.member_id)
    account = _usable_account(session, member.member_id)
    if p.direction == "out":
        open_loan = session.scalar(select(func.count()).select_from(Loan).where(
            Loan.member_id == member.member_id, Loan.status != "settled"))
        if open_loan:
            raise _refuse("open_loan", "有未结清的公积金贷款，不能转出。",
                          "An open provident fund loan blocks a transfer out.")
    case_id = f"TR-{ctx.ledger_id}"
    open_case(session, case_id, f"transfer_{p.direction}", member.member_id, p.channel, ctx.created_at,
              summary=f"{p.direction} {p.counterpart_centre}", key=ctx.idempotency_key, submit_as=member.member_id)
    session.add(CaseEvent(case_id=case_id, action="comment", actor=ctx.terminal_id, at=ctx.created_at,
                          data={"counterpart_centre": p.counterpart_centre,
                                "counterpart_account": p.counterpart_account, "account_no": account.account_no},
                          idempotency_key=ctx.idempotency_key))
    return Applied({"case_id": case_id, "status": "submitted"})


def cobranded_card_sign(session: Session, ctx: ItemContext, p: tx.CobrandedCardSign) -> Applied:
    """联名卡签约: the card becomes the payout card only once the bank confirms (through the exchange) that
    it is the member's; until the bank has answered the signing stays pending (`confirm_pending_cards`)."""
    member = _member(session, ctx.member_id)
    session.refresh(member, with_for_update=True)
    ev = ctx.evidence or NOT_LOOKED_UP
    if ev.card_owned is False:
        raise _refuse("card_not_members", "银行核验：该卡不属于申请人本人，不能签约。",
                      "The bank says this card is not the applicant's own: it cannot be signed.")
    if ev.card_owned is None and not ev.authorised:
        raise _refuse("authorisation_required", "联名卡签约需本人授权向银行核验卡片归属。",
                      "Signing a co-branded card needs the member's authorisation to check the card with the bank.")
    confirmed = ev.card_owned is True
    detail: dict[str, Any] = {"bank": p.bank, "card_last4": p.card_number[-4:], "channel": p.channel,
                              "status": "signed" if confirmed else "pending_bank"}
    if confirmed:
        member.cobranded_bank, member.cobranded_card = p.bank, p.card_number
    else:
        detail["card_number"] = p.card_number  # kept until the bank confirms it (ledger.exchange.pending)
        detail["authorisation"] = p.authorisation.to_json() if p.authorisation else None
    agreement = Agreement(member_id=member.member_id, kind="cobranded_card", signed_at=ctx.now, detail=detail,
                          idempotency_key=ctx.idempotency_key)
    session.add(agreement)
    session.flush()
    return Applied({"agreement_id": agreement.id, "bank": p.bank, "card_last4": p.card_number[-4:],
                    "status": "signed" if confirmed else "pending"})


# Which case roles a terminal may act in: a kiosk acts for the member, a counter for its staff.
_ROLES_BY_TERMINAL = {"kiosk": frozenset({Role.MEMBER}), "counter": frozenset({Role.CLERK, Role.SUPERVISOR})}
_DEFAULT_ROLE = {"kiosk": Role.MEMBER, "counter": Role.CLERK}
_LIFECYCLE = frozenset(a.value for a in CaseLifecycleAction)


def _bilingual(exc: Exception) -> tuple[str, str]:
    """domain.cases writes "中文 / English" in one message."""
    zh, _, en = str(exc).partition(" / ")
    return zh, en or zh


def _domain_case(session: Session, row: Case) -> DomainCase:
    """The case rebuilt from its stored events, so domain.cases checks every transition again."""
    case = DomainCase.open(row.case_id, row.business_code or "unknown", row.member_id or "-", row.opened_at)
    events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == row.case_id).order_by(CaseEvent.id)).all()
    for event in events:
        if event.action in _LIFECYCLE and event.role:
            case = case.act(CaseLifecycleAction(event.action), event.actor, Role(event.role), event.at, event.note)
    return case


def open_case(session: Session, case_id: str, item_code: str, member_id: str, channel: str, at: datetime,
              *, summary: str = "", key: str | None = None, submit_as: str = "") -> Case:
    """A new case (draft), submitted at once by `submit_as` (a member id) when given."""
    case = DomainCase.open(case_id, item_code, member_id, at)
    events = [CaseEvent(case_id=case_id, action="open", actor=submit_as or channel, at=at, to_state=case.state.value,
                        idempotency_key=key)]
    if submit_as:
        before = case.state
        case = case.act(CaseLifecycleAction.SUBMIT, submit_as, Role.MEMBER, at)
        events.append(CaseEvent(case_id=case_id, action="submit", actor=submit_as, role=Role.MEMBER.value, at=at,
                                from_state=before.value, to_state=case.state.value, idempotency_key=key))
    row = Case(case_id=case_id, member_id=member_id, business_code=item_code, status=case.state.value,
               channel=channel, summary=summary, opened_at=at, updated_at=at)
    session.add(row)
    session.flush()
    session.add_all(events)
    return row


def case_action(session: Session, ctx: ItemContext, p: tx.CaseAction) -> Applied:
    role = Role(p.role) if p.role else _DEFAULT_ROLE.get(ctx.role, Role.MEMBER)
    if role not in _ROLES_BY_TERMINAL.get(ctx.role, frozenset()):
        raise _refuse("not_allowed_here", f"{ctx.role} 终端不能以「{role.value}」身份办理业务。",
                      f"A {ctx.role} terminal may not act in the {role.value} role.")
    staff_rules.check_case_action(session, terminal_role=ctx.role, terminal_id=ctx.terminal_id, p=p, role=role,
                                  created_at=ctx.created_at, now=ctx.now)
    if p.action == "open":
        if session.get(Case, p.case_id) is not None:
            raise _refuse("case_exists", "该业务编号已存在。", "A case with this id already exists.")
        member = _member(session, ctx.member_id)
        row = open_case(session, p.case_id, p.item_code, member.member_id, ctx.role, ctx.created_at,
                        summary=p.note, key=ctx.idempotency_key)
        return Applied({"case_id": p.case_id, "status": row.status})
    found = session.get(Case, p.case_id, with_for_update=True)
    if found is None:
        raise _refuse("unknown_case", "没有该业务编号。", "There is no case with this id.")
    row = found
    before = CaseState(row.status)
    # Event times never run backwards even when a terminal's clock lags the one that wrote the last event.
    last = session.scalar(select(func.max(CaseEvent.at)).where(CaseEvent.case_id == row.case_id))
    at = max(ctx.created_at, last) if last else ctx.created_at
    moved, after = 0, before
    attested: dict[str, Any] | None = None
    if p.action in _LIFECYCLE:
        try:
            after = _domain_case(session, row).act(CaseLifecycleAction(p.action), p.actor, role, at, p.note).state
        except IllegalTransitionError as exc:
            zh, en = _bilingual(exc)
            raise _refuse("bad_case_state", zh, en) from None
        if p.action in ("approve", "reject"):
            attestation.on_decision(session, row.case_id, p.action, p.actor, at)
        if p.action in ("approve", "reject", "disburse"):
            moved = _settle_case_withdrawals(session, row, p.action, now=ctx.now)
        row.status = after.value
    else:
        if before is CaseState.CLOSED:
            raise _refuse("bad_case_state", "业务已办结，不能再操作。", "The case is closed; no more actions.")
        if p.action == "assign":
            assignee = p.data.get("assignee")
            if role is Role.MEMBER or not isinstance(assignee, str) or not assignee:
                raise _refuse("invalid_payload", "分派须由工作人员办理，并给出经办人（data.assignee）。",
                              "Assigning is for staff and needs data.assignee.")
            row.assignee = assignee
        if p.action == "add_material":
            attested = attestation.record(session, terminal_role=ctx.role, terminal_id=ctx.terminal_id,
                                          member_id=ctx.member_id, case_member=row.member_id, p=p, role=role,
                                          at=at, key=ctx.idempotency_key)
    row.updated_at = ctx.now
    session.add(CaseEvent(case_id=row.case_id, action=p.action, actor=p.actor, role=role.value, note=p.note,
                          data=p.data, at=at, from_state=before.value,
                          to_state=after.value if p.action in _LIFECYCLE else "", idempotency_key=ctx.idempotency_key))
    result: dict[str, Any] = {"case_id": row.case_id, "status": row.status, "paid_fen": moved}
    if attested:
        result["attestation"] = attested
    return Applied(result, amount_fen=moved)


def _settle_case_withdrawals(session: Session, case: Case, action: str, *, now: datetime) -> int:
    """A decision on a withdrawal case moves its withdrawals; returns the fen paid out of the account."""
    wanted = {"approve": "pending", "reject": "pending", "disburse": "approved"}[action]
    rows = session.scalars(select(Withdrawal).where(Withdrawal.case_id == case.case_id,
                                                    Withdrawal.status == wanted)).all()
    paid = 0
    for withdrawal in rows:
        if action == "disburse":
            withdrawal.status = "paid"
            continue
        withdrawal.decided_at = now
        if action == "reject":
            withdrawal.status = "rejected"
            continue
        account = _locked_account(session, withdrawal.member_id)
        available = account.balance_fen - (account.frozen_amount_fen if account.frozen else 0)
        if withdrawal.amount_fen > available:
            raise _refuse("insufficient_balance",
                          f"可提取余额 {format_yuan(Money(available))} 不足以支付 "
                          f"{format_yuan(Money(withdrawal.amount_fen))}。",
                          f"The available balance {format_yuan(Money(available))} cannot pay "
                          f"{format_yuan(Money(withdrawal.amount_fen))}.")
        account.balance_fen -= withdrawal.amount_fen
        withdrawal.status = "approved"
        paid += withdrawal.amount_fen
    return paid


def queue_ticket(session: Session, ctx: ItemContext, p: tx.QueueTicket) -> Applied:
    issued_on = ctx.created_at.astimezone(CENTRE_TZ).date()
    exists = session.scalar(select(func.count()).select_from(QueueTicketRow).where(
        QueueTicketRow.outlet == p.outlet, QueueTicketRow.ticket_no == p.ticket_no,
        QueueTicketRow.issued_on == issued_on))
    if exists:
        raise _refuse("ticket_exists", "该网点当天已有同号排队票。",
                      "This outlet already issued this ticket number today.")
    row = QueueTicketRow(outlet=p.outlet, ticket_no=p.ticket_no, issued_on=issued_on, business=p.business,
                         member_id=ctx.member_id, priority=p.priority, status="waiting", issued_at=ctx.created_at,
                         updated_at=ctx.now)
    session.add(row)
    session.flush()
    return Applied({"ticket_id": row.id, "ticket_no": p.ticket_no, "status": "waiting"})


_QUEUE_FINAL = frozenset({"done", "no_show", "cancelled"})


def queue_event(session: Session, ctx: ItemContext, p: tx.QueueEvent) -> Applied:
    row = session.scalars(select(QueueTicketRow).where(
        QueueTicketRow.outlet == p.outlet, QueueTicketRow.ticket_no == p.ticket_no)
        .order_by(QueueTicketRow.issued_on.desc()).limit(1).with_for_update()).first()
    if row is None:
        raise _refuse("unknown_ticket", "没有该排队票。", "There is no such queue ticket.")
    if row.status in _QUEUE_FINAL:
        raise _refuse("ticket_finished", "该排队票已办结或作废。", "This queue ticket is already finished.")
    row.status = p.event
    row.window = p.window or row.window
    row.clerk = p.clerk or row.clerk
    row.updated_at = ctx.now
    return Applied({"ticket_id": row.id, "status": row.status})


def rating(session: Session, ctx: ItemContext, p: tx.Rating) -> Applied:
    if ctx.member_id:
        _member(session, ctx.member_id)
    row = RatingRow(member_id=ctx.member_id, score=p.score, service_item=p.service_item, channel=p.channel,
                    window=p.window, staff=p.staff, serial_no=p.serial_no, text=p.text, terminal_id=ctx.terminal_id,
                    rated_at=ctx.created_at)
    session.add(row)
    session.flush()
    return Applied({"rating_id": row.id})


def device_report(session: Session, ctx: ItemContext, p: tx.DeviceReport) -> Applied:
    row = DeviceReportRow(terminal_id=ctx.terminal_id, device=p.device, status=p.status, detail=p.detail,
                          reported_at=ctx.created_at)
    session.add(row)
    session.flush()
    return Applied({"report_id": row.id})


def technician_action(session: Session, ctx: ItemContext, p: tx.TechnicianAction) -> Applied:
    """A technician's action at a terminal (issue 12): kept for the fleet page and appended to the audit chain."""
    from ledger import audit
    from ledger.models_fleet import TechnicianActionRow

    row = TechnicianActionRow(terminal_id=ctx.terminal_id, technician=p.technician, action=p.action,
                              detail=p.detail, at=ctx.created_at)
    session.add(row)
    session.flush()
    audit.append(session, audit.current_key(), action=f"technician.{p.action}", staff_id=p.technician,
                 role="technician", terminal_id=ctx.terminal_id, obj=ctx.terminal_id,
                 details={str(k): str(v) for k, v in p.detail.items()}, at=ctx.created_at)
    return Applied({"action_id": row.id})


def certificate_issue(session: Session, ctx: ItemContext, p: tx.CertificateIssue) -> Applied:
    return Applied(certificates.register(session, p, terminal_id=ctx.terminal_id, member_id=ctx.member_id,
                                         created_at=ctx.created_at, city=ctx.policy_city))


Handler = Callable[[Session, ItemContext, Any], Applied]

HANDLERS: dict[str, Handler] = {
    "withdrawal.apply": withdrawal_apply,
    "loan_offset.sign": loan_offset_sign,
    "transfer.apply": transfer_apply,
    "cobranded_card.sign": cobranded_card_sign,
    "case.action": case_action,
    "queue.ticket": queue_ticket,
    "queue.event": queue_event,
    "rating": rating,
    "device.report": device_report,
    "staff.audit": staff_rules.staff_audit,
    "technician.action": technician_action,
    "certificate.issue": certificate_issue,
}
