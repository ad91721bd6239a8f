"""The progress indicator while the kiosk waits for the centre's decision (at most `[kiosk] decision_wait_s`)."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QProgressBar

from ui.widgets import Card, label

TICK_MS = 100


class DecisionWait(Card):
    """"Sent to the centre, waiting for its decision" with a bar that fills up to the wait limit."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("decision-wait")
        self.text = label("", "key")
        self.text.setObjectName("decision-wait-text")
        self.bar = QProgressBar()
        self.bar.setObjectName("decision-wait-bar")
        self.bar.setTextVisible(False)
        self.bar.setMinimumHeight(18)
        self.layout_.addWidget(self.text)
        self.layout_.addWidget(self.bar)
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._started = 0.0
        self._limit_s = 0.0
        self.hide()

    @property
    def waiting(self) -> bool:
        return self.isVisible()

    def start(self, limit_s: float, text: str) -> None:
        self._started, self._limit_s = time.monotonic(), max(0.1, limit_s)
        self.text.setText(text)
        self.bar.setRange(0, int(self._limit_s * 1000))
        self.bar.setValue(0)
        self.show()
        self._timer.start()

    def set_text(self, text: str) -> None:
        self.text.setText(text)

    def _tick(self) -> None:
        elapsed = int((time.monotonic() - self._started) * 1000)
        self.bar.setValue(min(self.bar.maximum(), elapsed))

    def stop(self) -> None:
        self._timer.stop()
        self.hide()
