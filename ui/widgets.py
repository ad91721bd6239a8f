"""Touch widgets shared by the kiosk and the counter app.

Sizes and colours come from the style sheet (ui.theme) through the `role` property, so the same
widget grows in elderly mode without code changes here.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QResizeEvent
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.linebreak import keep_words, unglue
from ui.qtcompat import emit

ICON_PX = 64


def set_role(widget: QWidget, role: str) -> None:
    """Give a widget a style role and re-apply the style sheet to it."""
    widget.setProperty("role", role)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class TouchLabel(QLabel):
    """A label whose wrapped Chinese text breaks only between words (ui.linebreak); `text()`
    gives back exactly what was set."""

    def setText(self, text: str) -> None:  # type: ignore[override]
        super().setText(keep_words(text) if self.wordWrap() and not GuiQt.mightBeRichText(text) else text)

    def text(self) -> str:  # type: ignore[override]
        return unglue(super().text())


def label(text: str = "", role: str = "body", *, wrap: bool = True, parent: QWidget | None = None) -> QLabel:
    lab = TouchLabel(parent)
    lab.setProperty("role", role)
    lab.setWordWrap(wrap)
    lab.setText(text)
    lab.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return lab


def button(text: str = "", role: str = "secondary", *, parent: QWidget | None = None) -> QPushButton:
    btn = QPushButton(text, parent)
    btn.setProperty("role", role)
    btn.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # touch screen: no focus rectangles, no keyboard traversal
    btn.setCursor(Qt.CursorShape.PointingHandCursor)
    return btn


class Card(QFrame):
    """A white panel with a border: groups related facts on a screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(20, 12, 20, 12)
        self.layout_.setSpacing(8)


class Tile(QPushButton):
    """A large service tile on the home screen. A tile whose service isn't wired is disabled
    and says why in its own text (never a silent dead button). Its words wrap inside the tile
    (a push button can't wrap), so long business names stay whole in every language."""

    def __init__(self, key: str, icon: QIcon | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"tile-{key}")
        self.setProperty("role", "tile")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._icon = icon
        self.picture = QLabel(self)
        self.picture.setObjectName(f"tile-{key}-icon")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.picture.setVisible(icon is not None)
        self.caption = QLabel(self)
        self.caption.setObjectName(f"tile-{key}-text")
        self.caption.setProperty("role", "tile-text")
        self.caption.setWordWrap(True)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        inner = QVBoxLayout(self)
        inner.setContentsMargins(8, 8, 8, 8)
        inner.addStretch(1)
        inner.addWidget(self.picture)
        inner.addWidget(self.caption)
        inner.addStretch(1)
        self._title = ""
        self._note = ""

    def text(self) -> str:  # the words live in the caption
        return unglue(self.caption.text())

    def set_texts(self, title: str, note: str = "") -> None:
        self._title, self._note = title, note
        self._refresh()

    def set_available(self, available: bool, note: str = "") -> None:
        self.setEnabled(available)
        self._note = note
        self._refresh()

    @property
    def note(self) -> str:
        return self._note

    def _refresh(self) -> None:
        # breaks only between words (解除劳动关系 / 提取, never 提 / 取)
        self.caption.setText(keep_words(f"{self._title}\n{self._note}" if self._note else self._title))
        if self._icon is not None:
            mode = QIcon.Mode.Normal if self.isEnabled() else QIcon.Mode.Disabled
            self.picture.setPixmap(self._icon.pixmap(QSize(ICON_PX, ICON_PX), mode))


class Keypad(QWidget):
    """An on-screen numeric keypad for ID numbers, passwords and amounts.

    It edits its own buffer (never the system keyboard); `changed` carries the text, `submitted`
    fires on OK. `max_len` bounds the input; `extra_key` adds one key such as "X" (ID check
    character) or "." (amounts).
    """

    changed = Signal(str)
    submitted = Signal(str)

    def __init__(self, max_len: int = 18, extra_key: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.max_len = max_len
        self._text = ""
        grid = QGridLayout(self)
        grid.setSpacing(8)
        self.keys: dict[str, QPushButton] = {}
        layout = ["1", "2", "3", "4", "5", "6", "7", "8", "9", extra_key or "", "0", "⌫"]
        for i, key in enumerate(layout):
            if not key:
                continue
            btn = button(key, "keypad")
            btn.setObjectName(f"key-{key}")
            btn.clicked.connect(lambda _=False, k=key: self.press(k))
            grid.addWidget(btn, i // 3, i % 3)
            self.keys[key] = btn
        self.clear_button = button("", "secondary")
        self.clear_button.setObjectName("key-clear")
        self.clear_button.clicked.connect(self.clear)
        self.ok_button = button("", "primary")
        self.ok_button.setObjectName("key-ok")
        self.ok_button.clicked.connect(lambda: emit(self.submitted, self._text))
        self._grid = grid
        self._row = QHBoxLayout()
        grid.addLayout(self._row, 4, 0, 1, 3)
        self._wide: bool | None = None
        self._arrange(wide=False)

    def _arrange(self, *, wide: bool) -> None:
        """Clear and OK on a fifth row under the digits; across a landscape screen (1080 px high, where
        a fifth row pushed OK below the fold in elderly mode): a fourth column beside them."""
        if wide == self._wide:
            return
        self._wide = wide
        grid = self._grid
        for w in (self.clear_button, self.ok_button):
            grid.removeWidget(w)
            self._row.removeWidget(w)
        if wide:
            grid.addWidget(self.clear_button, 0, 3)
            grid.addWidget(self.ok_button, 1, 3, 3, 1)
        else:
            self._row.addWidget(self.clear_button)
            self._row.addWidget(self.ok_button, 2)
        for c in range(4):
            grid.setColumnStretch(c, 1 if c < 3 or wide else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        top = self.window()  # a keypad across a landscape screen; in a column beside other content, five rows
        self._arrange(wide=top.width() > top.height() and event.size().width() >= 1200)
        super().resizeEvent(event)

    @property
    def text(self) -> str:
        return self._text

    def set_labels(self, clear: str, ok: str) -> None:
        self.clear_button.setText(clear)
        self.ok_button.setText(ok)

    def press(self, key: str) -> None:
        if key == "⌫":
            self._text = self._text[:-1]
        elif len(self._text) < self.max_len:
            if key == "." and "." in self._text:
                return
            self._text += key
        emit(self.changed, self._text)

    def clear(self) -> None:
        self._text = ""
        emit(self.changed, self._text)


class Banner(TouchLabel):
    """A one-line notice across a screen: info, warn or offline (never a pop-up); wrapped Chinese
    breaks between words (TouchLabel)."""

    def __init__(self, kind: str = "banner-info", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", kind)
        self.setWordWrap(True)
        self.hide()

    def show_text(self, text: str, kind: str | None = None) -> None:
        if kind is not None and kind != self.property("role"):
            set_role(self, kind)
        self.setText(text)
        self.setVisible(bool(text))

    def clear_text(self) -> None:
        self.setText("")
        self.hide()


def field_row(name: QLabel, value: QLabel) -> QWidget:
    """A "name: value" row for fact lists on account screens."""
    row = QWidget()
    lay = QHBoxLayout(row)
    lay.setContentsMargins(0, 0, 0, 0)
    name.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    lay.addWidget(name, 2)
    lay.addWidget(value, 3)
    return row
