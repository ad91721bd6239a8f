"""我的缴存: the deposit records of the snapshot, newest first."""

from __future__ import annotations

from typing import Any

from domain.account import AccountSnapshot
from domain.money import format_yuan
from kiosk.screens.member import MemberScreen, clear_table, fill_table, make_table
from ui.paging import PagedTable

_KIND_EN = {"汇缴": "Monthly deposit", "补缴": "Back payment", "转入": "Transfer in", "结息": "Interest",
            "提取": "Withdrawal", "其他": "Other"}


class DepositsScreen(MemberScreen):
    name = "deposits"

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.table = make_table(4)
        self.table.setObjectName("deposits-table")
        self.root.addWidget(PagedTable(self.table), 1)
        self.retranslate()

    def fill(self, snap: AccountSnapshot) -> None:
        zh = self.ctx.languages.is_chinese
        rows = [(d.on.isoformat(), d.kind.value if zh else _KIND_EN.get(d.kind.value, d.kind.value),
                 format_yuan(d.amount), d.month or d.summary)
                for d in sorted(snap.deposits, key=lambda d: d.on, reverse=True)]
        fill_table(self.table, self._headers(), rows)

    def _headers(self) -> list[str]:
        return [self.tr("Date"), self.tr("Type"), self.tr("Amount"), self.tr("For month / note")]

    def wipe(self) -> None:
        super().wipe()
        clear_table(self.table)

    def retranslate(self) -> None:
        self.title.setText(self.tr("My deposits"))
        self.table.setHorizontalHeaderLabels(self._headers())
        if self.snapshot is not None:
            self.show_snapshot()
