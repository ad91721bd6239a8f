"""我的提取: past and pending withdrawals with their reason, amount, account and status."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHeaderView

from domain.account import AccountSnapshot
from domain.money import format_yuan
from kiosk.screens.member import MemberScreen, clear_table, fill_table, make_table
from ui.paging import PagedTable

_STATUS_EN = {"审核中": "Under review", "已审批": "Approved", "已到账": "Paid", "未通过": "Refused",
              "已撤销": "Withdrawn"}


class WithdrawalHistoryScreen(MemberScreen):
    name = "withdrawal_history"

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.table = make_table(5)
        self.table.setObjectName("withdrawals-table")
        # the application number is long and must not be cut: its column fits it, the others share the rest
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.root.addWidget(PagedTable(self.table), 1)
        self.retranslate()

    def fill(self, snap: AccountSnapshot) -> None:
        zh = self.ctx.languages.is_chinese
        rows = [(w.on.isoformat(), w.application_no, format_yuan(w.amount), w.receiving_account_masked,
                 w.status.value if zh else _STATUS_EN.get(w.status.value, w.status.value))
                for w in sorted(snap.withdrawals, key=lambda w: w.on, reverse=True)]
        fill_table(self.table, self._headers(), rows)

    def _headers(self) -> list[str]:
        return [self.tr("Date"), self.tr("Application no."), self.tr("Amount"), self.tr("Paid to"),
                self.tr("Status")]

    def wipe(self) -> None:
        super().wipe()
        clear_table(self.table)

    def retranslate(self) -> None:
        self.title.setText(self.tr("My withdrawals"))
        self.table.setHorizontalHeaderLabels(self._headers())
        if self.snapshot is not None:
            self.show_snapshot()
