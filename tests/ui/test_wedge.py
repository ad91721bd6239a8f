"""The keyboard-wedge filter: a scanner's fast burst becomes one code; a person's typing passes."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from ui.wedge import WedgeFilter


def key(target: QLineEdit, ch: str, ms: int) -> None:
    code = Qt.Key.Key_Return if ch == "\r" else Qt.Key.Key_unknown
    event = QKeyEvent(QEvent.Type.KeyPress, code, Qt.KeyboardModifier.NoModifier, ch)
    event.setTimestamp(ms)
    QApplication.sendEvent(target, event)


def test_a_fast_burst_ending_in_enter_is_a_scan(qtbot: QtBot) -> None:
    edit = QLineEdit()
    qtbot.add_widget(edit)
    wedge = WedgeFilter()
    QApplication.instance().installEventFilter(wedge)
    try:
        with qtbot.wait_signal(wedge.scanned) as scanned:
            for i, ch in enumerate("HPF1.abc\r"):
                key(edit, ch, 1000 + 5 * i)
        assert scanned.args == ["HPF1.abc"]
        assert edit.text() == ""  # a scan never lands in the field that had focus
    finally:
        QApplication.instance().removeEventFilter(wedge)


def test_slow_typing_reaches_the_field(qtbot: QtBot) -> None:
    edit = QLineEdit()
    qtbot.add_widget(edit)
    wedge = WedgeFilter()
    QApplication.instance().installEventFilter(wedge)
    try:
        with qtbot.assert_not_emitted(wedge.scanned, wait=300):
            key(edit, "7", 5000)
            key(edit, "8", 5400)
        qtbot.wait_until(lambda: edit.text() == "78", timeout=2_000)
    finally:
        QApplication.instance().removeEventFilter(wedge)
