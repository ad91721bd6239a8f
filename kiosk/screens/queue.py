"""取号: a queue ticket for counter business from the hall's one queue, printed.

Anyone may take a ticket (no identification needed). Online the ledger numbers it for the hall,
the business line and the day and says how many people are ahead (ledger/hall_queue.py); the
priority lane serves the elderly and the disabled first. Offline the kiosk numbers from its own
block allotted by the ledger (X + slot + running number: it cannot collide with another terminal's)
and the outbox delivers the ticket when the ledger is back.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox

from domain.hall_queue import offline_number
from hardware.printer.receipt import Align, ReceiptBuilder
from kiosk.screens.base import Screen
from kiosk.screens.withdraw import load_kiosk_catalogue
from sync import errors as ledger_errors
from ui.layouts import ResponsiveGrid
from ui.widgets import Banner, Tile, label

# Counter businesses offered for a ticket: catalogue items a member may have to bring to a counter.
QUEUE_ITEMS = ("withdraw_retirement", "withdraw_rent", "withdraw_purchase_certificate_public", "withdraw_illness",
               "withdraw_death", "loan_application", "loan_repayment", "transfer", "card_signing")


class QueueScreen(Screen):
    name = "queue"

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.catalogue = load_kiosk_catalogue(ctx.config.terminal.policy_city)
        self.title = label("", "title")
        self.hint = label("", "body")
        self.root.addWidget(self.title)
        self.root.addWidget(self.hint)
        self.priority = QCheckBox(objectName="priority-lane")
        self.priority.setStyleSheet("QCheckBox::indicator{width:40px;height:40px}")  # text size: the theme
        self.priority.setMinimumHeight(72)  # a touch target for the elderly (tests/kiosk/test_accessibility.py)
        self.root.addWidget(self.priority)
        self.state = Banner("banner-warn")
        self.root.addWidget(self.state)
        self.ticket = label("", "title")
        self.ticket.setObjectName("ticket-number")
        self.ticket.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.root.addWidget(self.ticket)
        self.tiles: dict[str, Tile] = {}
        codes = [c for c in QUEUE_ITEMS if self.catalogue is not None and c in self.catalogue.items]
        for code in codes:
            tile = Tile(code)
            tile.setMinimumHeight(0)
            tile.clicked.connect(lambda _=False, c=code: self.take(c, self.priority.isChecked()))
            self.tiles[code] = tile
        self.root.addWidget(ResponsiveGrid(list(self.tiles.values()), 5, 3), 1)
        self._block: dict[str, Any] | None = None  # this kiosk's offline ticket block (from the ledger)
        self.retranslate()

    def unavailable_reason(self) -> str:
        if self.catalogue is None:
            return self.tr("The business catalogue could not be loaded")
        return "" if self.ctx.services.can_apply() else self.tr("Tickets can't be issued on this terminal right now")

    def enter(self, **params: Any) -> None:
        self.ticket.setText("")
        self.priority.setChecked(False)
        self.state.clear_text()
        business = params.get("business")
        if business:
            self.hint.setText(self.tr("Choose the counter service. You asked about: %1").replace("%1", business))

    def take(self, code: str, priority: bool = False) -> None:
        """取号 from the ledger's one queue for the hall; offline, from this kiosk's own block."""
        outbox = self.ctx.services.outbox
        if outbox is None or self.catalogue is None:
            return
        item = self.catalogue.items[code]
        t = self.ctx.config.terminal
        local = datetime.now(UTC).astimezone(ZoneInfo(t.timezone))

        def work() -> tuple[str, int | None]:
            client = getattr(outbox, "client", None)
            if client is not None:
                try:
                    ticket = client.queue_take(t.outlet, item.name, priority)
                    self._block = self._block or client.queue_offline_block(t.outlet)  # for a later outage
                    return str(ticket["ticket_no"]), int(ticket.get("ahead", 0))
                except (ledger_errors.LedgerUnavailable, ledger_errors.LedgerTimeout,
                        ledger_errors.LedgerServerError):
                    pass  # offline: this kiosk's own block, sent through the outbox
            slot = int(self._block["slot"]) if self._block else 0
            if not slot:
                raise RuntimeError("no offline block allotted yet")
            store = getattr(outbox, "outbox", outbox)  # the sync runtime wraps the outbox
            prefix = f"X{slot:02d}"
            today = [i for i in store.items() if i.kind == "queue.ticket"
                     and i.created_at[:10] == datetime.now(UTC).date().isoformat()
                     and str(json.loads(i.payload).get("ticket_no", "")).startswith(prefix)]
            number = offline_number(slot, len(today) + 1)
            outbox.enqueue("queue.ticket", {"ticket_no": number, "outlet": t.outlet, "business": item.name,
                                            "priority": priority})
            return number, None

        def issued(result: tuple[str, int | None]) -> None:
            number, ahead = result
            text = self.tr("Your number: %1").replace("%1", number)
            if ahead is not None:
                text += "  " + self.tr("People ahead of you: %1").replace("%1", str(ahead))
            self.ticket.setText(text)
            self._print(number, item.name, local, ahead)
            state = getattr(self.ctx.window, "state", None)
            printed = self.ctx.services.printer is not None and (state is None or state.can_print)
            if self.ctx.window is not None and self.ctx.window.current == self.name:  # issue 13: the ticket screen
                self.ctx.go("queue-ticket", number=number, ahead=ahead, printed=printed)

        self.ctx.ops.run(work, issued, lambda exc: self.state.show_text(
            self.tr("No ticket could be issued; please ask the staff at the entrance.")))

    def _print(self, number: str, business: str, when: datetime, ahead: int | None = None) -> None:
        printer = self.ctx.services.printer
        if printer is None:
            self.state.show_text(self.tr("Please remember your number; this terminal can't print right now."))
            return
        b = ReceiptBuilder(f"排队号 {number}")
        b.heading(self.ctx.config.terminal.centre_name)
        b.text(number, Align.CENTER, bold=True, double_width=True, double_height=True)
        b.text(business, Align.CENTER)
        b.text(f"{self.ctx.config.terminal.outlet}  {when:%Y-%m-%d %H:%M}", Align.CENTER)
        if ahead is not None:
            b.text(f"您前面还有 {ahead} 人 / {ahead} ahead of you", Align.CENTER)
        b.text("请留意叫号 Please wait for your number to be called", Align.CENTER)
        b.cut()
        doc = b.build()
        self.ctx.ops.run(lambda: printer.print_receipt(doc, command_id=f"ticket-{number}-{when:%Y%m%d}"),
                         lambda _r: None,
                         lambda exc: self.state.show_text(
                             self.tr("Please remember your number; the ticket could not be printed.")), lane="print")

    def retranslate(self) -> None:
        self.title.setText(self.tr("Take a queue ticket"))
        self.priority.setText(self.tr("Priority lane (elderly, disabled, pregnant)"))
        self.hint.setText(self.tr("Choose the counter service you need."))
        zh = self.ctx.languages.is_chinese
        if self.catalogue is not None:
            for code, tile in self.tiles.items():
                item = self.catalogue.items[code]
                tile.set_texts(item.name if zh else item.name_en)

    def voice_prompt(self) -> str:
        return self.hint.text()
