"""The audit trail as a table a person reads: time, who, what (a label, never the code), outcome,
and the detail made readable by the caller (item and material names instead of their codes)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta, timezone
from typing import Any

from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from domain.audit_labels import audit_labels
from ui.status import chip_item
from ui.tables import fill_width, read_only_rows

BEIJING = timezone(timedelta(hours=8))
OUTCOME_TONE = {"ok": "ok", "denied": "danger", "failed": "danger", "locked": "danger", "bad_password": "warn",
                "unknown": "warn"}
Pick = Callable[[str, str], str]


class AuditLogTable(QTableWidget):
    def __init__(self) -> None:
        super().__init__(0, 5)
        self.setObjectName("audit-log")
        self.verticalHeader().hide()
        read_only_rows(self)
        fill_width(self, stretch=(4,))
        self.lines: list[str] = []

    def show_entries(self, entries: Iterable[Any], pick: Pick,
                     detail: Callable[[Any], str] = lambda e: str(e.detail)) -> None:
        """`entries` have at, staff_id, action, outcome, detail (sync.staff_store.AuditEntry)."""
        labels = audit_labels()
        self.setHorizontalHeaderLabels([pick("时间", "Time"), pick("人员", "Staff"), pick("操作", "Action"),
                                        pick("结果", "Outcome"), pick("说明", "Detail")])
        rows = list(entries)
        self.setRowCount(len(rows))
        self.lines = []
        for n, e in enumerate(rows):
            action, outcome = labels.action(e.action), labels.outcome(e.outcome)
            cells = (e.at.astimezone(BEIJING).strftime("%m-%d %H:%M"), e.staff_id, pick(action.zh, action.en),
                     pick(outcome.zh, outcome.en), detail(e))
            for col, text in enumerate(cells):
                self.setItem(n, col, chip_item(text, OUTCOME_TONE.get(e.outcome, "neutral")) if col == 3
                             else QTableWidgetItem(text))
            self.lines.append("  ".join(c for c in cells if c))

    def text(self) -> str:
        return "\n".join(self.lines)
