"""Service outlets: every hall with its address, opening hours and counters, from the reference
data the sync engine pulls from the ledger (`GET /v1/reference/outlets`, cached on the terminal)."""

from __future__ import annotations

from typing import Any

from kiosk.screens.base import Screen
from kiosk.screens.member import clear_table, fill_table, make_table
from ui.paging import PagedTable
from ui.widgets import Banner, label


class OutletsScreen(Screen):
    name = "outlets"

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.title = label("", "title")
        self.root.addWidget(self.title)
        self.note = Banner("banner-info")
        self.root.addWidget(self.note)
        self.table = make_table(4)
        self.table.setObjectName("outlets-table")
        self.table.setWordWrap(True)
        self.root.addWidget(PagedTable(self.table), 1)
        self.retranslate()

    def _outlets(self) -> tuple[list[dict[str, Any]], bool] | None:
        runtime = self.ctx.services.sync
        data = runtime.reference("outlets") if runtime is not None else None
        if not isinstance(data, dict) or not isinstance(data.get("outlets"), list):
            return None
        return [o for o in data["outlets"] if isinstance(o, dict)], bool(data.get("demo"))

    def unavailable_reason(self) -> str:
        return "" if self.ctx.services.sync is not None else self.tr("The central system is not connected")

    def enter(self, **params: Any) -> None:
        self._fill()

    def _fill(self) -> None:
        found = self._outlets()
        headers = [self.tr("Service hall"), self.tr("Address"), self.tr("Opening hours"), self.tr("Counters")]
        if found is None:
            clear_table(self.table)
            self.table.setHorizontalHeaderLabels(headers)
            self.note.show_text(self.tr("The list of outlets has not arrived from the centre yet; please ask the "
                                        "staff or call the hotline."), "banner-warn")
            return
        outlets, demo = found
        zh = self.ctx.languages.is_chinese
        rows = [(str(o.get("name" if zh else "name_en") or o.get("name", "")), str(o.get("address", "")),
                 str(o.get("hours", "")), str(o.get("windows", ""))) for o in outlets]
        fill_table(self.table, headers, rows)
        self.table.resizeRowsToContents()
        self.note.show_text(self.tr("Demonstration data: these addresses are placeholders.") if demo else "",
                            "banner-info")

    def retranslate(self) -> None:
        self.title.setText(self.tr("Service outlets"))
        if self.isVisible():
            self._fill()
