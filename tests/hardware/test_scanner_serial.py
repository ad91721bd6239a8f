"""Serial scanners: line assembly in any chunking, caps, and the device on a pyserial loop:// port."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardware.events import DataEvent, DeviceEvent, ErrorEvent
from hardware.health import HealthLevel
from hardware.model import Availability, DeviceClass, DeviceNotFoundError, DeviceSpec, ScanResult
from hardware.registry import NoDriverError, find_driver
from hardware.scanner.serial_scanner import LineAssembler, SerialScanner, port_and_baud


def test_lines_end_at_cr_lf_or_crlf() -> None:
    lines = LineAssembler()
    assert lines.feed(b"ONE\rTWO\nTHREE\r\nFOU") == [b"ONE", b"TWO", b"THREE"]
    assert lines.pending == b"FOU"
    assert lines.feed(b"R\r\n") == [b"FOUR"]


def test_an_overlong_line_is_dropped_and_the_next_one_read() -> None:
    lines = LineAssembler(max_bytes=8)
    assert lines.feed(b"X" * 100) == []
    assert lines.feed(b"still garbage\r\nOK-1\r\n") == [b"OK-1"]
    assert lines.dropped == 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(min_size=1, max_size=40).filter(lambda b: b"\r" not in b and b"\n" not in b), max_size=10),
       st.lists(st.integers(1, 17), min_size=1, max_size=5))
def test_any_chunking_gives_the_same_lines(payloads: list[bytes], cuts: list[int]) -> None:
    stream = b"".join(p + b"\r\n" for p in payloads)
    lines, out, i, k = LineAssembler(), [], 0, 0
    while i < len(stream):
        step = cuts[k % len(cuts)]
        out += lines.feed(stream[i:i + step])
        i, k = i + step, k + 1
    assert out == payloads


def serial_spec(uri: str = "loop://", **options: object) -> DeviceSpec:
    return DeviceSpec(DeviceClass.SCANNER, "scanner", "serial", uri=uri, baud=9600, options=options)


def test_serial_scanner_end_to_end_on_a_loop_port() -> None:
    scanner = SerialScanner(serial_spec())
    events: list[DeviceEvent] = []
    scanner.subscribe(events.append)
    with scanner:
        scanner.port.write(b"HPF1:AP2026112700\r\n")
        result = scanner.scan(5)
        assert result is not None and (result.text, result.source) == ("HPF1:AP2026112700", "serial")
        scanner.port.write(bytes(range(256)) * 40 + b"\r\n" + b"\x00\x01\x02\r\n" + b"NEXT-OK\r\n")
        result = scanner.scan(5)
        assert result is not None and result.text == "NEXT-OK"
        assert scanner.check_health(HealthLevel.INTERNAL).ok
        assert scanner.check_health(HealthLevel.EXTERNAL).ok
    data = [e for e in events if isinstance(e, DataEvent)]
    errors = [e for e in events if isinstance(e, ErrorEvent)]
    assert len(data) == 2
    assert errors and all(e.code == "INVALID_CODE" and "HPF" in e.message_en for e in errors)
    assert scanner.status.availability is Availability.OFFLINE  # closed


def test_gb18030_serial_scanner() -> None:
    scanner = SerialScanner(serial_spec(encoding=["utf-8", "gb18030"]))
    with scanner:
        scanner.port.write("太原公积金\r".encode("gb18030"))
        result = scanner.scan(5)
    assert result is not None and result.text == "太原公积金"


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=3000))
def test_random_bytes_from_the_port_never_raise_and_every_line_is_accounted_for(data: bytes) -> None:
    scanner = SerialScanner(serial_spec())
    events: list[DeviceEvent] = []
    scanner.subscribe(events.append)
    expected = LineAssembler(scanner.lines.max_bytes).feed(data + b"\r")
    scanner.feed(data + b"\r")
    accepted = [e.data for e in events if isinstance(e, DataEvent)]
    refused = [e for e in events if isinstance(e, ErrorEvent)]
    assert len(accepted) + len(refused) == len(expected)
    assert all(r.text == r.raw.decode("utf-8").rstrip("\t") for r in accepted if isinstance(r, ScanResult))


def test_a_missing_port_is_a_clear_no_device_error() -> None:
    scanner = SerialScanner(serial_spec("/dev/does-not-exist-ttyX"))
    with pytest.raises(DeviceNotFoundError, match="cannot open serial scanner"):
        scanner.start()
    assert scanner.state.value == "closed"


def test_registry_needs_a_port_for_a_serial_scanner() -> None:
    with pytest.raises(NoDriverError, match="no serial port set"):
        find_driver(serial_spec(""))
    assert find_driver(serial_spec()).name == "SerialScanner"


@pytest.mark.parametrize("uri, port, baud", [
    ("/dev/ttyACM0", "/dev/ttyACM0", 115200), ("COM3", "COM3", 115200), ("loop://", "loop://", 115200),
    ("serial:///dev/ttyUSB1?baud=9600", "/dev/ttyUSB1", 9600), ("serial://COM4", "COM4", 115200),
])
def test_port_forms(uri: str, port: str, baud: int) -> None:
    assert port_and_baud(uri, 115200) == (port, baud)


def test_a_bad_baud_in_the_uri_is_a_clear_error() -> None:
    scanner = SerialScanner(serial_spec("serial:///dev/ttyUSB1?baud=fast"))
    with pytest.raises(DeviceNotFoundError, match="baud='fast'"):
        scanner.open()
