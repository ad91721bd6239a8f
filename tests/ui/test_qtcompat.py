"""The binding work-arounds: signal emission and void calls no longer wear down the singletons."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from ui.qtcompat import GuiInbox, emit


class _Pinger(QObject):
    ping = Signal(int)


def test_thousands_of_emits_and_void_calls_leave_the_singletons_alive(qtbot: QtBot) -> None:
    pinger, label = _Pinger(), QLabel()
    qtbot.add_widget(label)
    got: list[int] = []
    pinger.ping.connect(got.append)
    before_true = sys.getrefcount(True)
    for i in range(20_000):
        emit(pinger.ping, i)
        label.setText("x")
    assert len(got) == 20_000
    # unguarded, 20,000 lost references would have aborted the interpreter before this line
    assert sys.getrefcount(True) > 20_000 or sys.getrefcount(True) >= before_true
    assert sys.getrefcount(None) > 20_000


def test_the_inbox_hands_items_from_a_thread_to_the_gui_thread_in_order(qtbot: QtBot) -> None:
    import threading

    seen: list[tuple[int, bool]] = []
    inbox = GuiInbox(lambda n: seen.append((n, threading.current_thread() is threading.main_thread())))
    worker = threading.Thread(target=lambda: [inbox.put(n) for n in range(100)])
    worker.start()
    worker.join()
    qtbot.wait_until(lambda: len(seen) == 100)
    assert seen == [(n, True) for n in range(100)]
    inbox.stop()
