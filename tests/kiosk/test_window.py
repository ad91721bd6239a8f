"""The window itself: kiosk mode, crash recovery, portrait layout, language, voice in elderly mode."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from infra.config import Config
from infra.crash import CrashHandler
from kiosk.app import build_kiosk
from kiosk.sample import sample_snapshot
from kiosk.window import KioskWindow


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[KioskWindow]:
    w = build_kiosk(Config(), voice_engine="mock")
    qtbot.add_widget(w)
    w.resize(1920, 1080)
    w.show()
    yield w
    w.shutdown()
    w.ctx.ops.shutdown()
    w.deleteLater()  # see conftest.stop_kiosk


def test_home_shows_the_centre_and_hotline_from_configuration(window: KioskWindow, qtbot: QtBot) -> None:
    assert window.current == "home"
    assert window.centre_label.text() == "太原市住房公积金管理中心"
    assert "12329" in window.hotline_label.text()
    assert window.screens["home"].welcome.text() == "欢迎使用住房公积金自助服务终端"
    window.ctx.languages.set_language("en")
    assert window.centre_label.text() == "Taiyuan Housing Provident Fund Management Centre"
    qtbot.wait_until(lambda: window.screens["home"].welcome.text() == "Welcome · self-service terminal")


def test_tiles_without_their_service_are_disabled_with_a_note(window: KioskWindow) -> None:
    tiles = window.screens["home"].tiles
    assert tiles["calculator"].isEnabled()
    assert not tiles["print"].isEnabled() and tiles["print"].note  # no printer on this terminal
    assert not tiles["account"].isEnabled() and tiles["account"].note  # no ledger client


def test_kiosk_mode_is_frameless_full_screen_and_will_not_close(window: KioskWindow, qtbot: QtBot) -> None:
    window.enter_kiosk_mode()
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert window.isFullScreen()
    close = QCloseEvent()
    window.closeEvent(close)
    assert not close.isAccepted()
    escape = QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    assert window._filter.eventFilter(window, escape) is True
    plain = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_5, Qt.KeyboardModifier.NoModifier, "5")
    assert window._filter.eventFilter(window, plain) is False


@pytest.mark.allow_log_warnings
def test_an_uncaught_error_returns_to_a_clean_home(window: KioskWindow) -> None:
    window.ctx.session.begin("M1", "card", id_number="140105199003071234", name="张晓明")
    window.ctx.session.snapshot = sample_snapshot()
    window.go("account")
    handler = CrashHandler(window.recover)
    try:
        raise RuntimeError("a screen bug")
    except RuntimeError as exc:
        handler.handle(RuntimeError, exc, exc.__traceback__)
    assert window.current == "home" and not window.ctx.session.active
    assert window.notice.isVisible() and "错误" in window.notice.text()


def test_portrait_puts_three_tiles_a_row(window: KioskWindow, qtbot: QtBot) -> None:
    window.resize(1080, 1920)
    qtbot.wait_until(lambda: window.screens["home"]._columns == 3)
    grid = window.screens["home"].grid
    assert grid.getItemPosition(grid.indexOf(window.screens["home"].tiles["precheck"]))[:2] == (1, 0)


def test_elderly_mode_speaks_each_screen_with_the_mock_engine(window: KioskWindow) -> None:
    window.elderly_button.click()
    assert window.theme.name == "elderly"
    assert QApplication.instance().font().pointSize() == 20
    if not window.ctx.voice.available:
        pytest.skip("no speech engine at all on this machine")
    window.go("calculator")
    assert window.ctx.voice.spoken[-1] == window.screens["calculator"].voice_prompt()
    window.elderly_button.click()
    assert window.theme.name == "normal" and not window.ctx.voice.enabled


def test_the_next_person_starts_from_the_default_language_and_mode(window: KioskWindow) -> None:
    window.ctx.languages.set_language("en")
    window.elderly_button.click()
    window.wipe_session("finish")
    assert window.ctx.languages.current == "zh_CN"
    assert window.theme.name == "normal" and not window.elderly_button.isChecked()


def test_a_language_left_switched_on_the_home_screen_returns_to_the_default(window: KioskWindow,
                                                                            qtbot: QtBot) -> None:
    assert not window.idle.armed
    window.idle.timeout_s, window.idle.warning_s = 0.1, 1
    window.language_button.click()
    assert window.ctx.languages.current == "en" and window.idle.armed
    with qtbot.wait_signal(window.session_wiped, timeout=5_000):
        pass
    assert window.ctx.languages.current == "zh_CN" and not window.idle.armed
