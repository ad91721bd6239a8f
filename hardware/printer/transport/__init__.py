"""Byte transports to a printer, chosen by URI: one connector per module, as in python-escpos.

`network` (tcp://), `serial` (serial://), `usb` (usb://), `file` (file://), `win32` (win32://);
each is a small `EscposBackedTransport` over python-escpos's printer class, with the single
raw-write hook `_raw(data)` and, where the connector has a back channel, `read_byte`.
`transport_for(uri)` picks the class for a parsed URI.
"""

from __future__ import annotations

from hardware.printer.transport.base import EscposBackedTransport, Transport, TransportError, import_escpos
from hardware.printer.transport.file import FileTransport
from hardware.printer.transport.network import NetworkTransport
from hardware.printer.transport.serial import SerialTransport
from hardware.printer.transport.uri import SCHEMES, PrinterUri, UriError, parse_uri
from hardware.printer.transport.usb import UsbTransport
from hardware.printer.transport.win32 import Win32Transport

TRANSPORTS: dict[str, type[EscposBackedTransport]] = {
    "tcp": NetworkTransport, "serial": SerialTransport, "usb": UsbTransport, "file": FileTransport,
    "win32": Win32Transport,
}


def transport_for(uri: PrinterUri, timeout_s: float = 5.0, escpos_profile: str = "default") -> EscposBackedTransport:
    """The transport for a parsed URI (not opened)."""
    try:
        cls = TRANSPORTS[uri.scheme]
    except KeyError:
        raise UriError(f"打印机地址无法识别 / no transport for {uri.scheme}://") from None
    return cls(uri, timeout_s=timeout_s, escpos_profile=escpos_profile)


__all__ = ["SCHEMES", "TRANSPORTS", "EscposBackedTransport", "FileTransport", "NetworkTransport", "PrinterUri",
           "SerialTransport", "Transport", "TransportError", "UriError", "UsbTransport", "Win32Transport",
           "import_escpos", "parse_uri", "transport_for"]
