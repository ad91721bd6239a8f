"""Reconnect back-off for drivers: when to try reopening a port or URI that failed.

A driver whose port vanished (a USB adapter pulled, a network printer gone) tries to reopen its
*configured* port or URI by itself — the manager's port polling cannot see pseudo-terminals or
network printers — but not on every call: after each failed attempt the wait doubles, from
`first_s` up to `max_s`; a success starts again from `first_s`.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class Backoff:
    def __init__(self, first_s: float = 0.5, max_s: float = 30.0, factor: float = 2.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if first_s <= 0 or max_s < first_s or factor < 1:
            raise ValueError("back-off needs 0 < first_s <= max_s and factor >= 1")
        self.first_s, self.max_s, self.factor = first_s, max_s, factor
        self._clock = clock
        self._wait = first_s
        self._next = 0.0  # due at once
        self.failures = 0

    def due(self) -> bool:
        """True when the next attempt may be made now."""
        return self._clock() >= self._next

    def failed(self) -> float:
        """Record a failed attempt; returns the seconds until the next one is due."""
        wait = self._wait
        self._next = self._clock() + wait
        self._wait = min(self._wait * self.factor, self.max_s)
        self.failures += 1
        return wait

    def succeeded(self) -> None:
        self._wait = self.first_s
        self._next = 0.0
        self.failures = 0
