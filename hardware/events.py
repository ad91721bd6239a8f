"""Typed device events and the plain callback list that delivers them (no Qt here).

A subscriber is any callable taking one `DeviceEvent`. Events are delivered synchronously on the
thread that raised them (a driver's reader thread, say); the Qt bridge in `ui/` re-posts them to
the GUI thread. A subscriber that raises is logged and skipped, so a faulty screen never stops a
driver.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from infra.logs import get_logger

if TYPE_CHECKING:
    from hardware.model import DeviceStatus
    from hardware.results import DataEvent as DataEvent
    from hardware.results import ErrorEvent as ErrorEvent

log = get_logger("hardware")


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class DeviceEvent:
    """Something a device did; `device` is its configured name."""
    device: str  # the configured device name, e.g. "id_reader"


@dataclass(frozen=True)
class StatusChanged(DeviceEvent):
    """A device's status changed from `old` to `new`."""
    old: DeviceStatus
    new: DeviceStatus
    time: datetime = field(default_factory=_now)


Subscriber = Callable[[DeviceEvent], None]


class EventBus:
    """A thread-safe list of callbacks."""

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Add a callback; returns a function that removes it again."""
        with self._lock:
            self._subscribers.append(callback)
        return lambda: self.unsubscribe(callback)

    def unsubscribe(self, callback: Subscriber) -> None:
        with self._lock:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

    def emit(self, event: DeviceEvent) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for callback in subscribers:
            try:
                callback(event)
            except Exception:
                log.exception("event subscriber %r failed on %s", callback, type(event).__name__)


def __getattr__(name: str) -> Any:
    """`DataEvent` and `ErrorEvent` (`hardware.results`), imported on first use: no device reads or fails
    before an app's first frame, and each frozen dataclass generates its methods at import."""
    if name in ("DataEvent", "ErrorEvent"):
        from hardware import results

        return getattr(results, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
