"""The task manager: a wake signal (no polling timer) brings closures to the GUI thread; lanes keep
a slow ledger call or card read from holding up a print; the crash hook recovers on the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from infra.crash import CrashHandler
from ui.ops import BackgroundOps
from ui.qtcompat import GuiInbox
from ui.taskman import TaskManager


@pytest.fixture
def tasks() -> Iterator[TaskManager]:
    t = TaskManager()
    yield t
    t.shutdown()


def _on_main() -> bool:
    return threading.current_thread() is threading.main_thread()


def test_closures_from_a_worker_run_on_the_gui_thread_without_a_timer(qtbot: QtBot, tasks: TaskManager) -> None:
    seen: list[tuple[int, bool]] = []
    worker = threading.Thread(target=lambda: [tasks.run_on_main(lambda n=n: seen.append((n, _on_main())))
                                              for n in range(3)])
    worker.start()
    worker.join()
    qtbot.wait_until(lambda: len(seen) == 3)
    assert seen == [(0, True), (1, True), (2, True)]  # in order, each on the GUI thread
    inbox = GuiInbox(lambda _item: None)
    assert tasks.findChildren(QTimer) == [] and inbox.findChildren(QTimer) == []  # woken, never polled


def test_a_stuck_store_call_does_not_hold_up_a_print(qtbot: QtBot) -> None:
    ops = BackgroundOps()
    release = threading.Event()
    printed: list[str] = []
    try:
        ops.run(lambda: release.wait(30), lane="store")  # a ledger call waiting for its timeout
        ops.run(lambda: release.wait(30), lane="device")  # a card read waiting for a card
        ops.run(lambda: "receipt", printed.append, lane="print")
        qtbot.wait_until(lambda: printed == ["receipt"], timeout=5_000)
        assert ops.busy  # the other two are still waiting
    finally:
        release.set()
        ops.shutdown()


@pytest.mark.allow_log_warnings
def test_a_crash_on_a_worker_thread_recovers_on_the_gui_thread(qtbot: QtBot, tasks: TaskManager) -> None:
    recovered: list[bool] = []
    handler = CrashHandler(lambda _exc: recovered.append(_on_main()), dispatch=tasks.run_on_main)

    def crash() -> None:
        try:
            raise RuntimeError("a driver thread died")
        except RuntimeError as exc:
            handler.handle(RuntimeError, exc, exc.__traceback__)
        assert recovered == []  # not run on the worker: the window may only be touched from the GUI thread

    worker = threading.Thread(target=crash)
    worker.start()
    worker.join()
    qtbot.wait_until(lambda: bool(recovered))
    assert recovered == [True] and handler.count == 1
