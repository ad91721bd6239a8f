"""Housing withdrawals: rent, property fee, purchases, repaying commercial and HPF loans.

Each evaluator records its reasons on the context and returns the most that may be paid before
the account balance is applied, or None when no amount can be worked out.
"""

from __future__ import annotations

import functools
from decimal import Decimal

from domain.account import DepositKind, LoanStatus
from domain.decision import Reason, Verdict
from domain.evidence import Department, PurchaseFact, PurchaseKind
from domain.labels import counted
from domain.withdrawals.context import Ctx, month_index, yuan

ZERO = Decimal("0.00")
_RUN_KINDS = frozenset((DepositKind.MONTHLY, DepositKind.BACK_PAY))

_PURCHASE_KIND = {
    "purchase_online_contract": PurchaseKind.ONLINE_CONTRACT,
    "purchase_certificate_new": PurchaseKind.NEW,
    "purchase_certificate_second_hand": PurchaseKind.SECOND_HAND,
    "purchase_certificate_public": PurchaseKind.PUBLIC,
}
_PURCHASE_MATERIALS = {
    PurchaseKind.ONLINE_CONTRACT: ("online_contract", "down_payment_invoice"),
    PurchaseKind.NEW: ("property_certificate", "purchase_invoice"),
    PurchaseKind.SECOND_HAND: ("property_certificate", "deed_tax_receipt"),
    PurchaseKind.PUBLIC: ("property_certificate", "public_sale_agreement"),
}


def consecutive_deposit_months(ctx: Ctx) -> int:
    """Months with a 汇缴/补缴 record in an unbroken run ending at the paid-up month (0 if in arrears).

    Whether each month was paid in full is not checked here: a deposit record carries no required
    amount, and the base changes every year. The snapshot must carry at least the months the rule asks for.
    """
    account = ctx.app.snapshot.account
    paid_up = month_index(account.paid_up_to)
    app_month = ctx.app.on.year * 12 + ctx.app.on.month - 1
    if app_month - paid_up > ctx.rule.integer("max_arrears_months"):
        return 0
    months = {
        month_index(d.month) for d in ctx.app.snapshot.deposits if d.kind in _RUN_KINDS and d.month and d.amount > ZERO
    }
    run = 0
    while paid_up - run in months:
        run += 1
    return run


def _spouse_ok(ctx: Ctx) -> bool | None:
    """Whether the marriage record is known and married; None when it is missing."""
    marriage = ctx.fact(
        ctx.app.shared.marriage,
        ("marriage_certificate",),
        "婚姻状况证明",
        "proof of marital status",
        ctx.basis("使用配偶信息需婚姻证明"),
    )
    return None if marriage is None else marriage.married


def rent(ctx: Ctx) -> Decimal | None:
    app, rule, policy = ctx.app, ctx.rule, ctx.policy
    ctx.reasons.append(_deposit_months(ctx.prefix, consecutive_deposit_months(ctx),
                                       rule.integer("min_consecutive_months"), rule.clause("min_consecutive_months")))
    homes = ctx.fact(
        app.shared.homes,
        ("no_home_proof",),
        "本市无房证明",
        "proof of owning no home in the city",
        "[withdrawals.types.rent] 本人及配偶在本市无自有住房 (S1)",
    )
    if homes is not None:
        if homes.owns_home:
            ctx.reject(
                "no_home",
                f"本人或配偶在本市有登记住房（{len(homes.property_ids)}套），不符合租房提取条件",
                f"you or your spouse own {counted(len(homes.property_ids), 'home')} in the city, so rent "
                "withdrawal is not allowed",
                "[withdrawals.types.rent] 本人及配偶在本市无自有住房 (S1)",
                homes.source,
            )
        else:
            ctx.reasons.append(_no_home(ctx.prefix, homes.source))
    married = _spouse_ok(ctx)
    district = app.district or app.snapshot.account.district
    if district in policy.urban_districts:
        cap, tier_key, tier_zh = rule.decimal("cap_urban_per_year"), "cap_urban_per_year", "城六区"
    elif district in policy.county_districts:
        cap, tier_key, tier_zh = rule.decimal("cap_county_per_year"), "cap_county_per_year", "三县一市"
    else:
        cap, tier_key, tier_zh = rule.decimal("cap_county_per_year"), "cap_county_per_year", "未知区域"
        ctx.review(
            "district",
            f"区划代码{district or '（空）'}不在本市城六区或三县一市名单内，暂按较低额度，请柜员确认",
            f"district code {district or '(empty)'} is in neither tier; the lower cap applies until a clerk confirms",
            policy.clause("urban_districts"),
        )
    uplift = ZERO
    children = app.shared.children
    if children is not None and children.children >= policy.multi_child_min_children:
        uplift = rule.decimal("multi_child_uplift")
        ctx.reasons.append(_multi_child(ctx.prefix, children.children, rule.yuan(uplift),
                                        rule.clause("multi_child_uplift"), children.source))
    used = ctx.used_this_year(include_spouse=bool(married))
    left = cap + uplift - used
    year, cap_text = app.on.year, rule.yuan(cap + uplift)
    ctx.reasons.append(_rent_cap(ctx.prefix, year, tier_zh, cap_text, bool(married), used, left, rule.clause(tier_key)))
    return left if left > 0 else None


# The reasons of a rent decision depend on a few small values (a run of months, a year, a cap, what
# was used), which repeat across members: each distinct one is built (and its amounts formatted) once.
# Reasons are immutable, so decisions may share them.
@functools.lru_cache(maxsize=4096)
def _deposit_months(prefix: str, run: int, need: int, clause: str) -> Reason:
    if run < need:
        return Reason(Verdict.REJECT, prefix + "deposit_months", f"连续足额缴存{run}个月，不足{need}个月",
                      f"{run} consecutive full months deposited, {need} required", clause, Department.FUND_CENTRE)
    return Reason(Verdict.PASS, prefix + "deposit_months", f"已连续足额缴存{run}个月（要求{need}个月）",
                  f"{run} consecutive full months deposited ({need} required)", clause, Department.FUND_CENTRE)


@functools.lru_cache(maxsize=64)
def _no_home(prefix: str, source: Department) -> Reason:
    return Reason(Verdict.PASS, prefix + "no_home", "本人及配偶在本市无登记住房",
                  "neither you nor your spouse owns a home in the city",
                  "[withdrawals.types.rent] 本人及配偶在本市无自有住房 (S1)", source)


@functools.lru_cache(maxsize=1024)
def _multi_child(prefix: str, children: int, uplift_text: str, clause: str, source: Department) -> Reason:
    return Reason(Verdict.PASS, prefix + "multi_child", f"多子女家庭（{children}个子女），年度额度上浮{uplift_text}",
                  f"multi-child family ({children} children): yearly cap raised by {uplift_text}", clause, source)


@functools.lru_cache(maxsize=4096)
def _rent_cap(prefix: str, year: int, tier_zh: str, cap_text: str, married: bool, used: Decimal, left: Decimal,
              clause: str) -> Reason:
    who_zh, who_en = ("夫妻合计", "for the couple") if married else ("本人", "for you")
    if left <= 0:
        return Reason(Verdict.REJECT, prefix + "cap", f"{year}年{tier_zh}租房提取额度{cap_text}（{who_zh}）已用完",
                      f"the {year} rent cap of {cap_text} {who_en} is used up", clause, Department.FUND_CENTRE)
    used_text, left_text = yuan(used), yuan(left)
    return Reason(Verdict.PASS, prefix + "cap",
                  f"{year}年{tier_zh}租房提取额度{cap_text}（{who_zh}），已提{used_text}，尚可提取{left_text}",
                  f"{year} rent cap {cap_text} {who_en}: {used_text} used, {left_text} left", clause,
                  Department.FUND_CENTRE)


def property_fee(ctx: Ctx) -> Decimal | None:
    app, rule = ctx.app, ctx.rule
    invoice = ctx.fact(
        app.shared.property_fee,
        ("fee_invoice",),
        "物业费发票",
        "property-fee invoice",
        rule.clause("invoice_window_months"),
    )
    homes = ctx.fact(
        app.shared.homes,
        ("property_certificate",),
        "不动产权证",
        "property certificate",
        "[withdrawals.types.property_fee] 自住住房 (owner-occupier)",
    )
    ctx.check_interval()
    if invoice is None:
        return None
    ctx.within(invoice.invoice_on, "invoice_window_months", "物业费发票日期", "the invoice date", invoice.source)
    if homes is not None:
        if invoice.property_id in homes.property_ids:
            ctx.ok(
                "owner",
                "发票所列房屋为本人或配偶所有",
                "the invoiced home is yours or your spouse's",
                "[withdrawals.types.property_fee] 自住住房",
                homes.source,
            )
        else:
            ctx.reject(
                "owner",
                f"发票所列房屋（{invoice.property_id}）不在本人或配偶名下",
                f"the invoiced home ({invoice.property_id}) is not registered to you or your spouse",
                "[withdrawals.types.property_fee] 自住住房",
                homes.source,
            )
    cap = rule.decimal("cap_per_person_per_year")
    left = cap - ctx.used_this_year(include_spouse=False)
    if left <= 0:
        ctx.reject(
            "cap",
            f"本年度物业费提取额度{yuan(cap)}已用完",
            f"this year's property-fee cap of {yuan(cap)} is used up",
            rule.clause("cap_per_person_per_year"),
            Department.FUND_CENTRE,
        )
        return None
    limit = min(left, invoice.amount)
    ctx.ok(
        "cap",
        f"可提取金额不超过发票金额{yuan(invoice.amount)}及年度额度余额{yuan(left)}",
        f"at most the invoice ({yuan(invoice.amount)}) and this year's remaining cap ({yuan(left)})",
        rule.clause("cap_per_person_per_year"),
        invoice.source,
    )
    return limit


def _buyer_check(ctx: Ctx, purchase: PurchaseFact) -> None:
    member_id = ctx.app.snapshot.member.id_number.upper()
    buyers = {b.upper() for b in purchase.buyer_id_numbers}
    if member_id in buyers:
        ctx.ok("buyer", "申请人为购房人", "you are the buyer", ctx.basis("购房人为本人或配偶"), purchase.source)
        return
    marriage = ctx.fact(
        ctx.app.shared.marriage,
        ("marriage_certificate",),
        "婚姻状况证明",
        "proof of marriage",
        ctx.basis("购房人为本人或配偶"),
    )
    if marriage is None:
        return
    if marriage.married and marriage.spouse_id_number.upper() in buyers:
        ctx.ok(
            "buyer", "购房人为申请人配偶", "the buyer is your spouse", ctx.basis("购房人为本人或配偶"), marriage.source
        )
    else:
        ctx.reject(
            "buyer",
            "申请人及其配偶均不是该房屋的购房人",
            "neither you nor your spouse is a buyer of this home",
            ctx.basis("购房人为本人或配偶"),
            purchase.source,
        )


def purchase(ctx: Ctx) -> Decimal | None:
    app, rule = ctx.app, ctx.rule
    kind = _PURCHASE_KIND[rule.type.value]
    materials = _PURCHASE_MATERIALS[kind]
    if not app.property_id:
        ctx.missing(
            materials[0],
            "请选择或提供所购房屋（合同号或不动产单元号）",
            "say which home was bought (contract or property unit number)",
            rule.clause("window_months"),
        )
        return None
    found = ctx.fact(
        app.shared.purchase(app.property_id),
        materials,
        f"{kind.value}购房资料",
        f"the {kind.name.lower().replace('_', ' ')} purchase record",
        rule.clause("window_months"),
    )
    if found is None:
        return None
    if found.kind is not kind:
        ctx.reject(
            "kind",
            f"该房屋登记为“{found.kind.value}”，请按对应类型申请",
            f"this home is registered as {found.kind.name}; apply under that type",
            rule.clause("window_months"),
            found.source,
        )
        return None
    _buyer_check(ctx, found)
    ctx.within(found.dated, "window_months", "合同/登记日期", "the contract or registration date", found.source)
    earlier = [w for w in ctx.history() if w.property_id == app.property_id and w.reason_code == rule.code]
    if earlier:
        ctx.reject(
            "once_per_property",
            f"该房屋已于{earlier[0].on}办理过购房提取（每套房屋限一次）",
            f"a purchase withdrawal for this home was already made on {earlier[0].on} (once per home)",
            "[withdrawals] once per property (BRIEF §1)",
            Department.FUND_CENTRE,
        )
    else:
        ctx.ok(
            "once_per_property",
            "该房屋未办理过购房提取",
            "no earlier purchase withdrawal for this home",
            "[withdrawals] once per property (BRIEF §1)",
            Department.FUND_CENTRE,
        )
    if rule.flag("requires_deed_tax"):
        _deed_tax(ctx, found)
    return _purchase_limit(ctx, found)


def _deed_tax(ctx: Ctx, found: PurchaseFact) -> None:
    if found.deed_tax_paid is None or found.deed_tax_source is None:
        ctx.missing(
            "deed_tax_receipt",
            "缺少契税完税凭证：无税务共享数据",
            "missing the deed-tax receipt: no tax data",
            ctx.rule.clause("requires_deed_tax"),
        )
    elif not found.deed_tax_paid:
        ctx.reject(
            "deed_tax",
            "税务记录显示契税未缴纳",
            "the tax bureau shows the deed tax unpaid",
            ctx.rule.clause("requires_deed_tax"),
            found.deed_tax_source,
        )
    elif found.deed_tax_source is Department.APPLICANT:
        ctx.review(
            "deed_tax",
            "契税凭证为申请人提供，需核验",
            "the deed-tax receipt must be checked by a clerk",
            ctx.rule.clause("requires_deed_tax"),
            found.deed_tax_source,
        )
    else:
        ctx.ok("deed_tax", "契税已缴纳", "deed tax paid", ctx.rule.clause("requires_deed_tax"), found.deed_tax_source)


def _purchase_limit(ctx: Ctx, found: PurchaseFact) -> Decimal | None:
    basis = ctx.rule.text("cap_basis")
    if basis == "down_payment":
        if found.down_payment <= 0:
            ctx.reject(
                "down_payment",
                "未查到首付款缴纳记录",
                "no down payment has been recorded",
                ctx.rule.clause("cap_basis"),
                found.source,
            )
            return None
        limit, zh, en = found.down_payment, "已付首付款", "the down payment made"
    elif basis == "price_minus_loan":
        limit, zh, en = found.price - found.loan_amount, "房价扣除贷款后的自付部分", "the price less any loan"
    else:
        limit, zh, en = found.price, "房价", "the price"
    ctx.ok(
        "limit",
        f"提取额不超过{zh}{yuan(limit)}",
        f"at most {en}: {yuan(limit)}",
        ctx.rule.clause("cap_basis"),
        found.source,
    )
    return limit


def repay_commercial_loan(ctx: Ctx) -> Decimal | None:
    app, rule = ctx.app, ctx.rule
    loan = ctx.fact(
        app.shared.commercial_loan,
        ("loan_contract", "repayment_record"),
        "商业贷款合同及还款记录",
        "the commercial loan contract and repayment record",
        rule.clause("min_interval_months"),
    )
    homes = ctx.fact(
        app.shared.homes, ("property_certificate",), "不动产权证", "property certificate", ctx.basis("自住住房商业贷款")
    )
    ctx.check_interval()
    if loan is None:
        return None
    if homes is not None and loan.property_id not in homes.property_ids:
        ctx.reject(
            "own_home",
            "贷款所购房屋不在本人或配偶名下",
            "the mortgaged home is not yours or your spouse's",
            ctx.basis("自住住房商业贷款"),
            homes.source,
        )
    if not loan.in_good_standing:
        ctx.reject(
            "standing",
            "商业贷款存在逾期，需先结清欠款",
            "the commercial loan is overdue; clear the arrears first",
            ctx.basis("正常还款"),
            loan.source,
        )
        return None
    ctx.ok(
        "repaid",
        f"近12个月已还本息{yuan(loan.repaid_last_12_months)}",
        f"repaid {yuan(loan.repaid_last_12_months)} in the last 12 months",
        rule.clause("min_interval_months"),
        loan.source,
    )
    return loan.repaid_last_12_months


def repay_hpf_loan(ctx: Ctx) -> Decimal | None:
    """冲还贷 signing: the decision's amount is one deduction (a month's or a year's instalments)."""
    app, rule = ctx.app, ctx.rule
    loan = app.loan or app.snapshot.loan
    if app.loan_holder == "spouse":
        married = _spouse_ok(ctx)
        if married is False:
            ctx.reject(
                "spouse",
                "婚姻登记显示未婚，不能为他人贷款签约",
                "not married: cannot sign for another's loan",
                ctx.basis("借款人及配偶"),
                Department.CIVIL_AFFAIRS,
            )
    if loan is None:
        ctx.reject("no_loan", "未查到公积金贷款", "no HPF loan found", ctx.basis("冲还贷"), Department.FUND_CENTRE)
        return None
    modes = rule.strings("modes")
    if app.repay_mode not in modes:
        ctx.reject(
            "mode",
            f"扣划方式“{app.repay_mode}”不可用，可选：{'、'.join(modes)}",
            f"deduction mode {app.repay_mode!r} is not offered; choose one of {', '.join(modes)}",
            rule.clause("modes"),
        )
    if loan.auto_repay_signed:
        ctx.reject(
            "signed",
            "该贷款已签订冲还贷协议",
            "an auto-deduction agreement for this loan already exists",
            ctx.basis("冲还贷"),
            Department.FUND_CENTRE,
        )
    status_zh = {
        LoanStatus.OVERDUE: "贷款已逾期，请先归还欠款",
        LoanStatus.SETTLED: "贷款已结清",
        LoanStatus.APPLYING: "贷款尚在审批中",
        LoanStatus.AWAITING_DISBURSEMENT: "贷款尚未放款",
    }
    if loan.status is not LoanStatus.NORMAL:
        ctx.reject(
            "loan_status",
            status_zh[loan.status],
            f"the loan is {loan.status.name.lower()}; signing needs a disbursed loan in good standing",
            ctx.basis("贷款未逾期"),
            Department.FUND_CENTRE,
        )
        return None
    ctx.ok(
        "loan_status",
        f"贷款{loan.contract_no}正常还款中",
        f"loan {loan.contract_no} is in good standing",
        ctx.basis("贷款未逾期"),
        Department.FUND_CENTRE,
    )
    per_period = loan.due_total if loan.due_total > 0 else loan.balance
    deduction = per_period * (12 if app.repay_mode == "yearly" else 1)
    return min(deduction, loan.balance)
