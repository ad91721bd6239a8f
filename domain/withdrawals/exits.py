"""Withdrawals that pay out the whole balance: retirement, leaving employment, settling abroad, death."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from domain.evidence import Department
from domain.withdrawals.context import Ctx, add_months


def retirement(ctx: Ctx) -> Decimal | None:
    fact = ctx.fact(
        ctx.app.shared.retirement, ("retirement_certificate",), "退休证明", "proof of retirement", ctx.basis()
    )
    if fact is None:
        return None
    if not fact.retired:
        ctx.reject(
            "retired",
            "人社记录显示尚未办理退休",
            "the social-insurance record shows you are not retired",
            ctx.basis(),
            fact.source,
        )
        return None
    ctx.ok(
        "retired",
        f"已于{fact.retired_on}办理退休" if fact.retired_on else "已办理退休",
        f"retired on {fact.retired_on}" if fact.retired_on else "retired",
        ctx.basis(),
        fact.source,
    )
    return ctx.app.snapshot.account.available


def leave_employment(ctx: Ctx) -> Decimal | None:
    account, rule = ctx.app.snapshot.account, ctx.rule
    months = rule.integer("min_sealed_months")
    if not account.is_sealed or account.sealed_on is None:
        ctx.reject(
            "sealed",
            "账户未封存：需与单位解除劳动关系并封存满期后申请",
            "the account is not sealed: apply after your employer seals it and the waiting period passes",
            rule.clause("min_sealed_months"),
            Department.FUND_CENTRE,
        )
    elif add_months(account.sealed_on, months) > ctx.app.on:
        ready = add_months(account.sealed_on, months)
        ctx.reject(
            "sealed",
            f"账户于{account.sealed_on}封存，未满{months}个月，{ready}起可申请",
            f"sealed on {account.sealed_on}, less than {months} months ago; you may apply from {ready}",
            rule.clause("min_sealed_months"),
            Department.FUND_CENTRE,
        )
    else:
        ctx.ok(
            "sealed",
            f"账户已封存满{months}个月",
            f"account sealed for at least {months} months",
            rule.clause("min_sealed_months"),
            Department.FUND_CENTRE,
        )
    fact = ctx.fact(
        ctx.app.shared.employment,
        ("termination_proof",),
        "解除劳动关系证明",
        "proof of leaving employment",
        rule.clause("min_sealed_months"),
    )
    if fact is None:
        return None
    if fact.employed:
        ctx.reject(
            "employed",
            "社保记录显示已重新就业",
            "the social-insurance record shows you are employed again",
            rule.clause("min_sealed_months"),
            fact.source,
        )
        return None
    ctx.ok(
        "employed",
        "社保记录显示未重新就业",
        "the social-insurance record shows no new employment",
        rule.clause("min_sealed_months"),
        fact.source,
    )
    return account.available


def settle_abroad(ctx: Ctx) -> Decimal | None:
    fact = ctx.fact(
        ctx.app.shared.hukou, ("hukou_cancellation",), "户口注销证明", "proof the hukou was cancelled", ctx.basis()
    )
    if fact is None:
        return None
    if not (fact.cancelled and fact.settled_abroad):
        ctx.reject(
            "hukou",
            "户籍记录未显示因出境定居注销户口",
            "the household register shows no cancellation for settling abroad",
            ctx.basis(),
            fact.source,
        )
        return None
    ctx.ok(
        "hukou",
        f"户口已于{fact.cancelled_on}因出境定居注销",
        f"hukou cancelled on {fact.cancelled_on} for settling abroad",
        ctx.basis(),
        fact.source,
    )
    return ctx.app.snapshot.account.available


def death(ctx: Ctx) -> Decimal | None:
    fact = ctx.fact(ctx.app.shared.death, ("death_certificate",), "死亡证明", "death certificate", ctx.basis())
    heir = ctx.fact(
        ctx.app.shared.heir,
        ("inheritance_proof",),
        "继承权公证书或法院文书",
        "notarised inheritance proof or court judgment",
        ctx.basis(),
    )
    if fact is not None:
        if not fact.deceased:
            ctx.reject(
                "deceased",
                "户籍记录未显示该职工死亡",
                "the household register does not show the member as deceased",
                ctx.basis(),
                fact.source,
            )
            return None
        ctx.ok("deceased", f"职工于{fact.died_on}死亡", f"the member died on {fact.died_on}", ctx.basis(), fact.source)
    if heir is None or fact is None:
        return None
    if not Decimal(0) < heir.share_percent <= 100:
        ctx.reject(
            "share",
            f"继承份额{heir.share_percent}%无效",
            f"inheritance share {heir.share_percent}% is invalid",
            ctx.basis(),
            heir.source,
        )
        return None
    share = (ctx.app.snapshot.account.available * heir.share_percent / 100).quantize(Decimal("0.01"), ROUND_DOWN)
    ctx.ok(
        "share",
        f"继承人按{heir.share_percent}%份额领取",
        f"the heir receives a {heir.share_percent}% share",
        ctx.basis(),
        heir.source,
    )
    return share
