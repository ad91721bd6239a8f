"""The idle watcher: countdown after the quiet period, a touch cancels it, zero wipes."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from ui.idle import IdleWatcher


def test_warning_counts_down_then_expires(qtbot: QtBot) -> None:
    idle = IdleWatcher(0.05, 2)
    seen: list[int] = []
    idle.warning.connect(seen.append)
    idle.arm()
    with qtbot.wait_signal(idle.expired, timeout=5_000):
        pass
    assert seen == [2, 1]
    assert not idle.armed


def test_input_during_the_warning_resumes(qtbot: QtBot) -> None:
    idle = IdleWatcher(0.05, 5)
    widget = QWidget()
    qtbot.add_widget(widget)
    QApplication.instance().installEventFilter(idle)
    try:
        idle.arm()
        with qtbot.wait_signal(idle.warning, timeout=2_000):
            pass
        with qtbot.wait_signal(idle.resumed, timeout=2_000):
            press = QMouseEvent(QEvent.Type.MouseButtonPress, QPointF(1, 1), QPointF(1, 1), Qt.MouseButton.LeftButton,
                                Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
            QApplication.sendEvent(widget, press)
        assert not idle.warning_active and idle.armed
    finally:
        QApplication.instance().removeEventFilter(idle)
        idle.disarm()


def test_disarmed_it_never_fires(qtbot: QtBot) -> None:
    idle = IdleWatcher(0.01, 1)
    idle.arm()
    idle.disarm()
    with qtbot.assert_not_emitted(idle.warning, wait=100):
        pass
