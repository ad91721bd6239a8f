"""取号: a queue ticket for counter business, saved through the outbox and printed.

Anyone may take a ticket (no identification needed). The ticket number is the terminal's own
(terminal id + the day's running number), so it works offline too; the ledger records it when
the outbox delivers it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QWidget

from hardware.printer.receipt import Align, ReceiptBuilder
from kiosk.screens.base import Screen
from kiosk.screens.withdraw import load_kiosk_catalogue
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
        self.state = Banner("banner-warn")
        self.root.addWidget(self.state)
        self.ticket = label("", "title")
        self.ticket.setObjectName("ticket-number")
        self.ticket.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.root.addWidget(self.ticket)
        host = QWidget()
        grid = QGridLayout(host)
        self.tiles: dict[str, Tile] = {}
        codes = [c for c in QUEUE_ITEMS if self.catalogue is not None and c in self.catalogue.items]
        for n, code in enumerate(codes):
            tile = Tile(code)
            tile.setMinimumHeight(0)
            tile.clicked.connect(lambda _=False, c=code: self.take(c))
            grid.addWidget(tile, n // 3, n % 3)
            self.tiles[code] = tile
        self.root.addWidget(host, 1)
        self.retranslate()

    def unavailable_reason(self) -> str:
        if self.catalogue is None:
            return self.tr("The business catalogue could not be loaded")
        return "" if self.ctx.services.can_apply() else self.tr("Tickets can't be issued on this terminal right now")

    def enter(self, **params: Any) -> None:
        self.ticket.setText("")
        self.state.clear_text()
        business = params.get("business")
        if business:
            self.hint.setText(self.tr("Choose the counter service. You asked about: %1").replace("%1", business))

    def take(self, code: str) -> None:
        outbox = self.ctx.services.outbox
        if outbox is None or self.catalogue is None:
            return
        item = self.catalogue.items[code]
        t = self.ctx.config.terminal
        local = datetime.now(UTC).astimezone(ZoneInfo(t.timezone))
        prefix = t.id[-2:].upper()

        def work() -> str:
            store = getattr(outbox, "outbox", outbox)  # the sync runtime wraps the outbox
            today = [i for i in store.items() if i.kind == "queue.ticket"
                     and i.created_at[:10] == datetime.now(UTC).date().isoformat()]
            number = f"{prefix}{len(today) + 1:03d}"
            outbox.enqueue("queue.ticket", {"ticket_no": number, "outlet": t.outlet, "business": item.name,
                                            "priority": False})
            return number

        def issued(number: str) -> None:
            self.ticket.setText(self.tr("Your number: %1").replace("%1", number))
            self._print(number, item.name, local)

        self.ctx.ops.run(work, issued, lambda exc: self.state.show_text(
            self.tr("No ticket could be issued; please ask the staff at the entrance.")))

    def _print(self, number: str, business: str, when: datetime) -> None:
        printer = self.ctx.services.printer
        if printer is None:
            self.state.show_text(self.tr("Please remember your number; this terminal can't print right now."))
            return
        b = ReceiptBuilder(f"排队号 {number}")
        b.heading(self.ctx.config.terminal.centre_name)
        b.text(number, Align.CENTER, bold=True, double_width=True, double_height=True)
        b.text(business, Align.CENTER)
        b.text(f"{self.ctx.config.terminal.outlet}  {when:%Y-%m-%d %H:%M}", Align.CENTER)
        b.text("请留意叫号 Please wait for your number to be called", Align.CENTER)
        b.cut()
        doc = b.build()
        self.ctx.ops.run(lambda: printer.print_receipt(doc, command_id=f"ticket-{number}-{when:%Y%m%d}"),
                         lambda _r: None,
                         lambda exc: self.state.show_text(
                             self.tr("Please remember your number; the ticket could not be printed.")), lane="print")

    def retranslate(self) -> None:
        self.title.setText(self.tr("Take a queue ticket"))
        self.hint.setText(self.tr("Choose the counter service you need."))
        zh = self.ctx.languages.is_chinese
        if self.catalogue is not None:
            for code, tile in self.tiles.items():
                item = self.catalogue.items[code]
                tile.set_texts(item.name if zh else item.name_en)

    def voice_prompt(self) -> str:
        return self.hint.text()
