"""Serial scanners (RS-232 or USB-CDC "virtual COM"): each code is a line ending in CR, LF or CRLF.

`LineAssembler` is the pure part: bytes in any chunking → complete lines, with a cap on line
length so a scanner stuck sending garbage cannot grow memory without bound. `SerialScanner`
reads the port on a thread and hands each line to the shared payload checks.
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import parse_qs, urlsplit

from hardware.health import HealthLevel, HealthResult
from hardware.model import Availability, Capabilities, DeviceInfo, DeviceNotFoundError, DeviceSpec
from hardware.scanner.base import QueueingScanner
from hardware.scanner.payload import HARD_MAX_BYTES
from infra.logs import get_logger

log = get_logger("hardware")


class LineAssembler:
    """Splits a byte stream into lines at CR or LF (CRLF counts once); drops lines over `max_bytes`."""

    def __init__(self, max_bytes: int = HARD_MAX_BYTES, terminators: bytes = b"\r\n") -> None:
        self.max_bytes = max_bytes
        self.terminators = frozenset(terminators)
        self._buf = bytearray()
        self._overflow = False
        self.dropped = 0  # lines dropped for being too long

    def feed(self, data: bytes) -> list[bytes]:
        lines: list[bytes] = []
        for byte in data:
            if byte in self.terminators:
                if self._overflow:
                    self.dropped += 1
                elif self._buf:  # an empty line is the LF of a CRLF, or noise
                    lines.append(bytes(self._buf))
                self._buf.clear()
                self._overflow = False
            elif not self._overflow:
                self._buf.append(byte)
                if len(self._buf) > self.max_bytes:
                    self._buf.clear()
                    self._overflow = True
        return lines

    @property
    def pending(self) -> bytes:
        return bytes(self._buf)


def port_and_baud(uri: str, default_baud: int) -> tuple[str, int]:
    """`serial:///dev/ttyACM0?baud=9600` (the printer URIs' form), a bare port, or a pyserial URL.

    Raises ValueError for a `baud` that is not a positive whole number.
    """
    if not uri.startswith("serial:"):
        return uri, default_baud
    parts = urlsplit(uri)
    query = parse_qs(parts.query)
    baud_text = query.get("baud", [str(default_baud)])[0]
    if not baud_text.isdigit() or int(baud_text) <= 0:
        raise ValueError(f"{uri}: baud={baud_text!r} is not a positive whole number")
    return parts.netloc + parts.path, int(baud_text)


class SerialScanner(QueueingScanner):
    """kind "serial": uri is the port: `/dev/ttyACM0`, `COM3`, `serial:///dev/ttyACM0?baud=9600`,
    or a pyserial URL such as `loop://`. Most scanners leave the factory at 9600 baud 8N1."""

    source = "serial"

    def __init__(self, spec: DeviceSpec) -> None:
        super().__init__(spec)
        self.lines = LineAssembler(max(self.rules.max_bytes * 4, 256))
        self._port: Any = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    @property
    def info(self) -> DeviceInfo:
        return DeviceInfo(model=f"serial scanner on {self.spec.uri}", driver=f"{self.spec.kind}: SerialScanner")

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(status_query=True, external_check=True, features=frozenset({"qr", "barcode"}))

    @property
    def port(self) -> Any:
        """The open pyserial port (tests write to a `loop://` port through it)."""
        return self._port

    def _open(self) -> None:
        import serial  # pyserial: imported here so the package loads without it

        try:
            port, baud = port_and_baud(self.spec.uri, self.spec.baud)
            self._port = serial.serial_for_url(port, baudrate=baud, timeout=0.1)
        except (serial.SerialException, ValueError, OSError) as exc:
            raise DeviceNotFoundError(f"cannot open serial scanner {self.spec.uri!r}: {exc}", "无法打开扫码器串口",
                                      action_zh="请检查扫码器连接和端口设置",
                                      action_en="Check the scanner cable and port setting") from None
        self._set_status(availability=Availability.ONLINE, detail="")

    def _close(self) -> None:
        if self._port is not None:
            self._port.close()
            self._port = None
        self._set_status(availability=Availability.OFFLINE, detail="closed")

    def _enable(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"serial-{self.name}", daemon=True)
        self._thread.start()

    def _disable(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._thread = None
        self._drain()

    def feed(self, data: bytes) -> None:
        """Hand received bytes to the line assembler (the reader thread calls this)."""
        for line in self.lines.feed(data):
            self._deliver(line)

    def _run(self) -> None:
        import serial

        while not self._stop.is_set():
            try:
                data = self._port.read(max(1, self._port.in_waiting))
            except (serial.SerialException, OSError, TypeError, AttributeError) as exc:
                self._report(DeviceNotFoundError(f"serial scanner {self.spec.uri!r} stopped answering: {exc}",
                                                 "扫码器已断开", action_zh="请检查扫码器连接",
                                                 action_en="Check the scanner cable"))
                return
            if data:
                self.feed(data)

    def _health_internal(self) -> HealthResult:
        ok = self._port is not None and bool(self._port.is_open)
        if not ok or self.status.availability is not Availability.ONLINE:
            return self._health(HealthLevel.INTERNAL, False, "OFFLINE", "扫码器串口未连接",
                                f"serial port {self.spec.uri} is not open")
        return self._health(HealthLevel.INTERNAL, True, "OK", "扫码器正常", f"serial port {self.spec.uri} is open")

    def _health_external(self) -> HealthResult:
        """A line-terminated scanner has no query command: check that the port still answers."""
        try:
            waiting = int(self._port.in_waiting)
        except Exception as exc:  # a vanished USB-serial device raises OSError, SerialException, …
            return self._health(HealthLevel.EXTERNAL, False, "OFFLINE", "扫码器已断开", f"port error: {exc}")
        return self._health(HealthLevel.EXTERNAL, True, "OK", "扫码器串口正常",
                            f"port answers ({waiting} bytes waiting); scan a code to finish the test")
