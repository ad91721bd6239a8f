"""Maintenance mode: every device with its live status and its health checks, and the sync status.

Statuses arrive from the HAL through the window's device bridge (`device_status`); the checks
run on the background worker (`Device.check_health`, which never raises: its result says what is
wrong). "Quit" closes the kiosk application (the service manager restarts or stops it). Below them the
shared diagnostics panel (ui.diagnostics): history, guided checks, ledger test, sync queue, logs,
configuration and the support bundle. While it is shown, card reads and scans go to its checks,
not to a member's identification.
"""

from __future__ import annotations

from typing import Any

from domain.errors import user_facing
from domain.labels import status_label
from hardware.health import HealthLevel
from kiosk.screens.base import Screen
from ui.diagnostics import DiagnosticsPanel, DiagnosticsSource
from ui.diagnostics.devices import status_text
from ui.layouts import ResponsiveGrid, flow_row
from ui.paging import PagedList
from ui.sync_bridge import describe_sync
from ui.widgets import Card, button, label

DEVICES = ("id_reader", "scanner", "printer")


class MaintenanceScreen(Screen):
    name = "maintenance"
    takes_device_data = True  # the window does not start an identification from a read here

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.title = label("", "title")
        self.root.addWidget(self.title)
        self.sync = label("", "body")
        self.sync.setObjectName("maintenance-sync")
        self.root.addWidget(self.sync)
        self.voice = label("", "body")  # which speech engine and voice a member would hear (issue 13)
        self.voice.setObjectName("maintenance-voice")
        self.root.addWidget(self.voice)
        ctx.voice.loaded.connect(self._show_voice)  # the speech daemon is asked on a worker (ui.voice)
        self.rows: dict[str, tuple[Any, Any, Any]] = {}
        cards = []
        for name in DEVICES:
            card = Card()
            head, status, checks = label("", "key"), label("", "body"), label("", "body")
            status.setObjectName(f"status-{name}")
            checks.setObjectName(f"checks-{name}")
            for w in (head, status, checks):
                card.layout_.addWidget(w)
            self.rows[name] = (head, status, checks)
            cards.append(card)
        self.run_checks = button("", "primary")
        self.run_checks.setObjectName("run-checks")
        self.run_checks.clicked.connect(self.check_all)
        self.quit = button("", "danger")
        self.quit.setObjectName("quit-kiosk")
        self.quit.clicked.connect(self._quit)
        # the devices and the actions on the first page, the diagnostics panel on the next one
        # when a screenful can't hold them all (上一页/下一页: a kiosk screen never scrolls)
        self.pages = PagedList([ResponsiveGrid(cards, len(cards), 1), flow_row([self.run_checks, self.quit])])
        self.diagnostics = DiagnosticsPanel(self._diagnostics_source())
        self.diagnostics.setMinimumHeight(480)
        self.pages.add(self.diagnostics, 1)
        self.root.addWidget(self.pages, 1)
        self.retranslate()

    def _diagnostics_source(self) -> DiagnosticsSource:
        services, ctx = self.ctx.services, self.ctx
        runtime = services.sync
        manager = services.devices

        def devices() -> dict[str, Any]:
            return {n: d for n in DEVICES if (d := getattr(services, n, None)) is not None}

        def status() -> dict[str, Any]:
            return dict(runtime.status().as_dict()) if runtime is not None else {}

        loops = {"id_reader", "scanner"} if services.extras.get("loops") else set()
        return DiagnosticsSource(
            config=ctx.config, devices=devices, run=ctx.ops.run,
            pick=lambda zh, en: zh if ctx.languages.is_chinese else en,
            events=getattr(manager, "events", None), manager=manager,
            outbox=getattr(runtime, "outbox", None), client=getattr(runtime, "client", None), sync_status=status,
            technician=lambda: f"kiosk-technician@{ctx.config.terminal.id}", reads_itself=frozenset(loops))

    def _quit(self) -> None:
        if self.ctx.window is not None:
            self.ctx.window.shutdown()

    def _device(self, name: str) -> Any:
        return getattr(self.ctx.services, name, None)

    def enter(self, **params: Any) -> None:
        self.refresh()
        self.diagnostics.refresh()

    def refresh(self) -> None:
        window = self.ctx.window
        bridge = getattr(window, "sync", None)  # absent while the window is still being built
        self.sync.setText(describe_sync(bridge.status if bridge is not None else None, self.ctx.languages.is_chinese))
        self.ctx.voice.probe()
        self._show_voice()
        for name, (_head, status, _checks) in self.rows.items():
            device = self._device(name)
            status.setText(self._status_text(device.status, self.ctx.languages.is_chinese) if device is not None
                           else self.tr("Not fitted"))

    def _show_voice(self) -> None:
        self.voice.setText(self.pick(*self.ctx.voice.describe()))

    def device_status(self, device: str, status: Any) -> None:
        """Live updates from the window's device bridge."""
        if device in self.rows:
            self.rows[device][1].setText(self._status_text(status, self.ctx.languages.is_chinese))

    @staticmethod
    def _status_text(status: Any, chinese: bool) -> str:
        """In words (domain.labels), not codes: "正常 · 纸张正常" / "Working · Paper OK", and "reconnecting"."""
        return status_text(status, lambda zh, en: zh if chinese else en)

    def check_all(self) -> None:
        zh = self.ctx.languages.is_chinese
        for name, (_head, _status, checks) in self.rows.items():
            device = self._device(name)
            if device is None:
                checks.setText("")
                continue
            checks.setText(self.tr("Checking…"))

            def work(d: Any = device) -> list[Any]:
                return [d.check_health(HealthLevel.INTERNAL), d.check_health(HealthLevel.EXTERNAL)]

            def show(results: list[Any], target: Any = checks) -> None:
                target.setText("\n".join(
                    f"{'✓' if r.ok else '✗'} {status_label('health', r.level.value)[0 if zh else 1]}: "
                    f"{r.text_zh if zh else r.text_en}"
                    for r in results))
                self.diagnostics.refresh()

            def failed(exc: BaseException, target: Any = checks) -> None:
                target.setText(self.pick(*user_facing(exc).pair))

            self.ctx.ops.run(work, show, failed)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Maintenance"))
        names = {"id_reader": self.tr("ID card reader"), "scanner": self.tr("QR scanner"),
                 "printer": self.tr("Receipt printer")}
        for name, (head, _s, _c) in self.rows.items():
            head.setText(names[name])
        self.run_checks.setText(self.tr("Run health checks"))
        self.quit.setText(self.tr("Quit the kiosk application"))
        if hasattr(self, "diagnostics"):
            self.diagnostics.retranslate()
        self.refresh()
