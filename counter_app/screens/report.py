"""The day-end report per clerk and per business item, on screen and as an A4 PDF."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableWidget, QTableWidgetItem

from counter_app import a4
from counter_app.context import CounterContext
from counter_app.report import COLUMN_TEXT, COLUMNS, DayReport, day_report, today_in_beijing
from counter_app.screens.base import Screen
from domain.staff import Permission
from ui.tables import fill_width


class ReportScreen(Screen):
    key = "report"
    permission = Permission.DAY_REPORT

    def __init__(self, ctx: CounterContext) -> None:
        super().__init__(ctx)
        self.report: DayReport | None = None
        self.clerk_label, self.item_label = QLabel(), QLabel()
        self.per_clerk = QTableWidget(0, len(COLUMNS) + 1, objectName="per-clerk")
        self.per_item = QTableWidget(0, len(COLUMNS) + 1, objectName="per-item")
        for t in (self.per_clerk, self.per_item):
            t.verticalHeader().hide()
            t.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
            fill_width(t, stretch=range(1, len(COLUMNS) + 1))  # the counts share the width evenly
        self.layout_.addWidget(self.clerk_label)
        self.layout_.addWidget(self.per_clerk, 1)
        self.layout_.addWidget(self.item_label)
        self.layout_.addWidget(self.per_item, 1)
        row = QHBoxLayout()
        self.refresh_btn = QPushButton(objectName="refresh-report")
        self.pdf_btn = QPushButton(objectName="report-pdf")
        row.addWidget(self.refresh_btn)
        row.addWidget(self.pdf_btn)
        self.layout_.addLayout(row)
        self.refresh_btn.clicked.connect(self.refresh)
        self.pdf_btn.clicked.connect(self.save_pdf)
        self.retranslate()

    def menu_title(self) -> str:
        return self.tr("Day-end report")

    def retranslate(self) -> None:
        super().retranslate()
        self.clerk_label.setText(self.tr("Per clerk"))
        self.item_label.setText(self.tr("Per business item"))
        self.refresh_btn.setText(self.tr("Refresh"))
        self.pdf_btn.setText(self.tr("A4 / PDF"))
        heads = [self.ctx.pick(*COLUMN_TEXT[c]) for c in COLUMNS]
        self.per_clerk.setHorizontalHeaderLabels([self.tr("Clerk"), *heads])
        self.per_item.setHorizontalHeaderLabels([self.tr("Business item"), *heads])
        self._show()

    def enter(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        desk = self.ctx.desk
        now = desk.clock()
        day = today_in_beijing(now)
        entries = desk.staff.audit_trail(since=now - timedelta(days=2))
        self.report = day_report(day, entries, desk.staff.cases())
        self._show()

    def _item_name(self, code: str) -> str:
        item = self.ctx.desk.catalogue.items.get(code)
        return self.ctx.pick(item.name, item.name_en) if item else code

    def _show(self) -> None:
        r = self.report
        for table, kind in ((self.per_clerk, "clerk"), (self.per_item, "item")):
            rows = r.rows(kind) if r else []
            table.setRowCount(len(rows))
            for n, (key, counts) in enumerate(rows):
                name = key if kind == "clerk" else self._item_name(key)
                for col, text in enumerate((name, *map(str, counts))):
                    cell = QTableWidgetItem(text)
                    if col:
                        cell.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    table.setItem(n, col, cell)

    def save_pdf(self) -> None:
        if self.report is None:
            self.refresh()
        assert self.report is not None
        desk = self.ctx.desk
        heads = [self.ctx.pick(*COLUMN_TEXT[c]) for c in COLUMNS]
        rows = [(k, *v) for k, v in self.report.rows("clerk")] + [(self._item_name(k), *v)
                                                                    for k, v in self.report.rows("item")]
        html = a4.table_html(f"日终报表 Day-end report {self.report.day}", desk.settings.centre_name,
                             [self.tr("Clerk / item"), *heads], rows,
                             f"{desk.settings.terminal_id} · {datetime.now().astimezone():%Y-%m-%d %H:%M}")
        desk.guard(Permission.PRINT, "print.day_report", detail=str(self.report.day))
        path = a4.write_pdf(html, self.ctx.services.case_files / "reports" / f"day-{self.report.day}.pdf")
        self.ctx.extras["last_pdf"] = path
        self.inform(lambda: self.tr("PDF saved: %1").replace("%1", str(path)))
