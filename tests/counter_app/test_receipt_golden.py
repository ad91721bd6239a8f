"""Golden receipts the counter really prints: the clerk's intake drives the screen, its print button
sends the receipt to a simulated network printer (ESC/POS), and the decoded text is compared with
tests/counter_app/golden/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.masking import mask_bank_card, mask_id_number, mask_name
from domain.money import chinese_capital, format_yuan
from hardware.model import DeviceClass, DeviceSpec
from hardware.registry import build_device, load_builtin_drivers
from tests.counter_app.conftest import Counter
from tests.counter_app.test_intake_e2e import start_case
from tests.receipt_golden import check_receipt_rules, compare, normalise, printed_receipts

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def escpos(counter: Counter) -> Iterator[object]:
    """The counter's printer is a simulated ESC/POS network printer (text mode) for these tests."""
    load_builtin_drivers()
    printer = build_device(DeviceSpec(DeviceClass.PRINTER, "printer", "simulator", options={"mode": "text"})).start()
    counter.app.ctx.services.printer = printer
    try:
        yield printer
    finally:
        printer.close()


def _print(counter: Counter, screen: object, printer: object) -> list[str]:
    emulator = printer.emulator  # type: ignore[attr-defined]
    emulator.received.clear()
    counter.click(screen.print_btn)  # type: ignore[attr-defined]
    counter.qtbot.wait_until(lambda: b"\x1dV" in bytes(emulator.received), timeout=10_000)  # GS V: the cut
    printed = printed_receipts(bytes(emulator.received))
    assert len(printed) == 1
    check_receipt_rules(printed[0])
    return printed[0]


def test_the_instant_retirement_receipt_is_the_golden_one(counter: Counter, escpos: object) -> None:
    member = counter.ledger.member(retired=True, nth=2)  # its own member: a retirement withdrawal empties the account
    counter.shared.retired.add(member.member_id)
    counter.sign_in("clerk-01")
    screen = start_case(counter, member.id_number, "withdraw_retirement")
    counter.click(screen.decide_btn)
    assert screen.result.kind == "instant"
    lines = _print(counter, screen, escpos)
    text = "\n".join(lines)
    amount = screen.result.decision.amount
    card = screen.intake.member.snapshot.account.bank_account
    # a money receipt: figures, capitals (大写) and the masked card; the full ID and card never
    assert chinese_capital(amount) in text and mask_bank_card(card) in text
    assert member.id_number not in text and (card not in text or "*" in card)
    compare(GOLDEN / "counter_instant_retirement.txt", normalise(lines, {
        screen.intake.case_id: "<CASE>", mask_name(member.name): "<NAME>", mask_id_number(member.id_number): "<ID>",
        mask_bank_card(card): "<CARD>", format_yuan(amount).replace("¥", "￥"): "<AMOUNT>",
        format_yuan(amount): "<AMOUNT>", chinese_capital(amount): "<CAPITALS>"}))


def test_the_one_time_notice_is_the_golden_one(counter: Counter, escpos: object) -> None:
    member = counter.ledger.member(retired=False, nth=10)
    counter.sign_in("clerk-01")
    screen = start_case(counter, member.id_number, "withdraw_illness", card=False)
    counter.click(screen.decide_btn)
    assert screen.result.kind == "notice"
    lines = _print(counter, screen, escpos)
    text = "\n".join(lines)
    assert "复核事项" not in text  # the clerk's notes stay off the member's paper
    notice = screen.result.notice
    assert member.id_number not in text, "the full ID number on the member's paper"
    compare(GOLDEN / "counter_notice.txt", normalise(lines, {
        notice.notice_no: "<CASE>", notice.member_name: "<NAME>", notice.member_id_number: "<ID>"}))
