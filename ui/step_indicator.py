"""A step indicator for the kiosk's multi-step flows (issue 13 item 2): "① 选择 › ② 核对 › ③ 提交".

The member sees how many steps a service has and where they are: done steps are ticked, the
current one is filled, the rest are pale. Steps are (zh, en) pairs; the flows' step lists are in
`kiosk.flows`.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from ui.widgets import label

_NUMBERS = "①②③④⑤⑥⑦⑧⑨"
_STYLE = ("QLabel[step='done']{color:#1b7f3b}"
          "QLabel[step='current']{color:#ffffff;background:#0b5cad;border-radius:10px;padding:2px 14px;"
          "font-weight:bold}"
          "QLabel[step='todo']{color:#5f6b7a}"
          "QLabel[step='sep']{color:#5f6b7a}")


class StepIndicator(QWidget):
    def __init__(self, steps: Sequence[tuple[str, str]] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("step-indicator")
        self.setStyleSheet(_STYLE)
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(8)
        self._steps: list[tuple[str, str]] = []
        self._labels: list[QLabel] = []
        self.current = 0
        self._chinese = True
        self._role = "small"
        self.set_steps(steps)

    def set_steps(self, steps: Sequence[tuple[str, str]]) -> None:
        while self._row.count():
            item = self._row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:  # gone now, not at the next event loop turn (no overlap on a redraw)
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()
        self._steps = list(steps)
        self._labels = []
        for n in range(len(self._steps)):
            if n:
                sep = label("›", self._role, wrap=False)
                sep.setProperty("step", "sep")
                self._row.addWidget(sep)
            lab = label("", self._role, wrap=False)
            lab.setObjectName(f"step-{n + 1}")
            lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._labels.append(lab)
            self._row.addWidget(lab)
        self._row.addStretch(1)
        self.setVisible(bool(self._steps))
        self._refresh()

    def set_text_role(self, role: str) -> None:
        """The text size of the steps: a guide above the screen, not its content ("small" where the
        screen needs every line, as in elderly mode; "body" where there is room)."""
        if role != self._role:
            self._role = role
            self.set_steps(self._steps)
            self.set_current(self.current)

    @property
    def steps(self) -> list[tuple[str, str]]:
        return list(self._steps)

    def set_current(self, index: int) -> None:
        """The member is at step `index` (0-based); earlier steps are done."""
        self.current = max(0, min(index, len(self._steps) - 1)) if self._steps else 0
        self._refresh()

    def set_language(self, chinese: bool) -> None:
        self._chinese = chinese
        self._refresh()

    def text(self) -> str:
        """The whole indicator as one line (tests, and what a screen reader would say)."""
        return " › ".join(lab.text() for lab in self._labels)

    def _refresh(self) -> None:
        for n, (lab, (zh, en)) in enumerate(zip(self._labels, self._steps, strict=True)):
            state = "done" if n < self.current else "current" if n == self.current else "todo"
            mark = "✓" if state == "done" else _NUMBERS[n] if n < len(_NUMBERS) else str(n + 1)
            lab.setText(f"{mark} {zh if self._chinese else en}")
            if lab.property("step") != state:
                lab.setProperty("step", state)
                # re-read the whole style sheet: unpolish/polish alone keeps the margins of the
                # current step's padding on a label already shown (a gap where it had been)
                lab.setStyleSheet(" ")
                lab.setStyleSheet("")
