"""二代身份证阅读器 (2nd-generation ID card readers): SAM serial protocol, vendor SDKs, emulator.

Importing the package registers three drivers for `[devices.id_reader]`:
`kind = "serial"` (SAM protocol on `uri`, a port), `kind = "vendor"` (the vendor's sdtapi/termb
library through ctypes) and `kind = "simulator"` (the serial driver against a pty emulator).
"""

from __future__ import annotations

from hardware.idcard import simulator, vendor_sdk
from hardware.idcard.record import PERMANENT, CardType, IdCardRecord
from hardware.idcard.sam_serial import CardNotRemovedError, SamSerialReader
from hardware.idcard.simulator import SimulatedIdCardReader
from hardware.idcard.vendor_sdk import VendorSdkReader
from hardware.idcard.watcher import CardWatcher
from hardware.model import DeviceClass, DeviceSpec
from hardware.registry import register_driver

__all__ = ["PERMANENT", "CardNotRemovedError", "CardWatcher", "CardType", "IdCardRecord", "SamSerialReader",
           "SimulatedIdCardReader", "VendorSdkReader"]


def _serial_reason(spec: DeviceSpec) -> str | None:
    return None if spec.uri else "uri is empty: set the reader's serial port, e.g. /dev/ttyUSB0 or COM3"


register_driver(DeviceClass.ID_READER, "serial", SamSerialReader, priority=10, supported=_serial_reason,
                name="sam-serial")
register_driver(DeviceClass.ID_READER, "vendor", VendorSdkReader, priority=10,
                supported=vendor_sdk.unavailable_reason, name="vendor-sdk")
register_driver(DeviceClass.ID_READER, "simulator", SimulatedIdCardReader, priority=10,
                supported=simulator.unavailable_reason, name="sam-emulator")
