"""Status colour chips and the coloured result panel (one look for every state and outcome).

The tone names are domain.case_status.Tone values; colours come from ui.theme.TONES. A chip is a
label (or a table cell) in the tone's colours; the result panel is a block with an icon, a
headline, what happens next and the details, framed in the tone's accent.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QTableWidgetItem, QVBoxLayout

from ui.theme import TONES

# Glyphs the UI font has (Noto Sans CJK SC; tests/ui/test_status_widgets.py checks): no box on screen.
ICONS = {"ok": "✔", "pending": "◔", "warn": "!", "danger": "✖", "neutral": "•"}


def tone_colors(tone: str) -> tuple[str, str, str]:
    return TONES.get(tone, TONES["neutral"])


def chip_style(tone: str) -> str:
    fg, bg, accent = tone_colors(tone)
    return (f"QLabel {{ color: {fg}; background: {bg}; border: 1px solid {accent}; border-radius: 10px;"
            f" padding: 2px 10px; font-weight: bold; }}")


class StatusChip(QLabel):
    """A case status as a coloured chip."""

    def __init__(self, text: str = "", tone: str = "neutral") -> None:
        super().__init__()
        self.tone = ""
        self.set_status(text, tone)

    def set_status(self, text: str, tone: str) -> None:
        self.tone = tone
        self.setText(text)
        self.setStyleSheet(chip_style(tone))


def chip_item(text: str, tone: str) -> QTableWidgetItem:
    """A table cell drawn as a status chip (text and background in the tone's colours, bold)."""
    fg, bg, _accent = tone_colors(tone)
    item = QTableWidgetItem(text)
    item.setForeground(QBrush(QColor(fg)))
    item.setBackground(QBrush(QColor(bg)))
    font = QFont(item.font())
    font.setBold(True)
    item.setFont(font)
    item.setData(256, tone)  # Qt.UserRole: tests and screens read the tone back
    return item


class ResultPanel(QFrame):
    """The outcome of a decision: icon, headline, next step and details in the tone's colours."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("result-panel")
        self.tone = ""
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 10, 14, 10)
        self.icon = QLabel(objectName="result-icon")
        self.icon.setFixedWidth(56)
        row.addWidget(self.icon)
        col = QVBoxLayout()
        self.headline = QLabel(objectName="result-headline")
        self.headline.setWordWrap(True)
        self.next_step = QLabel(objectName="result-next")
        self.next_step.setWordWrap(True)
        self.details = QLabel(objectName="result-details")
        self.details.setWordWrap(True)
        for w in (self.headline, self.next_step, self.details):
            col.addWidget(w)
        row.addLayout(col, 1)
        self.hide()

    def show_result(self, tone: str, headline: str, next_step: str, details: Sequence[str] = ()) -> None:
        fg, bg, accent = tone_colors(tone)
        self.tone = tone
        self.setStyleSheet(
            f"QFrame#result-panel {{ background: {bg}; border: 2px solid {accent}; border-left: 10px solid {accent};"
            f" border-radius: 6px; }} QFrame#result-panel QLabel {{ color: {fg}; background: transparent; }}"
            f" QLabel#result-icon {{ font-size: 28pt; font-weight: bold; }}"
            f" QLabel#result-headline {{ font-size: 16pt; font-weight: bold; }}"
            f" QLabel#result-next {{ font-size: 12pt; }}")
        self.icon.setText(ICONS.get(tone, ICONS["neutral"]))
        self.headline.setText(headline)
        self.next_step.setText(next_step)
        self.details.setText("\n".join(details))
        self.details.setVisible(bool(details))
        self.show()

    def clear(self) -> None:
        self.tone = ""
        for w in (self.icon, self.headline, self.next_step, self.details):
            w.setText("")
        self.hide()

    def text(self) -> str:
        """Everything the panel says, one line each (what the old outcome label held)."""
        return "\n".join(t for t in (self.headline.text(), self.next_step.text(), self.details.text()) if t)
