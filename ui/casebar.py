"""The active-case bar: who is being served right now — ticket · masked name · business · elapsed.

The bar shows what it is given (the caller masks the name); it only counts the minutes itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel

from ui.theme import TONES

TICK_MS = 1000


def elapsed_text(seconds: float) -> str:
    """`mm:ss` under an hour, `h:mm:ss` after (a counter visit never takes days)."""
    s = max(0, int(seconds))
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m:02d}:{sec:02d}"


class ActiveCaseBar(QFrame):
    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__()
        self.setObjectName("active-case")
        self.clock = clock or (lambda: datetime.now(UTC))
        fg, bg, accent = TONES["pending"]
        self.setStyleSheet(
            f"QFrame#active-case {{ background: {bg}; border: 1px solid {accent}; border-left: 8px solid {accent};"
            f" border-radius: 4px; }} QFrame#active-case QLabel {{ color: {fg}; background: transparent;"
            f" font-size: 14pt; }} QLabel#active-ticket {{ font-size: 18pt; font-weight: bold; }}"
            f" QLabel#active-elapsed {{ font-weight: bold; font-family: 'DejaVu Sans Mono'; }}")
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 4, 12, 4)
        self.caption = QLabel(objectName="active-caption")
        self.ticket = QLabel(objectName="active-ticket")
        self.member = QLabel(objectName="active-member")
        self.business = QLabel(objectName="active-business")
        self.elapsed = QLabel(objectName="active-elapsed")
        self.idle = QLabel(objectName="active-idle")
        for w in (self.caption, self.ticket, self.member, self.business):
            row.addWidget(w)
        row.addWidget(self.idle, 1)
        row.addStretch(0)
        row.addWidget(self.elapsed)
        self.started: datetime | None = None
        self.elapsed_caption = ""
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)
        self.show_case(None, "", "", None)

    def set_captions(self, caption: str, idle: str, elapsed: str = "") -> None:
        self.caption.setText(caption)
        self.idle.setText(idle)
        self.elapsed_caption = elapsed
        self._tick()

    def show_case(self, ticket: str | None, masked_name: str, business: str, started: datetime | None) -> None:
        """Nothing (None ticket and no name): the idle hint; else the parts known so far, joined by " · "."""
        active = bool(ticket or masked_name)
        self.started = started if active else None
        self.ticket.setText(ticket or "—")
        self.member.setText(f"·  {masked_name}" if masked_name else "")
        self.business.setText(f"·  {business}" if business else "")
        for w in (self.caption, self.ticket, self.elapsed):
            w.setVisible(active)
        self.member.setVisible(active and bool(masked_name))
        self.business.setVisible(active and bool(business))
        self.idle.setVisible(not active)
        self._tick()
        if self.started is not None:
            self.timer.start(TICK_MS)
        else:
            self.timer.stop()

    def text(self) -> str:
        parts = [self.ticket.text(), self.member.text().lstrip("· "), self.business.text().lstrip("· "),
                 self.elapsed.text()]
        return " · ".join(p for p in parts if p) if self.started is not None or self.ticket.isVisible() \
            else self.idle.text()

    def _tick(self) -> None:
        if self.started is None:
            self.elapsed.setText("")
            return
        self.elapsed.setText(f"{self.elapsed_caption} {elapsed_text((self.clock() - self.started).total_seconds())}")
