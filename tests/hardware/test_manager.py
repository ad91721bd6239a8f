"""Device manager: building from configuration, health checks, port polling, what it cannot drive."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator

import pytest

from hardware.events import DeviceEvent
from hardware.health import HealthLevel
from hardware.idcard.emulator import SamReaderEmulator
from hardware.idcard.sam_serial import SamSerialReader
from hardware.idcard.simulator import SimulatedIdCardReader
from hardware.manager import DeviceManager, PortInfo, PortsChanged, port_of
from hardware.model import Availability, DeviceClass, DeviceSpec, LifecycleState
from hardware.registry import NoDriverError
from infra.config import Config, parse_config

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the reader emulator needs a pseudo-terminal")

ONLY_READER = """
[devices.scanner]
kind = "none"
[devices.printer]
kind = "none"
[devices.camera]
kind = "none"
"""


def _config(reader: str) -> Config:
    return parse_config(reader + ONLY_READER)


class FakePorts:
    def __init__(self, *ports: str) -> None:
        self.ports = [PortInfo(p, "USB-Serial") for p in ports]

    def __call__(self) -> list[PortInfo]:
        return list(self.ports)


@pytest.fixture
def emulator() -> Iterator[SamReaderEmulator]:
    with SamReaderEmulator() as emu:
        yield emu


def test_builds_the_configured_simulator_and_skips_kind_none() -> None:
    manager = DeviceManager(_config('[devices.id_reader]\nkind = "simulator"\n'), list_ports=FakePorts())
    assert list(manager.specs) == ["id_reader"]
    assert isinstance(manager.get("id_reader"), SimulatedIdCardReader)
    assert manager.driver_names["id_reader"] == "sam-emulator"
    with pytest.raises(KeyError, match="configured: id_reader"):
        manager.get("printer")


def test_a_device_no_driver_takes_is_listed_with_the_reason() -> None:
    manager = DeviceManager(_config('[devices.id_reader]\nkind = "serial"\nuri = ""\n'), list_ports=FakePorts())
    [row] = manager.rows()
    assert row.driver == "" and "uri is empty" in row.reason
    with pytest.raises(NoDriverError):
        manager.get("id_reader")
    result = manager.check("id_reader", HealthLevel.INTERNAL)
    assert (result.ok, result.code) == (False, "NO_DRIVER") and "uri is empty" in result.text_en


def test_check_starts_a_closed_device_and_closes_it_again() -> None:
    manager = DeviceManager(_config('[devices.id_reader]\nkind = "simulator"\n'), list_ports=FakePorts())
    result = manager.check("id_reader", HealthLevel.EXTERNAL)
    device = manager.get("id_reader")
    assert result.ok and result.code == "OK"
    assert device.state is LifecycleState.CLOSED
    assert device.last_health is result
    row = manager.rows()[0]
    assert row.last_health is not None and row.last_health["code"] == "OK"


def test_check_reports_a_device_that_will_not_start() -> None:
    manager = DeviceManager(_config('[devices.id_reader]\nkind = "serial"\nuri = "/dev/no-such-port"\n'),
                            list_ports=FakePorts())
    [result] = manager.check_all(HealthLevel.INTERNAL)
    assert (result.ok, result.code) == (False, "NO_DEVICE")
    assert manager.get("id_reader").last_health is result


def test_a_port_that_goes_and_comes_back(emulator: SamReaderEmulator) -> None:
    ports = FakePorts(emulator.port, "/dev/ttyS9")
    manager = DeviceManager(_config(f'[devices.id_reader]\nkind = "serial"\nuri = "{emulator.port}"\n'),
                            list_ports=ports)
    seen: list[DeviceEvent] = []
    manager.events.subscribe(seen.append)
    assert manager.start_all() == {}
    device = manager.get("id_reader")
    assert isinstance(device, SamSerialReader)
    assert manager.poll() is None  # the first poll is the baseline

    ports.ports = [p for p in ports.ports if p.device != emulator.port]
    change = manager.poll()
    assert change is not None and [p.device for p in change.removed] == [emulator.port]
    assert device.status.availability is Availability.NO_DEVICE
    assert manager.poll() is None  # nothing changed since

    ports.ports.append(PortInfo(emulator.port))
    change = manager.poll()
    assert change is not None and [p.device for p in change.added] == [emulator.port]
    assert device.status.availability is Availability.ONLINE and device.state is LifecycleState.ENABLED
    # the manager's bus carries the devices' own events too (status changes), and both port changes
    assert [type(e) for e in seen if isinstance(e, PortsChanged)] == [PortsChanged, PortsChanged]
    assert any(type(e).__name__ == "StatusChanged" for e in seen)
    manager.close_all()
    assert device.state is LifecycleState.CLOSED


def test_ports_nobody_drives_are_listed() -> None:
    manager = DeviceManager(_config('[devices.id_reader]\nkind = "serial"\nuri = "serial:///dev/ttyUSB0?baud=115200"\n'),
                            list_ports=FakePorts("/dev/ttyUSB0", "/dev/ttyACM3"))
    rows = {row.name: row for row in manager.rows()}
    assert set(rows) == {"id_reader", "/dev/ttyACM3"}
    assert "no device is configured on this port" in rows["/dev/ttyACM3"].reason
    assert rows["id_reader"].driver == "sam-serial" and rows["id_reader"].state == "closed"
    assert rows["id_reader"].as_dict()["class"] == "id_reader"


def test_background_polling_reports_changes() -> None:
    ports = FakePorts("/dev/ttyUSB0")
    manager = DeviceManager(_config('[devices.id_reader]\nkind = "simulator"\n'), list_ports=ports)
    changed = threading.Event()
    manager.events.subscribe(lambda event: changed.set())
    manager.ports()  # baseline
    ports.ports = []
    manager.start_polling(interval_s=0.01)
    try:
        assert changed.wait(timeout=10)
    finally:
        manager.stop_polling()


def test_port_of_recognises_serial_uris_only() -> None:
    def spec(uri: str) -> DeviceSpec:
        return DeviceSpec(DeviceClass.PRINTER, "printer", "escpos", uri)

    assert port_of(spec("serial:///dev/ttyUSB0?baud=19200")) == "/dev/ttyUSB0"
    assert port_of(spec("COM4")) == "COM4"
    assert port_of(spec("tcp://127.0.0.1:9100")) is None
    assert port_of(spec("usb://04b8:0202")) is None
