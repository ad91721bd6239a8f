"""Layouts that keep a touch screen within the display in both orientations and both modes.

- `FlowLayout`: buttons side by side that wrap onto the next row when the row is full (a row of
  five elderly-mode buttons does not fit a 1080 px portrait screen, and must not be squeezed
  until their words are cut);
- `ResponsiveGrid`: tiles or fact rows in a grid whose column count follows the window's
  orientation (landscape 1920×1080, portrait 1080×1920);
- `place_in_grid`: a screen's cards put at the cells of the current orientation.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QLayout,
    QLayoutItem,
    QSizePolicy,
    QWidget,
    QWidgetItem,
)


class FlowLayout(QLayout):
    """Items left to right, wrapping to a new row when the next one does not fit.
    With `stretch`, the items of each row share its width (touch buttons of equal weight)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 14, *, stretch: bool = True) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._stretch = stretch
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def addWidget(self, w: QWidget) -> None:  # type: ignore[override]
        self.addChildWidget(w)
        self.addItem(QWidgetItem(w))
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._place(rect, apply=True)

    def sizeHint(self) -> QSize:  # everything on one row
        items = self._visible()
        m = self.contentsMargins()
        width = sum(i.sizeHint().width() for i in items) + self.spacing() * max(0, len(items) - 1)
        height = max((i.sizeHint().height() for i in items), default=0)
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _visible(self) -> list[QLayoutItem]:
        return [i for i in self._items if not (i.widget() is not None and i.widget().isHidden())]

    def _rows(self, width: int) -> list[list[QLayoutItem]]:
        rows: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._visible():
            w = item.sizeHint().width()
            if rows[-1] and used + self.spacing() + w > width:
                rows.append([])
                used = 0
            used += (self.spacing() if rows[-1] else 0) + w
            rows[-1].append(item)
        return [r for r in rows if r]

    def _place(self, rect: QRect, *, apply: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        y = area.y()
        for row in self._rows(area.width()):
            height = max(i.sizeHint().height() for i in row)
            natural = sum(i.sizeHint().width() for i in row) + self.spacing() * (len(row) - 1)
            extra = max(0, area.width() - natural) // len(row) if self._stretch else 0
            x = area.x()
            for item in row:
                w = min(item.sizeHint().width() + extra, area.width())
                if apply:
                    item.setGeometry(QRect(QPoint(x, y), QSize(w, height)))
                x += w + self.spacing()
            y += height + self.spacing()
        return y - self.spacing() - rect.y() + m.bottom() if self._items else 0


def flow_row(widgets: Sequence[QWidget], *, stretch: bool = True) -> QWidget:
    """A widget holding `widgets` in a FlowLayout."""
    host = QWidget()
    lay = FlowLayout(host, stretch=stretch)
    for w in widgets:
        lay.addWidget(w)
    host.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    return host


class ResponsiveGrid(QWidget):
    """Widgets in a grid of `landscape` columns on a wide window and `portrait` columns on a tall one."""

    def __init__(self, widgets: Sequence[QWidget], landscape: int, portrait: int, spacing: int = 18,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(spacing)
        self._widgets = list(widgets)
        self._counts = (landscape, portrait)
        self.columns = 0
        self._arrange(landscape)

    def _arrange(self, columns: int) -> None:
        if columns == self.columns:
            return
        self.columns = columns
        for w in self._widgets:
            self.grid.removeWidget(w)
        for c in range(self.grid.columnCount()):
            self.grid.setColumnStretch(c, 0)
        for i, w in enumerate(self._widgets):
            self.grid.addWidget(w, i // columns, i % columns)
        for c in range(columns):
            self.grid.setColumnStretch(c, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        top = self.window()
        self._arrange(self._counts[1] if top.height() > top.width() else self._counts[0])
        # equal columns to the pixel (five rating buttons of one size): the odd pixels go to a margin
        spare = (event.size().width() - self.grid.horizontalSpacing() * (self.columns - 1)) % self.columns
        if self.grid.contentsMargins().right() != spare:
            self.grid.setContentsMargins(0, 0, spare, 0)
        super().resizeEvent(event)


Cell = tuple[int, int, int, int]  # row, column, row span, column span


def place_in_grid(grid: QGridLayout, cells: Sequence[tuple[QWidget | QLayout, Cell]],
                  stretches: Sequence[int]) -> None:
    """(Re)place each widget or layout at its cell and set the column stretches: a screen keeps one
    table of cells per orientation and calls this when the window turns."""
    for item, _cell in cells:
        if isinstance(item, QWidget):
            grid.removeWidget(item)
        else:
            grid.removeItem(item)
    for c in range(grid.columnCount()):
        grid.setColumnStretch(c, 0)
    for item, cell in cells:
        if isinstance(item, QWidget):
            grid.addWidget(item, *cell)
        else:
            grid.addLayout(item, *cell)
    for c, stretch in enumerate(stretches):
        grid.setColumnStretch(c, stretch)


class OrientationBox(QWidget):
    """Side by side on a wide window, one above the other on a tall one: `box.addWidget(w, stretch)`."""

    def __init__(self, spacing: int = 18, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.box.setSpacing(spacing)

    def sync(self) -> None:
        top = self.window()
        direction = (QBoxLayout.Direction.TopToBottom if top.height() > top.width()
                     else QBoxLayout.Direction.LeftToRight)
        if self.box.direction() != direction:
            self.box.setDirection(direction)

    def heightForWidth(self, width: int) -> int:  # measured (e.g. by a PagedList) in the window's orientation
        self.sync()
        return super().heightForWidth(width)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.sync()
        super().resizeEvent(event)
