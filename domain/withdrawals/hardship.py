"""Major-illness withdrawal (code 09)."""

from __future__ import annotations

from decimal import Decimal

from domain.evidence import Department
from domain.withdrawals.context import Ctx, yuan

_RELATION_ZH = {"self": "本人", "spouse": "配偶", "parent": "父母", "child": "子女"}


def illness(ctx: Ctx) -> Decimal | None:
    app, rule = ctx.app, ctx.rule
    fact = ctx.fact(
        app.shared.illness,
        ("diagnosis", "medical_invoices"),
        "诊断证明及医疗费用票据",
        "the diagnosis and medical bills",
        rule.clause("relations"),
    )
    ctx.check_interval()
    if fact is None:
        return None
    relations = rule.strings("relations")
    if fact.relation not in relations:
        ctx.reject(
            "relation",
            f"患者与申请人的关系（{fact.relation}）不在可提取范围内",
            f"the patient's relation ({fact.relation}) is not one that may withdraw",
            rule.clause("relations"),
            fact.source,
        )
        return None
    if fact.relation != "self":
        _relation_proof(ctx, fact.relation, fact.relation_source)
    if not fact.listed_illness:
        ctx.reject(
            "listed",
            "所患疾病不在重大疾病目录内",
            "the illness is not on the list of major illnesses",
            rule.clause("relations"),
            fact.source,
        )
        return None
    ctx.within(fact.settled_on, "settlement_window_months", "医疗费用结算日期", "the bill settlement date", fact.source)
    ctx.ok(
        "cost",
        f"提取额不超过个人自付医疗费用{yuan(fact.out_of_pocket)}",
        f"at most the out-of-pocket cost of {yuan(fact.out_of_pocket)}",
        rule.clause("relations"),
        fact.source,
    )
    return fact.out_of_pocket


def _relation_proof(ctx: Ctx, relation: str, source: Department | None) -> None:
    who = _RELATION_ZH.get(relation, relation)
    if source is None:
        ctx.missing(
            "relation_proof",
            f"缺少与患者（{who}）的关系证明",
            f"missing proof of your relation to the patient ({relation})",
            ctx.rule.clause("relations"),
        )
    elif source is Department.APPLICANT:
        ctx.review(
            "relation",
            f"与患者（{who}）的关系证明需柜员核验",
            "the relation proof must be checked by a clerk",
            ctx.rule.clause("relations"),
            source,
        )
    else:
        ctx.ok(
            "relation",
            f"已核实患者为申请人{who}",
            f"the patient is confirmed as your {relation}",
            ctx.rule.clause("relations"),
            source,
        )
