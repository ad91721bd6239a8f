"""The common frame of a counter screen: a title, a message banner, and `retranslate`/`enter` hooks."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QVBoxLayout, QWidget

from counter_app.context import CounterContext

if TYPE_CHECKING:
    from domain.staff import Permission

Message = str | Callable[[], str]


def fit_columns(table: QTableWidget) -> None:
    """Every column as wide as its longest text (nothing cut off), the last one takes the rest
    (a table laid out by ui.tables.fill_width keeps its own stretch columns)."""
    if table.property("filled"):
        return
    table.resizeColumnsToContents()
    if table.columnCount():
        table.horizontalHeader().setSectionResizeMode(table.columnCount() - 1, QHeaderView.ResizeMode.Stretch)


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
        self._message: Message = ""
        self.layout_.addWidget(self.title)
        self.layout_.addWidget(self.banner)

    def menu_title(self) -> str:
        raise NotImplementedError

    def retranslate(self) -> None:
        self.title.setText(self.menu_title())
        self._show_message()

    def enter(self) -> None:
        """Called each time the screen is shown: refresh what may have changed."""

    def reset(self) -> None:
        """Sign-out: forget the member and case on screen (the next person must not see them)."""
        self.inform("")

    def inform(self, message: Message, kind: str = "info") -> None:
        """Show a message; give a function (e.g. `lambda: self.tr(...)`) so it follows a language switch."""
        self._message = message
        self.banner.setProperty("kind", kind)
        self._show_message()
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)

    def _show_message(self) -> None:
        text = self._message() if callable(self._message) else self._message
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def fail(self, exc: BaseException) -> None:
        """A refusal or failure the person can act on, never a traceback."""
        from domain.errors import user_facing

        error = user_facing(exc)  # one bilingual shape for device, ledger and rule errors (domain.errors)
        self.inform(lambda: self.ctx.pick(*error.pair), "error")
