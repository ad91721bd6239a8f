"""Hardware abstraction layer: ID card readers, code scanners, receipt printers, document cameras.

No Qt here (the Qt bridge lives in `ui/`). The shared model is in `hardware.model` (lifecycle,
status, events, command ids, the per-class interfaces), health checks in `hardware.health`, the
driver registry in `hardware.registry`, the device manager in `hardware.manager` and the
technicians' command line `hpf-diag` in `hardware.diag`. Drivers live in one package per class
(`idcard`, `scanner`, `printer`, `camera`) and register themselves when imported.
"""

from typing import TYPE_CHECKING, Any

from hardware.model import (
    Availability,
    CardPresence,
    CodeScanner,
    CoverState,
    Device,
    DeviceClass,
    DeviceError,
    DeviceSpec,
    DeviceStatus,
    DocumentCamera,
    IdCardReader,
    PaperState,
    ReceiptPrinter,
)

if TYPE_CHECKING:
    from hardware.health import GuidedStep, HealthLevel, HealthResult
    from hardware.results import CommandResult, ScanResult


def __getattr__(name: str) -> Any:
    """hardware.health's names, imported on first use (no health check runs before the kiosk's first frame),
    and hardware.results' (no device has a result before it either)."""
    if name in ("GuidedStep", "HealthLevel", "HealthResult"):
        from hardware import health

        return getattr(health, name)
    if name in ("CommandResult", "ScanResult"):
        from hardware import results

        return getattr(results, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Availability", "CardPresence", "CodeScanner", "CommandResult", "CoverState", "Device", "DeviceClass",
    "DeviceError", "DeviceSpec", "DeviceStatus", "DocumentCamera", "GuidedStep", "HealthLevel", "HealthResult",
    "IdCardReader", "PaperState", "ReceiptPrinter", "ScanResult",
]
