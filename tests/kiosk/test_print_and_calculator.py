"""Printing a deposit certificate from the card, and the calculator from home, with touches counted."""

from __future__ import annotations

from decimal import Decimal

from domain.calculator import RepaymentMethod, repayment_schedule
from domain.masking import mask_id_number
from domain.money import chinese_capital, format_yuan
from kiosk.certificates import verification_code
from tests.kiosk.conftest import Kiosk, LedgerFixture
from tests.kiosk.test_withdrawal_flow import put_card

TOUCHES_DEPOSIT_CERTIFICATE = 2  # card → 打印 → 缴存证明
TOUCHES_CALCULATOR = 1  # home → 贷款计算器: the default loan is computed at once (one more prints it)


def test_a_deposit_certificate_is_printed_with_its_code_and_capitals(kiosk_devices: Kiosk,
                                                                    ledger: LedgerFixture) -> None:
    k = kiosk_devices
    put_card(k, ledger.members[5])
    snap = k.window.ctx.session.snapshot
    k.click(k.screen().more["print"])
    printing = k.screen()
    k.click(printing.tiles["certificate"])
    k.qtbot.wait_until(lambda: "取走" in printing.state.text(), timeout=10_000)  # the print job finished
    assert k.window.ctx.session.touches == TOUCHES_DEPOSIT_CERTIFICATE
    printed = "\n".join(k.services.printer.emulator.texts())
    code = printing.last_code
    assert code in printed and len(code) == 14
    assert chinese_capital(snap.account.balance) in printed
    member = ledger.members[5]
    assert member.id_number not in printed and mask_id_number(member.id_number) in printed  # masked on paper too
    assert member.id_number not in str(snap.to_json())  # the kiosk never received the whole number


def test_the_verification_code_changes_with_any_figure() -> None:
    from datetime import date
    base = verification_code("s", "T1", "M1", 100, "2026-11", date(2026, 11, 27))
    assert base != verification_code("s", "T1", "M1", 101, "2026-11", date(2026, 11, 27))
    assert base != verification_code("other", "T1", "M1", 100, "2026-11", date(2026, 11, 27))
    assert base == verification_code("s", "T1", "M1", 100, "2026-11", date(2026, 11, 27))


def test_the_calculator_answers_on_the_first_touch(kiosk: Kiosk) -> None:
    k = kiosk
    k.window.ctx.session.touches = 0
    k.click(k.window.screens["home"].tiles["calculator"])
    calc = k.screen()
    assert k.window.ctx.session.touches == TOUCHES_CALCULATOR
    rate = calc.rates.hpf[-1].first_home_long
    principal = Decimal(calc.amounts["hpf"]) * 10000
    expected = repayment_schedule(principal, rate, 360, RepaymentMethod.EQUAL_INSTALLMENT)
    assert calc.monthly.text() == format_yuan(expected[0].payment)
    assert len(calc.chart.series()) == 2
    k.click(calc.method["20"])
    assert calc.monthly.text() == format_yuan(
        repayment_schedule(principal, rate, 360, RepaymentMethod.EQUAL_PRINCIPAL)[0].payment)
    k.click(calc.view["month"])
    assert calc.table.rowCount() == 360


def test_the_calculator_result_prints_with_the_year_view(kiosk_devices: Kiosk) -> None:
    k = kiosk_devices
    k.click(k.window.screens["home"].tiles["calculator"])
    calc = k.screen()
    k.click(calc.method["20"])  # 等额本金: the slip also states the monthly decrease
    k.click(calc.print_button)
    k.qtbot.wait_until(lambda: "取走" in calc.print_state.text(), timeout=10_000)
    printed = "\n".join(k.services.printer.emulator.texts()).replace("￥", "¥")  # the printer's full-width ¥
    first = calc.schedule[0].payment
    assert format_yuan(first) in printed
    assert "等额本金" in printed and "示意" in printed
    assert format_yuan(calc.schedule[0].payment - calc.schedule[1].payment) in printed  # monthly decrease
    last_balance_line = [line for line in printed.splitlines() if line.strip().startswith("30 ")]
    assert last_balance_line and last_balance_line[-1].rstrip().endswith("¥0.00")  # year 30 ends the loan


def test_the_calculator_says_so_when_there_is_no_printer(kiosk: Kiosk) -> None:
    k = kiosk
    k.click(k.window.screens["home"].tiles["calculator"])
    calc = k.screen()
    assert k.services.printer is None
    k.click(calc.print_button)
    assert "打印机" in calc.print_state.text()
