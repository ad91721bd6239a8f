"""What a submitted application's result means for the member, in the one result pattern
(ui.result_view): success, pending review, refusal or offline-queued, with what happens next,
when, and where the money goes. The words come from the decision, the receipt and the policy
(review time limits from the catalogue, payout days from resources/policy/hall.toml); nothing
here decides anything. Voice prompts are the title and the next step only: never an amount, a
name or a card number.
"""

from __future__ import annotations

from typing import Any

from domain.decision import Decision, Outcome, Verdict
from domain.masking import mask_bank_card
from ui.result_view import ResultSpec, Text


def _limit(days: int) -> Text:
    if days <= 0:
        return Text("当场办结。", "Done on the spot.")
    return Text(f"{days} 个工作日内办结，结果以短信通知。",
                f"Decided within {days} working day{'s' if days != 1 else ''}; a text message tells you the result.")


def receipt_result(app: Any, decision: Decision | None, *, review_days: int, payout_days: int,
                   time_limit: tuple[str, str] = ("", "")) -> ResultSpec:
    """The receipt screen's outcome: `app` is kiosk.receipts.ApplicationReceipt."""
    card = mask_bank_card(app.bank_card) if getattr(app, "bank_card", "") else ""
    to_card = (Text(f"资金将转入您的银行卡 {card}。", f"The money goes to your bank card {card}.") if card
               else Text("资金将转入您在中心登记的银行卡。", "The money goes to the bank card the centre has on file."))
    money = to_card if app.payout else None
    pay_when = Text(f"审批通过后 {payout_days} 个工作日内到账（以银行为准）。",
                    f"Paid within {payout_days} working day{'s' if payout_days != 1 else ''} of approval "
                    "(the bank decides the exact time).")
    limit = Text(*time_limit) if time_limit[0] else None
    if app.final:
        if app.final_status == "approved":
            return ResultSpec("success", Text("已批准", "Approved"),
                              Text("中心已审批通过，无需再到柜台。",
                                   "The centre has approved it; no need to visit a counter."),
                              pay_when, money)
        if app.final_status == "rejected":
            return ResultSpec("refused", Text("中心未予受理", "Not accepted by the centre"),
                              Text(app.provisional_zh, app.provisional_en),
                              Text("如有疑问，请取号到柜台咨询。",
                                   "Take a ticket and ask at a counter if anything is unclear."))
        return ResultSpec("pending", Text("中心已受理，待人工复核", "Received: a clerk will check it"),
                          Text("工作人员将核对您的材料，结果以短信通知。",
                               "A clerk checks your application; a text message tells you the result."),
                          limit or _limit(review_days), money)
    if not app.online:
        return ResultSpec("queued", Text("已保存，联网后自动上传", "Saved: sent when the centre is reachable"),
                          Text("申请已保存在本机，网络恢复后自动发送，中心收到后才算受理。",
                               "Your application is kept on this terminal and sent automatically; it counts as "
                               "received when the centre has it."),
                          limit or (Text("中心受理后以短信通知结果。", "A text message tells you the result once the "
                                                                   "centre has it.")), money)
    if decision is not None and decision.outcome is Outcome.REVIEW:
        return ResultSpec("pending", Text("已提交，需人工复核", "Submitted: a clerk will check it"),
                          Text("工作人员将核对您的材料，结果以短信通知，无需再跑一次。",
                               "A clerk checks your application; a text message tells you the result, no second "
                               "visit needed."),
                          _limit(review_days), money)
    if decision is not None and decision.outcome is Outcome.APPROVED:
        return ResultSpec("success", Text("已提交，初步审核通过", "Submitted: provisionally approved"),
                          Text("中心将再次核验后办理，结果以短信通知。",
                               "The centre checks it once more; a text message confirms it."), pay_when, money)
    return ResultSpec("pending", Text("已提交", "Submitted"),
                      Text("中心核验后办理，结果以短信通知。",
                           "The centre checks it; a text message tells you the result."),
                      limit or _limit(review_days), money)


def refusal(decision: Decision) -> ResultSpec:
    """A withdrawal the rules refuse: each reason with its policy clause."""
    reasons = decision.having(Verdict.REJECT) or decision.reasons
    first = reasons[0] if reasons else None
    en = "; ".join(r.en for r in reasons)
    why = Text("；".join(r.zh for r in reasons) + "。", en[:1].upper() + en[1:] + ".") if reasons else None
    clause = Text(f"依据：{first.clause}", f"Rule: {first.clause}") if first is not None and first.clause else None
    return ResultSpec("refused", Text("本次提取不能办理", "This withdrawal is not possible"), why, clause, None,
                      voice_text=Text("本次提取不能办理，原因见屏幕。如有疑问请取号到柜台咨询。",
                                      "This withdrawal is not possible; the reason is on the screen. Take a ticket "
                                      "to ask at a counter."))


def blocks_account(decision: Decision) -> bool:
    """The refusal is about the account itself (frozen or pledged), not the withdrawal type."""
    return any(r.verdict is Verdict.REJECT and r.rule.split(".")[-1] == "frozen"
               for r in decision.reasons)
