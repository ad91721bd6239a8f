"""The receipts the kiosk prints, built with the printer's document model (hardware.printer).

The application receipt states what is true at the moment of printing: the application is saved
(durably, in the outbox) and numbered; whether the ledger has confirmed it yet, and the rules'
provisional answer — never a promise the ledger may still refuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.masking import mask_bank_card, mask_id_number, mask_name
from domain.money import chinese_capital, format_yuan
from hardware.printer.receipt import Align, Receipt, ReceiptBuilder

# What the status QR code carries: the application number, in a form the centre's app and
# counter scanners recognise. (A centre with a public progress page would put its URL here.)
STATUS_QR_PREFIX = "HPF-APP:"


def status_qr_text(application_no: str) -> str:
    return STATUS_QR_PREFIX + application_no


@dataclass(frozen=True)
class ApplicationReceipt:
    centre_name: str
    hotline: str
    terminal_id: str
    application_no: str
    business_zh: str
    business_en: str
    member_name: str
    id_number: str
    bank_card: str
    amount: Decimal | None
    submitted: datetime  # Beijing time
    provisional_zh: str  # the rules' provisional answer, e.g. "秒批：准予提取"
    provisional_en: str
    online: bool  # the ledger was reachable when the application was saved
    time_limit_zh: str = ""  # e.g. the transfer's working-day limit, worded as "after the centre accepts it"
    time_limit_en: str = ""
    payout: bool = True  # a withdrawal pays money; a transfer or signing does not
    final: bool = False  # the result above is the centre's decision (sent at once and answered in time)
    final_status: str = ""  # approved | review | accepted | rejected, when final


def status_sentences(online: bool, payout: bool = True) -> tuple[str, str]:
    if not payout:
        if online:
            return ("申请已保存并正在发送至中心，中心核验后办理，结果以短信通知为准。",
                    "Your application is saved and being sent to the centre, which checks it before acting on it; "
                    "the text message you receive is the final word.")
        return ("暂时无法连接中心：申请已保存在本机，联网后自动发送，中心收到后才算受理。",
                "The centre can't be reached right now: your application is saved on this terminal and will be "
                "sent automatically; it counts as received only when the centre has it.")
    if online:
        return ("申请已保存并正在发送至中心，中心将再次核验后办理，结果以短信通知为准。",
                "Your application is saved and being sent to the centre, which checks it again before paying; "
                "the text message you receive is the final word.")
    return ("暂时无法连接中心：申请已保存在本机，联网后自动发送。中心核验前，以上结果仅为初步结果。",
            "The centre can't be reached right now: your application is saved on this terminal and will be "
            "sent automatically. Until the centre checks it, the result above is only provisional.")


def final_sentences(status: str) -> tuple[str, str]:
    """What follows the centre's own decision on the receipt and the screen (kiosk.applications)."""
    if status == "approved":
        return ("中心已审批通过，提取款将转入您登记的银行卡，到账时间以银行为准。",
                "The centre has approved it; the money is paid into your bank card on file (the bank decides when "
                "it arrives).")
    if status == "review":
        return ("中心已受理，工作人员审核后以短信通知结果。",
                "The centre has received it; a clerk will check it and a text message will tell you the result.")
    if status == "rejected":
        return ("中心未予受理，原因见上；如有疑问请到柜台咨询。",
                "The centre did not accept it, for the reason above; ask at a counter if anything is unclear.")
    return ("中心已受理。", "The centre has received it.")


def application_receipt(r: ApplicationReceipt) -> Receipt:
    b = ReceiptBuilder(f"申请回执 {r.application_no}")
    b.heading(r.centre_name)
    b.text("业务申请回执 Application receipt", Align.CENTER, bold=True)
    b.separator("=")
    b.columns("申请编号 App. No.", r.application_no, widths=(2, 3))
    b.columns("业务 Service", r.business_zh, widths=(2, 3))
    b.columns("姓名 Name", mask_name(r.member_name), widths=(2, 3))
    b.columns("证件号码 ID No.", mask_id_number(r.id_number), widths=(2, 3))
    if r.bank_card:
        b.columns("收款账户 Account", mask_bank_card(r.bank_card), widths=(2, 3))
    if r.amount is not None:
        b.separator()
        b.columns("申请金额 Amount", format_yuan(r.amount), widths=(2, 3), bold=True)
        b.text(f"大写：{chinese_capital(r.amount)}")
    b.separator()
    if r.final:
        b.text(f"中心审批结果：{r.provisional_zh}", bold=True)
        b.text(f"Centre's decision: {r.provisional_en}")
        zh, en = final_sentences(r.final_status)
    else:
        b.text(f"初步结果：{r.provisional_zh}（中心将确认）")
        b.text(f"Provisional result: {r.provisional_en} (the centre will confirm)")
        zh, en = status_sentences(r.online, r.payout)
    b.text(zh)
    b.text(en)
    if r.time_limit_zh:
        b.text(r.time_limit_zh)
        b.text(r.time_limit_en)
    b.separator()
    b.columns("申请时间 Submitted", r.submitted.strftime("%Y-%m-%d %H:%M"), widths=(2, 3))
    b.columns("终端 Terminal", r.terminal_id, widths=(2, 3))
    b.feed()
    b.qr(status_qr_text(r.application_no), module_dots=6,
         caption="凭此码在 App 或柜台查询进度 Scan in the app or at a counter to track it")
    b.separator()
    b.text(f"服务热线 Hotline {r.hotline}", Align.CENTER)
    b.cut()
    return b.build()
