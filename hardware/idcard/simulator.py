"""The "simulator" ID card reader: the serial driver talking to a pty emulator it starts itself.

The whole protocol path runs as on a real reader; only the reader is emulated. The demo and
the technicians' screens present and remove cards through `.emulator`. Options: `card`
(a key of `samples.SAMPLES`, default "resident"), `present` (start with the card on the reader).
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING

from hardware.idcard.sam_serial import SamSerialReader
from hardware.idcard.samples import SAMPLES
from hardware.model import DeviceSpec

if TYPE_CHECKING:
    from hardware.idcard.emulator import SamReaderEmulator
    from hardware.results import DeviceInfo


def unavailable_reason(spec: DeviceSpec) -> str | None:
    if not hasattr(os, "openpty"):
        return "the ID card reader simulator needs a pseudo-terminal (Linux or macOS)"
    card = str(spec.options.get("card", "resident"))
    if card not in SAMPLES:
        return f"options.card = {card!r}: use one of {', '.join(SAMPLES)}"
    return None


class SimulatedIdCardReader(SamSerialReader):
    def __init__(self, spec: DeviceSpec) -> None:
        super().__init__(replace(spec, uri=""))
        self.emulator: SamReaderEmulator | None = None

    @property
    def info(self) -> DeviceInfo:
        return replace(super().info, model="SAM reader emulator (pty)")

    def _open(self) -> None:
        from hardware.idcard.emulator import SamReaderEmulator  # POSIX only

        card = SAMPLES[str(self.spec.options.get("card", "resident"))]
        self.emulator = SamReaderEmulator(card, present=bool(self.spec.options.get("present", False)))
        self.port = self.emulator.start()
        try:
            super()._open()
        except BaseException:
            self.emulator.stop()
            raise

    def _close(self) -> None:
        super()._close()
        if self.emulator is not None:
            self.emulator.stop()
