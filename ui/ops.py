"""Background operations in the style of Anki's CollectionOp, on `ui.taskman.TaskManager`.

Screens never block the GUI thread on the network, the database or a device. They call

    ops.run(lambda: client.fetch_snapshot(member_id),
            success=self._show, failure=self._explain)

The function runs on a lane's single worker thread — "store" by default (so store writes never
race each other), "print" for the printer, "device" for card reads — and its result or exception
comes back to the GUI thread (the task manager's wake signal) where the callback runs. The
callbacks must not run if their screen was wiped meanwhile: `cancel_all()` (called by the
session wipe) drops every pending callback.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from infra.logs import get_logger
from ui.qtcompat import emit
from ui.taskman import TaskManager

if TYPE_CHECKING:
    from concurrent.futures import Future

log = get_logger("ui")

Success = Callable[[Any], None]
Failure = Callable[[BaseException], None]


class BackgroundOps(QObject):
    """Runs functions on background lanes and calls back on the GUI thread."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks = TaskManager(self)
        self._tickets = itertools.count(1)
        self._pending: dict[int, tuple[Success | None, Failure | None]] = {}
        self._cancelled: set[int] = set()

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def run(self, fn: Callable[[], Any], success: Success | None = None,
            failure: Failure | None = None, *, lane: str = "store") -> int:
        """Queue `fn` on the lane's worker; returns a ticket that `cancel` accepts."""
        ticket = next(self._tickets)
        was_busy = self.busy
        self._pending[ticket] = (success, failure)
        if not was_busy:
            emit(self.busy_changed, True)
        self.tasks.run_in_background(fn, lambda future: self._done(ticket, future), lane=lane)
        return ticket

    def _done(self, ticket: int, future: Future[Any]) -> None:
        if future.cancelled():  # shut down before it ran: nobody waits for it any more
            self._pending.pop(ticket, None)
            self._cancelled.discard(ticket)
            return
        exc = future.exception()
        self._deliver(ticket, None if exc is not None else future.result(), exc)

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
        self.tasks.shutdown(wait=True)
