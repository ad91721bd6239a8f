"""The driver packages register their drivers without importing them: a terminal loads the driver
it is configured with (start-up time), and the package's names still import as before."""

from __future__ import annotations

import json
import subprocess
import sys

_PROBE = """
import json, sys
import hardware.idcard, hardware.scanner
from hardware.model import DeviceClass, DeviceSpec
from hardware.registry import drivers, find_driver
before = sorted(m for m in sys.modules if m.startswith(("hardware.idcard.", "hardware.scanner.")))
kinds = sorted(d.kind for d in drivers(DeviceClass.ID_READER))
entry = find_driver(DeviceSpec(DeviceClass.ID_READER, "id_reader", "serial", "/dev/ttyUSB0"))
device = entry.build(DeviceSpec(DeviceClass.ID_READER, "id_reader", "serial", "/dev/ttyUSB0"))
after = sorted(m for m in sys.modules if m.startswith(("hardware.idcard.", "hardware.scanner.")))
print(json.dumps({"before": before, "kinds": kinds, "device": type(device).__name__, "after": after}))
"""


def test_registering_imports_no_driver_and_building_imports_only_its_own() -> None:
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True, timeout=60)
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["kinds"] == ["serial", "simulator", "vendor"]
    assert seen["before"] == []
    assert seen["device"] == "SamSerialReader"
    assert "hardware.idcard.sam_serial" in seen["after"]
    assert not {"hardware.idcard.vendor_sdk", "hardware.idcard.simulator"} & set(seen["after"])


def test_the_packages_names_import_as_before() -> None:
    from hardware.idcard import (
        PERMANENT,
        CardNotRemovedError,
        CardType,
        CardWatcher,
        IdCardRecord,
        SamSerialReader,
        SimulatedIdCardReader,
        VendorSdkReader,
    )
    from hardware.idcard.sam_serial import SamSerialReader as Direct
    from hardware.scanner import PayloadRules, SerialScanner, WedgeConfig, WedgeDecoder, WedgeScanner, check_payload

    assert SamSerialReader is Direct and issubclass(SimulatedIdCardReader, SamSerialReader)
    assert IdCardRecord.__name__ == "IdCardRecord" and CardType and PERMANENT is not None
    assert issubclass(CardNotRemovedError, Exception) and CardWatcher and VendorSdkReader
    assert WedgeDecoder(WedgeConfig()) is not None and SerialScanner and WedgeScanner and PayloadRules
    assert callable(check_payload)


def test_a_driver_of_an_unknown_kind_still_says_why() -> None:
    import hardware.idcard  # noqa: F401  (registers)
    from hardware.model import DeviceClass, DeviceSpec
    from hardware.registry import supported

    reason = supported(DeviceSpec(DeviceClass.ID_READER, "id_reader", "serial", ""))
    assert reason is not None and "uri is empty" in reason
