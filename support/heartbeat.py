"""What a terminal's heartbeat carries besides its sync counts (issue 12): each device's status,
media states (paper, cover, card), last error and last health result; disk free; app version;
the terminal's role and hall. The sync status already carries the outbox's unsent count, the
age of its oldest unsent item and the clock offset.

`HeartbeatReport` is called by the sync engine before each heartbeat (`SyncEngine.heartbeat_extra`);
it also saves the device rows for `hpf-diag bundle` (support.state).
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from infra import paths
from infra.config import Config
from infra.logs import get_logger
from support.state import save_device_state, versions

log = get_logger("sync")


class HeartbeatReport:
    def __init__(self, config: Config, devices: Callable[[], Mapping[str, Any]], events: Any = None,
                 *, save_state: bool = True) -> None:
        self.config = config
        self.devices = devices
        self.save_state = save_state
        self._errors: dict[str, dict[str, str]] = {}
        self._lock = threading.Lock()
        if events is not None:
            events.subscribe(self._event)

    def _event(self, event: Any) -> None:
        if type(event).__name__ == "ErrorEvent":
            with self._lock:
                self._errors[event.device] = {"code": event.code, "message": event.message_en,
                                              "at": datetime.now(UTC).isoformat(timespec="seconds")}

    def device_states(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        with self._lock:
            errors = dict(self._errors)
        for name, device in self.devices().items():
            health = getattr(device, "last_health", None)
            state = getattr(device, "state", None)
            out[name] = {**device.status.as_dict(), "state": getattr(state, "value", ""),
                         "last_error": errors.get(name),
                         "health": None if health is None else {"level": health.level.value, "ok": health.ok,
                                                                "code": health.code,
                                                                "at": health.time.isoformat(timespec="seconds")}}
        return out

    def __call__(self) -> dict[str, Any]:
        devices = self.device_states()
        try:
            usage = shutil.disk_usage(paths.data_dir())
            disk: dict[str, float | None] = {"disk_free_bytes": float(usage.free),
                                             "disk_free_ratio": round(usage.free / usage.total, 4)}
        except OSError:
            disk = {"disk_free_bytes": None, "disk_free_ratio": None}
        if self.save_state:
            try:
                save_device_state([{"name": n, **d} for n, d in devices.items()])
            except OSError as exc:
                log.info("device state not saved for the support bundle: %s", exc)
        return {"devices": devices, **disk, "app_version": versions()["app"], "role": self.config.terminal.role,
                "outlet": self.config.terminal.outlet}
