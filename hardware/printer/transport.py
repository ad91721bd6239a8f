"""Byte transports to a printer, chosen by URI, built on python-escpos's printer classes.

    tcp://127.0.0.1:9100              network (raw port 9100)
    serial:///dev/ttyUSB0?baud=19200  serial (pyserial)
    usb://04b8:0202                   USB (pyusb), vendor:product in hex
    file:///dev/usb/lp0               a device file (no back channel: status is unknown)
    win32://PrinterName               a Windows printer queue, raw (pywin32; no back channel)

python-escpos only moves the bytes here; HPF renders them itself (`render`) and reads the status
bytes itself, with a timeout, because python-escpos's own status helpers cannot tell "no
answer" from "no paper". Its capabilities file is shipped in resources/printer/ and selected
through ESCPOS_CAPABILITIES_FILE before python-escpos is imported (packaged builds lose the
symlink it ships).
"""

from __future__ import annotations

import abc
import os
import socket
import time
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from infra import paths

SCHEMES = ("tcp", "serial", "usb", "file", "win32")


class TransportError(Exception):
    """The bytes could not be moved: the connection is gone or the device refused them."""


class UriError(ValueError):
    """A printer URI that cannot be understood."""


@dataclass(frozen=True)
class PrinterUri:
    scheme: str
    target: str  # host:port, device path, vid:pid or a queue name
    params: dict[str, str]

    def __str__(self) -> str:
        return f"{self.scheme}://{self.target}"


def parse_uri(uri: str) -> PrinterUri:
    parts = urlsplit(uri.strip())
    scheme = parts.scheme.lower()
    if scheme not in (*SCHEMES, "simulator"):
        raise UriError(f"打印机地址无法识别 / unknown printer URI {uri!r}: use one of "
                       f"{', '.join(s + '://' for s in SCHEMES)}")
    params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    if scheme in ("serial", "file"):
        target = unquote(parts.netloc + parts.path)  # serial:///dev/ttyUSB0 or serial://COM3
        if not target or target == "/":
            raise UriError(f"打印机地址缺少设备路径 / {uri!r}: no device path")
    else:
        target = unquote(parts.netloc + parts.path).strip("/")
    if scheme == "tcp":
        if not parts.hostname:
            raise UriError(f"打印机地址缺少主机 / {uri!r}: no host")
        try:
            port = parts.port or 9100
        except ValueError:
            raise UriError(f"打印机端口无效 / {uri!r}: bad port") from None
        target = f"{parts.hostname}:{port}"
    if scheme == "usb":
        vid, _, pid = target.partition(":")
        try:
            int(vid, 16), int(pid, 16)
        except ValueError:
            raise UriError(f"USB 地址应为 厂商:产品 / {uri!r}: expected usb://VID:PID in hex") from None
    if scheme == "serial" and "baud" in params and not params["baud"].isdigit():
        raise UriError(f"波特率无效 / {uri!r}: baud must be a number")
    return PrinterUri(scheme, target, params)


def _import_escpos() -> Any:
    """python-escpos's printer module, with HPF's copy of the capabilities file."""
    ref = resources.files("resources.printer").joinpath("capabilities.json")
    os.environ.setdefault("ESCPOS_CAPABILITIES_FILE", str(ref))
    pickle_dir = paths.data_dir() / "escpos"
    pickle_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", str(pickle_dir))
    import escpos.printer

    return escpos.printer


class Transport(abc.ABC):
    """Moves bytes to a printer and reads single status bytes back (when it has a back channel)."""

    can_read: bool = False

    def __init__(self, uri: PrinterUri) -> None:
        self.uri = uri

    @abc.abstractmethod
    def open(self) -> None: ...

    @abc.abstractmethod
    def write(self, data: bytes) -> None: ...

    def read_byte(self, timeout_s: float) -> int | None:
        """One byte from the printer, or None when none came in time (or there is no back channel)."""
        return None

    def drain(self) -> None:
        """Throw away bytes that arrived late (an answer to a status request that timed out)."""
        return None

    @abc.abstractmethod
    def close(self) -> None: ...


class EscposTransport(Transport):
    """A python-escpos printer object used as a byte pipe."""

    def __init__(self, uri: PrinterUri, timeout_s: float = 5.0, escpos_profile: str = "default") -> None:
        super().__init__(uri)
        self.timeout_s = timeout_s
        self.escpos_profile = escpos_profile  # python-escpos capabilities profile (code pages, widths)
        self._printer: Any = None

    def _build(self) -> Any:
        printers = _import_escpos()
        u, p = self.uri, self.uri.params
        if u.scheme == "tcp":
            host, _, port = u.target.rpartition(":")
            return printers.Network(host, int(port), timeout=self.timeout_s, profile=self.escpos_profile)
        if u.scheme == "serial":
            return printers.Serial(u.target, baudrate=int(p.get("baud", "9600")), timeout=self.timeout_s,
                                   dsrdtr=p.get("flow", "dsrdtr") == "dsrdtr", profile=self.escpos_profile)
        if u.scheme == "file":
            return printers.File(u.target, auto_flush=True, profile=self.escpos_profile)
        if u.scheme == "usb":
            vid, _, pid = u.target.partition(":")
            return printers.Usb(int(vid, 16), int(pid, 16), timeout=int(self.timeout_s * 1000),
                                profile=self.escpos_profile)
        return printers.Win32Raw(u.target, profile=self.escpos_profile)

    def usable(self) -> str | None:
        """None when python-escpos can drive this kind of transport here, otherwise why not."""
        printers = _import_escpos()
        cls = {"tcp": printers.Network, "serial": printers.Serial, "file": printers.File, "usb": printers.Usb,
               "win32": printers.Win32Raw}[self.uri.scheme]
        if cls.is_usable():
            return None
        need = {"usb": "pyusb (pip install pyusb) and libusb", "win32": "Windows with pywin32",
                "serial": "pyserial"}.get(self.uri.scheme, "its dependencies")
        return f"{self.uri.scheme}:// needs {need}"

    @property
    def can_read(self) -> bool:  # type: ignore[override]
        return self.uri.scheme in ("tcp", "serial", "usb")

    def open(self) -> None:
        from escpos.exceptions import DeviceNotFoundError

        why = self.usable()
        if why:
            raise TransportError(why)
        printer = self._build()
        try:
            if self.uri.scheme == "tcp":
                printer.device = self._connect_tcp()
            else:
                printer.open(raise_not_found=True)
        except DeviceNotFoundError as exc:
            raise TransportError(str(exc).replace("\n", " ")) from None
        except Exception as exc:  # pyusb / pywin32 raise their own errors
            hint = " (install libusb-1.0)" if type(exc).__name__ == "NoBackendError" else ""
            raise TransportError(f"{type(exc).__name__}: {exc}{hint}") from None
        if self.uri.scheme == "tcp":  # small status requests must not wait for Nagle's algorithm
            printer.device.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._printer = printer

    def _connect_tcp(self) -> socket.socket:
        """python-escpos's Network.open, minus the socket it leaks when the connect fails."""
        host, _, port = self.uri.target.rpartition(":")
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.settimeout(self.timeout_s)
            sock.connect((host, int(port)))
        except OSError as exc:
            sock.close()
            raise TransportError(f"cannot connect to {host}:{port}: {exc}") from None
        return sock

    def _device(self) -> Any:
        if self._printer is None or not self._printer._device:
            raise TransportError("not connected")
        return self._printer._device

    def write(self, data: bytes) -> None:
        device = self._device()
        try:
            if self.uri.scheme == "tcp":
                device.settimeout(self.timeout_s)
            self._printer._raw(data)
        except Exception as exc:  # OSError, serial/usb errors: the printer is gone
            raise TransportError(f"{type(exc).__name__}: {exc}") from None

    def read_byte(self, timeout_s: float) -> int | None:
        if not self.can_read:
            return None
        device = self._device()
        try:
            if self.uri.scheme == "tcp":
                device.settimeout(timeout_s)
                data = device.recv(1)
                if not data:
                    raise TransportError("the printer closed the connection")
            elif self.uri.scheme == "serial":
                device.timeout = timeout_s
                data = device.read(1)
            else:
                data = bytes(device.read(self._printer.in_ep, 1, int(timeout_s * 1000)))
        except TimeoutError:
            return None
        except TransportError:
            raise
        except Exception as exc:
            if "timeout" in type(exc).__name__.lower() or "timed out" in str(exc).lower():
                return None
            raise TransportError(f"{type(exc).__name__}: {exc}") from None
        return data[0] if data else None

    def drain(self) -> None:
        deadline = time.monotonic() + 0.05
        while time.monotonic() < deadline:
            try:
                if self.read_byte(0.001) is None:
                    return
            except TransportError:
                return

    def close(self) -> None:
        printer, self._printer = self._printer, None
        if printer is not None:
            try:
                printer.close()
            except Exception:  # closing a dead connection may fail; it is closed either way
                pass
