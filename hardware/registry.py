"""Driver registry: which factory builds a device of a given class and kind (after Odoo IoT).

A driver module registers itself when imported::

    register_driver(DeviceClass.PRINTER, "escpos", EscposPrinter, priority=10,
                    supported=lambda spec: None if spec.uri.startswith("tcp://") else "not a tcp:// URI")

`supported(spec)` returns None when the driver can take the device, or the reason it cannot
(missing library, unknown URI scheme ...). `find_driver(spec)` tries the drivers registered for
the spec's class and kind by descending priority and returns the first that supports it; when
none does, `NoDriverError` lists every reason, so a technician sees why a device stays unused.

`load_builtin_drivers()` imports the packages that register the built-in drivers; a package
that fails to import is reported, not raised.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass

from hardware.model import Device, DeviceClass, DeviceError, DeviceSpec
from infra.logs import get_logger

log = get_logger("hardware")

DriverFactory = Callable[[DeviceSpec], Device]
SupportCheck = Callable[[DeviceSpec], str | None]

# Packages whose import registers drivers. Each registers in its own __init__ (or a module it imports).
BUILTIN_DRIVER_PACKAGES = ("hardware.idcard", "hardware.scanner", "hardware.printer", "hardware.camera")


@dataclass(frozen=True)
class DriverEntry:
    """A registered driver: the class of device, its kind name and its factory."""
    device_class: DeviceClass
    kind: str
    factory: DriverFactory
    priority: int
    supported: SupportCheck
    name: str

    def build(self, spec: DeviceSpec) -> Device:
        return self.factory(spec)


class NoDriverError(DeviceError):
    code = "NO_DRIVER"

    def __init__(self, spec: DeviceSpec, reasons: list[str]) -> None:
        why = "; ".join(reasons) if reasons else f"no driver registered for {spec.device_class.value}/{spec.kind}"
        super().__init__(f"{spec.name}: cannot drive {spec.kind} {spec.uri!r}: {why}", "没有可用的设备驱动",
                         action_zh="请检查终端配置", action_en="Check the terminal configuration")
        self.reasons = reasons


_lock = threading.Lock()
_drivers: list[DriverEntry] = []
_load_errors: dict[str, str] = {}


def _always(spec: DeviceSpec) -> str | None:
    return None


def deferred_factory(module: str, cls: str) -> DriverFactory:
    """A factory that imports `module` only when a device is built: a package registers all its drivers at
    import without loading any (a lobby kiosk loads the one it is configured with, after its first frame)."""

    def build(spec: DeviceSpec) -> Device:
        factory: DriverFactory = getattr(importlib.import_module(module), cls)
        return factory(spec)

    build.__qualname__ = cls
    return build


def register_driver(device_class: DeviceClass, kind: str, factory: DriverFactory, priority: int = 0,
                    supported: SupportCheck | None = None, name: str | None = None) -> DriverEntry:
    """Register a driver; registering the same (class, kind, name) again replaces the old entry."""
    entry = DriverEntry(device_class, kind, factory, priority, supported or _always,
                        name or str(getattr(factory, "__qualname__", repr(factory))))
    with _lock:
        _drivers[:] = [d for d in _drivers if (d.device_class, d.kind, d.name) != (device_class, kind, entry.name)]
        _drivers.append(entry)
    return entry


def unregister_driver(entry: DriverEntry) -> None:
    with _lock:
        if entry in _drivers:
            _drivers.remove(entry)


def drivers(device_class: DeviceClass | None = None, kind: str | None = None) -> list[DriverEntry]:
    """Registered drivers, highest priority first."""
    with _lock:
        found = [d for d in _drivers
                 if (device_class is None or d.device_class is device_class) and (kind is None or d.kind == kind)]
    return sorted(found, key=lambda d: -d.priority)


def find_driver(spec: DeviceSpec) -> DriverEntry:
    """The highest-priority driver that supports `spec`; `NoDriverError` with every reason otherwise."""
    reasons: list[str] = []
    for entry in drivers(spec.device_class, spec.kind):
        try:
            why = entry.supported(spec)
        except Exception as exc:  # a broken check must not hide the other drivers
            why = f"support check failed: {exc}"
        if why is None:
            return entry
        reasons.append(f"{entry.name}: {why}")
    if not reasons:
        package_errors = [f"{pkg}: {err}" for pkg, err in load_errors().items()]
        reasons = [f"no driver registered for {spec.device_class.value}/{spec.kind}", *package_errors]
    raise NoDriverError(spec, reasons)


def supported(spec: DeviceSpec) -> str | None:
    """None when some driver can take `spec`, otherwise the reason none can."""
    try:
        find_driver(spec)
    except NoDriverError as exc:
        return "; ".join(exc.reasons)
    return None


def build_device(spec: DeviceSpec) -> Device:
    return find_driver(spec).build(spec)


def load_builtin_drivers(packages: tuple[str, ...] = BUILTIN_DRIVER_PACKAGES) -> dict[str, str]:
    """Import the driver packages; returns {package: error} for those that failed to import."""
    for package in packages:
        try:
            importlib.import_module(package)
        except Exception as exc:
            with _lock:
                _load_errors[package] = f"{type(exc).__name__}: {exc}"
            log.info("driver package %s not loaded: %s", package, exc)
        else:
            with _lock:
                _load_errors.pop(package, None)
    return load_errors()


def load_errors() -> dict[str, str]:
    with _lock:
        return dict(_load_errors)
