"""Every device with its live status and its recent history (status changes and errors)."""

from __future__ import annotations

import collections
from datetime import datetime
from typing import Any

from PySide6.QtWidgets import QHeaderView, QLabel, QPlainTextEdit, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from domain.labels import device_status_text, status_label
from ui.device_bridge import DeviceBridge
from ui.diagnostics.source import DiagnosticsSource

HISTORY = 50
NAMES = {"id_reader": ("身份证阅读器", "ID card reader"), "scanner": ("扫码器", "QR scanner"),
         "printer": ("凭条打印机", "Receipt printer"), "camera": ("高拍仪", "Document camera")}


def status_text(status: Any, pick: Any) -> str:
    """The status in words from resources/i18n/labels.toml (domain.labels), never a raw code."""
    text = pick(device_status_text(status.as_dict(), True), device_status_text(status.as_dict(), False))
    if status.detail.startswith("reconnecting"):
        text += pick("，正在重新连接", ", reconnecting")
    return text


class DevicesTab(QWidget):
    def __init__(self, source: DiagnosticsSource, bridge: DeviceBridge) -> None:
        super().__init__()
        self.source = source
        self.history: dict[str, collections.deque[str]] = collections.defaultdict(
            lambda: collections.deque(maxlen=HISTORY))
        lay = QVBoxLayout(self)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("diag-devices")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.caption = QLabel()
        self.log = QPlainTextEdit()
        self.log.setObjectName("diag-device-history")
        self.log.setReadOnly(True)
        lay.addWidget(self.table, 2)
        lay.addWidget(self.caption)
        lay.addWidget(self.log, 1)
        bridge.status.connect(self._status)
        bridge.error.connect(self._error)
        self.refresh()

    def _note(self, device: str, text: str) -> None:
        self.history[device].append(f"{datetime.now():%H:%M:%S} {device}: {text}")
        self.refresh()

    def _status(self, device: str, status: Any) -> None:
        self._note(device, status_text(status, self.source.pick) + (f" ({status.detail})" if status.detail else ""))

    def _error(self, event: Any) -> None:
        self._note(event.device, f"{event.code} {self.source.pick(event.message_zh, event.message_en)}")

    def refresh(self) -> None:
        pick = self.source.pick
        self.table.setHorizontalHeaderLabels([pick("设备", "Device"), pick("状态", "Status"),
                                              pick("驱动", "Driver"), pick("最近检查", "Last check")])
        devices = self.source.devices()
        self.table.setRowCount(len(devices))
        for row, (name, device) in enumerate(devices.items()):
            health = getattr(device, "last_health", None)
            driver = getattr(getattr(device, "info", None), "driver", "")
            cells = [pick(*NAMES.get(name, (name, name))), status_text(device.status, pick), driver,
                     "" if health is None else
                     f"{'✓' if health.ok else '✗'} {pick(*status_label('health', health.level.value))} "
                     f"{pick(health.text_zh, health.text_en)}"]
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.caption.setText(pick("最近记录", "Recent history"))
        lines = sorted(line for h in self.history.values() for line in h)[-HISTORY:]
        self.log.setPlainText("\n".join(lines))
