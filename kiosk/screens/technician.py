"""The hidden technician entry: reached by tapping the centre's name five times, then a PIN.

The PIN is checked against the argon2 hash in the configuration (`kiosk.technician_pin_hash`,
written by `hpf-diag set-pin`); after
`MAX_ATTEMPTS` wrong PINs the entry locks for `LOCKOUT_S` seconds, whoever tries.
"""

from __future__ import annotations

import time
from typing import Any

from infra.pin import verify_pin
from kiosk.screens.base import Screen
from ui.widgets import Banner, Keypad, label

MAX_ATTEMPTS = 3
LOCKOUT_S = 300  # a passer-by who found the gesture waits five minutes per three guesses
PIN_LENGTH = 6


class TechnicianScreen(Screen):
    name = "technician"

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.title = label("", "title")
        self.root.addWidget(self.title)
        self.banner = Banner("banner-warn")
        self.banner.setObjectName("technician-banner")
        self.root.addWidget(self.banner)
        self.entry = label("", "amount", wrap=False)
        self.root.addWidget(self.entry)
        self.keypad = Keypad(max_len=PIN_LENGTH)
        self.keypad.setObjectName("technician-keypad")
        self.keypad.changed.connect(lambda t: self.entry.setText("●" * len(t)))
        self.keypad.submitted.connect(self.check)
        self.root.addWidget(self.keypad)
        self.root.addStretch(1)
        self._failures = 0
        self._locked_until = 0.0
        self.clock = time.monotonic
        self.retranslate()

    @property
    def locked(self) -> bool:
        return self.clock() < self._locked_until

    def enter(self, **params: Any) -> None:
        self.keypad.clear()
        self.banner.clear_text()
        self._show_lock()

    def check(self, pin: str) -> None:
        if self.locked:
            self._show_lock()
            return
        self.keypad.clear()
        if verify_pin(self.ctx.config.kiosk.technician_pin_hash, pin):
            self._failures = 0
            self.ctx.go("maintenance", remember=False)
            return
        self._failures += 1
        if self._failures >= MAX_ATTEMPTS:
            self._failures = 0
            self._locked_until = self.clock() + LOCKOUT_S
            self._show_lock()
        else:
            self.banner.show_text(self.tr("Wrong PIN."))

    def _show_lock(self) -> None:
        locked = self.locked
        self.keypad.setEnabled(not locked)
        if locked:
            self.banner.show_text(self.tr("Locked after wrong PINs; try again in %n minute(s).", "",
                                          max(1, round((self._locked_until - self.clock()) / 60))))

    def wipe(self) -> None:
        self.keypad.clear()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Technician PIN"))
        self.keypad.set_labels(self.tr("Clear"), self.tr("OK"))
