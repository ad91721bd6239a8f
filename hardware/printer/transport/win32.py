"""win32://PrinterName — a Windows printer queue, raw (pywin32); no back channel."""

from __future__ import annotations

from typing import Any

from hardware.printer.transport.base import EscposBackedTransport


class Win32Transport(EscposBackedTransport):
    escpos_class = "Win32Raw"
    needs = "Windows with pywin32"

    def _build(self, printers: Any) -> Any:
        return printers.Win32Raw(self.uri.target, profile=self.escpos_profile)
