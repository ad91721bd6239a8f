"""Paged content: long lists shown a page at a time with large 上一页/下一页 buttons, never a scrollbar.

Elderly members do not find (or cannot drag) a thin scrollbar, so a kiosk screen never scrolls:
content that is longer than the room it has is cut into pages that fit, and two ≥ 60 px buttons
turn them. The page size follows the room, so the same list has more rows per page in portrait.

- `Pager`: the 上一页 · 2 / 5 · 下一页 bar (hidden when everything fits on one page);
- `PagedTable`: a QTableWidget whose rows are paged (the table keeps every row: `rowCount()` and
  the items stay as they were; rows off the page are hidden); call `refresh()` after filling it;
- `PagedList`: a column of widgets (fact rows, buttons) paged the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QTableWidget, QVBoxLayout, QWidget

from ui.i18n import bilingual
from ui.qtcompat import emit
from ui.widgets import button, label


class Pager(QWidget):
    """Previous / page n of m / next."""

    turned = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pager")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.previous = button("", "secondary")
        self.previous.setObjectName("page-previous")
        self.previous.clicked.connect(lambda: self.set_page(self.page - 1))
        self.position = label("", "body", wrap=False)
        self.position.setObjectName("page-position")
        self.position.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next = button("", "secondary")
        self.next.setObjectName("page-next")
        self.next.clicked.connect(lambda: self.set_page(self.page + 1))
        lay.addWidget(self.previous, 2)
        lay.addWidget(self.position, 1)
        lay.addWidget(self.next, 2)
        self.page = 0
        self.pages = 1
        self._retranslate()
        self.hide()

    def set_pages(self, pages: int) -> None:
        self.pages = max(1, pages)
        self.page = min(self.page, self.pages - 1)
        self._refresh()

    def set_page(self, page: int) -> None:
        page = max(0, min(page, self.pages - 1))
        if page != self.page:
            self.page = page
            self._refresh()
            emit(self.turned, page)

    def _refresh(self) -> None:
        self.setVisible(self.pages > 1)
        self.previous.setEnabled(self.page > 0)
        self.next.setEnabled(self.page < self.pages - 1)
        n, m = self.page + 1, self.pages
        self.position.setText(bilingual(f"第 {n} / {m} 页", f"Page {n} of {m}"))

    def _retranslate(self) -> None:
        self.previous.setText(bilingual("上一页", "Previous"))
        self.next.setText(bilingual("下一页", "Next"))
        self._refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


class PagedTable(QWidget):
    """`table` with its rows paged to the height it is given, and a Pager under it."""

    def __init__(self, table: QTableWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = table
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        table.setMinimumHeight(0)
        self.pager = Pager()
        self.pager.turned.connect(lambda _p: self._show_page())
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(table, 1)
        lay.addWidget(self.pager)
        self._pending = False
        self._starts: list[int] = [0]

    def rows_per_page_from(self, start: int, height: int) -> int:
        rows, used = 0, 0
        for r in range(start, self.table.rowCount()):
            h = self.table.rowHeight(r) or self.table.verticalHeader().defaultSectionSize()
            if rows and used + h > height:
                break
            used += h
            rows += 1
        return max(1, rows)

    def sizeHint(self) -> QSize:
        # ask for little: the table takes whatever room the screen has left and pages its rows to it
        # (a screen's preferred height is the sum of its parts', and a kiosk screen must not outgrow the display)
        return QSize(super().sizeHint().width(), 200)

    def refresh(self) -> None:
        """The rows changed (`member.fill_table` calls this): cut them into pages again."""
        self._later()

    def _later(self, *_args: object) -> None:
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self.repaginate)  # cancelled if self is deleted first

    def repaginate(self) -> None:
        self._pending = False
        height = self.table.viewport().height()
        starts = [0]
        while starts[-1] + self.rows_per_page_from(starts[-1], height) < self.table.rowCount():
            starts.append(starts[-1] + self.rows_per_page_from(starts[-1], height))
        self._starts = starts
        shown = self.pager.isVisibleTo(self)
        self.pager.set_pages(len(starts))
        self._show_page()
        if self.pager.isVisibleTo(self) != shown:  # the pager took (or gave back) room: measure again
            self._later()

    def _show_page(self) -> None:
        page = self.pager.page
        first = self._starts[page] if page < len(self._starts) else 0
        last = self._starts[page + 1] if page + 1 < len(self._starts) else self.table.rowCount()
        for r in range(self.table.rowCount()):
            self.table.setRowHidden(r, not first <= r < last)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._later()


class _PageBody(QWidget):
    """Takes the room it is given and asks for none: what does not fit goes to the next page."""

    def hasHeightForWidth(self) -> bool:
        return False

    def sizeHint(self) -> QSize:
        return QSize(0, 0)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, 0)


class PagedList(QWidget):
    """A column of widgets shown as many as fit, a page at a time."""

    def __init__(self, widgets: Sequence[QWidget] = (), spacing: int = 10, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[QWidget] = []
        self.body = _PageBody()
        self.column = QVBoxLayout(self.body)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(spacing)
        self.column.addStretch(1)
        self.pager = Pager()
        self.pager.turned.connect(lambda _p: self._show_page())
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.body, 1)
        lay.addWidget(self.pager)
        self.body.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self._starts: list[int] = [0]
        for w in widgets:
            self.add(w)

    def add(self, w: QWidget, stretch: int = 0) -> None:
        """Add `w` at the end; `stretch` > 0 lets it take the room left on its page."""
        self.column.insertWidget(len(self.items), w, stretch)
        if stretch:  # it, not the empty end of the page, takes the room left
            self.column.setStretch(self.column.count() - 1, 0)
        self.items.append(w)
        QTimer.singleShot(0, self, self.repaginate)  # cancelled if self is deleted first

    def clear(self) -> None:
        for w in self.items:
            w.setParent(None)
            w.deleteLater()
        self.items.clear()
        self.pager.set_page(0)
        self.repaginate()

    def repaginate(self) -> None:
        height = self.body.height()
        spacing = self.column.spacing()
        starts, used = [0], 0
        for i, w in enumerate(self.items):
            h = w.sizeHint().height() if not w.hasHeightForWidth() else w.heightForWidth(self.body.width())
            if i > starts[-1] and used + spacing + h > height:
                starts.append(i)
                used = 0
            used += (spacing if i > starts[-1] else 0) + h
        self._starts = starts
        self.pager.set_pages(len(starts))
        self._show_page()

    def show_item(self, w: QWidget) -> None:
        """Turn to the page that holds `w` (e.g. the result after 计算)."""
        if w in self.items:
            self.repaginate()  # the pages as they are now (a resize may not have been seen yet)
            index = self.items.index(w)
            self.pager.set_page(max(p for p, start in enumerate(self._starts) if start <= index))

    def _show_page(self) -> None:
        page = self.pager.page
        first = self._starts[page] if page < len(self._starts) else 0
        last = self._starts[page + 1] if page + 1 < len(self._starts) else len(self.items)
        for i, w in enumerate(self.items):
            w.setVisible(first <= i < last)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self.repaginate)  # cancelled if self is deleted first


def page_label(text: str = "") -> QLabel:  # a wrapped body label, the usual content of a PagedList
    return label(text, "body")
