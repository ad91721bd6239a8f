"""A retirement withdrawal from the card on the reader to the printed receipt, online and offline,
with the touches counted (the README lists them)."""

from __future__ import annotations

from typing import Any

from domain.money import chinese_capital, format_yuan
from domain.withdrawals import WithdrawalType
from tests.kiosk.conftest import Kiosk, LedgerFixture, card_of

# Touches from the account screen on (the README's table comes from these). The card alone only
# identifies: online the member first confirms it with the 6-digit query password (7 touches) or
# the app's QR code under the scanner (none) before the ledger opens a session.
TOUCHES_BALANCE = 0
TOUCHES_RETIREMENT_TO_RECEIPT = 3


def confirm_card(kiosk: Kiosk, member: Any) -> None:
    """The card is on the reader: wait for the password prompt and type the member's password."""
    identify = kiosk.window.screens["identify"]
    kiosk.qtbot.wait_until(lambda: identify.identifier.card_id_number == member.id_number
                           and not identify.identifier.busy, timeout=10_000)
    assert identify.pages.currentWidget() is identify.pw_keypad
    assert "密码" in identify.banner.text() or "password" in identify.banner.text()
    for ch in member.password:
        kiosk.click(identify.pw_keypad.keys[ch])
    kiosk.click(identify.pw_keypad.ok_button)


def put_card(kiosk: Kiosk, member: Any) -> None:
    kiosk.services.id_reader.emulator.present(card_of(member))
    confirm_card(kiosk, member)
    kiosk.wait_for("account")
    assert kiosk.window.ctx.session.ledger_session is not None  # the ledger verified the member itself
    kiosk.window.ctx.session.touches = 0  # count from here: the account is on screen


def apply_for_retirement(kiosk: Kiosk, *, offline_before_confirming: bool = False) -> None:
    kiosk.click(kiosk.screen().more["withdraw"])
    kiosk.click(kiosk.screen().tiles[WithdrawalType.RETIREMENT])
    decision_screen = kiosk.screen()
    kiosk.qtbot.wait_until(lambda: decision_screen.decision is not None, timeout=10_000)
    assert decision_screen.confirm.isVisible(), decision_screen.reasons.text()
    if offline_before_confirming:
        kiosk.go_offline()
        kiosk.qtbot.wait_until(lambda: not kiosk.window.sync.online, timeout=15_000)
    kiosk.click(decision_screen.confirm)
    kiosk.wait_for("receipt")


def test_balance_needs_no_touch_after_the_card(kiosk_devices: Kiosk, ledger: LedgerFixture) -> None:
    member = ledger.member()
    put_card(kiosk_devices, member)
    screen = kiosk_devices.screen()
    assert screen.balance.text() == format_yuan(kiosk_devices.window.ctx.session.snapshot.account.balance)
    assert kiosk_devices.window.ctx.session.touches == TOUCHES_BALANCE
    assert kiosk_devices.window.ctx.session.method == "card"


def test_retirement_withdrawal_is_approved_instantly_and_printed(kiosk_devices: Kiosk,
                                                                 ledger: LedgerFixture) -> None:
    k = kiosk_devices
    # a retired member with a co-branded card and no loan whom the other kiosk tests leave alone
    member = [m for m in ledger.members if m.retired and m.carded and not m.has_loan][-2]
    put_card(k, member)
    balance = k.window.ctx.session.snapshot.account.available
    apply_for_retirement(k)
    receipt = k.window.screens["receipt"]  # the printing state screen may be in front
    k.qtbot.wait_until(lambda: receipt._state in ("printed", "failed"), timeout=15_000)
    assert receipt._state == "printed"
    assert k.window.ctx.session.touches == TOUCHES_RETIREMENT_TO_RECEIPT <= 6
    printed = "\n".join(k.services.printer.emulator.texts())
    app_no = receipt._app.application_no
    assert app_no in printed
    amount = receipt._app.amount
    assert amount is not None and 0 < amount <= balance, (receipt._app.final_status, receipt._app.provisional_zh)
    assert format_yuan(amount, symbol="") in printed  # the printer's code page may draw ¥ full-width
    assert chinese_capital(amount) in printed
    assert "秒批" in receipt.provisional.text() or "instantly" in receipt.provisional.text()
    # the outbox holds it durably, and the sync engine delivers it to the ledger exactly once
    item = k.runtime.outbox.items()[-1]
    assert item.kind == "withdrawal.apply" and app_no in item.payload
    k.qtbot.wait_until(lambda: k.runtime.outbox.get(item.idempotency_key).state != "pending", timeout=15_000)


def test_offline_the_application_is_queued_with_words_that_do_not_promise(kiosk_devices: Kiosk,
                                                                          ledger: LedgerFixture) -> None:
    k = kiosk_devices
    member = [m for m in ledger.members if m.retired][-1]
    put_card(k, member)
    # the preview's facts come from the centre, so the network goes after the decision is shown
    apply_for_retirement(k, offline_before_confirming=True)
    receipt = k.window.screens["receipt"]  # the printing state screen may be in front
    assert "provisional" in receipt.status.text() or "初步" in receipt.status.text()
    assert k.runtime.outbox.counts().unsent >= 1
    k.qtbot.wait_until(lambda: receipt._state == "printed", timeout=15_000)
    assert "初步结果" in "\n".join(k.services.printer.emulator.texts())


def test_printer_out_of_paper_shows_the_qr_code_and_where_to_get_a_copy(kiosk_devices: Kiosk,
                                                                        ledger: LedgerFixture) -> None:
    k = kiosk_devices
    member = [m for m in ledger.members if m.retired][1]  # each test its own member: the ledger is shared
    k.services.printer.emulator.run_out_of_paper()
    put_card(k, member)
    apply_for_retirement(k)
    receipt = k.window.screens["receipt"]  # the printing state screen may be in front
    k.qtbot.wait_until(lambda: receipt._state == "failed", timeout=20_000)
    assert receipt.qr_card.isVisible() and not receipt.qr.pixmap().isNull()
    assert receipt.print_state.isVisible() and "柜台" in receipt.print_state.text()


def test_taking_the_card_away_ends_the_session(kiosk_devices: Kiosk, ledger: LedgerFixture) -> None:
    k = kiosk_devices
    put_card(k, ledger.member())
    with k.qtbot.wait_signal(k.window.session_wiped, timeout=10_000) as blocker:
        k.services.id_reader.emulator.remove()
    assert blocker.args == ["card_removed"]
    assert k.window.current == "home" and not k.window.ctx.session.active
