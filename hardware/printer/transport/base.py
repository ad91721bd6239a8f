"""The transport interface, and the base of the transports built on python-escpos's printer classes.

A transport moves bytes to a printer through ONE raw-write hook, `_raw(data)` (python-escpos's
`Escpos._raw` style), and reads single status bytes back when it has a back channel. python-escpos
only moves the bytes here; HPF renders them itself (`render`) and reads the status bytes itself,
with a timeout, because python-escpos's own status helpers cannot tell "no answer" from "no paper".
Its capabilities file is shipped in resources/printer/ and selected through
ESCPOS_CAPABILITIES_FILE before python-escpos is imported (packaged builds lose its symlink).
"""

from __future__ import annotations

import abc
import os
import time
from importlib import resources
from typing import Any, ClassVar

from hardware.printer.transport.uri import PrinterUri
from infra import paths


class TransportError(Exception):
    """The bytes could not be moved: the connection is gone or the device refused them."""


def import_escpos() -> Any:
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

    def write(self, data: bytes) -> None:
        """Send bytes; `TransportError` when they could not be sent."""
        try:
            self._raw(data)
        except TransportError:
            raise
        except Exception as exc:  # OSError, serial/usb errors: the printer is gone
            raise TransportError(f"{type(exc).__name__}: {exc}") from None

    @abc.abstractmethod
    def _raw(self, data: bytes) -> None:
        """The single raw-write hook: put `data` on the wire."""

    def read_byte(self, timeout_s: float) -> int | None:
        """One byte from the printer, or None when none came in time (or there is no back channel)."""
        return None

    def drain(self) -> None:
        """Throw away bytes that arrived late (an answer to a status request that timed out)."""
        if not self.can_read:
            return
        deadline = time.monotonic() + 0.05
        while time.monotonic() < deadline:
            try:
                if self.read_byte(0.001) is None:
                    return
            except TransportError:
                return

    def usable(self) -> str | None:
        """None when this transport can work on this machine, otherwise why not."""
        return None

    @abc.abstractmethod
    def close(self) -> None: ...


class EscposBackedTransport(Transport):
    """A python-escpos printer object used as a byte pipe: one subclass per connector."""

    escpos_class: ClassVar[str] = ""  # the class name in escpos.printer
    needs: ClassVar[str] = "its dependencies"  # what `usable()` says is missing

    def __init__(self, uri: PrinterUri, timeout_s: float = 5.0, escpos_profile: str = "default") -> None:
        super().__init__(uri)
        self.timeout_s = timeout_s
        self.escpos_profile = escpos_profile  # python-escpos capabilities profile (code pages, widths)
        self._printer: Any = None

    @abc.abstractmethod
    def _build(self, printers: Any) -> Any:
        """The python-escpos printer object for this URI (not opened)."""

    def usable(self) -> str | None:
        cls = getattr(import_escpos(), self.escpos_class)
        return None if cls.is_usable() else f"{self.uri.scheme}:// needs {self.needs}"

    def open(self) -> None:
        from escpos.exceptions import DeviceNotFoundError

        why = self.usable()
        if why:
            raise TransportError(why)
        printer = self._build(import_escpos())
        try:
            self._connect(printer)
        except TransportError:
            raise
        except DeviceNotFoundError as exc:
            raise TransportError(str(exc).replace("\n", " ")) from None
        except Exception as exc:  # pyusb / pywin32 raise their own errors
            hint = " (install libusb-1.0)" if type(exc).__name__ == "NoBackendError" else ""
            raise TransportError(f"{type(exc).__name__}: {exc}{hint}") from None
        self._printer = printer

    def _connect(self, printer: Any) -> None:
        printer.open(raise_not_found=True)

    def _device(self) -> Any:
        if self._printer is None or not self._printer._device:
            raise TransportError("not connected")
        return self._printer._device

    def _raw(self, data: bytes) -> None:
        self._device()
        self._printer._raw(data)

    def read_byte(self, timeout_s: float) -> int | None:
        if not self.can_read:
            return None
        device = self._device()
        try:
            data = self._read1(device, timeout_s)
        except TimeoutError:
            return None
        except TransportError:
            raise
        except Exception as exc:
            if "timeout" in type(exc).__name__.lower() or "timed out" in str(exc).lower():
                return None
            raise TransportError(f"{type(exc).__name__}: {exc}") from None
        return data[0] if data else None

    def _read1(self, device: Any, timeout_s: float) -> bytes:
        raise TransportError("no back channel")

    def close(self) -> None:
        printer, self._printer = self._printer, None
        if printer is not None:
            try:
                printer.close()
            except Exception:  # closing a dead connection may fail; it is closed either way
                pass
