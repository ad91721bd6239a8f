"""`decide()`: the common rules for every withdrawal, then the type's own rules, then the amount."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from domain.account import LoanStatus, WithdrawalStatus
from domain.decision import Decision, Reason, Verdict
from domain.evidence import Department
from domain.withdrawals.application import WithdrawalApplication
from domain.withdrawals.context import FEN, Ctx, yuan
from domain.withdrawals.policy import TypeRule, WithdrawalPolicy
from domain.withdrawals.rules import EVALUATORS

_ZERO = Decimal("0.00")


def decide(app: WithdrawalApplication, policy: WithdrawalPolicy, flags: Sequence[Reason] = ()) -> Decision:
    """Decide one application. `flags` are extra reasons from outside (e.g. fraud signals)."""
    rule = policy.types.get(app.type)
    if rule is None:
        reason = Reason(
            Verdict.REJECT,
            f"{app.type.value}.not_offered",
            f"本市未开办此项提取业务（{app.type.value}）",
            f"this city does not offer the {app.type.value} withdrawal",
            f"[withdrawals.types] ({policy.city})",
        )
        return Decision.of([reason], _ZERO, "99", app.type.value, policy.version)
    ctx = Ctx(app, rule, policy)
    _common(ctx)
    limit = EVALUATORS[app.type](ctx)
    amount = _amount(ctx, limit)
    ctx.reasons.extend(flags)
    return Decision.of(ctx.reasons, amount, rule.code, ctx.subtype, policy.version, rule.closes_account)


def _common(ctx: Ctx) -> None:
    app, rule, policy = ctx.app, ctx.rule, ctx.policy
    _effective(ctx, rule)
    account = app.snapshot.account
    fully_frozen = account.frozen and account.frozen_amount >= account.balance
    blocked = account.pledged or fully_frozen or (account.frozen and rule.flag("reject_if_frozen"))
    if account.frozen or account.pledged:
        what_zh = "质押" if account.pledged else f"冻结（{yuan(account.frozen_amount)}）"
        what_en = "pledged" if account.pledged else f"frozen ({yuan(account.frozen_amount)})"
        if rule.type.value == "death" or not blocked:
            ctx.review(
                "frozen",
                f"账户处于{what_zh}状态，需人工核查",
                f"the account is {what_en}; a clerk must check",
                ctx.basis("账户未冻结、未质押"),
                Department.FUND_CENTRE,
            )
        else:
            ctx.reject(
                "frozen",
                f"账户处于{what_zh}状态，暂不能提取",
                f"the account is {what_en}; no withdrawal possible",
                ctx.basis("账户未冻结、未质押"),
                Department.FUND_CENTRE,
            )
    subtype, in_flight = ctx.subtype, WithdrawalStatus.PENDING
    pending = [w for w in app.snapshot.withdrawals if w.status is in_flight and w.subtype == subtype]
    if len(pending) >= policy.max_in_flight_per_type:
        ctx.reject(
            "in_flight",
            f"已有一笔同类申请（{pending[0].application_no}）正在办理",
            f"an application of this type ({pending[0].application_no}) is still being processed",
            policy.clause(f"max_in_flight_per_type = {policy.max_in_flight_per_type}"),
            Department.FUND_CENTRE,
        )
    if app.snapshot.loan is not None:
        _open_loan(ctx)
    if app.snapshot.is_stale and policy.cache_snapshot_needs_review:
        ctx.review(
            "offline",
            f"账户数据为离线缓存（截至{app.snapshot.as_of:%Y-%m-%d %H:%M} UTC），需联网复核",
            f"account data is an offline copy (as of {app.snapshot.as_of:%Y-%m-%d %H:%M} UTC); the ledger re-checks it",
            policy.clause("cache_snapshot_needs_review = true"),
            Department.FUND_CENTRE,
        )


def _effective(ctx: Ctx, rule: TypeRule) -> None:
    on = ctx.app.on
    if rule.effective_from and on < rule.effective_from:
        ctx.reject(
            "effective",
            f"该政策自{rule.effective_from}起施行",
            f"this rule applies from {rule.effective_from}",
            rule.clause("effective_from"),
        )
    if rule.effective_until and on > rule.effective_until:
        ctx.reject(
            "effective",
            f"该政策已于{rule.effective_until}到期",
            f"this rule expired on {rule.effective_until}",
            rule.clause("effective_until"),
        )


def _open_loan(ctx: Ctx) -> None:
    loan, rule = ctx.app.snapshot.loan, ctx.rule
    if loan is None or not loan.is_open or rule.open_loan == "allow":
        return
    clause = f"[withdrawals.types.{rule.type.value}] open_loan = {rule.open_loan}"
    if loan.status is LoanStatus.OVERDUE and rule.type.value != "death":
        ctx.reject(
            "loan_overdue",
            f"公积金贷款逾期（欠款{yuan(loan.overdue_total)}），请先归还欠款",
            f"your HPF loan is overdue ({yuan(loan.overdue_total)} owed); repay the arrears first",
            clause,
            Department.FUND_CENTRE,
        )
    elif rule.open_loan == "reject":
        ctx.reject(
            "open_loan",
            f"有未结清的公积金贷款（{loan.contract_no}），不能办理此项提取（可办理冲还贷）",
            f"you have an open HPF loan ({loan.contract_no}); this withdrawal is not possible (auto-deduction "
            "repayment is)",
            clause,
            Department.FUND_CENTRE,
        )
    else:
        ctx.review(
            "open_loan",
            f"有未结清的公积金贷款（{loan.contract_no}），需柜员确认是否先结清",
            f"you have an open HPF loan ({loan.contract_no}); a clerk decides whether it is settled first",
            clause,
            Department.FUND_CENTRE,
        )


def _amount(ctx: Ctx, limit: Decimal | None) -> Decimal:
    """Apply the balance, the requested amount and the instant-approval ceiling."""
    if limit is None:
        return _ZERO
    app, rule = ctx.app, ctx.rule
    available = app.snapshot.account.available
    payable = min(limit, available).quantize(FEN)
    if payable <= 0:
        ctx.reject(
            "balance",
            f"可提取余额为{yuan(available)}，无可提取金额",
            f"available balance is {yuan(available)}: nothing can be paid",
            ctx.basis("提取额不超过账户余额"),
            Department.FUND_CENTRE,
        )
        return _ZERO
    if app.requested is not None and not rule.closes_account:
        if app.requested > payable:
            ctx.reject(
                "requested",
                f"申请金额{yuan(app.requested)}超过可提取额度{yuan(payable)}",
                f"the requested {yuan(app.requested)} exceeds the {yuan(payable)} allowed",
                ctx.basis("提取额度"),
                Department.FUND_CENTRE,
            )
            return _ZERO
        payable = app.requested
    if payable > rule.auto_approve_max:
        payable_text, ceiling_text = yuan(payable), yuan(rule.auto_approve_max)
        ctx.review(
            "auto_limit",
            f"金额{payable_text}超过自动审批上限{ceiling_text}，转人工审批",
            f"{payable_text} is above the {ceiling_text} instant-approval ceiling",
            rule.clause("auto_approve_max"),
        )
    return payable
