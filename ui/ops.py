"""Background operations in the style of Anki's CollectionOp: one worker thread for all I/O.

Screens never block the GUI thread on the network, the database or a device. They call

    ops.run(lambda: client.fetch_snapshot(member_id),
            success=self._show, failure=self._explain)

The function runs on the single worker thread (so store writes never race each other); its
result or exception comes back to the GUI thread (through `ui.qtcompat.GuiInbox`) and the
callback runs there. The callbacks must not run if their screen was wiped meanwhile:
`cancel_all()` (called by the session wipe) drops every pending callback.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

from infra.logs import get_logger
from ui.qtcompat import GuiInbox, emit

log = get_logger("ui")

Success = Callable[[Any], None]
Failure = Callable[[BaseException], None]


class BackgroundOps(QObject):
    """Runs functions on one worker thread and calls back on the GUI thread."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hpf-op")
        self._tickets = itertools.count(1)
        self._pending: dict[int, tuple[Success | None, Failure | None]] = {}
        self._cancelled: set[int] = set()
        # Results go from the worker to the GUI thread through a queue, not a signal argument
        # (see ui.qtcompat: the binding mis-counts references across threads).
        self._inbox = GuiInbox(lambda item: self._deliver(*item), self, interval_ms=10)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def run(self, fn: Callable[[], Any], success: Success | None = None,
            failure: Failure | None = None) -> int:
        """Queue `fn` on the worker; returns a ticket that `cancel` accepts."""
        ticket = next(self._tickets)
        was_busy = self.busy
        self._pending[ticket] = (success, failure)
        if not was_busy:
            emit(self.busy_changed, True)
        self._pool.submit(self._work, ticket, fn)
        return ticket

    def _work(self, ticket: int, fn: Callable[[], Any]) -> None:
        try:
            result = fn()
        except BaseException as exc:  # delivered to the failure callback on the GUI thread
            self._inbox.put((ticket, None, exc))
        else:
            self._inbox.put((ticket, result, None))

    def _deliver(self, ticket: int, result: Any, exc: BaseException | None) -> None:
        callbacks = self._pending.pop(ticket, None)
        if not self._pending:
            emit(self.busy_changed, False)
        if callbacks is None or ticket in self._cancelled:  # cancelled: the screen that asked is gone
            self._cancelled.discard(ticket)
            return
        success, failure = callbacks
        if exc is None:
            if success is not None:
                success(result)
        elif failure is not None:
            failure(exc)
        else:
            log.error("background operation failed: %s", exc, exc_info=exc)

    def cancel(self, ticket: int) -> None:
        if ticket in self._pending:
            self._cancelled.add(ticket)

    def cancel_all(self) -> None:
        self._cancelled.update(self._pending)

    def shutdown(self) -> None:
        self.cancel_all()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._inbox.stop()
