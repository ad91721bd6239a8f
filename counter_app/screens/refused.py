"""What the centre refused (中心退回): transactions the ledger's own re-check turned down, or could not
take, after this counter had saved them. A person must look at each: the member may hold a receipt
that said otherwise. Handled items leave the list; a parked one can be sent again."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTableWidget, QTableWidgetItem

from counter_app.context import CounterContext
from counter_app.screens.base import Screen, fit_columns
from domain.staff import Permission

BEIJING = timezone(timedelta(hours=8))
KIND_TEXT = {"withdrawal.apply": ("提取申请", "withdrawal"), "case.action": ("案件操作", "case action"),
             "queue.event": ("叫号记录", "queue event"), "rating": ("评价", "rating")}


def _reference(item: Any) -> str:
    payload = json.loads(item.payload)
    return str(payload.get("application_no") or payload.get("case_id") or payload.get("ticket_no") or item.seq)


class RefusedScreen(Screen):
    key = "refused"
    permission = Permission.VIEW_WORKLIST

    def __init__(self, ctx: CounterContext) -> None:
        super().__init__(ctx)
        self.items: list[Any] = []
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("refused-table")
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.layout_.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.handled_btn = QPushButton()
        self.handled_btn.setObjectName("handled")
        self.resend_btn = QPushButton()
        self.resend_btn.setObjectName("resend")
        row.addWidget(self.handled_btn)
        row.addWidget(self.resend_btn)
        self.layout_.addLayout(row)
        self.handled_btn.clicked.connect(lambda: self.resolve(requeue=False))
        self.resend_btn.clicked.connect(lambda: self.resolve(requeue=True))
        self.retranslate()

    def menu_title(self) -> str:
        return self.tr("Refused by the centre")

    def retranslate(self) -> None:
        super().retranslate()
        self.handled_btn.setText(self.tr("Mark as handled"))
        self.resend_btn.setText(self.tr("Send again"))
        self.table.setHorizontalHeaderLabels([self.tr("Saved at"), self.tr("What"), self.tr("Number"),
                                              self.tr("State"), self.tr("The centre's reason")])
        self._show()

    def enter(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        outbox = getattr(self.ctx.services.runtime, "outbox", None)
        self.items = outbox.for_clerk() if outbox is not None else []
        self._show()

    def _show(self) -> None:
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            kind = KIND_TEXT.get(item.kind, (item.kind, item.kind))
            reason = self.ctx.pick(item.reason.zh, item.reason.en) if item.reason else ""
            state = self.ctx.pick(*(("已拒绝", "refused") if item.state == "rejected" else ("已搁置", "parked")))
            saved = datetime.fromisoformat(item.created_at).astimezone(BEIJING).strftime("%m-%d %H:%M")
            for col, text in enumerate((saved, self.ctx.pick(*kind), _reference(item), state, reason)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        fit_columns(self.table)

    def resolve(self, *, requeue: bool) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.items):
            return
        item = self.items[row]
        action, reference = ("outbox.resend" if requeue else "outbox.handled"), _reference(item)
        try:
            me = self.ctx.desk.guard(Permission.VIEW_WORKLIST, action, case_id=reference,
                                     detail=f"{item.kind} #{item.seq}")
        except Exception as exc:
            self.fail(exc)
            return
        try:
            self.ctx.services.runtime.outbox.resolve(item.seq, me.staff_id, requeue=requeue)
        except Exception as exc:  # e.g. re-sending something the centre refused on its merits
            self.ctx.desk.staff.audit(me, action, case_id=reference, detail=str(exc), outcome="failed")
            self.fail(exc)
            return
        if requeue:
            self.ctx.services.runtime.engine.wake()
        self.inform("")
        self.refresh()
