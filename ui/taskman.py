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
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from ui.qtcompat import emit

LANES = ("store", "device", "print")
Closure = Callable[[], None]


class TaskManager(QObject):
    _wake = Signal()

    def __init__(self, parent: QObject | None = None, lanes: tuple[str, ...] = LANES) -> None:
        super().__init__(parent)
        self._executors = {lane: ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"hpf-op-{lane}")
                           for lane in lanes}
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
        future = self._executors[lane].submit(task)
        if on_done is not None:
            future.add_done_callback(lambda f: self.run_on_main(lambda: on_done(f)))
        return future

    def _on_wake(self) -> None:
        with self._lock:
            closures, self._closures = self._closures, []
        for closure in closures:
            closure()

    def shutdown(self, wait: bool = True) -> None:
        for executor in self._executors.values():
            executor.shutdown(wait=wait, cancel_futures=True)
