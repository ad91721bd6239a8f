"""Golden receipts the kiosk really prints: the member's flow drives the screens, the simulated
network printer receives the ESC/POS bytes, and their decoded text is compared with tests/kiosk/golden/."""

from __future__ import annotations

from pathlib import Path

from domain.masking import mask_bank_card, mask_id_number, mask_name
from domain.money import chinese_capital, format_yuan
from tests.kiosk.conftest import Kiosk, LedgerFixture
from tests.kiosk.test_withdrawal_flow import apply_for_retirement, put_card
from tests.receipt_golden import check_receipt_rules, compare, normalise, printed_receipts

GOLDEN = Path(__file__).parent / "golden"


def test_the_offline_retirement_receipt_is_the_golden_one(kiosk_devices: Kiosk, ledger: LedgerFixture) -> None:
    k = kiosk_devices
    member = [m for m in ledger.members if m.retired][-1]
    put_card(k, member)
    k.services.printer.emulator.received.clear()
    apply_for_retirement(k, offline_before_confirming=True)  # provisional words: the same on every run
    receipt = k.window.screens["receipt"]  # the printing state screen may be in front
    k.qtbot.wait_until(lambda: receipt._state in ("printed", "failed"), timeout=15_000)
    assert receipt._state == "printed"
    printed = printed_receipts(bytes(k.services.printer.emulator.received))
    assert len(printed) == 1
    lines = printed[0]
    check_receipt_rules(lines)
    app = receipt._app
    assert app.amount is not None and app.amount > 0
    text = "\n".join(lines)
    # a money receipt: the amount in figures and in capitals, and the card (masked)
    assert chinese_capital(app.amount) in text and mask_bank_card(app.bank_card) in text
    assert member.id_number not in text and "*" in mask_bank_card(app.bank_card)  # the kiosk only sees it masked
    compare(GOLDEN / "retirement_offline.txt", normalise(lines, {
        app.application_no: "<APP-NO>", mask_name(member.name): "<NAME>",
        mask_id_number(member.id_number): "<ID>", mask_bank_card(app.bank_card): "<CARD>",
        format_yuan(app.amount).replace("¥", "￥"): "<AMOUNT>", chinese_capital(app.amount): "<CAPITALS>"}))
