"""Keyboard-wedge scanners: tell a scanner's keystrokes from a person's by their timing.

A wedge scanner "types" its code as key presses, a few milliseconds apart and evenly spaced,
ending with a terminator (Enter by default, Tab or none on some models). A person types with
pauses of 100 ms and more. `WedgeDecoder` is pure: it is fed (character, timestamp) pairs — from
the Qt event filter in `ui/` or from an evdev device here — and returns a completed code when a
fast, even burst ends with a terminator. Keys it held back that turn out to be a person's typing
are handed back by `take_replay()` so the input field still gets them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# Names accepted in the `terminators` option, as the scanners' manuals call them.
TERMINATOR_NAMES: dict[str, str] = {"enter": "\r", "cr": "\r", "lf": "\n", "tab": "\t"}


@dataclass(frozen=True)
class WedgeConfig:
    """Timing thresholds and framing. Defaults suit USB HID scanners (2–15 ms between keys)."""

    max_gap_s: float = 0.050  # a longer pause inside a burst means a person
    max_mean_gap_s: float = 0.030  # scanners are fast on average, not only now and then
    min_length: int = 3  # shorter bursts (two fast keys of a person) are not codes
    max_length: int = 4096  # beyond this the burst is dropped as garbage
    terminators: frozenset[str] = frozenset({"\r", "\n"})  # empty: a code ends on silence
    prefix: str = ""  # configured on the scanner; stripped, and required when set
    suffix: str = ""

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> WedgeConfig:
        """Read `max_gap_ms`, `max_mean_gap_ms`, `min_length`, `terminators`, `prefix`, `suffix`."""
        default = cls()
        terms = options.get("terminators", ["enter"])
        terms = [terms] if isinstance(terms, str) else list(terms)
        chars = set()
        for t in terms:
            if not isinstance(t, str) or (t.lower() not in TERMINATOR_NAMES and len(t) != 1):
                raise ValueError(f"terminators: {t!r} is not enter, tab, cr, lf or a single character")
            chars.add(TERMINATOR_NAMES.get(t.lower(), t))
        if "\r" in chars:  # Enter arrives as CR from some sources and LF from others
            chars.add("\n")
        return cls(
            max_gap_s=_ms(options, "max_gap_ms", default.max_gap_s),
            max_mean_gap_s=_ms(options, "max_mean_gap_ms", default.max_mean_gap_s),
            min_length=int(options.get("min_length", default.min_length)),
            max_length=int(options.get("max_length", default.max_length)),
            terminators=frozenset(chars),
            prefix=str(options.get("prefix", "")),
            suffix=str(options.get("suffix", "")),
        )


def _ms(options: Mapping[str, Any], key: str, default_s: float) -> float:
    value = options.get(key)
    if value is None:
        return default_s
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 1 <= value <= 1000:
        raise ValueError(f"{key} = {value!r}: must be a number of milliseconds from 1 to 1000")
    return float(value) / 1000


def looks_scanned(timestamps: Sequence[float], config: WedgeConfig) -> bool:
    """True when key times are those of a scanner: enough keys, every gap short, the mean shorter."""
    if len(timestamps) < 2:
        return False
    gaps = [b - a for a, b in zip(timestamps, timestamps[1:], strict=False)]
    if any(g < 0 or g > config.max_gap_s for g in gaps):
        return False
    return sum(gaps) / len(gaps) <= config.max_mean_gap_s


class WedgeDecoder:
    """Feed it every character with its time; it returns a code when a scan completes.

    The Qt filter holds keys back while `pending` is non-empty, calls `poll(now)` from a timer
    (every ~20 ms) and delivers `take_replay()` to the focused widget: that is what a person typed.
    """

    def __init__(self, config: WedgeConfig | None = None) -> None:
        self.config = config or WedgeConfig()
        self._chars: list[str] = []
        self._times: list[float] = []
        self._overflow = False
        self._replay: list[str] = []
        self.rejected = 0  # bursts dropped as too long or without the configured prefix/suffix

    @property
    def pending(self) -> str:
        return "".join(self._chars)

    def feed(self, char: str, timestamp: float) -> str | None:
        """One key's text (a single character; Enter as "\\r") at `timestamp` seconds."""
        if self._times and timestamp - self._times[-1] > self.config.max_gap_s:
            self._to_replay()
        if char in self.config.terminators:
            return self._finish(char, timestamp)
        if self._overflow:
            self._times[-1] = timestamp  # stay in the dropped burst until it pauses or ends
            return None
        self._chars.append(char)
        self._times.append(timestamp)
        if len(self._chars) > self.config.max_length:
            self._chars.clear()
            self._times[:] = [timestamp]
            self._overflow = True
            self.rejected += 1
        return None

    def poll(self, now: float) -> str | None:
        """Call on a timer: after a pause, a burst ends (a code when no terminator is configured)."""
        if not self._times or now - self._times[-1] <= self.config.max_gap_s:
            return None
        if not self.config.terminators and not self._overflow:
            return self._finish(None, None)
        self._to_replay()
        return None

    def take_replay(self) -> str:
        """Characters judged to be a person's typing since the last call, in order."""
        text = "".join(self._replay)
        self._replay.clear()
        return text

    def reset(self) -> None:
        self._chars.clear()
        self._times.clear()
        self._overflow = False

    def _to_replay(self) -> None:
        if not self._overflow:
            self._replay.extend(self._chars)
        self.reset()

    def _finish(self, terminator: str | None, timestamp: float | None) -> str | None:
        times = self._times + ([timestamp] if timestamp is not None else [])
        chars, overflow = "".join(self._chars), self._overflow
        self.reset()
        if overflow:
            return None
        if len(chars) < self.config.min_length or not looks_scanned(times, self.config):
            self._replay.extend(chars + (terminator or ""))
            return None
        code = self._strip_framing(chars)
        if code is None:
            self.rejected += 1
        return code

    def _strip_framing(self, chars: str) -> str | None:
        prefix, suffix = self.config.prefix, self.config.suffix
        if not chars.startswith(prefix) or not chars.endswith(suffix) or len(chars) < len(prefix) + len(suffix):
            return None
        return chars[len(prefix):len(chars) - len(suffix)]
