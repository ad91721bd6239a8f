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


def test_the_quicker_feature_check_answers_as_the_bindings_own() -> None:
    import importlib
    import inspect
    import json

    import infra.config
    import ui.widgets
    from ui import qtcompat

    feature = sys.modules["shibokensupport.feature"]
    assert qtcompat.FEATURE_CHECK_QUICKER and getattr(feature._mod_uses_pyside, "hpf_quick", False)

    def by_source(module: object) -> bool:  # the binding's way (inspect.getsource)
        try:
            return "PySide6" in inspect.getsource(module)  # type: ignore[arg-type]
        except (OSError, TypeError):
            return False

    for module in (ui.widgets, infra.config, json, sys, importlib.import_module("kiosk.screens.home")):
        assert feature._mod_uses_pyside(module) == by_source(module), module
    assert feature._mod_uses_pyside(ui.widgets) and not feature._mod_uses_pyside(infra.config)
    assert not qtcompat.quicker_feature_check()  # installed once
