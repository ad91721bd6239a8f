"""A layout checker for touch screens: what a person in front of the terminal would notice.

`check_window(root, ...)` looks at every visible widget of a rendered window and returns the
problems it finds, each one a `Problem` that names the widget and what is wrong:

- `scrolls`: a scroll area's content is taller (or wider) than its viewport, so something can
  only be reached by scrolling; `hidden-action`: a button lies (partly) outside what is shown;
- `button-font` / `button-size`: in elderly mode a button's text is under `min_button_pt` or the
  button is smaller than `min_target_px` on a side (适老化: key text ≥ 30 pt, targets ≥ 60×60 px);
- `clipped`: a label's or button's text needs more room than the widget has (font metrics of
  the text against the widget's contents), or a label shows an ellipsis;
- `bad-break`: a wrapped label breaks inside a word a person would not split (`ui.linebreak`);
- `contrast`: text against the background painted behind it is under `min_contrast` (WCAG 2.x);
- `chinese`: on an English screen, a Han character outside the `exempt` strings (personal data,
  names with no English form).

It reads widgets only (never changes them), so tests and tools can run it on any window.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFontMetrics, QTextLayout, QTextOption
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QFrame,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QWidget,
)

from ui.linebreak import WORD_JOINER, bad_breaks
from ui.theme import contrast_ratio

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Problem:
    where: str   # "objectName 'text…'"
    kind: str    # scrolls, hidden-action, button-font, button-size, clipped, bad-break, contrast, chinese
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.where}: {self.detail}"


def visible_widgets(root: QWidget) -> Iterator[QWidget]:
    for w in root.findChildren(QWidget):
        if w.isVisible() and w.window() is root.window():
            w.ensurePolished()
            yield w


def text_of(w: QWidget) -> str:
    if isinstance(w, (QLabel, QAbstractButton)):
        text = w.text().replace(WORD_JOINER, "").replace("&&", "&")
        if isinstance(w, QLabel) and GuiQt.mightBeRichText(text):
            text = _TAGS.sub("", text)
        return text
    return ""


def describe(w: QWidget) -> str:
    name = w.objectName() or type(w).__name__
    text = text_of(w)
    return f"{name} {text[:24]!r}" if text else name


def painted_background(widget: QWidget) -> QColor:
    """The colour behind a widget's text: its own background if it paints one, else the nearest
    ancestor's that does."""
    w: QWidget | None = widget
    while w is not None:
        color = w.palette().color(w.backgroundRole())
        paints = (isinstance(w, (QAbstractButton, QFrame)) and not isinstance(w, QLabel)
                  or w.testAttribute(Qt.WidgetAttribute.WA_StyledBackground) or w.autoFillBackground()
                  or isinstance(w.parentWidget(), QAbstractScrollArea))
        if paints and color.alpha() == 255:
            return color
        w = w.parentWidget()
    return QColor("#ffffff")


def shown_rect(w: QWidget) -> QRect:
    """The part of `w` (in window coordinates) that its ancestors let through."""
    top = w.window()
    rect = QRect(w.mapTo(top, w.rect().topLeft()), w.size())
    parent = w.parentWidget()
    while parent is not None and parent is not top:
        rect = rect.intersected(QRect(parent.mapTo(top, parent.rect().topLeft()), parent.size()))
        parent = parent.parentWidget()
    return rect.intersected(top.rect())


def _label_lines(lab: QLabel, text: str, width: int) -> list[list[str]]:
    """The lines Qt would lay a word-wrapped label's text out in, at `width` pixels, per paragraph."""
    paragraphs: list[list[str]] = []
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)  # as QLabel lays out a word-wrapped text
    raw = QLabel.text(lab) if not GuiQt.mightBeRichText(lab.text()) else text
    for paragraph in raw.split("\n"):
        lines: list[str] = []
        paragraphs.append(lines)
        layout = QTextLayout(paragraph, lab.font())
        layout.setTextOption(option)
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(max(1, width))
            lines.append(paragraph[line.textStart():line.textStart() + line.textLength()])
        layout.endLayout()
    return paragraphs


def _check_clipping(w: QWidget, text: str) -> str:
    if isinstance(w, QLabel):
        cr = w.contentsRect()
        width = cr.width() - 2 * max(0, w.margin()) - max(0, w.indent())
        if "…" in text and "…" not in (w.property("full_text") or "…"):
            return "shows an ellipsis"
        if GuiQt.mightBeRichText(w.text()):
            return ""  # laid out by a text document: its width is not the plain text's
        if w.wordWrap():
            need = w.heightForWidth(w.width())
            if need > w.height() + 2:
                return f"needs {need} px of height, has {w.height()}"
            fm = QFontMetrics(w.font())
            widest = max((fm.horizontalAdvance(word) for word in re.split(r"\s+|(?<=[-/])", text) if word
                          and not HAN.search(word)), default=0)
            if widest > width + 2:
                return f"a word needs {widest} px, has {width}"
            return ""
        fm = QFontMetrics(w.font())
        need = max((fm.horizontalAdvance(line) for line in text.split("\n")), default=0)
        if need > width + 2:
            return f"needs {need} px, has {width}"
        return ""
    if isinstance(w, QPushButton):
        hint = w.sizeHint()
        if hint.width() > w.width() + 2:
            return f"needs {hint.width()} px, has {w.width()}"
        if hint.height() > w.height() + 2:
            return f"needs {hint.height()} px of height, has {w.height()}"
    return ""


def _check_cells(table: QTableWidget, where: str) -> list[Problem]:
    """Cells whose text is wider than their column (drawn elided, "¥28,82…"); wrapped tables excepted."""
    if table.wordWrap() and table.verticalHeader().sectionResizeMode(0) == QHeaderView.ResizeMode.ResizeToContents:
        return []
    fm = QFontMetrics(table.font())
    found: list[Problem] = []
    for r in range(table.rowCount()):
        if table.isRowHidden(r):
            continue
        for c in range(table.columnCount()):
            item = table.item(r, c)
            if item is None or not item.text():
                continue
            need = fm.horizontalAdvance(item.text()) + 6  # the item text margins (2 × focus frame margin + 1)
            if need > table.columnWidth(c) and not (table.wordWrap() and " " in item.text()):
                found.append(Problem(where, "clipped", f"cell {r},{c} {item.text()[:16]!r} needs {need} px, "
                                     f"has {table.columnWidth(c)}"))
                return found  # one is enough to say the table is too narrow
    return found


def check_window(root: QWidget, *, elderly: bool, english: bool, exempt: Collection[str] = (),
                 min_button_pt: float = 30, min_target_px: int = 60, min_contrast: float = 4.5) -> list[Problem]:
    problems: list[Problem] = []
    window_rect = root.window().rect()
    for w in visible_widgets(root):
        where = describe(w)
        if isinstance(w, QAbstractScrollArea):
            v, h = w.verticalScrollBar(), w.horizontalScrollBar()
            if v.maximum() > 0 or h.maximum() > 0:
                inner = w.widget() if isinstance(w, QScrollArea) else None
                size = f"content {inner.width()}×{inner.height()}" if inner is not None else \
                    f"{v.maximum()} px more content"
                problems.append(Problem(where, "scrolls", f"{size} in a "
                                        f"{w.viewport().width()}×{w.viewport().height()} viewport"))
        if isinstance(w, QAbstractButton):
            shown = shown_rect(w)
            if shown.width() < w.width() - 1 or shown.height() < w.height() - 1 \
                    or not window_rect.contains(shown):
                problems.append(Problem(where, "hidden-action", f"only {shown.width()}×{shown.height()} of "
                                        f"{w.width()}×{w.height()} is shown without scrolling"))
            if elderly:
                if text_of(w) and w.font().pointSizeF() < min_button_pt:
                    problems.append(Problem(where, "button-font", f"{w.font().pointSizeF():g} pt < {min_button_pt:g}"))
                if w.width() < min_target_px or w.height() < min_target_px:
                    problems.append(Problem(where, "button-size", f"{w.width()}×{w.height()} < "
                                            f"{min_target_px}×{min_target_px}"))
        if isinstance(w, QTableWidget):
            problems += _check_cells(w, where)
        text = text_of(w)
        if not text.strip():
            continue
        clipped = _check_clipping(w, text)
        if clipped:
            problems.append(Problem(where, "clipped", clipped))
        if isinstance(w, QLabel) and w.wordWrap() and not GuiQt.mightBeRichText(w.text()):
            width = w.contentsRect().width() - 2 * max(0, w.margin()) - max(0, w.indent())
            for bad in bad_breaks(_label_lines(w, text, width)):
                problems.append(Problem(where, "bad-break", bad))
        ratio = contrast_ratio(w.palette().color(w.foregroundRole()), painted_background(w))
        if ratio < min_contrast:
            problems.append(Problem(where, "contrast", f"{ratio:.2f} < {min_contrast:g}"))
        if english:
            rest = text
            for item in exempt:
                rest = rest.replace(item, "")
            han = HAN.findall(rest)
            if han:
                problems.append(Problem(where, "chinese", "".join(han)[:20]))
    return problems
