"""After the idle timeout nothing personal is left: no widget, model or in-memory cache holds
the member's name, ID number or balance."""

from __future__ import annotations

from domain.masking import mask_id_number
from domain.money import format_yuan
from tests.kiosk.conftest import Kiosk, LedgerFixture
from tests.kiosk.leaks import all_text
from tests.kiosk.test_identify_account import sign_in_with_password


def personal_values(kiosk: Kiosk) -> list[str]:
    snap = kiosk.window.ctx.session.snapshot
    balance = snap.account.balance
    return [snap.member.name, snap.member.id_number, mask_id_number(snap.member.id_number),
            format_yuan(balance), f"{balance:,}", str(balance), snap.account.bank_account]


def visit_everything(kiosk: Kiosk) -> None:
    for name in ("deposits", "withdrawal_history", "loan", "account"):
        kiosk.window.go(name)


def test_idle_timeout_wipes_every_personal_value(kiosk: Kiosk, ledger: LedgerFixture) -> None:
    member = ledger.member(has_loan=True)
    sign_in_with_password(kiosk, member.id_number, member.password)
    kiosk.wait_for("account")
    visit_everything(kiosk)
    secrets = personal_values(kiosk)
    text = all_text(kiosk.window)
    assert all(s in text for s in secrets[:1] + secrets[2:4])  # the walk does see them while signed in
    kiosk.window.idle.timeout_s = 0.2  # config minimum is 10 s; the mechanism is the same
    kiosk.window.idle.warning_s = 1
    kiosk.window.idle.arm()
    with kiosk.qtbot.wait_signal(kiosk.window.idle.warning, timeout=5_000):
        pass
    assert kiosk.window.idle_banner.isVisible()
    with kiosk.qtbot.wait_signal(kiosk.window.session_wiped, timeout=5_000) as wiped:
        pass
    assert wiped.args == ["idle"]
    text = all_text(kiosk.window)
    leaked = [s for s in secrets if s and s in text]
    assert leaked == []
    assert kiosk.window.current == "home" and not kiosk.window.ctx.session.active


def test_a_touch_during_the_warning_keeps_the_session(kiosk: Kiosk, ledger: LedgerFixture) -> None:
    member = ledger.member()
    sign_in_with_password(kiosk, member.id_number, member.password)
    kiosk.wait_for("account")
    kiosk.window.idle.timeout_s = 0.2
    kiosk.window.idle.warning_s = 3
    kiosk.window.idle.arm()
    with kiosk.qtbot.wait_signal(kiosk.window.idle.warning, timeout=5_000):
        pass
    with kiosk.qtbot.wait_signal(kiosk.window.idle.resumed, timeout=2_000):
        kiosk.click(kiosk.screen().more["deposits"])
    assert kiosk.window.ctx.session.active and not kiosk.window.idle_banner.isVisible()


def test_finish_without_a_service_wipes_at_once(kiosk: Kiosk, ledger: LedgerFixture) -> None:
    member = ledger.member()
    sign_in_with_password(kiosk, member.id_number, member.password)
    kiosk.wait_for("account")
    secrets = personal_values(kiosk)
    with kiosk.qtbot.wait_signal(kiosk.window.session_wiped, timeout=2_000):
        kiosk.click(kiosk.window.finish_button)
    assert [s for s in secrets if s in all_text(kiosk.window)] == []
