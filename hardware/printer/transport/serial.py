"""serial:///dev/ttyUSB0?baud=19200 — a printer on a serial port (pyserial)."""

from __future__ import annotations

from typing import Any

from hardware.printer.transport.base import EscposBackedTransport


class SerialTransport(EscposBackedTransport):
    escpos_class = "Serial"
    needs = "pyserial"
    can_read = True

    def _build(self, printers: Any) -> Any:
        p = self.uri.params
        return printers.Serial(self.uri.target, baudrate=int(p.get("baud", "9600")), timeout=self.timeout_s,
                               dsrdtr=p.get("flow", "dsrdtr") == "dsrdtr", profile=self.escpos_profile)

    def _read1(self, device: Any, timeout_s: float) -> bytes:
        device.timeout = timeout_s
        data: bytes = device.read(1)
        return data
