"""The sync engine's status → a Qt signal on the GUI thread, and the words for the header.

The engine (sync/) calls its subscribers from its own thread with a readable status; the bridge
queues it (`ui.qtcompat.GuiInbox`) and emits `changed` on the GUI thread. `describe_sync` turns a
status into one short line: online, or offline with the number of queued items; no status at
all (no engine wired) says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from ui.qtcompat import GuiInbox, emit


def _field(status: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        value = status.get(name) if isinstance(status, dict) else getattr(status, name, None)
        if value is not None:
            return value
    return default


def describe_sync(status: Any, chinese: bool) -> str:
    if status is None:
        return "中心系统：未连接" if chinese else "Central system: not connected"
    state = _field(status, "state", default=None)
    online = state == "online" if state is not None else bool(_field(status, "online", default=False))
    queued = int(_field(status, "unsent", "pending", "queued", default=0) or 0)
    if online and not queued:
        return "● 在线" if chinese else "● Online"
    if online:
        return f"● 在线 · 待上传 {queued} 笔" if chinese else f"● Online · {queued} to send"
    return f"○ 离线 · 待上传 {queued} 笔" if chinese else f"○ Offline · {queued} queued"


class SyncBridge(QObject):
    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.status: Any = None
        self._undo: Callable[[], None] | None = None
        self._inbox = GuiInbox(self._store, self)

    def attach(self, engine: Any) -> None:
        """Listen to an engine that offers `status` (property or method) and `subscribe(callback)`
        (on itself or on its status `board`)."""
        current = engine.status() if callable(getattr(engine, "status", None)) else getattr(engine, "status", None)
        self.status = current
        source = engine if hasattr(engine, "subscribe") else engine.board
        undo = source.subscribe(self._inbox.put)
        self._undo = undo if callable(undo) else None
        emit(self.changed)

    def detach(self) -> None:
        if self._undo is not None:
            self._undo()
            self._undo = None

    def _store(self, status: Any) -> None:
        self.status = status
        emit(self.changed)

    @property
    def online(self) -> bool:
        if self.status is None:
            return False
        state = _field(self.status, "state", default=None)
        return state == "online" if state is not None else bool(_field(self.status, "online", default=False))
