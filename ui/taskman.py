"""Background tasks in the style of Anki's task manager (aqt/taskman.py).

Work runs on executors; what must touch widgets comes back to the GUI thread as a closure. A
worker hands a closure to `run_on_main`, which appends it to a locked list and emits one
argument-free *wake* signal; the signal is queued to the GUI thread, which runs every closure
waiting. No timer polls for results, and no Python value travels as a signal argument across
threads (see ui.qtcompat for why that matters with this binding).

Each *lane* is its own single-thread executor, so work of one kind runs in order while a slow
task of another kind cannot hold it up: a ledger call or a card read that takes its full timeout
never delays a receipt being printed.

    lane "store"   the local store and the ledger (the default; one at a time, as before)
    lane "device"  card reads, scans, camera captures
    lane "print"   the receipt printer
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal

from ui.qtcompat import emit

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

LANES = ("store", "device", "print")
Closure = Callable[[], None]


class TaskManager(QObject):
    _wake = Signal()

    def __init__(self, parent: QObject | None = None, lanes: tuple[str, ...] = LANES) -> None:
        super().__init__(parent)
        # each lane's worker is made on the lane's first task (concurrent.futures is imported then,
        # not before the window's first frame)
        self._lanes = lanes
        self._executors: dict[str, ThreadPoolExecutor] = {}
        self._shut = False
        self._closures: list[Closure] = []
        self._lock = threading.Lock()
        self._wake.connect(self._on_wake, Qt.ConnectionType.QueuedConnection)  # always via the event loop

    def run_on_main(self, closure: Closure) -> None:
        """Run `closure` on the GUI thread, soon; callable from any thread."""
        with self._lock:
            self._closures.append(closure)
        emit(self._wake)

    def run_in_background(self, task: Callable[[], Any], on_done: Callable[[Future[Any]], None] | None = None,
                          *, lane: str = "store") -> Future[Any]:
        """Run `task` on the lane's worker; `on_done(future)` then runs on the GUI thread."""
        future = self._executor(lane).submit(task)
        if on_done is not None:
            future.add_done_callback(lambda f: self.run_on_main(lambda: on_done(f)))
        return future

    def _executor(self, lane: str) -> ThreadPoolExecutor:
        if lane not in self._lanes:
            raise KeyError(lane)
        with self._lock:
            if self._shut:
                raise RuntimeError("cannot schedule new futures after shutdown")
            executor = self._executors.get(lane)
            if executor is None:
                from concurrent.futures import ThreadPoolExecutor

                executor = self._executors[lane] = ThreadPoolExecutor(max_workers=1,
                                                                      thread_name_prefix=f"hpf-op-{lane}")
            return executor

    def _on_wake(self) -> None:
        with self._lock:
            closures, self._closures = self._closures, []
        for closure in closures:
            closure()

    def shutdown(self, wait: bool = True) -> None:
        with self._lock:
            self._shut = True
            executors = list(self._executors.values())
        for executor in executors:
            executor.shutdown(wait=wait, cancel_futures=True)
