"""Idle detection for a public terminal: a countdown warning, then a wipe.

`IdleWatcher` filters the application's input events. While armed (a member's session or any
screen other than home is open), `timeout_s` without a touch, click or key starts a visible
countdown of `warning_s` seconds (`warning` is emitted once per second with the seconds left);
any input cancels it (`resumed`), and reaching zero emits `expired`.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

from ui.qtcompat import emit

_INPUT_EVENTS = frozenset({
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.KeyPress,
    QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate, QEvent.Type.Wheel,
})


class IdleWatcher(QObject):
    warning = Signal(int)   # seconds left before the wipe
    resumed = Signal()      # the member touched the screen during the warning
    expired = Signal()

    def __init__(self, timeout_s: float, warning_s: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timeout_s = timeout_s
        self.warning_s = warning_s
        self._left = 0
        self._armed = False
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self._start_warning)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._count_down)

    @property
    def armed(self) -> bool:
        return self._armed

    @property
    def warning_active(self) -> bool:
        return self._tick.isActive()

    def arm(self) -> None:
        self._armed = True
        self.poke()

    def disarm(self) -> None:
        self._armed = False
        self._idle.stop()
        self._tick.stop()

    def poke(self) -> None:
        """Input happened: restart the idle period and cancel a running warning."""
        if self._tick.isActive():
            self._tick.stop()
            emit(self.resumed)
        if self._armed:
            self._idle.start(int(self.timeout_s * 1000))

    def remaining_s(self) -> int | None:
        """Seconds until the wipe while armed (the whole session, for a visible countdown); None when not."""
        if not self._armed:
            return None
        if self._tick.isActive():
            return self._left
        if self._idle.isActive():
            return max(0, self._idle.remainingTime()) // 1000 + self.warning_s
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS:
            self.poke()
        return False

    def _start_warning(self) -> None:
        self._left = self.warning_s
        emit(self.warning, self._left)
        self._tick.start()

    def _count_down(self) -> None:
        self._left -= 1
        if self._left > 0:
            emit(self.warning, self._left)
            return
        self._tick.stop()
        self._armed = False
        emit(self.expired)

    def expire_now(self) -> None:
        """Skip the remaining time (the technician's test and the tests use this)."""
        self._idle.stop()
        self._tick.stop()
        self._armed = False
        emit(self.expired)
