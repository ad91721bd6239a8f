"""What an application gives the diagnostics panel (no Qt objects of its own but the ops runner)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from infra.config import Config
from infra.logs import get_logger

log = get_logger("ui")


@dataclass
class DiagnosticsSource:
    config: Config
    devices: Callable[[], Mapping[str, Any]]  # name -> HAL device, asked each time (devices may start late)
    run: Callable[..., Any]  # BackgroundOps.run(fn, success, failure)
    pick: Callable[[str, str], str]  # (zh, en) -> the text in the current language
    events: Any = None  # an event source with subscribe(callback): the manager's bus
    manager: Any = None  # hardware.manager.DeviceManager, for rows() in the bundle
    outbox: Any = None  # sync.outbox.Outbox
    client: Any = None  # sync.client.LedgerClient
    sync_status: Callable[[], Mapping[str, Any]] = field(default=lambda: {})
    technician: Callable[[], str] = field(default=lambda: "technician")
    reads_itself: frozenset[str] = frozenset()  # devices an input loop already reads (kiosk)

    def audit(self, action: str, **detail: Any) -> None:
        """A technician action, queued for the central audit trail (sent when online)."""
        if self.outbox is None:
            return
        from support.connection import technician_action

        try:
            technician_action(self.outbox, action, self.technician(), detail)
        except Exception as exc:  # the audit must not break the screen; the log says it is missing
            log.error("technician action %s not queued for the audit trail: %s", action, exc)

    def device_rows(self) -> list[dict[str, Any]]:
        if self.manager is not None:
            return [row.as_dict() for row in self.manager.rows()]
        rows = []
        for name, device in self.devices().items():
            health = getattr(device, "last_health", None)
            state = getattr(device, "state", None)
            rows.append({"name": name, "state": getattr(state, "value", ""), "status": device.status.as_dict(),
                         "info": device.info.as_dict(), "last_health": health.as_dict() if health else None})
        return rows
