"""usb://04b8:0202 — a USB printer (pyusb), vendor:product in hex."""

from __future__ import annotations

from typing import Any

from hardware.printer.transport.base import EscposBackedTransport


class UsbTransport(EscposBackedTransport):
    escpos_class = "Usb"
    needs = "pyusb (pip install pyusb) and libusb"
    can_read = True

    def _build(self, printers: Any) -> Any:
        vid, _, pid = self.uri.target.partition(":")
        return printers.Usb(int(vid, 16), int(pid, 16), timeout=int(self.timeout_s * 1000),
                            profile=self.escpos_profile)

    def _read1(self, device: Any, timeout_s: float) -> bytes:
        return bytes(device.read(self._printer.in_ep, 1, int(timeout_s * 1000)))
