"""Unplug → "reconnecting" → replug without a restart: the drivers reopen their configured port or
URI with back-off (a pseudo-terminal and a network printer are invisible to port polling), the
manager starts a device that was absent at boot, and importing the manager loads no camera library."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hardware.backoff import Backoff
from hardware.events import DeviceEvent
from hardware.idcard.emulator import SamReaderEmulator
from hardware.idcard.sam_serial import SamSerialReader
from hardware.idcard.samples import RESIDENT
from hardware.manager import DeviceManager, DeviceStarted
from hardware.model import Availability, DeviceClass, DeviceOfflineError, DeviceSpec, LifecycleState, PaperState
from hardware.printer import open_printer
from hardware.printer.emulator.server import Offline, PrinterEmulator
from hardware.printer.samples import test_receipt
from infra.config import parse_config

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the reader emulator needs a pseudo-terminal")

FAST_READER = {"answer_timeout_s": 0.15, "poll_interval_s": 0.02, "retries": 1,
               "reconnect_first_s": 0.02, "reconnect_max_s": 0.1}


def until(condition: Callable[[], bool], step: Callable[[], None], limit_s: float = 10.0) -> bool:
    """Run `step` until `condition` holds (a generous limit only guards against a hang)."""
    deadline = time.monotonic() + limit_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        step()
        time.sleep(0.02)
    return True


def test_backoff_doubles_up_to_the_limit_and_resets() -> None:
    now = [0.0]
    b = Backoff(1.0, 4.0, clock=lambda: now[0])
    assert b.due()
    assert [b.failed(), b.failed(), b.failed(), b.failed()] == [1.0, 2.0, 4.0, 4.0]
    assert not b.due()
    now[0] = 100.0
    assert b.due()
    b.succeeded()
    assert b.failed() == 1.0
    with pytest.raises(ValueError):
        Backoff(0, 1)


@pytest.fixture
def linked(tmp_path: Path) -> Iterator[SamReaderEmulator]:
    with SamReaderEmulator(RESIDENT, link=str(tmp_path / "hpf-idreader")) as emu:
        yield emu


def test_reader_unplugged_and_replugged_reads_again_without_a_restart(linked: SamReaderEmulator) -> None:
    assert linked.link is not None
    reader = SamSerialReader(DeviceSpec(DeviceClass.ID_READER, "id_reader", "serial", uri=linked.link,
                                        options=FAST_READER)).start()
    try:
        linked.unplug()
        with pytest.raises(DeviceOfflineError):
            reader.read_card(timeout_s=0.1)
        assert reader.status.availability is Availability.OFFLINE
        assert reader.status.detail.startswith("reconnecting")
        reader.maintain()  # still unplugged: stays "reconnecting", raises nothing
        assert reader.status.availability is Availability.OFFLINE
        assert reader.reconnect.failures >= 1
        linked.replug()
        assert until(lambda: reader.status.availability is Availability.ONLINE, reader.maintain)
        assert reader.state is LifecycleState.ENABLED
        linked.present()
        assert reader.read_card(timeout_s=2) == RESIDENT
    finally:
        reader.close()


def test_reader_reconnects_by_itself_on_the_next_read(linked: SamReaderEmulator) -> None:
    """No manager at all: the read loop's next read reopens the configured port."""
    assert linked.link is not None
    reader = SamSerialReader(DeviceSpec(DeviceClass.ID_READER, "id_reader", "serial", uri=linked.link,
                                        options=FAST_READER)).start()
    try:
        linked.unplug()
        with pytest.raises(DeviceOfflineError):
            reader.read_card(timeout_s=0.1)
        linked.replug()
        linked.present()
        got: list[object] = []

        def read() -> None:
            try:
                got.append(reader.read_card(timeout_s=0.2))
            except DeviceOfflineError:
                pass

        assert until(lambda: RESIDENT in got, read)
    finally:
        reader.close()


@pytest.fixture
def printer_emulator() -> Iterator[PrinterEmulator]:
    with PrinterEmulator() as emu:
        yield emu


def test_printer_gone_silent_is_offline_with_paper_unknown_and_comes_back(printer_emulator: PrinterEmulator) -> None:
    printer = open_printer(printer_emulator.uri, "generic-80mm-text",
                           options={"status_timeout_s": 0.3, "reconnect_first_s": 0.02, "reconnect_max_s": 0.1})
    try:
        assert printer.status.paper is PaperState.OK
        printer_emulator.go_offline(Offline.SILENT)
        printer.maintain()
        assert printer.status.availability is Availability.OFFLINE
        assert printer.status.paper is PaperState.UNKNOWN  # could not read: never "no paper"
        printer_emulator.go_online()
        assert until(lambda: printer.status.availability is Availability.ONLINE, printer.maintain)
        assert printer.status.paper is PaperState.OK
    finally:
        printer.close()


def test_printer_whose_connection_drops_reconnects_and_prints(printer_emulator: PrinterEmulator) -> None:
    printer = open_printer(printer_emulator.uri, "generic-80mm-text",
                           options={"status_timeout_s": 0.3, "reconnect_first_s": 0.02, "reconnect_max_s": 0.1})
    try:
        printer_emulator.go_offline(Offline.DROP)
        assert until(lambda: printer.status.availability is Availability.OFFLINE, printer.maintain)
        assert printer.status.paper is not PaperState.OUT
        assert until(lambda: "reconnecting" in printer.status.detail, printer.maintain)
        printer_emulator.go_online()
        assert until(lambda: printer.status.availability is Availability.ONLINE, printer.maintain)
        result = printer.print_receipt(test_receipt("printer"), command_id="after-replug")
        assert not result.duplicate
        assert any("HPF" in line or "测试" in line for line in printer_emulator.texts())
    finally:
        printer.close()


def test_manager_starts_a_reader_that_was_absent_at_boot(tmp_path: Path) -> None:
    link = tmp_path / "hpf-idreader"
    config = parse_config(f"""
[devices.id_reader]
kind = "serial"
uri = "{link}"
options = {{ answer_timeout_s = 0.15, poll_interval_s = 0.02, retries = 1 }}
[devices.scanner]
kind = "none"
[devices.printer]
kind = "none"
[devices.camera]
kind = "none"
""")
    manager = DeviceManager(config, list_ports=lambda: [], retry_first_s=0.02, retry_max_s=0.1)
    events: list[DeviceEvent] = []
    manager.events.subscribe(events.append)
    try:
        assert set(manager.start_all()) == {"id_reader"}
        assert manager.started("id_reader") is None
        manager.maintain()
        with SamReaderEmulator(RESIDENT, link=str(link)):
            assert until(lambda: manager.started("id_reader") is not None, manager.maintain)
            assert any(isinstance(e, DeviceStarted) and e.device == "id_reader" for e in events)
            # the device's own events reach the manager's bus too
            assert any(type(e).__name__ == "StatusChanged" for e in events)
    finally:
        manager.close_all()


def test_importing_the_manager_without_a_camera_loads_no_opencv() -> None:
    code = """
import sys
from infra.config import parse_config
from hardware.manager import DeviceManager
DeviceManager(parse_config('''
[devices.id_reader]
kind = "serial"
uri = "/dev/hpf-none"
[devices.scanner]
kind = "serial"
uri = "/dev/hpf-none2"
[devices.printer]
kind = "none"
[devices.camera]
kind = "none"
'''), list_ports=lambda: [])
heavy = sorted(m for m in ("cv2", "numpy", "zxingcpp", "PySide6") if m in sys.modules)
print(",".join(heavy) or "none")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "none", out.stdout + out.stderr


def test_printer_transports_are_one_class_per_connector() -> None:
    from hardware.printer.transport import TRANSPORTS, parse_uri, transport_for
    from hardware.printer.transport.file import FileTransport
    from hardware.printer.transport.network import NetworkTransport

    assert isinstance(transport_for(parse_uri("tcp://192.0.2.1:9100")), NetworkTransport)
    assert isinstance(transport_for(parse_uri("file:///dev/usb/lp0")), FileTransport)
    assert {cls.__module__.rsplit(".", 1)[1] for cls in TRANSPORTS.values()} == {
        "network", "serial", "usb", "file", "win32"}
    assert transport_for(parse_uri("file:///dev/usb/lp0")).can_read is False  # no back channel: status unknown
    with pytest.raises(ValueError):
        transport_for(parse_uri("simulator://"))
