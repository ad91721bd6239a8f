"""The diagnostics panel: the tabs, and the support bundle export to a chosen folder or USB stick."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from ui.device_bridge import DeviceBridge
from ui.diagnostics.checks import GuidedChecksTab
from ui.diagnostics.devices import DevicesTab
from ui.diagnostics.ledger import ConnectionTab, QueueTab
from ui.diagnostics.logs import ConfigTab, LogsTab
from ui.diagnostics.source import DiagnosticsSource


class DiagnosticsPanel(QWidget):
    def __init__(self, source: DiagnosticsSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("diagnostics")
        self.source = source
        self.bridge = DeviceBridge(self)
        if source.events is not None:
            self.bridge.attach(source.events)
        else:
            for device in source.devices().values():
                if hasattr(device, "subscribe"):  # a test double may not be a HAL device
                    self.bridge.attach(device)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("diagnostics-tabs")
        self.devices = DevicesTab(source, self.bridge)
        self.checks = GuidedChecksTab(source, self.bridge)
        self.connection = ConnectionTab(source)
        self.queue = QueueTab(source)
        self.logs = LogsTab(source)
        self.config = ConfigTab(source)
        for tab in (self.devices, self.checks, self.connection, self.queue, self.logs, self.config):
            self.tabs.addTab(tab, "")
        lay.addWidget(self.tabs, 1)
        row = QHBoxLayout()
        self.export_btn = QPushButton()
        self.export_btn.setObjectName("export-bundle")
        self.export_btn.clicked.connect(lambda: self.export())
        self.export_note = QLabel()
        self.export_note.setObjectName("export-note")
        self.export_note.setWordWrap(True)
        row.addWidget(self.export_btn)
        row.addWidget(self.export_note, 1)
        lay.addLayout(row)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.retranslate()

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.queue:
            self.queue.reload()
        elif self.tabs.widget(index) is self.logs:
            self.logs.refresh()

    def retranslate(self) -> None:
        pick = self.source.pick
        titles = [("设备", "Devices"), ("交互检查", "Guided checks"), ("中心连接", "Ledger"),
                  ("同步队列", "Sync queue"), ("日志", "Logs"), ("配置", "Configuration")]
        for i, (zh, en) in enumerate(titles):
            self.tabs.setTabText(i, pick(zh, en))
        self.export_btn.setText(pick("导出支持包…", "Export support bundle…"))
        for tab in (self.devices, self.checks, self.connection, self.queue, self.logs, self.config):
            tab.refresh()

    def refresh(self) -> None:
        self.devices.refresh()
        self.checks.refresh()

    def export(self, folder: Path | None = None) -> None:
        """Write the bundle into `folder` (asked for when not given)."""
        if folder is None:
            chosen = QFileDialog.getExistingDirectory(self, self.source.pick("选择保存位置（可选U盘）",
                                                                             "Choose where to save (a USB stick)"))
            if not chosen:
                return
            folder = Path(chosen)
        source = self.source
        name = f"hpf-support-{source.config.terminal.id}-{datetime.now():%Y%m%d-%H%M%S}.zip"
        rows = source.device_rows()
        outbox = source.outbox

        def work() -> Any:
            from support.bundle import write_bundle
            from support.state import outbox_stats

            stats = outbox_stats(outbox) if outbox is not None else None
            return write_bundle(folder / name, source.config, device_rows=rows, outbox=stats)

        source.audit("diagnostics.export_bundle", file=name)
        self.export_note.setText(source.pick("正在导出…", "Exporting…"))
        source.run(work, self._exported, self._export_failed)

    def _exported(self, report: Any) -> None:
        self.last_bundle = report.path
        self.export_note.setText(self.source.pick(f"已导出：{report.path}", f"Exported: {report.path}"))

    def _export_failed(self, exc: BaseException) -> None:
        self.export_note.setText(self.source.pick(f"导出失败：{exc}", f"Export failed: {exc}"))
