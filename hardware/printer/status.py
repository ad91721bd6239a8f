"""DLE EOT real-time status bytes, decoded into the device model's paper and cover states.

Every status byte has bits 1 and 4 set and bits 0 and 7 clear (Epson ESC/POS, DLE EOT): a reply
that breaks that pattern is garbage, and garbage or silence means UNKNOWN, never OUT.

  n=1 printer:        bit 3 offline
  n=2 offline cause:  bit 2 cover open, bit 3 paper fed by the FEED button, bit 5 printing
                      stopped by paper end, bit 6 an error occurred
  n=3 error cause:    bit 3 autocutter error, bit 5 unrecoverable error, bit 6 auto-recoverable
  n=4 paper sensor:   bits 2-3 roll paper near end, bits 5-6 roll paper end
"""

from __future__ import annotations

from dataclasses import dataclass

from hardware.model import CoverState, PaperState

FIXED_MASK = 0x93
FIXED_BITS = 0x12


def valid(byte: int | None) -> bool:
    return byte is not None and byte & FIXED_MASK == FIXED_BITS


@dataclass(frozen=True)
class StatusReading:
    """What one round of DLE EOT queries said; None fields were not asked or not answered."""

    offline_cause: int | None = None  # n=2
    paper_sensor: int | None = None  # n=4
    error_cause: int | None = None  # n=3
    printer: int | None = None  # n=1

    @classmethod
    def from_replies(cls, replies: dict[int, int | None]) -> StatusReading:
        """From {n: byte} of DLE EOT n requests (n = 1..4)."""
        return cls(offline_cause=replies.get(2), paper_sensor=replies.get(4), error_cause=replies.get(3),
                   printer=replies.get(1))

    @property
    def answered(self) -> bool:
        return valid(self.offline_cause) or valid(self.paper_sensor)

    @property
    def offline(self) -> bool:
        """n=1 bit 3: the printer is offline (the n=2 byte says why)."""
        return valid(self.printer) and self.printer is not None and bool(self.printer & 0x08)

    @property
    def unrecoverable(self) -> bool:
        """n=3 bit 5: an unrecoverable error (head, power); the printer needs service."""
        return valid(self.error_cause) and self.error_cause is not None and bool(self.error_cause & 0x20)

    @property
    def paper(self) -> PaperState:
        sensor = self.paper_sensor if valid(self.paper_sensor) else None
        cause = self.offline_cause if valid(self.offline_cause) else None
        if sensor is not None and sensor & 0x60 or cause is not None and cause & 0x20:
            return PaperState.OUT
        if valid(self.error_cause) and self.error_cause is not None and self.error_cause & 0x08:
            return PaperState.JAMMED  # the autocutter is stuck: paper cannot move on
        if sensor is not None:
            return PaperState.LOW if sensor & 0x0C else PaperState.OK
        return PaperState.UNKNOWN

    @property
    def cover(self) -> CoverState:
        if not valid(self.offline_cause) or self.offline_cause is None:
            return CoverState.UNKNOWN
        return CoverState.OPEN if self.offline_cause & 0x04 else CoverState.CLOSED

    @property
    def error(self) -> bool:
        """The printer reports an error (n=2 bit 6) other than paper end or an open cover."""
        return valid(self.offline_cause) and self.offline_cause is not None and bool(self.offline_cause & 0x40)

    @property
    def can_print(self) -> bool:
        """False only when the printer *said* it cannot print; silence is not a reason to stop."""
        return not (self.paper in (PaperState.OUT, PaperState.JAMMED) or self.cover is CoverState.OPEN
                    or self.error or self.unrecoverable)


def encode_offline_cause(cover_open: bool, paper_end_stop: bool, error: bool) -> int:
    """The n=2 byte a printer in this state sends (used by the emulator)."""
    return FIXED_BITS | (0x04 if cover_open else 0) | (0x20 if paper_end_stop else 0) | (0x40 if error else 0)


def encode_paper_sensor(near_end: bool, end: bool) -> int:
    return FIXED_BITS | (0x0C if near_end else 0) | (0x60 if end else 0)


def encode_printer(offline: bool) -> int:
    return FIXED_BITS | (0x08 if offline else 0)


def encode_error_cause(cutter: bool = False, unrecoverable: bool = False) -> int:
    return FIXED_BITS | (0x08 if cutter else 0) | (0x20 if unrecoverable else 0)
