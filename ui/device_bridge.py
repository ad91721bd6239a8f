"""Hardware events → Qt signals, delivered on the GUI thread.

The HAL calls its subscribers on the driver's own thread (hardware.events). The bridge's
callback only queues the event (`ui.qtcompat.GuiInbox`); the GUI thread takes it from there and
emits the signals, so screens handle every event on the GUI thread and never touch a widget
from a reader thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from ui.qtcompat import GuiInbox, emit


class EventSource(Protocol):
    def subscribe(self, callback: Callable[[Any], None]) -> Callable[[], None]: ...


class DeviceBridge(QObject):
    """Re-emits HAL events: `data(device, payload)`, `status(device, new_status)`, `error(event)`."""

    data = Signal(str, object)
    status = Signal(str, object)
    error = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe: list[Callable[[], None]] = []
        self._inbox = GuiInbox(self._dispatch, self)

    def attach(self, source: EventSource) -> None:
        """Listen to a device (or the manager's combined bus)."""
        self._unsubscribe.append(source.subscribe(self._inbox.put))

    def detach_all(self) -> None:
        for undo in self._unsubscribe:
            undo()
        self._unsubscribe.clear()

    def _dispatch(self, event: Any) -> None:
        kind = type(event).__name__
        device = getattr(event, "device", "")
        if kind == "DataEvent":
            emit(self.data, device, event.data)
        elif kind == "StatusChanged":
            emit(self.status, device, event.new)
        elif kind == "ErrorEvent":
            emit(self.error, event)
