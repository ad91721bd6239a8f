"""The work list: open cases with their deadline in working days; near and past deadlines stand out."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableWidget, QTableWidgetItem

from counter_app.bundle import BUNDLE_ITEM
from counter_app.context import CounterContext
from counter_app.screens.base import Screen, fit_columns
from counter_app.worklist import WorkItem, WorkList, load_worklist
from domain.masking import mask_name
from domain.staff import Permission
from domain.workdays import SlaState

OVERDUE_BG, NEAR_BG = QColor("#f6d8d6"), QColor("#fde8c4")
STATUS_TEXT = {
    "open": ("受理中", "open"), "draft": ("草稿", "draft"), "submitted": ("已提交待受理", "submitted"),
    "accepted": ("已受理", "accepted"), "routed": ("待主管审批", "with a supervisor"),
    "waiting_materials": ("待补材料", "waiting for materials"),
    "needs_materials": ("待补正材料", "waiting for materials"),
    "approved": ("已批准", "approved"), "rejected": ("已退回", "rejected"),
    "refused_by_rules": ("不符合条件", "not eligible"),
}


def status_text(status: str, chinese: bool) -> str:
    zh, en = STATUS_TEXT.get(status, (status, status))
    return zh if chinese else en


class WorklistScreen(Screen):
    key = "worklist"
    permission = Permission.VIEW_WORKLIST

    def __init__(self, ctx: CounterContext) -> None:
        super().__init__(ctx)
        self.worklist = WorkList([], None, False)
        self.stale = QLabel(objectName="worklist-stale")
        self.layout_.addWidget(self.stale)
        self.table = QTableWidget(0, 7, objectName="cases")
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.layout_.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.refresh_btn = QPushButton(objectName="refresh")
        self.review_btn = QPushButton(objectName="review")
        row.addWidget(self.refresh_btn)
        row.addWidget(self.review_btn)
        self.layout_.addLayout(row)
        self.refresh_btn.clicked.connect(self.refresh)
        self.review_btn.clicked.connect(self.review)
        self.table.doubleClicked.connect(lambda _i: self.review())
        ctx.events.cases_changed.connect(self.refresh)
        self.retranslate()

    def menu_title(self) -> str:
        return self.tr("Work list")

    def retranslate(self) -> None:
        super().retranslate()
        self.refresh_btn.setText(self.tr("Refresh"))
        self.review_btn.setText(self.tr("Open for review"))
        self.table.setHorizontalHeaderLabels([self.tr("Case"), self.tr("Business"), self.tr("Member"),
                                              self.tr("Status"), self.tr("From"), self.tr("Due"),
                                              self.tr("Working days left")])
        self._show()

    def enter(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        if self.ctx.desk.account is None:
            return
        self.ctx.ops.run(lambda: load_worklist(self.ctx.desk), self._loaded, self.fail)

    def _loaded(self, worklist: WorkList) -> None:
        self.worklist = worklist
        self._show()

    def selected(self) -> WorkItem | None:
        row = self.table.currentRow()
        return self.worklist.items[row] if 0 <= row < len(self.worklist.items) else None

    def select(self, case_id: str) -> bool:
        for row, w in enumerate(self.worklist.items):
            if w.case_id == case_id:
                self.table.selectRow(row)
                return True
        return False

    def review(self) -> None:
        item = self.selected()
        if item is None:
            return
        if item.item_code == BUNDLE_ITEM:  # one-window cases are worked step by step on their own screen
            self.ctx.events.bundle_requested.emit(item.case_id)
        else:
            self.ctx.events.review_requested.emit(item.case_id)

    def _show(self) -> None:
        cat = self.ctx.desk.catalogue
        items = self.worklist.items
        self.table.setRowCount(len(items))
        for row, w in enumerate(items):
            name = cat.items[w.item_code] if w.item_code in cat.items else None
            due, left = "", ""
            color = None
            if w.deadline is not None:
                sla = w.deadline.status
                due = sla.deadline.due.isoformat() + ("*" if sla.deadline.provisional else "")
                if sla.state is SlaState.OVERDUE:
                    left, color = self.tr("%1 overdue").replace("%1", str(-sla.working_days_left)), OVERDUE_BG
                elif sla.state is SlaState.DUE_TODAY:
                    left, color = self.tr("due today"), NEAR_BG
                else:
                    left = str(sla.working_days_left)
                    color = NEAR_BG if w.deadline.near else None
            channel = self.ctx.pick({"kiosk": "自助终端", "counter": "柜面"}.get(w.channel, w.channel), w.channel)
            if not w.on_ledger:
                channel += self.ctx.pick("（待上传）", " (not sent yet)")
            cells = (w.case_id, self.ctx.pick(name.name, name.name_en) if name else w.item_code,
                     mask_name(w.member_name) if w.member_name else w.member_id,
                     status_text(w.status, self.ctx.languages.is_chinese), channel, due, left)
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if color is not None:
                    cell.setBackground(color)
                if col == 5 and w.deadline is not None and w.deadline.status.deadline.provisional:
                    d = w.deadline.status.deadline
                    cell.setToolTip(self.ctx.pick(d.note_zh, d.note_en))  # the "*": holidays not yet published
                self.table.setItem(row, col, cell)
        fit_columns(self.table)
        overdue = sum(1 for w in items if w.deadline is not None and w.deadline.overdue)
        near = sum(1 for w in items if w.deadline is not None and w.deadline.near)
        counts = self.tr("%1 open cases").replace("%1", str(len(items)))
        if overdue or near:
            counts += " · " + self.tr("%1 past the deadline, %2 due within a working day").replace(
                "%1", str(overdue)).replace("%2", str(near))
        warn, late = self.worklist.loan_alerts
        if warn or late:  # the loan applications' 5-working-day clock (their own workspace lists them)
            counts += " · " + self.ctx.pick(f"贷款申请：{warn}件处于第3/4个工作日，{late}件已超时（见“贷款申请”）",
                                            f"Loan applications: {warn} on working day 3/4, {late} late "
                                            "(see Loan applications)")
        if self.worklist.stale:
            when = self.worklist.fetched_at
            self.stale.setText(self.tr("Offline: work list as of %1 (stale).").replace(
                "%1", when.strftime("%m-%d %H:%M") if when else "—") + " " + counts)
        else:
            self.stale.setText(counts)
