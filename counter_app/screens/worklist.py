"""The work list: open cases with their deadline in working days; near and past deadlines stand out."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableWidget, QTableWidgetItem

from counter_app.bundle import BUNDLE_ITEM
from counter_app.context import CounterContext
from counter_app.screens.base import Screen
from counter_app.worklist import HelpCall, WorkItem, WorkList, answer_help_call, load_help_calls, load_worklist
from domain.case_status import status_view
from domain.masking import mask_name
from domain.staff import Permission
from domain.workdays import SlaState
from ui.status import chip_item
from ui.tables import fill_width, read_only_rows

OVERDUE_BG, NEAR_BG = QColor("#f6d8d6"), QColor("#fde8c4")
STATUS_COLUMN = 3


def status_text(status: str, chinese: bool) -> str:
    """The one name of a case status (domain.case_status: the ledger's CaseState names)."""
    return status_view(status).text(chinese)


class WorklistScreen(Screen):
    key = "worklist"
    permission = Permission.VIEW_WORKLIST

    def __init__(self, ctx: CounterContext) -> None:
        super().__init__(ctx)
        self.worklist = WorkList([], None, False)
        self.stale = QLabel(objectName="worklist-stale")
        self.layout_.addWidget(self.stale)
        # issue 13: kiosks' "call staff", through the ledger; polled while the work list is open
        self.help_calls: list[HelpCall] = []
        help_row = QHBoxLayout()
        self.help_label = QLabel(objectName="help-calls")
        self.help_label.setStyleSheet("#help-calls{background:#fff4dc;color:#8a5a00;font-weight:bold;padding:6px}")
        self.help_answer = QPushButton(objectName="answer-help-call")
        self.help_answer.clicked.connect(self.answer_help)
        help_row.addWidget(self.help_label, 1)
        help_row.addWidget(self.help_answer)
        self.layout_.addLayout(help_row)
        self._help_timer = QTimer(self)
        self._help_timer.setInterval(15_000)
        self._help_timer.timeout.connect(self.refresh_help)
        self.table = QTableWidget(0, 7, objectName="cases")
        self.table.verticalHeader().hide()
        read_only_rows(self.table)
        fill_width(self.table, stretch=(1,))
        self.layout_.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.refresh_btn = QPushButton(objectName="refresh")
        self.review_btn = QPushButton(objectName="review")
        row.addWidget(self.refresh_btn)
        row.addWidget(self.review_btn)
        self.layout_.addLayout(row)
        self.refresh_btn.clicked.connect(self.refresh)
        self.review_btn.clicked.connect(self.review)
        self.table.activated.connect(lambda _i: self.review())  # a double click, or Enter on the row (keyboard)
        ctx.events.cases_changed.connect(self.refresh)
        self.retranslate()

    def menu_title(self) -> str:
        return self.tr("Work list")

    def retranslate(self) -> None:
        super().retranslate()
        self.refresh_btn.setText(self.tr("Refresh"))
        self._show_help()
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
        self.refresh_help()
        self._help_timer.start()

    def refresh_help(self) -> None:
        if self.ctx.desk.account is None:
            self._help_timer.stop()
            return
        self.ctx.ops.run(lambda: load_help_calls(self.ctx.desk), self._help_loaded, self.fail)

    def _help_loaded(self, calls: list[HelpCall]) -> None:
        self.help_calls = calls
        self._show_help()
        self.ctx.events.help_calls_changed.emit(calls)

    def _show_help(self) -> None:
        zh = self.ctx.languages.is_chinese
        self.help_label.setText("\n".join(c.text(zh) for c in self.help_calls))
        self.help_answer.setText("我去处理" if zh else "I'm going")
        for w in (self.help_label, self.help_answer):
            w.setVisible(bool(self.help_calls))

    def answer_help(self) -> None:
        if not self.help_calls:
            return
        call = self.help_calls[0]
        self.ctx.ops.run(lambda: answer_help_call(self.ctx.desk, call.call_id), lambda _r: self.refresh_help(),
                         self.fail)

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
                cell = chip_item(text, status_view(w.status).tone) if col == STATUS_COLUMN else QTableWidgetItem(text)
                if color is not None and col != STATUS_COLUMN:
                    cell.setBackground(color)
                if col == 5 and w.deadline is not None and w.deadline.status.deadline.provisional:
                    d = w.deadline.status.deadline
                    cell.setToolTip(self.ctx.pick(d.note_zh, d.note_en))  # the "*": holidays not yet published
                self.table.setItem(row, col, cell)
        overdue = sum(1 for w in items if w.deadline is not None and w.deadline.overdue)
        near = sum(1 for w in items if w.deadline is not None and w.deadline.near)
        counts = self.tr("%n open case(s)", "", len(items))
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
