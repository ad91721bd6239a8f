"""Visible labels for input fields (never a placeholder alone): a bold caption above the field,
the caption's buddy is the field, so Alt+the underlined letter or a click on it moves there."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


def field_label(field: QWidget) -> QLabel:
    label = QLabel()
    label.setProperty("field", True)
    label.setBuddy(field)
    label.setObjectName(f"label-{field.objectName()}" if field.objectName() else "")
    return label


def labelled(field: QWidget) -> tuple[QLabel, QVBoxLayout]:
    """A caption above the field, in one column to add to a row."""
    label = field_label(field)
    column = QVBoxLayout()
    column.setSpacing(2)
    column.addWidget(label)
    column.addWidget(field)
    return label, column
