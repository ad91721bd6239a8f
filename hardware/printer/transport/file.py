"""file:///dev/usb/lp0 — a device file; no back channel, so the status stays unknown."""

from __future__ import annotations

from typing import Any

from hardware.printer.transport.base import EscposBackedTransport


class FileTransport(EscposBackedTransport):
    escpos_class = "File"

    def _build(self, printers: Any) -> Any:
        return printers.File(self.uri.target, auto_flush=True, profile=self.escpos_profile)
