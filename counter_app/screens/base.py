"""The common frame of a counter screen: a title, a message banner, and `retranslate`/`enter` hooks."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from counter_app.context import CounterContext
from domain.staff import Permission


class Screen(QWidget):
    key = ""
    permission: Permission | None = None  # the menu shows the screen only to roles holding it

    def __init__(self, ctx: CounterContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName(f"screen-{self.key}")
        self.layout_ = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setObjectName("title")
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.layout_.addWidget(self.title)
        self.layout_.addWidget(self.banner)

    def menu_title(self) -> str:
        raise NotImplementedError

    def retranslate(self) -> None:
        self.title.setText(self.menu_title())

    def enter(self) -> None:
        """Called each time the screen is shown: refresh what may have changed."""

    def inform(self, text: str, kind: str = "info") -> None:
        self.banner.setProperty("kind", kind)
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)

    def fail(self, exc: BaseException) -> None:
        """A refusal or failure the person can act on, never a traceback."""
        zh = getattr(exc, "zh", None)
        en = getattr(exc, "en", None)
        self.inform(self.ctx.pick(zh, en) if zh and en else str(exc), "error")
