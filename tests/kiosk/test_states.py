"""The states between the services on the real kiosk (issue 13 items 2–4): the step indicator, the one
result pattern and 完成 after a submission, take-card, paper out during the receipt, an expired ID
card, and "call staff" through the ledger (offline: the hall's help number only)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from kiosk.hall_info import hall_info
from ledger.testing import demo_key_path
from sync.client import LedgerClient
from sync.help_calls import open_help_calls
from sync.outbox import Receipt
from tests.kiosk.conftest import Kiosk, LedgerFixture, card_of
from tests.kiosk.test_withdrawal_flow import apply_for_retirement, put_card


def _member(ledger: LedgerFixture, nth: int) -> Any:
    """Retired members with a co-branded card and no loan, from the end (the other tests take theirs from the start)."""
    pool = [m for m in ledger.members if m.retired and m.carded and not m.has_loan]
    assert len(pool) >= 6, len(pool)
    return pool[nth]


def test_an_approved_withdrawal_shows_the_result_then_done_then_take_the_card(kiosk_devices: Kiosk,
                                                                               ledger: LedgerFixture) -> None:
    k = kiosk_devices
    put_card(k, _member(ledger, -3))
    k.click(k.screen().more["withdraw"])
    assert k.window.steps.isVisible() and k.window.steps.current == 1  # ① identify ✓, ② choose the type
    assert "选择提取类型" in k.window.steps.text()
    k.window.back()
    apply_for_retirement(k)
    receipt = k.window.screens["receipt"]  # the printing state screen may be in front
    k.qtbot.wait_until(lambda: receipt._state in ("printed", "failed"), timeout=15_000)
    assert receipt.outcome.isVisible() and receipt.outcome.kind in ("success", "pending")
    assert receipt.outcome.money.text()  # where the money goes
    assert not k.window.back_button.isVisible()  # after a submission the way out is 完成
    assert k.window.steps.text().count("✓") >= 3
    assert k.window.finish_button.text() == "完成" and k.window.finish_button.property("role") == "primary"  # pinned
    k.click(k.window.finish_button)
    k.wait_for("take-card")
    assert "身份证和凭条" in k.screen().result.title.text()
    assert "身份证" in k.screen().voice_prompt()
    k.click(k.screen().buttons["finish-now"])
    assert k.window.current in ("rating", "home")


def test_paper_out_during_the_receipt_has_its_own_screen(kiosk_devices: Kiosk, ledger: LedgerFixture) -> None:
    k = kiosk_devices
    put_card(k, ledger.member())  # the receipt of an application already saved (no account is emptied here)
    k.services.printer.emulator.run_out_of_paper(after_lines=6)  # a few lines print, then the paper ends
    receipt = Receipt(9, "paper-out-test", "transfer.apply", k.window.ctx.session.member_id,
                      "2026-11-27T06:35:00Z", "DEMO-KIOSK-01-20261127-000009")
    k.window.go("receipt", outbox_receipt=receipt, business=("异地转移接续", "Cross-city transfer"),
                provisional=("已受理", "received"), time_limit=("", ""))
    k.wait_for("paper-out-during-print", timeout_ms=20_000)
    screen = k.screen()
    assert screen.result.kind == "warn" and "缺纸" in screen.result.title.text()
    assert "已保存" in screen.result.next.text()  # nothing is lost
    assert screen.qr.isVisible() and not screen.qr.pixmap().isNull()  # any counter prints a copy from it
    assert not k.window.back_button.isVisible()
    k.click(screen.buttons["done"])
    k.wait_for("take-card")


def _receipt_of_a_transfer(k: Kiosk, key: str) -> None:
    receipt = Receipt(9, key, "transfer.apply", k.window.ctx.session.member_id,
                      "2026-11-27T06:35:00Z", f"DEMO-KIOSK-01-20261127-{key[-6:]}")
    k.window.go("receipt", outbox_receipt=receipt, business=("异地转移接续", "Cross-city transfer"),
                provisional=("已受理", "received"), time_limit=("", ""))


def test_the_first_print_of_a_receipt_shows_the_printing_state_then_its_outcome(kiosk_devices: Kiosk,
                                                                                 ledger: LedgerFixture) -> None:
    k = kiosk_devices
    put_card(k, ledger.member())
    shown: list[str] = []
    k.window.screen_changed.connect(shown.append)
    printer, jobs = k.services.printer, []
    real = printer.print_receipt
    printer.print_receipt = lambda doc, *, command_id: (jobs.append(command_id), real(doc, command_id=command_id))[1]
    _receipt_of_a_transfer(k, "printing-test-000011")
    receipt = k.window.screens["receipt"]
    k.qtbot.wait_until(lambda: receipt._state == "printed" and k.window.current == "receipt", timeout=20_000)
    assert shown == ["receipt", "printing", "receipt"]  # the printing state, then back with the outcome
    assert "取走" in receipt.print_state.text()
    assert jobs == ["printing-test-000011"]  # one job: the state screen prints nothing of its own
    k.click(receipt.reprint)  # a copy prints on the receipt screen itself
    k.qtbot.wait_until(lambda: receipt._state == "printed" and receipt.reprint.isEnabled(), timeout=20_000)
    assert len(jobs) == 2 and shown[3:] == [] and k.window.current == "receipt"


def test_paper_out_mid_receipt_goes_from_the_printing_state_to_the_paper_out_state(kiosk_devices: Kiosk,
                                                                                   ledger: LedgerFixture) -> None:
    k = kiosk_devices
    put_card(k, ledger.member())
    k.services.printer.emulator.run_out_of_paper(after_lines=6)
    shown: list[str] = []
    k.window.screen_changed.connect(shown.append)
    _receipt_of_a_transfer(k, "paper-out-test-000012")
    k.wait_for("paper-out-during-print", timeout_ms=20_000)
    assert shown == ["receipt", "printing", "paper-out-during-print"]


def test_an_expired_id_card_is_refused_on_its_own_screen(kiosk_devices: Kiosk, ledger: LedgerFixture) -> None:
    k = kiosk_devices
    expired = replace(card_of(ledger.member()), valid_from=date(2000, 1, 1), valid_to=date(2020, 1, 1))
    k.services.id_reader.emulator.present(expired)
    k.wait_for("card-expired")
    assert not k.window.ctx.session.active
    assert "过期" in k.screen().result.title.text() or "有效期" in k.screen().result.title.text()


def test_call_staff_reaches_the_ledger_and_offline_shows_the_help_number(kiosk: Kiosk, ledger: LedgerFixture) -> None:
    k = kiosk
    assert "阅读器" in k.window.screens["home"].invite.text()  # no reader fitted: home doesn't ask for the card
    k.qtbot.wait_until(lambda: k.window.state.online, timeout=10_000)
    k.window.go("queue")
    k.click(k.window.help_button)
    k.wait_for("help-called")
    screen = k.screen()
    k.qtbot.wait_until(lambda: screen.params.get("state") == "called", timeout=10_000)
    number = hall_info(k.window.ctx.config.terminal.outlet).help_number
    assert number in screen.result.when.text()
    counter = LedgerClient(ledger.url, "DEMO-COUNTER-01", demo_key_path("DEMO-COUNTER-01"))
    try:
        calls = open_help_calls(counter, k.window.ctx.config.terminal.outlet)
    finally:
        counter.close()
    assert any(c["terminal_id"] == k.window.ctx.config.terminal.id for c in calls), calls
    k.click(screen.buttons["back-to-service"])
    assert k.window.current == "queue"
    k.go_offline()
    k.qtbot.wait_until(lambda: not k.window.state.online, timeout=15_000)
    k.click(k.window.help_button)
    k.wait_for("help-called")
    assert k.screen().params.get("state") == "offline" and number in k.screen().result.when.text()
    assert "电话" in k.screen().result.title.text()
