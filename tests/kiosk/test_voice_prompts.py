"""Every kiosk screen has a voice prompt in Chinese and in English, and no prompt reads personal data
aloud in the open hall: no name, ID or card number, balance or amount (issue 13 item 3)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from domain.masking import mask_bank_card, mask_id_number, mask_name
from domain.money import format_yuan
from infra.config import Config
from kiosk.app import build_kiosk
from kiosk.outcomes import receipt_result
from kiosk.receipts import ApplicationReceipt
from kiosk.sample import sample_snapshot
from kiosk.screens.registry import all_screens
from kiosk.screens.states import StateScreen
from kiosk.window import KioskWindow

CJK = re.compile(r"[\u4e00-\u9fff]")
SNAP = sample_snapshot()


def personal_strings() -> list[str]:
    m, a = SNAP.member, SNAP.account
    out = [m.name, mask_name(m.name), m.id_number, mask_id_number(m.id_number), m.id_number[-4:], m.phone,
           a.bank_account, mask_bank_card(a.bank_account), a.bank_account[-4:]]
    for amount in (a.balance, a.monthly_deposit, a.deposits_this_year, SNAP.loan.balance if SNAP.loan else None):
        if amount is not None:
            out += [format_yuan(amount), format_yuan(amount, symbol=""), str(amount)]
    return out


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[KioskWindow]:
    w = build_kiosk(Config(), voice_engine="mock")
    qtbot.add_widget(w)
    w.resize(1920, 1080)
    w.show()
    yield w
    w.shutdown()
    w.ctx.ops.shutdown()
    w.deleteLater()


def _member(window: KioskWindow) -> None:
    window.ctx.session.begin(SNAP.member.member_id, "card", id_number=SNAP.member.id_number, name=SNAP.member.name)
    window.ctx.session.snapshot = SNAP


def test_every_screen_has_a_voice_prompt_in_both_languages_without_personal_data(window: KioskWindow) -> None:
    personal = personal_strings()
    walked = []
    for cls in all_screens():
        if cls.name in ("technician", "maintenance"):
            continue  # the technician's screens, behind the PIN: not for members, never read aloud
        prompts = {}
        for language in ("zh_CN", "en"):
            window.ctx.languages.set_language(language)
            QApplication.processEvents()  # the LanguageChange events that retranslate the screens
            window.wipe_session("test", keep_preferences=True)
            _member(window)
            params = dict(cls.sample) if issubclass(cls, StateScreen) else {}
            window.go(cls.name, **params)
            prompts[language] = window.current_screen().voice_prompt()
        zh, en = prompts["zh_CN"], prompts["en"]
        assert zh and CJK.search(zh), (cls.name, zh)
        assert en and re.search(r"[A-Za-z]{3}", en) and en != zh, (cls.name, en)
        for text in (zh, en):
            leaked = [p for p in personal if p and p in text]
            assert not leaked, (cls.name, text, leaked)
        walked.append(cls.name)
    assert {"take-card", "card-unreadable", "card-expired", "member-not-found", "password-locked", "printing",
            "paper-out-during-print", "queue-ticket", "help-called", "withdraw-refused", "account-frozen",
            "home", "identify", "withdraw", "receipt"} <= set(walked)


def test_the_result_of_an_application_is_spoken_without_the_amount_or_card() -> None:
    app = ApplicationReceipt("中心", "12329", "K1", "A-1", "退休提取", "Retirement", SNAP.member.name,
                             SNAP.member.id_number, SNAP.account.bank_account, Decimal("86423.57"),
                             SNAP.as_of, "秒批", "instant", True, final=True, final_status="approved")
    spec = receipt_result(app, None, review_days=5, payout_days=1)
    assert spec.kind == "success"
    assert mask_bank_card(SNAP.account.bank_account) in " ".join(spec.lines(True))  # on screen: where the money goes
    for chinese in (True, False):
        spoken = spec.voice(chinese)
        assert "86" not in spoken and SNAP.account.bank_account[-4:] not in spoken and SNAP.member.name not in spoken


def test_the_session_countdown_is_visible_for_the_whole_session(window: KioskWindow) -> None:
    assert window.session_label.isHidden()  # nobody here: nothing counts down
    _member(window)
    window.go("account")
    window.show_countdown()
    total = window.ctx.config.kiosk.idle_timeout_s + window.ctx.config.kiosk.idle_warning_s
    text = window.session_label.text()
    assert not window.session_label.isHidden() and "剩余" in text
    minutes, seconds = text.rsplit(" ", 1)[-1].split(":")
    assert 0 < int(minutes) * 60 + int(seconds) <= total  # long before the last 15 s warning
    assert not window.idle.warning_active
    window.wipe_session("test")
    window.show_countdown()
    assert window.session_label.isHidden()


def test_a_refused_withdrawal_and_the_state_screens_use_the_one_result_pattern(window: KioskWindow) -> None:
    _member(window)
    for cls in all_screens():
        if issubclass(cls, StateScreen) and cls.name != "help-called":
            window.go(cls.name, **dict(cls.sample))
            screen = window.current_screen()
            assert isinstance(screen, StateScreen)
            assert screen.result.isVisible() and screen.result.kind and screen.result.title.text(), cls.name


def test_the_step_indicator_follows_the_flows(window: KioskWindow) -> None:
    window.go("queue")
    assert window.steps.isVisible() and window.steps.current == 0 and "选择业务" in window.steps.text()
    window.go("calculator")  # one screen, no steps
    assert not window.steps.isVisible()
    window.go("withdraw")  # no member yet: identification first, as step ① of the withdrawal
    assert window.current == "identify" and window.steps.isVisible() and window.steps.current == 0
    assert "核验身份" in window.steps.text() and "选择提取类型" in window.steps.text()
    _member(window)
    window.go("transfer")
    assert window.steps.current == 1
    window.current_screen().pick_province("14")  # type: ignore[attr-defined]
    assert window.steps.current == 1  # the city is still "where from"
    window.go("card")
    assert window.steps.current == 1 and "输入卡号" in window.steps.text()
    window.home()
    assert not window.steps.isVisible()


def test_a_card_the_reader_could_not_read_opens_its_screen_but_a_reader_that_is_down_does_not(
        window: KioskWindow) -> None:
    from types import SimpleNamespace

    down = SimpleNamespace(device="id_reader", code="OFFLINE", message_zh="读卡器离线", message_en="Reader offline",
                           action_zh="", action_en="")
    window._device_error(down)
    assert window.current == "home"  # the reader's state is the home screen's business (ui.device_state)
    bad = SimpleNamespace(device="id_reader", code="CHECKSUM", message_zh="读卡失败", message_en="Read failed",
                          action_zh="", action_en="")
    window._device_error(bad)
    assert window.current == "card-unreadable"
    assert "无法读取" in window.current_screen().voice_prompt()


def test_the_kiosk_notice_shows_the_domain_rows_and_never_offers_an_empty_list(window: KioskWindow) -> None:
    from domain.decision import Decision, Reason, Verdict
    from domain.evidence import Department
    from domain.notice import notice_rows
    from domain.withdrawals import WithdrawalType

    _member(window)
    missing = Reason(Verdict.MISSING, "retirement.record", "未查到退休记录", "no retirement record found",
                     "[withdrawals.types.retirement]", Department.HRSS)
    window.go("notice", decision=Decision.of([missing], Decimal("0"), "01", "retirement", "t-1"),
              wtype=WithdrawalType.RETIREMENT)
    screen = window.current_screen()
    rows = notice_rows(screen.notice)  # type: ignore[attr-defined]
    assert len(rows) == 1 and "人社" in rows[0].alternative
    assert screen.items.text() == "\n".join(r.text(True) for r in rows)  # type: ignore[attr-defined]
    assert not screen.print_button.isEnabled()  # type: ignore[attr-defined]  # no printer on this terminal
    assert "打印" in screen.state.text()  # type: ignore[attr-defined]  # and it says why
    window.go("notice", decision=Decision.of([], Decimal("0"), "01", "retirement", "t-1"),
              wtype=WithdrawalType.RETIREMENT)
    assert window.current_screen().print_button.isHidden()  # type: ignore[attr-defined]
