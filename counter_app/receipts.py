"""Receipts the counter prints on the receipt printer: the case result with the next step, and the
one-time notice, built with the printer's document model (hardware.printer.receipt)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from counter_app.casework import DeskResult
from domain.masking import mask_bank_card, mask_id_number, mask_name
from domain.money import chinese_capital, format_yuan
from domain.notice import OneTimeNotice
from hardware.printer.receipt import Align, Receipt, ReceiptBuilder

BEIJING = timezone(timedelta(hours=8))


def case_receipt(centre: str, hotline: str, case_id: str, item_zh: str, item_en: str, name: str, id_number: str,
                 result: DeskResult, window: str, staff_id: str, at: datetime, *, bank_card: str = "") -> Receipt:
    """The member's receipt: what was decided and what happens next, in both languages. A money result
    (a payable decision) carries the amount in figures and in capitals (大写) and the masked card."""
    b = ReceiptBuilder(f"柜台回执 {case_id}")
    b.heading(centre)
    b.text("柜台业务回执 Counter receipt", Align.CENTER, bold=True)
    b.separator("=")
    b.columns("业务编号 Case No.", case_id, widths=(2, 3))
    b.columns("业务 Service", item_zh, widths=(2, 3))
    b.text(item_en)
    b.columns("姓名 Name", mask_name(name), widths=(2, 3))
    b.columns("证件号码 ID No.", mask_id_number(id_number), widths=(2, 3))
    amount = result.decision.amount if result.decision is not None else Decimal(0)
    if amount > 0:
        b.separator()
        b.columns("金额 Amount", format_yuan(amount), widths=(2, 3), bold=True)
        b.text(f"大写：{chinese_capital(amount)}")
        if bank_card:
            b.columns("收款账户 Account", mask_bank_card(bank_card), widths=(2, 3))
    b.separator()
    b.text(f"结果：{result.zh}", bold=True)
    b.text(f"Result: {result.en}")
    b.text(f"下一步：{result.next_zh}")
    b.text(f"Next: {result.next_en}")
    b.separator()
    b.columns("窗口 Window", window, widths=(2, 3))
    b.columns("经办 Clerk", staff_id, widths=(2, 3))
    b.columns("时间 Time", at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M"), widths=(2, 3))
    b.feed()
    b.qr(f"HPF-CASE:{case_id}", module_dots=6, caption="凭此码查询办理进度 Scan to follow your case")
    b.text(f"服务热线 Hotline {hotline}", Align.CENTER)
    b.cut()
    return b.build()


def notice_receipt(centre: str, notice: OneTimeNotice) -> Receipt:
    b = ReceiptBuilder(f"一次性告知书 {notice.notice_no}")
    b.heading(centre)
    for line in notice.lines():
        b.text(line)
    b.qr(f"HPF-CASE:{notice.notice_no}", module_dots=6,
         caption="补齐材料后凭此码续办，无需重新取号 Show this code when you come back")
    b.cut()
    return b.build()


def bundle_receipt(centre: str, hotline: str, parent_id: str, property_id: str, name: str, id_number: str,
                   steps: list[tuple[str, str, bool]], status: tuple[str, str], at: datetime) -> Receipt:
    """The one-window service's single status: every department's step, done or not, and the whole."""
    b = ReceiptBuilder(f"一窗办理 {parent_id}")
    b.heading(centre)
    b.text("二手房交易与公积金贷款“一窗办理” One-window service", Align.CENTER, bold=True)
    b.separator("=")
    b.columns("办理编号 No.", parent_id, widths=(2, 3))
    b.columns("不动产 Property", property_id, widths=(2, 3))
    b.columns("姓名 Name", mask_name(name), widths=(2, 3))
    b.columns("证件号码 ID No.", mask_id_number(id_number), widths=(2, 3))
    b.separator()
    for zh, en, done in steps:
        b.columns(f"{zh} {en}", "已办结 done" if done else "办理中 in progress", widths=(3, 2))
    b.separator()
    b.text(f"总体进度：{status[0]}", bold=True)
    b.text(f"Status: {status[1]}")
    b.columns("时间 Time", at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M"), widths=(2, 3))
    b.qr(f"HPF-CASE:{parent_id}", module_dots=6, caption="凭此码查询一窗办理进度 Scan to follow every step")
    b.text(f"服务热线 Hotline {hotline}", Align.CENTER)
    b.cut()
    return b.build()
