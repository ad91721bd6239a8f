"""What every code scanner driver shares: payload checks, a queue for `scan()`, events.

A driver calls `_deliver(raw, format, source)` for each code its input produced, from whatever
thread reads the device. The payload is checked (`payload.check_payload`); a good code becomes a
`ScanResult` (a `DataEvent` and the next `scan()` return value), a bad one an `ErrorEvent`
with code INVALID_CODE — the device status is left alone: a bad code is not a bad scanner.
"""

from __future__ import annotations

import queue
from collections.abc import Mapping
from typing import Any

from hardware.events import ErrorEvent
from hardware.model import CodeScanner, DeviceSpec, ScanResult
from hardware.scanner.payload import InvalidPayloadError, PayloadRules, check_payload
from infra.logs import get_logger

log = get_logger("hardware")

# AIM symbology identifiers ("]Q1...", ISO/IEC 15424) that scanners can be set to send first.
AIM_FORMATS: Mapping[str, str] = {
    "A": "CODE_39", "C": "CODE_128", "E": "EAN_13", "F": "CODABAR", "G": "CODE_93", "I": "ITF",
    "L": "PDF_417", "Q": "QR_CODE", "d": "DATA_MATRIX", "z": "AZTEC", "e": "DATABAR",
}
MAX_QUEUED = 16  # codes nobody collected are dropped oldest first beyond this


def split_aim(raw: bytes) -> tuple[str, bytes]:
    """(b"]Q1HPF..." → ("QR_CODE", b"HPF...")); ("UNKNOWN", raw) when there is no AIM id."""
    if len(raw) >= 3 and raw[0:1] == b"]" and chr(raw[1]) in AIM_FORMATS and chr(raw[2]).isalnum():
        return AIM_FORMATS[chr(raw[1])], raw[3:]
    return "UNKNOWN", raw


class QueueingScanner(CodeScanner):
    """Base of the scanner drivers: checks payloads and queues results for `scan()`."""

    source = "scanner"

    def __init__(self, spec: DeviceSpec) -> None:
        super().__init__(spec)
        self.rules = PayloadRules.from_options(spec.options)
        self.aim_ids = bool(spec.options.get("aim_ids", False))
        self._results: queue.Queue[ScanResult] = queue.Queue()
        self.rejected = 0

    def scan(self, timeout_s: float = 5.0) -> ScanResult | None:
        self.require_enabled("scan()")
        try:
            return self._results.get(timeout=max(0.0, timeout_s))
        except queue.Empty:
            return None

    def _deliver(self, raw: bytes | str, fmt: str = "UNKNOWN", source: str | None = None) -> ScanResult | None:
        """Check one payload and hand it out; returns the result, or None when it was refused."""
        raw_bytes = raw.encode("utf-8", errors="surrogatepass") if isinstance(raw, str) else bytes(raw)
        if self.aim_ids and fmt == "UNKNOWN":
            fmt, raw_bytes = split_aim(raw_bytes)
        try:
            text = check_payload(raw_bytes, self.rules)
        except InvalidPayloadError as exc:
            self.rejected += 1
            log.info("%s: refused a scanned code (%s, %d bytes)", self.name, exc.reason, len(raw_bytes))
            self.events.emit(ErrorEvent(self.name, "INVALID_CODE", exc.message_zh, exc.message_en,
                                        action_zh="请出示公积金业务二维码", action_en="Show an HPF code"))
            return None
        result = ScanResult(fmt, text, raw_bytes, source or self.source)
        while self._results.qsize() >= MAX_QUEUED:
            try:
                self._results.get_nowait()
            except queue.Empty:
                break
        self._results.put(result)
        self._emit_data(result)
        return result

    def _drain(self) -> None:
        """Forget queued codes (on disable: a code shown before must not act later)."""
        while True:
            try:
                self._results.get_nowait()
            except queue.Empty:
                return


def option_float(options: Mapping[str, Any], key: str, default: float, lo: float, hi: float) -> float:
    value = options.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not lo <= value <= hi:
        raise ValueError(f"{key} = {value!r}: must be a number from {lo} to {hi}")
    return float(value)
