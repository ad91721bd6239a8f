"""Tables that use their whole width: chosen columns stretch, the rest fit their contents."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget


def fill_width(table: QTableWidget, stretch: Iterable[int]) -> None:
    """Columns in `stretch` share the spare width; every other column is as wide as its longest text.
    Call once after the headers are set; the modes hold as rows change."""
    table.setProperty("filled", True)
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    wide = set(stretch)
    for col in range(table.columnCount()):
        mode = QHeaderView.ResizeMode.Stretch if col in wide else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(col, mode)
    header.setMinimumSectionSize(64)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setDefaultSectionSize(34)


def read_only_rows(table: QTableWidget) -> None:
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
