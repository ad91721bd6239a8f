"""Devices (technician): the counter's ID card reader, receipt printer and document camera — state,
health checks and a test print, then the shared diagnostics panel (ui.diagnostics)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableWidget, QTableWidgetItem

from counter_app.context import CounterContext
from counter_app.screens.base import Screen, fit_columns
from domain.labels import status_label
from domain.staff import Permission
from ui.diagnostics import DiagnosticsPanel, DiagnosticsSource

DEVICES = (("id_reader", "身份证读卡器", "ID card reader"), ("printer", "凭条打印机", "Receipt printer"),
           ("camera", "高拍仪", "Document camera"))


class DevicesScreen(Screen):
    key = "devices"
    permission = Permission.DEVICES

    def __init__(self, ctx: CounterContext) -> None:
        super().__init__(ctx)
        self.health: dict[str, Any] = {}
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("devices-table")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.layout_.addWidget(self.table, 1)
        self.voice = QLabel()  # the hall announcements' speech engine and voice (issue 13)
        self.voice.setObjectName("devices-voice")
        self.layout_.addWidget(self.voice)
        ctx.voice.loaded.connect(self._show_voice)  # the speech daemon is asked on a worker (ui.voice)
        row = QHBoxLayout()
        self.check_btn = QPushButton()
        self.check_btn.setObjectName("check-devices")
        self.print_btn = QPushButton()
        self.print_btn.setObjectName("test-print")
        row.addWidget(self.check_btn)
        row.addWidget(self.print_btn)
        self.layout_.addLayout(row)
        self.diagnostics = DiagnosticsPanel(self._diagnostics_source())
        self.layout_.addWidget(self.diagnostics, 3)
        self.check_btn.clicked.connect(self.check)
        self.print_btn.clicked.connect(self.test_print)
        self.retranslate()

    def _diagnostics_source(self) -> DiagnosticsSource:
        services, ctx = self.ctx.services, self.ctx
        runtime = services.runtime
        manager = services.extras.get("devices")

        def devices() -> dict[str, Any]:
            return {a: d for a, _zh, _en in DEVICES if (d := getattr(services, a, None)) is not None}

        def status() -> dict[str, Any]:
            return dict(runtime.status().as_dict()) if runtime is not None else {}

        def technician() -> str:
            account = getattr(ctx.desk, "account", None)
            return account.staff_id if account is not None else "unknown"

        return DiagnosticsSource(
            config=services.config, devices=devices, run=ctx.ops.run, pick=ctx.pick,
            events=getattr(manager, "events", None), manager=manager, outbox=getattr(runtime, "outbox", None),
            client=getattr(runtime, "client", None), sync_status=status, technician=technician)

    def menu_title(self) -> str:
        return self.tr("Devices")

    def retranslate(self) -> None:
        super().retranslate()
        self.check_btn.setText(self.tr("Run health checks"))
        self.print_btn.setText(self.tr("Test print"))
        self.table.setHorizontalHeaderLabels([self.tr("Device"), self.tr("Model"), self.tr("State"),
                                              self.tr("Paper"), self.tr("Health")])
        self._show()
        if hasattr(self, "diagnostics"):
            self.diagnostics.retranslate()

    def enter(self) -> None:
        self._show()
        self.diagnostics.refresh()

    def _show(self) -> None:
        services = self.ctx.services
        self.table.setRowCount(len(DEVICES))
        for row, (attr, zh, en) in enumerate(DEVICES):
            device = getattr(services, attr)
            if device is None:
                cells = [self.ctx.pick(zh, en), "—", self.tr("not configured"), "", ""]
            else:
                status, info = device.status, device.info
                health = self.health.get(attr)
                cells = [self.ctx.pick(zh, en), info.model,
                         self.ctx.pick(*status_label("availability", status.availability.value)),
                         "" if status.paper.value == "not_supported" else
                         self.ctx.pick(*status_label("paper", status.paper.value)),
                         "" if health is None else f"{health.code} {self.ctx.pick(health.text_zh, health.text_en)}"]
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        fit_columns(self.table)
        self.ctx.voice.probe()
        self._show_voice()
        self.print_btn.setEnabled(services.printer is not None)

    def _show_voice(self) -> None:
        zh, en = self.ctx.voice.describe()
        self.voice.setText(self.ctx.pick("叫号语音：" + zh, "Call announcements: " + en))

    def check(self) -> None:
        from hardware.health import HealthLevel

        self.ctx.desk.guard(Permission.DEVICES, "devices.check")
        services = self.ctx.services

        def run() -> dict[str, Any]:
            return {attr: getattr(services, attr).check_health(HealthLevel.INTERNAL)  # external prints or needs a card
                    for attr, _zh, _en in DEVICES if getattr(services, attr) is not None}

        self.ctx.ops.run(run, self._checked, self.fail)

    def _checked(self, results: dict[str, Any]) -> None:
        self.health = results
        self._show()
        self.diagnostics.refresh()

    def test_print(self) -> None:
        from hardware.printer.samples import test_receipt

        printer = self.ctx.services.printer
        if printer is None:
            return
        self.ctx.desk.guard(Permission.DEVICES, "devices.test_print")
        receipt = test_receipt(self.ctx.desk.settings.terminal_id, self.ctx.desk.clock())
        command_id = f"test-{self.ctx.desk.clock():%Y%m%d%H%M%S%f}"
        self.ctx.ops.run(lambda: printer.print_receipt(receipt, command_id=command_id),
                         lambda _r: self.inform(lambda: self.tr("Test page printed.")), self.fail, lane="print")
