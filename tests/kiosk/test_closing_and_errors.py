"""Issue 13 items 10 and 11 on the kiosk: a retirement withdrawal says before the member confirms that it
closes the account (销户), and a printer error reaches the member in the screen's language."""

from __future__ import annotations

from typing import Any

from domain.withdrawals import WithdrawalType
from hardware.printer.device import PaperOutError
from tests.kiosk.conftest import Kiosk, LedgerFixture
from tests.kiosk.test_withdrawal_flow import put_card


def test_the_retirement_confirmation_says_it_closes_the_account(kiosk_devices: Kiosk, ledger: LedgerFixture) -> None:
    k = kiosk_devices
    member = [m for m in ledger.members if m.retired][0]
    put_card(k, member)
    k.click(k.screen().more["withdraw"])
    k.click(k.screen().tiles[WithdrawalType.RETIREMENT])
    decision = k.screen()
    k.qtbot.wait_until(lambda: decision.decision is not None, timeout=10_000)
    assert decision.confirm.isVisible() and decision.decision.closes_account
    assert "销户" in decision.payout.text() and "全部余额" in decision.payout.text()
    assert "日期未知" not in decision.reasons.text()
    k.window.ctx.languages.set_language("en")
    k.qtbot.wait_until(lambda: "closes your account" in decision.payout.text(), timeout=5_000)
    assert "销户" not in decision.payout.text()
    k.window.ctx.languages.set_language("zh_CN")


class _PaperOut:
    def __init__(self, real: Any) -> None:
        self._real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def print_receipt(self, receipt: Any, *, command_id: str) -> Any:
        raise PaperOutError("the printer is out of paper: 0/9 elements (byte 0)", "打印机缺纸，已打印 0/9 项",
                            action_zh="请到柜台咨询", action_en="Please ask at a counter")


def test_a_paper_out_on_the_calculator_reads_in_the_member_language(kiosk: Kiosk) -> None:
    k = kiosk
    k.window.ctx.languages.set_language("en")
    k.click(k.window.screens["home"].tiles["calculator"])
    calc = k.screen()
    k.window.ctx.services.printer = _PaperOut(k.window.ctx.services.printer)
    calc.print_result()
    k.qtbot.wait_until(lambda: "paper" in calc.print_state.text(), timeout=10_000)
    assert calc.print_state.text() == "The printer is out of paper. Please ask at a counter."
    k.window.ctx.languages.set_language("zh_CN")
    calc.print_result()
    k.qtbot.wait_until(lambda: "缺纸" in calc.print_state.text(), timeout=10_000)
    assert "byte" not in calc.print_state.text()
