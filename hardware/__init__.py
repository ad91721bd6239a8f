"""Hardware abstraction layer: ID card readers, code scanners, receipt printers, document cameras.

No Qt here (the Qt bridge lives in `ui/`). The shared model is in `hardware.model` (lifecycle,
status, events, command ids, the per-class interfaces), health checks in `hardware.health`, the
driver registry in `hardware.registry`, the device manager in `hardware.manager` and the
technicians' command line `hpf-diag` in `hardware.diag`. Drivers live in one package per class
(`idcard`, `scanner`, `printer`, `camera`) and register themselves when imported.
"""

from hardware.health import GuidedStep, HealthLevel, HealthResult
from hardware.model import (
    Availability,
    CardPresence,
    CodeScanner,
    CommandResult,
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
    ScanResult,
)

__all__ = [
    "Availability", "CardPresence", "CodeScanner", "CommandResult", "CoverState", "Device", "DeviceClass",
    "DeviceError", "DeviceSpec", "DeviceStatus", "DocumentCamera", "GuidedStep", "HealthLevel", "HealthResult",
    "IdCardReader", "PaperState", "ReceiptPrinter", "ScanResult",
]
