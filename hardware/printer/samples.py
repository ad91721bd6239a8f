"""Receipts printed by the terminal itself: the test receipt and the withdrawal receipt.

`reference_receipt()` is the withdrawal receipt with fixed sample values; the golden tests pin
its exact ESC/POS bytes in both modes and docs/receipts/ shows the emulator's print of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.masking import mask_bank_card, mask_id_number, mask_name
from domain.money import Money, chinese_capital, format_yuan
from hardware.printer.receipt import Align, Receipt, ReceiptBuilder


def test_receipt(terminal_id: str = "", when: datetime | None = None) -> Receipt:
    """A test page in Chinese and English: sizes, emphasis, alignment, columns, QR, barcode."""
    stamp = (when or datetime.now()).strftime("%Y-%m-%d %H:%M:%S")
    b = ReceiptBuilder("打印测试 Print test")
    b.heading("打印测试")
    b.text("Printer test page", Align.CENTER, bold=True)
    b.separator("=")
    b.text("中文：住房公积金管理中心，提取、贷款、缴存。")
    b.text("English: Housing Provident Fund, withdrawals and loans.")
    b.text("全角标点（，。：；！？）与￥符号", bold=True)
    b.text("倍宽 Double width", double_width=True)
    b.text("倍高 Double height", double_height=True)
    b.text("右对齐 Right", Align.RIGHT)
    b.separator()
    b.columns("项目 Item", "数量 Qty", "金额 Amount", widths=(3, 2, 2))
    b.columns("提取 Withdrawal", "1", "¥1,200.00", widths=(3, 2, 2))
    b.columns("证明 Certificate", "2", "¥0.00", widths=(3, 2, 2))
    b.separator()
    b.qr("HPF-PRINT-TEST", module_dots=5)
    b.feed()
    b.barcode("HPF-TEST-0001", height_dots=60)
    b.feed()
    b.columns("终端 Terminal", terminal_id or "-")
    b.columns("时间 Time", stamp)
    b.text("如能看清以上内容，打印机工作正常。\nIf all of the above is legible, the printer works.", Align.CENTER)
    b.cut()
    return b.build()


test_receipt.__test__ = False  # type: ignore[attr-defined]  # not a pytest test despite its name


@dataclass(frozen=True)
class WithdrawalReceiptData:
    centre_name: str
    application_no: str
    member_name: str
    id_number: str
    withdrawal_type: str
    amount: Money
    bank_card: str
    submitted: datetime  # Beijing time, as shown to the member
    terminal_id: str
    expected_days: int
    query_url: str
    hotline: str


def withdrawal_receipt(d: WithdrawalReceiptData) -> Receipt:
    """The receipt a member takes home after applying for a withdrawal (提取申请回执).

    Personal data is masked (name, ID number, bank card), the amount is printed in figures and in
    Chinese capitals, and the QR code leads to the application's progress.
    """
    b = ReceiptBuilder(f"提取申请回执 {d.application_no}")
    b.heading(d.centre_name)
    b.text("住房公积金提取申请回执", Align.CENTER, bold=True)
    b.text("Withdrawal Application Receipt", Align.CENTER)
    b.separator("=")
    b.columns("申请编号 App. No.", d.application_no, widths=(2, 3))
    b.columns("姓名 Name", mask_name(d.member_name), widths=(2, 3))
    b.columns("证件号码 ID No.", mask_id_number(d.id_number), widths=(2, 3))
    b.columns("提取类型 Type", d.withdrawal_type, widths=(2, 3))
    b.columns("收款账户 Account", mask_bank_card(d.bank_card), widths=(2, 3))
    b.separator()
    b.columns("提取金额 Amount", format_yuan(d.amount), widths=(2, 3), bold=True)
    b.text(f"大写：{chinese_capital(d.amount)}")
    b.separator()
    b.columns("申请时间 Submitted", d.submitted.strftime("%Y-%m-%d %H:%M"), widths=(2, 3))
    b.columns("终端 Terminal", d.terminal_id, widths=(2, 3))
    b.text(f"预计 {d.expected_days} 个工作日内到账，请留意短信通知。\n"
           f"Expected in your account within {d.expected_days} working days.")
    b.feed()
    b.qr(d.query_url, module_dots=6)
    b.feed()
    b.text("扫码查询办理进度 Scan to track progress", Align.CENTER)
    b.separator()
    b.text(f"服务热线 Hotline {d.hotline}", Align.CENTER)
    b.text("请妥善保管本回执 Please keep this receipt", Align.CENTER)
    b.cut()
    return b.build()


REFERENCE = WithdrawalReceiptData(
    centre_name="太原市住房公积金管理中心",
    application_no="TQ20261127000123",
    member_name="张晓明",
    id_number="140105199003071234",
    withdrawal_type="租房提取 Renting",
    amount=Money.yuan("12345.67"),
    bank_card="6222021234567891234",
    submitted=datetime(2026, 11, 27, 14, 5),
    terminal_id="DEMO-KIOSK-01",
    expected_days=3,
    query_url="https://gjj.example.cn/progress?no=TQ20261127000123",
    hotline="12329",
)


def reference_receipt() -> Receipt:
    """The withdrawal receipt with the fixed sample values used by the golden tests."""
    return withdrawal_receipt(REFERENCE)
