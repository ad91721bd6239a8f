"""Identification by ID number + password against the real ledger, then the account screens."""

from __future__ import annotations

import time

from domain.masking import mask_id_number
from domain.money import format_yuan
from tests.kiosk.conftest import Kiosk, LedgerFixture


def type_on(kiosk: Kiosk, keypad: object, text: str) -> None:
    for ch in text:
        kiosk.click(keypad.keys[ch])  # type: ignore[attr-defined]
    kiosk.click(keypad.ok_button)  # type: ignore[attr-defined]


def sign_in_with_password(kiosk: Kiosk, id_number: str, password: str) -> None:
    kiosk.click(kiosk.window.screens["home"].tiles["account"])
    assert kiosk.window.current == "identify"
    identify = kiosk.screen()
    type_on(kiosk, identify.id_keypad, id_number)
    type_on(kiosk, identify.pw_keypad, password)


def test_password_sign_in_shows_the_balance_from_the_ledger(kiosk: Kiosk, ledger: LedgerFixture) -> None:
    member = ledger.member()
    sign_in_with_password(kiosk, member.id_number, member.password)
    kiosk.wait_for("account")
    assert kiosk.window.current == "account"
    snapshot = kiosk.window.ctx.session.snapshot
    assert snapshot.member.member_id == member.member_id
    screen = kiosk.screen()
    assert screen.balance.text() == format_yuan(snapshot.account.balance)
    assert mask_id_number(member.id_number) in screen.who.text()
    assert member.id_number not in screen.who.text()
    assert not screen.stale.isVisible()


def test_a_wrong_password_is_explained_and_attempts_are_limited(kiosk: Kiosk, ledger: LedgerFixture) -> None:
    member = ledger.members[-1]
    identify = kiosk.window.screens["identify"]
    sign_in_with_password(kiosk, member.id_number, "000000" if member.password != "000000" else "111111")
    kiosk.qtbot.wait_until(lambda: "2" in identify.banner.text() and not identify.identifier.busy, timeout=10_000)
    assert kiosk.window.current == "identify"
    assert identify.pages.currentWidget() is identify.pw_keypad
    for _ in range(2):
        type_on(kiosk, identify.pw_keypad, "999999" if member.password != "999999" else "888888")
        kiosk.qtbot.wait_until(lambda: not identify.identifier.busy, timeout=10_000)
    assert identify.pages.currentWidget() is identify.locked_note
    assert not kiosk.window.ctx.session.active
    assert kiosk.window.current == "password-locked"  # the state has its own screen, with the other ways
    assert "锁定" in kiosk.screen().result.title.text()


def test_an_invalid_id_number_is_refused_before_anything_is_sent(kiosk: Kiosk) -> None:
    kiosk.click(kiosk.window.screens["home"].tiles["account"])
    identify = kiosk.screen()
    type_on(kiosk, identify.id_keypad, "140105199003071235")  # wrong check character
    assert identify.banner.isVisible() and identify.banner.text()
    assert identify.pages.currentWidget() is identify.id_keypad
    assert not identify.identifier.busy


def test_the_loan_screen_shows_the_plan_for_a_borrower(kiosk: Kiosk, ledger: LedgerFixture) -> None:
    member = ledger.member(has_loan=True)
    sign_in_with_password(kiosk, member.id_number, member.password)
    kiosk.wait_for("account")
    kiosk.click(kiosk.screen().more["loan"])
    loan_screen = kiosk.screen()
    loan = kiosk.window.ctx.session.snapshot.loan
    assert kiosk.window.current == "loan"
    assert loan_screen.plan.rowCount() == loan.periods_left
    assert loan_screen._facts[2][1].text() == format_yuan(loan.balance)


def test_offline_the_cached_copy_is_shown_with_its_time(kiosk: Kiosk, ledger: LedgerFixture) -> None:
    member = ledger.member()
    sign_in_with_password(kiosk, member.id_number, member.password)
    kiosk.wait_for("account")
    kiosk.click(kiosk.window.finish_button)
    kiosk.go_offline()
    identify = kiosk.window.screens["identify"]
    # offline, the app's QR code still identifies (verified with the public key) and the cache answers
    from tests.kiosk.tokens import fresh_token
    kiosk.window.go("account")
    identify.start_token(fresh_token(member.member_id))
    kiosk.wait_for("account")
    screen = kiosk.screen()
    assert kiosk.window.current == "account"
    assert screen.stale.isVisible()
    assert "20" in screen.stale.text()  # the as-of time, Beijing time


def test_the_apps_qr_code_under_the_scanner_opens_the_account(kiosk_devices: Kiosk, ledger: LedgerFixture) -> None:
    from tests.kiosk.tokens import fresh_token
    member = ledger.members[7]
    kiosk_devices.services.scanner.present(fresh_token(member.member_id))
    kiosk_devices.wait_for("account")
    assert kiosk_devices.window.ctx.session.method == "qr"
    assert kiosk_devices.window.ctx.session.snapshot.member.member_id == member.member_id


def test_a_forged_qr_code_is_refused_with_words(kiosk_devices: Kiosk, ledger: LedgerFixture) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from domain.member_token import issue_token
    forged = issue_token(Ed25519PrivateKey.generate(), "demo-2026", ledger.members[8].member_id, int(time.time()))
    identify = kiosk_devices.window.screens["identify"]
    kiosk_devices.services.scanner.present(forged)
    kiosk_devices.qtbot.wait_until(lambda: "验证失败" in identify.banner.text(), timeout=10_000)
    assert not kiosk_devices.window.ctx.session.active


def test_offline_the_password_path_says_what_still_works(kiosk: Kiosk, ledger: LedgerFixture) -> None:
    kiosk.go_offline()
    identify = kiosk.window.screens["identify"]
    sign_in_with_password(kiosk, ledger.members[9].id_number, ledger.members[9].password)
    kiosk.qtbot.wait_until(lambda: "二维码" in identify.banner.text(), timeout=15_000)
    assert not kiosk.window.ctx.session.active
