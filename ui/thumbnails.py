"""Scanned materials as thumbnails; a click (or Space on the focused one) opens the page large, Esc closes it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QDialog, QLabel, QToolButton, QVBoxLayout, QWidget

THUMB = QSize(210, 280)


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
    """One scanned page as large as the window allows (small scans are enlarged to fit; the original
    size is never cut off); Esc, Enter, Space or a click closes it."""

    def __init__(self, path: Path, title: str, parent: QWidget | None = None, hint: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("zoom")
        self.path = path
        self.original = QPixmap(str(path))
        layout = QVBoxLayout(self)
        self.caption = QLabel(objectName="zoom-caption")
        self.caption.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.set_caption(title, hint)
        layout.addWidget(self.caption)
        self.image = QLabel(objectName="zoom-image")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setMinimumSize(200, 200)
        layout.addWidget(self.image, 1)
        screen = self.screen().availableGeometry().size() if self.screen() else QSize(1600, 900)
        self.resize(int(screen.width() * 0.7), int(screen.height() * 0.9))

    def set_caption(self, title: str, hint: str = "") -> None:
        """The page's name and how to close it (again when the language changes while it is open)."""
        self.setWindowTitle(title)
        self.caption.setText(f"{title}    {hint}".strip())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if not self.original.isNull():
            box = self.image.size()
            self.image.setPixmap(self.original.scaled(box, Qt.AspectRatioMode.KeepAspectRatio,
                                                      Qt.TransformationMode.SmoothTransformation))

    def mousePressEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.accept()
        else:
            super().keyPressEvent(event)
