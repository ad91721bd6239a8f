"""Walk everything the kiosk shows or keeps in memory and collect its text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from PySide6.QtCharts import QChart
from PySide6.QtCore import QAbstractItemModel, QObject, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QTableWidget, QWidget


def _model_texts(model: QAbstractItemModel) -> Iterator[str]:
    for r in range(model.rowCount()):
        for c in range(model.columnCount()):
            value = model.data(model.index(r, c), Qt.ItemDataRole.DisplayRole)
            if value is not None:
                yield str(value)


def qt_texts(root: QObject) -> Iterator[str]:
    objects: list[QObject] = [root, *root.findChildren(QObject)]
    objects += [w for w in QApplication.allWidgets() if w not in objects]
    for obj in objects:
        if isinstance(obj, QLabel):
            yield obj.text()
        elif isinstance(obj, (QAbstractButton, QLineEdit)):
            yield obj.text()
        if isinstance(obj, QWidget):
            yield obj.toolTip()
            yield obj.windowTitle()
            yield obj.accessibleName()
        if isinstance(obj, QTableWidget):
            for r in range(obj.rowCount()):
                for c in range(obj.columnCount()):
                    item = obj.item(r, c)
                    if item is not None:
                        yield item.text()
        if isinstance(obj, QAbstractItemModel):
            yield from _model_texts(obj)
        if isinstance(obj, QChart):
            yield obj.title()
            for s in obj.series():
                yield s.name()


def python_state(window: Any) -> Iterator[str]:
    """The Python-side state: the session, each screen's attributes (one level into objects)."""
    ctx = window.ctx
    yield repr(vars(ctx.session))
    yield repr(ctx.voice.spoken)
    for screen in window.screens.values():
        for name, value in vars(screen).items():
            if isinstance(value, QObject):
                continue
            yield f"{name}={value!r}"
            if hasattr(value, "__dict__") and not isinstance(value, type):
                yield repr(vars(value))


def all_text(window: Any) -> str:
    return "\n".join([*qt_texts(window), *python_state(window)])
