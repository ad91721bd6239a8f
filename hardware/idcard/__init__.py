"""二代身份证阅读器 (2nd-generation ID card readers): SAM serial protocol, vendor SDKs, emulator.

Importing the package registers three drivers for `[devices.id_reader]`:
`kind = "serial"` (SAM protocol on `uri`, a port), `kind = "vendor"` (the vendor's sdtapi/termb
library through ctypes) and `kind = "simulator"` (the serial driver against a pty emulator).

The registration imports no driver: a driver's module (and what it needs: pyserial, ctypes, the
card-text parser) is imported when a device of its kind is checked or built, so a terminal
loads only the driver it is configured with (start-up time). The package's names
(`SamSerialReader`, `IdCardRecord` …) are imported on first use as well.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from hardware.model import DeviceClass, DeviceSpec
from hardware.registry import deferred_factory, register_driver

if TYPE_CHECKING:
    from hardware.idcard.record import PERMANENT, CardType, IdCardRecord
    from hardware.idcard.sam_serial import CardNotRemovedError, SamSerialReader
    from hardware.idcard.simulator import SimulatedIdCardReader
    from hardware.idcard.vendor_sdk import VendorSdkReader
    from hardware.idcard.watcher import CardWatcher

__all__ = ["PERMANENT", "CardNotRemovedError", "CardWatcher", "CardType", "IdCardRecord", "SamSerialReader",
           "SimulatedIdCardReader", "VendorSdkReader"]

# name → the module that defines it (imported on first access: PEP 562)
_LAZY = {"PERMANENT": "record", "CardType": "record", "IdCardRecord": "record",
         "CardNotRemovedError": "sam_serial", "SamSerialReader": "sam_serial",
         "SimulatedIdCardReader": "simulator", "VendorSdkReader": "vendor_sdk", "CardWatcher": "watcher",
         "sam_serial": "", "simulator": "", "vendor_sdk": "", "record": "", "watcher": ""}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    loaded = importlib.import_module(f"{__name__}.{module or name}")
    value = loaded if not module else getattr(loaded, name)
    globals()[name] = value
    return value


def _serial_reason(spec: DeviceSpec) -> str | None:
    return None if spec.uri else "uri is empty: set the reader's serial port, e.g. /dev/ttyUSB0 or COM3"


def _vendor_reason(spec: DeviceSpec) -> str | None:
    from hardware.idcard import vendor_sdk

    return vendor_sdk.unavailable_reason(spec)


def _simulator_reason(spec: DeviceSpec) -> str | None:
    from hardware.idcard import simulator

    return simulator.unavailable_reason(spec)


for _kind, _module, _cls, _check, _name in (
        ("serial", "sam_serial", "SamSerialReader", _serial_reason, "sam-serial"),
        ("vendor", "vendor_sdk", "VendorSdkReader", _vendor_reason, "vendor-sdk"),
        ("simulator", "simulator", "SimulatedIdCardReader", _simulator_reason, "sam-emulator")):
    register_driver(DeviceClass.ID_READER, _kind, deferred_factory(f"{__name__}.{_module}", _cls), priority=10,
                    supported=_check, name=_name)
