"""One source of truth for the terminal's devices and network, for every screen (issue 13 item 4).

`TerminalState` is a small observable model: the device bridge (reader, scanner, printer status
events) and the sync bridge (online, items queued) feed it, and screens, header and tiles read
it, so no two places can disagree. Each question it answers comes with the reason in both
languages when the answer is "no": a tile or button that cannot work is disabled and says why.

    state.reader_up            the ID card reader can read a card now
    state.can_print            the receipt printer can print now
    state.printer_reason()     (zh, en) why not, ("", "") when it can
    state.online / queued      the centre is reachable / applications waiting to be sent
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from ui.qtcompat import emit

_DOWN = frozenset({"offline", "no_device", "power_off", "hardware_error"})
_PRINTER_STOPPED = frozenset({"out", "jammed"})


@dataclass(frozen=True)
class Why:
    """The reason a device is not ready, in Chinese and English."""
    zh: str = ""
    en: str = ""

    def __bool__(self) -> bool:
        return bool(self.zh or self.en)

    def pick(self, chinese: bool) -> str:
        return self.zh if chinese else self.en


NO_PRINTER = Why("本机暂时无法打印", "This terminal can't print right now")
PAPER_OUT = Why("打印机缺纸，暂时无法打印", "The printer is out of paper")
COVER_OPEN = Why("打印机盖未关好，暂时无法打印", "The printer cover is open")
PRINTER_DOWN = Why("打印机故障，暂时无法打印", "The printer is not working")
READER_DOWN = Why("身份证阅读器暂时不能使用", "The ID card reader is not working right now")
OFFLINE = Why("暂时无法连接中心系统", "The centre cannot be reached right now")


def _value(obj: Any, name: str, default: str = "") -> str:
    raw = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
    raw = getattr(raw, "value", raw)
    return str(raw) if raw is not None else default


def device_kind(name: str) -> str:
    """The device's role from its configured name: reader, scanner or printer ("" for others)."""
    low = name.lower()
    if "reader" in low or "idcard" in low or low == "id":
        return "reader"
    if "print" in low:
        return "printer"
    if "scan" in low or "qr" in low:
        return "scanner"
    return ""


class TerminalState(QObject):
    """The devices' and the network's state as the screens must show it; `changed` on any change."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._status: dict[str, Any] = {}     # kind -> last DeviceStatus (or None: not fitted)
        self._fitted: dict[str, bool] = {"reader": False, "scanner": False, "printer": False}
        self.online = False
        self.queued = 0
        self.sync_known = False
        self._sync_raw: Any = None

    # --- feeding ------------------------------------------------------------------------------

    def fit(self, kind: str, device: Any) -> None:
        """Whether a device of this kind is wired at all, and its status now (at start-up)."""
        self._fitted[kind] = device is not None
        status = getattr(device, "status", None) if device is not None else None
        if callable(status):
            try:
                status = status()
            except Exception:  # a driver that can't say is "unknown", never a crash of the header
                status = None
        self._status[kind] = status
        emit(self.changed)

    def device_status(self, device: str, status: Any) -> None:
        kind = device_kind(device)
        if not kind:
            return
        self._fitted[kind] = True
        self._status[kind] = status
        emit(self.changed)

    def sync_status(self, status: Any) -> None:
        from ui.sync_bridge import _field

        self.sync_known = status is not None
        self._sync_raw = status
        if status is None:
            self.online, self.queued = False, 0
        else:
            state = _field(status, "state", default=None)
            self.online = state == "online" if state is not None else bool(_field(status, "online", default=False))
            self.queued = int(_field(status, "unsent", "pending", "queued", default=0) or 0)
        emit(self.changed)

    # --- questions -----------------------------------------------------------------------------

    def _availability(self, kind: str) -> str:
        status = self._status.get(kind)
        return _value(status, "availability", "online") if status is not None else "online"

    @property
    def reader_up(self) -> bool:
        return not self.reader_reason()

    def reader_reason(self) -> Why:
        if not self._fitted["reader"] or self._availability("reader") in _DOWN:
            return READER_DOWN
        return Why()

    @property
    def scanner_up(self) -> bool:
        return self._fitted["scanner"] and self._availability("scanner") not in _DOWN

    @property
    def can_print(self) -> bool:
        return not self.printer_reason()

    def printer_reason(self) -> Why:
        if not self._fitted["printer"]:
            return NO_PRINTER
        status = self._status.get("printer")
        if status is None:
            return Why()
        if _value(status, "paper") in _PRINTER_STOPPED:
            return PAPER_OUT
        if _value(status, "cover") == "open":
            return COVER_OPEN
        if self._availability("printer") in _DOWN:
            return PRINTER_DOWN
        return Why()

    def network_reason(self) -> Why:
        return Why() if self.online else OFFLINE

    def header_text(self, chinese: bool) -> str:
        """The header's one line: the same count every screen quotes (`queued`)."""
        from ui.sync_bridge import describe_sync

        return describe_sync(self._sync_raw, chinese)
