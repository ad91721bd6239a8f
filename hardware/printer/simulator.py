"""The "simulator" printer driver: an `EscposPrinter` talking to an in-process network emulator.

Used by the demo (the default configuration) and the tests. The emulator listens on loopback
(`spec.uri` = tcp://127.0.0.1:PORT to pick the port, empty for any free one); each cut receipt is
also saved as PNG when `spec.options["png_dir"]` names a directory.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from hardware.model import CommandResult, DeviceSpec
from hardware.printer.device import EscposPrinter
from hardware.printer.emulator.server import PrinterEmulator
from hardware.printer.transport import parse_uri, transport_for


class SimulatedPrinter(EscposPrinter):
    def __init__(self, spec: DeviceSpec) -> None:
        port = parse_uri(spec.uri).target.rpartition(":")[2] if spec.uri.startswith("tcp://") else "0"
        self.emulator = PrinterEmulator(port=int(port), dot_width=576)
        options = {"status_timeout_s": 0.5, **dict(spec.options)}
        super().__init__(replace(spec, options=options))
        self._png_dir = Path(options["png_dir"]) if options.get("png_dir") else None

    def _open(self) -> None:
        self.emulator.start()
        self._transport = transport_for(parse_uri(self.emulator.uri))
        try:
            super()._open()
        except BaseException:
            self.emulator.stop()
            raise

    def _close(self) -> None:
        try:
            super()._close()
        finally:
            self.emulator.stop()

    def print_receipt(self, receipt: Any, *, command_id: str) -> CommandResult:
        result = super().print_receipt(receipt, command_id=command_id)
        if self._png_dir is not None and not result.duplicate and self.emulator.paper.receipts:
            self._png_dir.mkdir(parents=True, exist_ok=True)
            self.emulator.save_png(self._png_dir / f"{command_id}.png")
        return result
