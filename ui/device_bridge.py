"""Hardware events → Qt signals, delivered on the GUI thread.

The HAL calls its subscribers on the driver's own thread (hardware.events). The bridge's
callback only emits a signal; connections to GUI objects are queued, so screens handle every
event on the GUI thread and never touch a widget from a reader thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt, Signal, Slot


class EventSource(Protocol):
    def subscribe(self, callback: Callable[[Any], None]) -> Callable[[], None]: ...


class DeviceBridge(QObject):
    """Re-emits HAL events: `data(device, payload)`, `status(device, new_status)`, `error(event)`."""

    _raw = Signal(object)
    data = Signal(str, object)
    status = Signal(str, object)
    error = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe: list[Callable[[], None]] = []
        self._raw.connect(self._dispatch, Qt.ConnectionType.QueuedConnection)

    def attach(self, source: EventSource) -> None:
        """Listen to a device (or the manager's combined bus)."""
        self._unsubscribe.append(source.subscribe(self._raw.emit))

    def detach_all(self) -> None:
        for undo in self._unsubscribe:
            undo()
        self._unsubscribe.clear()

    @Slot(object)
    def _dispatch(self, event: Any) -> None:
        kind = type(event).__name__
        device = getattr(event, "device", "")
        if kind == "DataEvent":
            self.data.emit(device, event.data)
        elif kind == "StatusChanged":
            self.status.emit(device, event.new)
        elif kind == "ErrorEvent":
            self.error.emit(event)
