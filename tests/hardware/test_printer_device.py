"""End to end: the ESC/POS printer driver against the network emulator on loopback.

Paper running out in the middle of a receipt, the cover opened, a printer that stops answering
or drops the connection halfway: each gives a clear status and a progress that says how far the
job got, and a retry with the same command id prints every element exactly once.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from hardware.events import DeviceEvent, ErrorEvent, StatusChanged
from hardware.health import HealthLevel
from hardware.model import (
    Availability,
    CoverState,
    DeviceClass,
    DeviceError,
    DeviceNotFoundError,
    DeviceSpec,
    PaperState,
)
from hardware.printer import open_printer
from hardware.printer.device import CoverOpenError, EscposPrinter, PaperOutError, PrinterNotAnsweringError
from hardware.printer.emulator.interpreter import Interpreter
from hardware.printer.emulator.server import Offline, PrinterEmulator
from hardware.printer.profile import get_profile
from hardware.printer.render import render
from hardware.printer.samples import reference_receipt
from hardware.printer.transport import PrinterUri, Transport, UriError, parse_uri
from hardware.registry import build_device, find_driver

FAST = {"status_timeout_s": 0.5}  # generous: a loaded CI machine must not look like a silent printer


@pytest.fixture
def emulator() -> Iterator[PrinterEmulator]:
    with PrinterEmulator() as emu:
        yield emu


def _open(emu: PrinterEmulator, mode: str = "text") -> EscposPrinter:
    return open_printer(emu.uri, f"generic-80mm-{mode}", options=FAST)


def _expected_lines() -> list[str]:
    it = Interpreter()
    it.feed(render(reference_receipt(), get_profile("generic-80mm-text")).to_bytes())
    return it.paper.texts()


def _without_continuation(lines: list[str]) -> list[str]:
    return [line for line in lines if not line.startswith("（续）") and line != "(continued)"]


@pytest.mark.parametrize("mode", ["text", "raster"])
def test_prints_the_reference_receipt_once_per_command_id(emulator: PrinterEmulator, mode: str) -> None:
    with _open(emulator, mode) as printer:
        first = printer.print_receipt(reference_receipt(), command_id="app-1")
        received = emulator.bytes_received
        again = printer.print_receipt(reference_receipt(), command_id="app-1")
        assert (first.duplicate, again.duplicate) == (False, True)
        assert first.detail == "24/24 elements printed"
        assert emulator.bytes_received == received  # the retry sent nothing at all
        assert len(emulator.paper.receipts) == 1
        assert printer.status.availability is Availability.ONLINE
        assert (printer.status.paper, printer.status.cover) == (PaperState.OK, CoverState.CLOSED)


def test_paper_out_mid_receipt_then_a_retry_prints_the_rest_once(emulator: PrinterEmulator) -> None:
    events: list[DeviceEvent] = []
    with _open(emulator) as printer:
        printer.subscribe(events.append)
        emulator.run_out_of_paper(after_lines=8)
        with pytest.raises(PaperOutError) as stopped:
            printer.print_receipt(reference_receipt(), command_id="app-2")
        progress = stopped.value.progress
        assert (progress.printed, progress.total, progress.stopped_at) == (8, 24, "9 columns")
        assert "已打印 8/24 项" in stopped.value.message_zh
        assert printer.status.paper is PaperState.OUT
        assert printer.status.availability is Availability.USER_ERROR
        assert any(isinstance(e, ErrorEvent) and e.code == "PAPER_OUT" and e.action_zh for e in events)

        with pytest.raises(PaperOutError):  # still no paper: nothing more is printed
            printer.print_receipt(reference_receipt(), command_id="app-2")
        assert len(emulator.texts()) == 8

        emulator.load_paper()
        result = printer.print_receipt(reference_receipt(), command_id="app-2")
        assert result.detail == "24/24 elements printed (resumed after 8)"
        assert printer.print_receipt(reference_receipt(), command_id="app-2").duplicate

    torn, rest = emulator.texts(0), emulator.texts(1)
    assert rest[:2] == ["（续）提取申请回执 TQ20261127000123", "(continued)"]
    assert torn + _without_continuation(rest) == _expected_lines()  # every line exactly once


def test_raster_receipt_cut_short_by_paper_end_is_completed_without_repeats(emulator: PrinterEmulator) -> None:
    full = render(reference_receipt(), get_profile("generic-80mm-raster"))
    raster_dots = sum(b.dots for b in full.blocks if b.data.startswith(b"\x1dv0"))
    with _open(emulator, "raster") as printer:
        emulator.run_out_of_paper(after_dots=400)
        with pytest.raises(PaperOutError) as stopped:
            printer.print_receipt(reference_receipt(), command_id="app-3")
        assert 0 < stopped.value.progress.printed < 24
        emulator.load_paper()
        printer.print_receipt(reference_receipt(), command_id="app-3")
    printed = sum(p.dots for p in emulator.paper.log if p.kind == "raster")
    continuation = 2 * get_profile("generic-80mm-raster").line_dots  # the "(续)" note: two lines
    assert printed == raster_dots + continuation


def test_an_open_cover_stops_the_job_before_anything_is_printed(emulator: PrinterEmulator) -> None:
    with _open(emulator) as printer:
        emulator.open_cover()
        with pytest.raises(CoverOpenError) as stopped:
            printer.print_receipt(reference_receipt(), command_id="app-4")
        assert stopped.value.progress.printed == 0
        assert printer.status.cover is CoverState.OPEN
        assert printer.status.paper is PaperState.OK  # the cover says nothing about the paper
        assert emulator.paper.log == []
        emulator.close_cover()
        assert printer.print_receipt(reference_receipt(), command_id="app-4").detail == "24/24 elements printed"
    assert emulator.texts() == _expected_lines()  # a job that never started needs no "continued" line


@pytest.mark.parametrize("mode", [Offline.SILENT, Offline.DROP])
def test_a_printer_that_stops_answering_halfway(emulator: PrinterEmulator, mode: Offline) -> None:
    with _open(emulator) as printer:
        emulator.go_offline(mode, after_bytes=300)
        with pytest.raises(PrinterNotAnsweringError) as stopped:
            printer.print_receipt(reference_receipt(), command_id="app-5")
        printed = stopped.value.progress.printed
        assert 0 < printed < 24
        assert printer.status.availability is Availability.OFFLINE
        assert printer.status.paper is PaperState.UNKNOWN  # not answering is not "out of paper"

        with pytest.raises(PrinterNotAnsweringError):  # still gone: the retry sends no receipt data
            printer.print_receipt(reference_receipt(), command_id="app-5")
        emulator.go_online()
        result = printer.print_receipt(reference_receipt(), command_id="app-5")
        assert result.detail == f"24/24 elements printed (resumed after {printed})"
        assert printer.status.availability is Availability.ONLINE
    assert _without_continuation(emulator.texts()) == _expected_lines()


def test_a_printer_without_a_back_channel_prints_unconfirmed(tmp_path: Path) -> None:
    out = tmp_path / "lp0"
    with open_printer(f"file://{out}", "file-raster") as printer:
        result = printer.print_receipt(reference_receipt(), command_id="app-6")
        assert "not confirmed" in result.detail
        assert printer.status.paper is PaperState.UNKNOWN
        assert printer.check_health(HealthLevel.INTERNAL).code == "NO_STATUS"
    assert out.read_bytes() == render(reference_receipt(), get_profile("file-raster")).to_bytes()


class ScriptedTransport(Transport):
    """A printer that answers every status request with the same (possibly garbage) byte."""

    can_read = True

    def __init__(self, answer: int | None) -> None:
        super().__init__(PrinterUri("tcp", "scripted:9100", {}))
        self.answer, self.written = answer, bytearray()

    def open(self) -> None:
        return None

    def _raw(self, data: bytes) -> None:  # the single raw-write hook
        self.written += data

    def read_byte(self, timeout_s: float) -> int | None:
        return self.answer

    def close(self) -> None:
        return None


@pytest.mark.parametrize("answer", [None, 0xFF, 0x00, 0x60])
def test_unreadable_status_is_unknown_and_never_blocks_a_print(answer: int | None) -> None:
    transport = ScriptedTransport(answer)
    spec = DeviceSpec(DeviceClass.PRINTER, "printer", "escpos", "tcp://scripted:9100", options=FAST)
    with EscposPrinter(spec, transport=transport) as printer:
        result = printer.print_receipt(reference_receipt(), command_id="app-7")
        assert "not confirmed" in result.detail
        assert printer.status.paper is PaperState.UNKNOWN
        assert printer.status.cover is CoverState.UNKNOWN
    assert "太原市住房公积金管理中心".encode("gb18030") not in transport.written  # raster by default
    assert transport.written.count(b"\x1dv0") > 20


def test_paper_low_is_reported_and_printing_goes_on(emulator: PrinterEmulator) -> None:
    events: list[DeviceEvent] = []
    with _open(emulator) as printer:
        printer.subscribe(events.append)
        emulator.set_paper_low()
        printer.print_receipt(reference_receipt(), command_id="app-8")
        assert printer.status.paper is PaperState.LOW
        assert printer.check_health(HealthLevel.INTERNAL).code == "PAPER_LOW"
    assert any(isinstance(e, StatusChanged) and e.new.paper is PaperState.LOW for e in events)
    assert emulator.texts() == _expected_lines()


def test_health_checks(emulator: PrinterEmulator) -> None:
    with _open(emulator) as printer:
        assert printer.check_health(HealthLevel.INTERNAL).code == "OK"
        assert emulator.paper.log == []  # the internal check prints nothing
        emulator.run_out_of_paper()
        assert printer.check_health(HealthLevel.INTERNAL).code == "PAPER_OUT"
        emulator.load_paper()
        external = printer.check_health(HealthLevel.EXTERNAL)
        assert (external.ok, external.code) == (True, "OK")
        assert "打印测试" in emulator.texts()
        emulator.go_offline(Offline.SILENT)
        result = printer.check_health(HealthLevel.INTERNAL)
        assert (result.ok, result.code) == (False, "NO_ANSWER")
        assert printer.last_health is result
        emulator.go_offline(Offline.DROP)
        with pytest.raises(PrinterNotAnsweringError):
            printer.print_receipt(reference_receipt(), command_id="after-drop")
        assert printer.check_health(HealthLevel.INTERNAL).code == "OFFLINE"
        emulator.go_online()
        assert printer.check_health(HealthLevel.INTERNAL).code == "OK"  # reconnected


def test_nothing_listening_is_a_clear_no_device_error(emulator: PrinterEmulator) -> None:
    port = emulator.port
    emulator.stop()
    with pytest.raises(DeviceNotFoundError) as err:
        open_printer(f"tcp://127.0.0.1:{port}", options=FAST)
    assert err.value.message_zh == "无法连接打印机"
    with pytest.raises(DeviceNotFoundError, match="unknown printer URI"):
        open_printer("lpt://1")


def test_uris() -> None:
    assert parse_uri("tcp://127.0.0.1").target == "127.0.0.1:9100"
    serial = parse_uri("serial:///dev/ttyUSB0?baud=19200")
    assert (serial.target, serial.params) == ("/dev/ttyUSB0", {"baud": "19200"})
    assert parse_uri("serial://COM3").target == "COM3"
    assert parse_uri("usb://04b8:0202").target == "04b8:0202"
    assert parse_uri("file:///dev/usb/lp0").target == "/dev/usb/lp0"
    assert parse_uri("win32://POS-80 Receipt").target == "POS-80 Receipt"
    for bad in ("usb://epson", "tcp://:9100", "serial:///dev/ttyS0?baud=fast", "ftp://x", "file://"):
        with pytest.raises(UriError):
            parse_uri(bad)


def test_registry_builds_printers_and_says_why_not(emulator: PrinterEmulator) -> None:
    spec = DeviceSpec(DeviceClass.PRINTER, "printer", "escpos", emulator.uri, options=FAST)
    assert find_driver(spec).name == "EscposPrinter"
    usb = DeviceSpec(DeviceClass.PRINTER, "printer", "escpos", "usb://04b8:0202", options=FAST)
    assert find_driver(usb).name == "EscposPrinter"  # pyusb is a dependency
    with pytest.raises(DeviceNotFoundError) as absent:  # no such printer (or no libusb) on a test machine
        build_device(usb).start()
    assert absent.value.message_zh == "无法连接打印机"
    bad = DeviceSpec(DeviceClass.PRINTER, "printer", "escpos", "lpt://1")
    with pytest.raises(DeviceError, match="unknown printer URI"):
        find_driver(bad)
    simulated = build_device(DeviceSpec(DeviceClass.PRINTER, "printer", "simulator",
                                        options={"profile": "generic-80mm-text"}))
    with simulated:
        assert simulated.print_receipt(reference_receipt(), command_id="sim-1").detail == "24/24 elements printed"
        assert simulated.emulator.texts() == _expected_lines()  # type: ignore[attr-defined]


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_serial_printer_on_a_pseudo_terminal() -> None:
    import select
    import tty

    expected = _expected_lines()  # also loads the font before the printer starts asking for status
    master, slave = os.openpty()
    tty.setraw(slave)
    interpreter = Interpreter(reply=lambda data: os.write(master, data) and None)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            if select.select([master], [], [], 0.02)[0]:
                interpreter.feed(os.read(master, 65536))

    thread = threading.Thread(target=serve)
    thread.start()
    try:
        with open_printer(f"serial://{os.ttyname(slave)}?baud=115200", "generic-80mm-text", options=FAST) as printer:
            assert printer.status.paper is PaperState.OK  # DLE EOT answered over the serial line
            printer.print_receipt(reference_receipt(), command_id="serial-1")
    finally:
        stop.set()
        thread.join()
        os.close(master)
        os.close(slave)
    assert interpreter.paper.texts() == expected


def test_bad_printer_options_are_a_clear_configuration_error() -> None:
    for options in ({"profile": "no-such-printer"}, {"mode": "colour"}, {"status_timeout_s": "soon"}):
        with pytest.raises(DeviceError) as err:
            EscposPrinter(DeviceSpec(DeviceClass.PRINTER, "printer", "escpos", "tcp://127.0.0.1", options=options))
        assert (err.value.code, err.value.message_zh) == ("BAD_CONFIG", "打印机配置错误")


def test_simulator_saves_each_receipt_as_png(tmp_path: Path) -> None:
    spec = DeviceSpec(DeviceClass.PRINTER, "printer", "simulator", options={"png_dir": str(tmp_path)})
    with build_device(spec) as printer:
        assert isinstance(printer, EscposPrinter)
        printer.print_receipt(reference_receipt(), command_id="demo-1")
        printer.print_receipt(reference_receipt(), command_id="demo-1")  # duplicate: no new file
    assert [p.name for p in tmp_path.iterdir()] == ["demo-1.png"]


def test_python_escpos_reads_the_capabilities_file_shipped_with_hpf(tmp_path: Path) -> None:
    open_printer(f"file://{tmp_path / 'lp0'}", "file-raster").close()
    import escpos.capabilities

    shipped = Path(escpos.capabilities.capabilities_path)
    if os.environ.get("ESCPOS_CAPABILITIES_FILE") != str(shipped):
        pytest.skip("ESCPOS_CAPABILITIES_FILE was set before python-escpos was imported")
    assert shipped.parts[-3:] == ("resources", "printer", "capabilities.json")
    assert "TM-T88V" in escpos.capabilities.CAPABILITIES["profiles"]  # the profile epson-tm-t88v names
