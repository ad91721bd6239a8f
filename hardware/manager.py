"""The device manager: builds the configured devices, watches serial ports, lists what it cannot drive.

From `[devices.id_reader|scanner|printer|camera]` (kind, uri, baud, options) it builds one
device per section through the driver registry; `kind = "none"` leaves a class out. A section no
driver supports is kept with the reason, for `hpf-diag list` and the diagnostics screen.

`poll()` compares the serial ports present now with the last poll (after Odoo IoT's interfaces):
a configured device whose port vanished is marked NO_DEVICE; when its port comes back the
manager opens it again. Ports no configured device uses are listed as ones it cannot drive.
Port polling only sees enumerable ports (no pseudo-terminal, no network printer), so `maintain()`
also lets every driver reopen its own configured port or URI with back-off (`Device.maintain`),
and retries, with back-off, the start of a device that was absent when the terminal started.
The apps run both on the manager's thread (`start_polling`) and listen to `manager.events`, which
carries every device's own events as well as the manager's.

Only the driver packages of the configured device classes are imported: a terminal without a
camera never imports OpenCV.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from hardware.backoff import Backoff
from hardware.events import DeviceEvent, EventBus
from hardware.model import Availability, Device, DeviceClass, DeviceError, DeviceSpec, LifecycleState
from hardware.registry import NoDriverError, find_driver, load_builtin_drivers
from infra.config import Config, DeviceSection
from infra.logs import get_logger

if TYPE_CHECKING:
    from hardware.health import HealthLevel, HealthResult
    from hardware.manager_records import DeviceRow as DeviceRow
    from hardware.manager_records import PortInfo as PortInfo
    from hardware.manager_records import PortsChanged as PortsChanged

log = get_logger("hardware")

# The package that registers the drivers of each class (imported only when that class is configured).
DRIVER_PACKAGES = {DeviceClass.ID_READER: "hardware.idcard", DeviceClass.SCANNER: "hardware.scanner",
                   DeviceClass.PRINTER: "hardware.printer", DeviceClass.CAMERA: "hardware.camera"}


class DeviceStarted(DeviceEvent):
    """A device that could not start before (absent at boot) has started now.

    No fields of its own: the frozen dataclass `DeviceEvent`'s `__init__`, `__eq__`, `__repr__` (which
    names this class) serve it as they are, without generating them again at import."""


def __getattr__(name: str) -> Any:
    """The records (`hardware.manager_records`), imported on first use: not before an app's first frame."""
    if name in ("PortInfo", "PortsChanged", "DeviceRow"):
        from hardware import manager_records

        return getattr(manager_records, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def serial_ports() -> list[PortInfo]:
    """Serial ports present now (pyserial's list_ports)."""
    from serial.tools import list_ports

    from hardware.manager_records import PortInfo

    return [PortInfo(p.device, p.description or "", p.hwid or "") for p in list_ports.comports()]


def spec_from_config(device_class: DeviceClass, section: DeviceSection) -> DeviceSpec:
    return DeviceSpec(device_class, device_class.value, section.kind, section.uri, section.baud,
                      MappingProxyType(dict(section.options)))


def port_of(spec: DeviceSpec) -> str | None:
    """The serial port a spec points at, if it points at one."""
    uri = spec.uri
    if uri.startswith("serial:"):
        parts = urlsplit(uri)
        return parts.netloc + parts.path
    if uri.startswith("/dev/") or re.fullmatch(r"COM\d+", uri, re.IGNORECASE):  # a bare port name
        return uri
    return None


class DeviceManager:
    """Owns the terminal's devices. Not thread-safe except `poll()` against readers of `rows()`."""

    def __init__(self, config: Config, *, list_ports: Callable[[], list[PortInfo]] = serial_ports,
                 load_drivers: bool = True, only: tuple[DeviceClass, ...] | None = None,
                 retry_first_s: float = 1.0, retry_max_s: float = 30.0) -> None:
        """`only`: manage just these classes (an app that drives some devices itself);
        `retry_first_s` / `retry_max_s`: back-off for starting a device that failed to start."""
        self._retry = (retry_first_s, retry_max_s)
        classes = [c for c in DeviceClass if (only is None or c in only)
                   and getattr(config.devices, c.value).kind != "none"]
        if load_drivers:
            load_builtin_drivers(tuple(DRIVER_PACKAGES[c] for c in classes))
        self.events = EventBus()
        self._start_backoff: dict[str, Backoff] = {}
        self._list_ports = list_ports
        self._lock = threading.RLock()
        self.specs: dict[str, DeviceSpec] = {}
        self.devices: dict[str, Device] = {}
        self.unusable: dict[str, str] = {}
        self.driver_names: dict[str, str] = {}
        self._ports: dict[str, PortInfo] | None = None
        self._poller: threading.Thread | None = None
        self._stop = threading.Event()
        for device_class in classes:
            section: DeviceSection = getattr(config.devices, device_class.value)
            self._add(spec_from_config(device_class, section))

    def extend(self, config: Config, classes: tuple[DeviceClass, ...]) -> dict[str, str]:
        """Manage these classes too (an app that starts its input devices first and the printer
        after its first frame); `start_all()` then starts them. Returns the new unusable ones."""
        with self._lock:
            new = [c for c in classes if c.value not in self.specs
                   and getattr(config.devices, c.value).kind != "none"]
            load_builtin_drivers(tuple(DRIVER_PACKAGES[c] for c in new))
            for device_class in new:
                self._add(spec_from_config(device_class, getattr(config.devices, device_class.value)))
            return {c.value: self.unusable[c.value] for c in new if c.value in self.unusable}

    def _add(self, spec: DeviceSpec) -> None:
        self.specs[spec.name] = spec
        try:
            entry = find_driver(spec)
            device = entry.build(spec)
            self.devices[spec.name] = device
            self.driver_names[spec.name] = entry.name
            device.subscribe(self.events.emit)  # one bus for the apps: every device's events
        except NoDriverError as exc:
            self.unusable[spec.name] = "; ".join(exc.reasons)
        except (DeviceError, ValueError, TypeError) as exc:  # a factory refusing its options
            self.unusable[spec.name] = f"driver failed to build the device: {exc}"

    def __iter__(self) -> Iterator[Device]:
        return iter(list(self.devices.values()))

    def get(self, name: str) -> Device:
        if name not in self.specs:
            known = ", ".join(self.specs) or "none"
            raise KeyError(f"no device named {name!r}; configured: {known}")
        if name not in self.devices:
            raise NoDriverError(self.specs[name], [self.unusable[name]])
        return self.devices[name]

    # -- lifecycle of all devices

    def start_all(self, only: tuple[str, ...] | None = None) -> dict[str, DeviceError]:
        """Open, claim and enable every buildable device (or those named in `only`); returns the
        ones that failed, with why."""
        failed: dict[str, DeviceError] = {}
        for device in self:
            if device.state is LifecycleState.ENABLED or (only is not None and device.name not in only):
                continue
            try:
                device.start()
            except DeviceError as exc:
                failed[device.name] = exc
                self._start_backoff.setdefault(device.name, Backoff(*self._retry)).failed()
                log.info("device %s not started: %s", device.name, exc)
        return failed

    def started(self, name: str) -> Device | None:
        """The device called `name` when it is enabled now, else None."""
        device = self.devices.get(name)
        return device if device is not None and device.state is LifecycleState.ENABLED else None

    def maintain(self) -> None:
        """Let every started driver keep its connection (`Device.maintain`), and retry, with
        back-off, starting the devices that failed to start."""
        for device in self:
            if device.state is LifecycleState.ENABLED:
                try:
                    device.maintain()
                except DeviceError as exc:  # maintain should not raise; a driver that does is only logged
                    log.info("device %s maintenance failed: %s", device.name, exc)
                continue
            backoff = self._start_backoff.get(device.name)
            if backoff is None or not backoff.due():
                continue
            try:
                device.start()
            except DeviceError:
                backoff.failed()
                continue
            backoff.succeeded()
            log.info("device %s started after %d failed attempts", device.name, backoff.failures)
            self.events.emit(DeviceStarted(device.name))

    def close_all(self) -> None:
        self.stop_polling()
        for device in self:
            try:
                device.close()
            except DeviceError as exc:
                log.info("device %s did not close cleanly: %s", device.name, exc)

    # -- health

    def check(self, name: str, level: HealthLevel) -> HealthResult:
        """Health of one device; a closed device is started for the check and closed again."""
        from hardware.health import HealthResult  # (hardware.health waits for the first check)

        if name not in self.devices:
            reason = self.unusable.get(name, f"no device named {name!r}")
            return HealthResult(name, level, False, "NO_DRIVER", f"无法驱动该设备：{reason}", f"cannot drive: {reason}")
        device = self.devices[name]
        started_here = device.state is LifecycleState.CLOSED
        try:
            if started_here:
                device.start()
            return device.check_health(level)
        except DeviceError as exc:
            result = HealthResult(name, level, False, exc.code, exc.message_zh, exc.message_en)
            device.record_health(result)
            return result
        finally:
            if started_here:
                device.close()

    def check_all(self, level: HealthLevel) -> list[HealthResult]:
        return [self.check(name, level) for name in self.specs]

    # -- ports

    def poll(self) -> PortsChanged | None:
        """Compare the serial ports with the last poll; act on devices whose port came or went."""
        now = {p.device: p for p in self._list_ports()}
        with self._lock:
            before, self._ports = self._ports, now
        if before is None or now.keys() == before.keys():
            return None
        from hardware.manager_records import PortsChanged

        change = PortsChanged("manager", added=tuple(now[p] for p in sorted(now.keys() - before.keys())),
                              removed=tuple(before[p] for p in sorted(before.keys() - now.keys())))
        gone = {p.device for p in change.removed}
        back = {p.device for p in change.added}
        for device in self:
            port = port_of(device.spec)
            if port in gone:
                device.set_availability(Availability.NO_DEVICE, f"port {port} disappeared")
            elif port in back and device.status.availability in (Availability.NO_DEVICE, Availability.OFFLINE):
                self._reconnect(device)
        self.events.emit(change)
        return change

    def _reconnect(self, device: Device) -> None:
        device.close()
        try:
            device.start()
        except DeviceError as exc:
            log.info("device %s came back but did not start: %s", device.name, exc)

    def ports(self) -> list[PortInfo]:
        with self._lock:
            if self._ports is None:
                self._ports = {p.device: p for p in self._list_ports()}
            return list(self._ports.values())

    def start_polling(self, interval_s: float = 3.0, maintain_s: float = 1.0) -> None:
        """Poll the ports every `interval_s` and maintain the devices every `maintain_s`, on a thread."""
        if self._poller is not None:
            return
        self._stop.clear()

        def loop() -> None:
            since_poll = 0.0
            while not self._stop.wait(maintain_s):
                since_poll += maintain_s
                try:
                    if since_poll >= interval_s:
                        since_poll = 0.0
                        self.poll()
                    self.maintain()
                except Exception:
                    log.exception("device poll failed")

        self._poller = threading.Thread(target=loop, name="device-poll", daemon=True)
        self._poller.start()

    def stop_polling(self) -> None:
        self._stop.set()
        if self._poller is not None:
            self._poller.join(timeout=5)
            self._poller = None

    # -- listing

    def rows(self) -> list[DeviceRow]:
        """Every configured device, then every serial port no configured device uses."""
        from hardware.manager_records import DeviceRow

        rows: list[DeviceRow] = []
        for name, spec in self.specs.items():
            device = self.devices.get(name)
            if device is None:
                rows.append(DeviceRow(name, spec.device_class.value, spec.kind, spec.uri, reason=self.unusable[name]))
                continue
            last = device.last_health.as_dict() if device.last_health else None
            rows.append(DeviceRow(name, spec.device_class.value, spec.kind, spec.uri, self.driver_names[name], "",
                                  device.state.value, device.status.as_dict(), device.info.as_dict(), last))
        used = {port_of(spec) for spec in self.specs.values()}
        for port in self.ports():
            if port.device not in used:
                rows.append(DeviceRow(port.device, "", "", port.device,
                                      reason=f"no device is configured on this port ({port.description or port.hwid})"))
        return rows

    def close(self) -> None:
        """Same as `close_all` (the apps' service containers call `close()` on what they own)."""
        self.close_all()


def start_for_app(config: Config, classes: tuple[DeviceClass, ...],
                  adopt: Callable[[str, Device], None], *, poll: bool = True) -> DeviceManager:
    """The devices of an application, through the manager.

    Builds the configured devices of `classes`, starts them, calls `adopt(name, device)` for each
    one that started, and again later for one that was absent at boot and started afterwards (on
    the manager's thread). Then polls ports and maintains the devices on a thread, so an unplugged
    device reports "reconnecting" and comes back without a restart."""
    manager = DeviceManager(config, only=classes)
    for name, reason in manager.unusable.items():
        log.error("%s not used: %s", name, reason)
    failed = manager.start_all()
    for name, exc in failed.items():
        log.error("%s (%s) not started: %s; retrying in the background", name, manager.specs[name].kind, exc)

    def late(event: DeviceEvent) -> None:
        if isinstance(event, DeviceStarted):
            device = manager.started(event.device)
            if device is not None:
                adopt(event.device, device)

    manager.events.subscribe(late)
    for name in manager.devices:
        device = manager.started(name)
        if device is not None:
            adopt(name, device)
    if poll:
        manager.start_polling()
    return manager
