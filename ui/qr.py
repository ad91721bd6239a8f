"""QR codes on screen (the receipt's status code when the printer can't print it)."""

from __future__ import annotations

import io

import qrcode
from PySide6.QtGui import QPixmap


def qr_pixmap(text: str, box_px: int = 10) -> QPixmap:
    image = qrcode.make(text, box_size=box_px, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")
    return pixmap
