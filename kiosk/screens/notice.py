"""一次性告知: everything still missing for a withdrawal, in one list, printable — then a queue
ticket for the counter, so the member comes once (最多跑一次).

The list is `domain.notice.notice_for_decision` on the rules' decision: each missing material
with the rule that asked for it and, where a department's data could replace the paper, that
alternative.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtWidgets import QHBoxLayout

from domain.errors import user_facing
from domain.notice import OneTimeNotice, notice_for_decision, notice_rows
from hardware.printer.receipt import Align, ReceiptBuilder
from kiosk.screens.member import MemberScreen
from kiosk.screens.withdraw import item_for, load_kiosk_catalogue
from ui.widgets import Banner, Card, button, label


class NoticeScreen(MemberScreen):
    name = "notice"

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.catalogue = load_kiosk_catalogue(ctx.config.terminal.policy_city)
        self.notice: OneTimeNotice | None = None
        card = Card()
        self.item = label("", "key")
        self.items = label("", "body")
        self.items.setObjectName("missing-materials")
        self.limit = label("", "body")
        for w in (self.item, self.items, self.limit):
            card.layout_.addWidget(w)
        self.root.addWidget(card)
        self.state = Banner("banner-info")
        self.root.addWidget(self.state)
        row = QHBoxLayout()
        self.print_button = button("", "secondary")
        self.print_button.setObjectName("print-notice")
        self.print_button.clicked.connect(self._print)
        self.queue_button = button("", "primary")
        self.queue_button.setObjectName("queue-for-counter")
        self.queue_button.clicked.connect(lambda: self.ctx.go("queue", business=self._business()))
        row.addWidget(self.print_button)
        row.addWidget(self.queue_button)
        self.root.addLayout(row)
        self.root.addStretch(1)
        self.retranslate()

    def _business(self) -> str:
        return self.notice.item_name if self.notice is not None else ""

    def enter(self, **params: Any) -> None:
        super().enter(**params)
        decision, wtype, snap = params.get("decision"), params.get("wtype"), self.snapshot
        if decision is None or wtype is None or snap is None or self.catalogue is None:
            return
        item = item_for(self.catalogue, wtype)
        if item is None:
            return
        now = datetime.now(UTC)
        self.notice = notice_for_decision(
            decision, item, self.catalogue, member_name=snap.member.name, member_id_number=snap.member.id_number,
            notice_no=f"{self.ctx.config.terminal.id}-N{now:%Y%m%d%H%M%S}", issued_by=self.ctx.config.terminal.id,
            issued_at=now)
        self.state.clear_text()
        self._fill()

    def _fill(self) -> None:
        n = self.notice
        if n is None:
            return
        zh = self.ctx.languages.is_chinese
        self.item.setText(n.item_name if zh else n.item_name_en)
        # the same rows as the paper and the counter's checklist (domain.notice.notice_rows)
        self.items.setText("\n".join(row.text(zh) for row in notice_rows(n)) or self.tr("Nothing is missing."))
        self.print_button.setVisible(not n.complete)  # an empty list is never offered for printing
        reason = self.ctx.window.state.printer_reason() if self.ctx.window is not None else None
        self.print_button.setEnabled(not reason)
        self.print_button.setToolTip(reason.pick(zh) if reason else "")
        if reason and not n.complete:
            self.state.show_text(reason.pick(zh) + ("；柜台可为您打印此清单。" if zh else
                                                    ": the counter can print this list for you."), "banner-warn")
        self.limit.setText(self.tr("Once complete, it is done within %n working day(s).", "", n.time_limit)
                           if n.time_limit else self.tr("Once complete, it is done on the spot."))

    def _print(self) -> None:
        printer, n = self.ctx.services.printer, self.notice
        if n is None:
            return
        if printer is None:
            self.state.show_text(self.tr("This terminal can't print right now; the counter will give you the list."),
                                 "banner-warn")
            return
        b = ReceiptBuilder(f"一次性告知书 {n.notice_no}")
        b.heading(self.ctx.config.terminal.centre_name)
        for line in n.lines():
            b.text(line, Align.LEFT)
        b.cut()
        doc = b.build()
        self.ctx.ops.run(lambda: printer.print_receipt(doc, command_id=n.notice_no),
                         lambda _r: self.state.show_text(self.tr("Please take the notice from the slot below.")),
                         lambda exc: self.state.show_text(
                             self.pick(*user_facing(exc).pair), "banner-warn"), lane="print")

    def wipe(self) -> None:
        super().wipe()
        self.notice = None
        for w in (self.item, self.items, self.limit):
            w.setText("")
        self.state.clear_text()

    def retranslate(self) -> None:
        self.title.setText(self.tr("What you still need to bring (one-time notice)"))
        self.print_button.setText(self.tr("Print this list"))
        self.queue_button.setText(self.tr("Take a ticket for the counter"))
        self._fill()
        if self.snapshot is not None:
            self.show_snapshot()
