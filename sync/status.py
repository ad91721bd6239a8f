"""The sync status anyone may read (UI, diagnostics, heartbeat), with change callbacks.

`online` means the last contact with the ledger succeeded; it says nothing about the queue, so
the status always carries `unsent` and the age of the oldest unsent item alongside, and
`all_sent` is the one flag that may be shown as "everything is at the centre".
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

from infra.logs import get_logger

log = get_logger("sync")

State = Literal["online", "offline", "degraded", "held"]

STATE_TEXT: dict[str, tuple[str, str]] = {
    "online": ("已连接中心系统", "Connected to the central system"),
    "offline": ("离线：业务保存在本机，联网后自动上传",
                "Offline: transactions are kept here and sent when back online"),
    "degraded": ("中心系统异常：业务保存在本机，正在重试",
                 "Central system trouble: transactions are kept here and retried"),
    # the terminal is newer than its ledger (staged rollout): nothing fails, the queue waits
    "held": ("中心系统尚未升级：业务保存在本机，中心升级后自动上传",
             "Central system not yet upgraded: transactions are kept here and sent once it is"),
}


@dataclass(frozen=True)
class SyncStatus:
    state: State = "offline"
    unsent: int = 0  # pending + in flight
    for_clerk: int = 0  # rejected or parked, not yet resolved by a clerk
    oldest_unsent_age_s: float | None = None
    last_success: str | None = None  # UTC ISO time of the last successful contact
    last_error: str | None = None  # code and detail of the last failure (cleared by a success)
    last_error_zh: str | None = None
    last_error_en: str | None = None
    sender: bool = False  # this process holds the terminal's sender lock
    clock_offset_s: float | None = None

    @property
    def all_sent(self) -> bool:
        return self.unsent == 0

    @property
    def text(self) -> tuple[str, str]:
        return STATE_TEXT[self.state]

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "all_sent": self.all_sent}


class StatusBoard:
    """Holds the current status; `subscribe` callbacks run on the engine thread after each change."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._status = SyncStatus()
        self._subscribers: list[Callable[[SyncStatus], None]] = []

    @property
    def current(self) -> SyncStatus:
        with self._lock:
            return self._status

    def update(self, **changes: Any) -> SyncStatus:
        with self._lock:
            new = replace(self._status, **changes)
            changed = new != self._status
            self._status = new
            subscribers = list(self._subscribers)
        if changed:
            for callback in subscribers:
                try:
                    callback(new)
                except Exception:  # a broken subscriber must not stop syncing
                    log.exception("sync status subscriber %r failed", callback)
        return new

    def subscribe(self, callback: Callable[[SyncStatus], None]) -> Callable[[], None]:
        """Call `callback(status)` on every change; returns the function that unsubscribes."""
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe
