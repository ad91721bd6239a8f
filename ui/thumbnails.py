"""Scanned materials as thumbnails; a click (or Enter) opens the page large, Esc closes it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPixmap
from PySide6.QtWidgets import QDialog, QLabel, QScrollArea, QToolButton, QVBoxLayout, QWidget

THUMB = QSize(180, 240)


class Thumbnail(QToolButton):
    opened = Signal(str)

    def __init__(self, path: Path, caption: str) -> None:
        super().__init__()
        self.path = path
        self.setObjectName(f"thumb-{path.stem}")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        pixmap = QPixmap(str(path))
        self.readable = not pixmap.isNull()
        if self.readable:
            self.setIcon(pixmap.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                       Qt.TransformationMode.SmoothTransformation))
            self.setIconSize(THUMB)
        self.setText(caption)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.clicked.connect(lambda: self.opened.emit(str(self.path)))


class ZoomDialog(QDialog):
    """One scanned page as large as the screen allows (scrolls if larger); Esc or a click closes it."""

    def __init__(self, path: Path, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("zoom")
        self.setWindowTitle(title)
        self.path = path
        layout = QVBoxLayout(self)
        self.image = QLabel(objectName="zoom-image")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        pixmap = QPixmap(str(path))
        screen = self.screen().availableGeometry().size() if self.screen() else QSize(1600, 900)
        box = QSize(int(screen.width() * 0.85), int(screen.height() * 0.85))
        if not pixmap.isNull() and (pixmap.width() > box.width() or pixmap.height() > box.height()):
            pixmap = pixmap.scaled(box, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        self.image.setPixmap(pixmap)
        scroll = QScrollArea()
        scroll.setWidget(self.image)
        scroll.setWidgetResizable(True)
        layout.addWidget(scroll)
        self.resize(min(box.width(), pixmap.width() + 40), min(box.height(), pixmap.height() + 40))

    def mousePressEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.accept()
        else:
            super().keyPressEvent(event)
