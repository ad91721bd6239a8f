"""Background operations: one worker thread, callbacks on the GUI thread, cancellation on wipe."""

from __future__ import annotations

import threading

import pytest
from pytestqt.qtbot import QtBot

from ui.ops import BackgroundOps


@pytest.fixture
def ops() -> BackgroundOps:
    o = BackgroundOps()
    yield o
    o.shutdown()


def test_success_comes_back_on_the_gui_thread(qtbot: QtBot, ops: BackgroundOps) -> None:
    seen: list[tuple[object, bool]] = []
    worker_threads: list[str] = []

    def work() -> int:
        worker_threads.append(threading.current_thread().name)
        return 42

    ops.run(work, lambda r: seen.append((r, threading.current_thread() is threading.main_thread())))
    qtbot.wait_until(lambda: bool(seen))
    assert seen == [(42, True)]
    assert worker_threads[0].startswith("hpf-op")


def test_failures_reach_the_failure_callback(qtbot: QtBot, ops: BackgroundOps) -> None:
    errors: list[BaseException] = []
    ops.run(lambda: 1 / 0, lambda _r: None, errors.append)
    qtbot.wait_until(lambda: bool(errors))
    assert isinstance(errors[0], ZeroDivisionError)


def test_operations_run_one_after_another_on_one_thread(qtbot: QtBot, ops: BackgroundOps) -> None:
    order: list[int] = []
    names: set[str] = set()

    def step(n: int) -> int:
        names.add(threading.current_thread().name)
        order.append(n)
        return n

    done: list[int] = []
    for n in range(5):
        ops.run(lambda n=n: step(n), done.append)
    qtbot.wait_until(lambda: len(done) == 5)
    assert order == done == [0, 1, 2, 3, 4]
    assert len(names) == 1


def test_cancelled_callbacks_are_dropped(qtbot: QtBot, ops: BackgroundOps) -> None:
    gate = threading.Event()
    called: list[object] = []
    ops.run(gate.wait, called.append)
    ops.cancel_all()
    with qtbot.wait_signal(ops.busy_changed) as idle:
        gate.set()
    assert idle.args == [False]
    assert called == [] and not ops.busy
