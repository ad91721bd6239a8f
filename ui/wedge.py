"""Keyboard-wedge scanners in a Qt application: the event filter around hardware's WedgeDecoder.

A wedge scanner types its code as key presses. The filter feeds every printable key press (and
Enter/Tab) to `WedgeDecoder.feed(char, timestamp)` and holds the key back while a burst may be a
scan. A completed code is emitted as `scanned(text)`; keys that turn out to be a person's
typing are re-posted to the widget that had focus, so typing still works.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from hardware.scanner.wedge import WedgeDecoder
from ui.qtcompat import emit

_KEY_CHARS = {Qt.Key.Key_Return: "\r", Qt.Key.Key_Enter: "\r", Qt.Key.Key_Tab: "\t"}


class WedgeFilter(QObject):
    scanned = Signal(str)

    def __init__(self, decoder: WedgeDecoder | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.decoder = decoder or WedgeDecoder()
        self._replaying = False
        self._target: QObject | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(20)
        self._poll.timeout.connect(self._on_poll)
        self._last_time = 0.0
        # set while the filter sits on a window's native window (QWindow) rather than on the
        # application: key presses then arrive there, before the focus widget has them
        self.window_handle: QObject | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._replaying or event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        char = _KEY_CHARS.get(Qt.Key(event.key()), event.text())
        if len(char) != 1 or (not char.isprintable() and char not in "\r\t"):
            return False
        focus = QApplication.focusWidget()
        if watched is not focus and focus is not None and watched is not self.window_handle:
            return False  # the same key arrives once per receiver; handle it at the focus widget
        self._target = watched
        self._last_time = event.timestamp() / 1000.0
        code = self.decoder.feed(char, self._last_time)
        self._replay()
        if code is not None:
            emit(self.scanned, code)
            return True
        if self.decoder.pending:
            if not self._poll.isActive():
                self._poll.start()
            return True
        return False

    def _on_poll(self) -> None:
        # QKeyEvent timestamps are milliseconds of the same clock; advance by the poll interval.
        self._last_time += self._poll.interval() / 1000.0
        code = self.decoder.poll(self._last_time)
        self._replay()
        if code is not None:
            emit(self.scanned, code)
        if not self.decoder.pending:
            self._poll.stop()

    def _replay(self) -> None:
        text = self.decoder.take_replay()
        target = self._target or QApplication.focusWidget()
        if not text or target is None:
            return
        self._replaying = True
        try:
            for ch in text:
                key = Qt.Key.Key_Return if ch == "\r" else Qt.Key.Key_unknown
                press = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, ch)
                QCoreApplication.sendEvent(target, press)
        finally:
            self._replaying = False
