"""The log viewer (level and text filter; lines are masked) and the configuration (secrets hidden)."""

from __future__ import annotations

import dataclasses
import json

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from domain.masking import mask_text
from ui.diagnostics.source import DiagnosticsSource

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _level_of(line: str) -> str:
    for level in LEVELS:
        if f" {level} " in line or f'"level": "{level}"' in line:
            return level
    return "INFO"


class LogsTab(QWidget):
    def __init__(self, source: DiagnosticsSource, lines: object | None = None) -> None:
        super().__init__()
        self.source = source
        if lines is None:
            from infra.logs import ram_handler

            lines = ram_handler.lines
        self.lines = lines
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        self.level = QComboBox()
        self.level.setObjectName("log-level")
        self.level.addItems(list(LEVELS))
        self.level.setCurrentText("INFO")
        self.filter = QLineEdit()
        self.filter.setObjectName("log-filter")
        self.reload_btn = QPushButton()
        self.reload_btn.setObjectName("log-reload")
        row.addWidget(self.level)
        row.addWidget(self.filter, 1)
        row.addWidget(self.reload_btn)
        self.view = QPlainTextEdit()
        self.view.setObjectName("log-view")
        self.view.setReadOnly(True)
        lay.addLayout(row)
        lay.addWidget(self.view, 1)
        self.level.currentTextChanged.connect(lambda _t: self.refresh())
        self.filter.textChanged.connect(lambda _t: self.refresh())
        self.reload_btn.clicked.connect(self.refresh)
        self.refresh()

    def shown_lines(self) -> list[str]:
        floor = LEVELS.index(self.level.currentText())
        needle = self.filter.text().strip().lower()
        out = []
        for line in list(self.lines):  # type: ignore[call-overload]
            if LEVELS.index(_level_of(line)) < floor:
                continue
            masked = mask_text(line)  # the handlers mask already; a line from elsewhere is masked here
            if needle and needle not in masked.lower():
                continue
            out.append(masked)
        return out

    def refresh(self) -> None:
        pick = self.source.pick
        self.filter.setPlaceholderText(pick("筛选文字", "Filter text"))
        self.reload_btn.setText(pick("刷新", "Reload"))
        self.view.setPlainText("\n".join(self.shown_lines()[-1000:]))


class ConfigTab(QWidget):
    def __init__(self, source: DiagnosticsSource) -> None:
        super().__init__()
        self.source = source
        lay = QVBoxLayout(self)
        self.view = QPlainTextEdit()
        self.view.setObjectName("config-view")
        self.view.setReadOnly(True)
        lay.addWidget(self.view)
        self.refresh()

    def refresh(self) -> None:
        from support.redact import redact_mapping

        data = redact_mapping(dataclasses.asdict(self.source.config))
        self.view.setPlainText(json.dumps(data, ensure_ascii=False, indent=2, default=str))
