"""异地转移接续 (cross-city transfer): the catalogue decides where it is handled.

Today's catalogue offers the transfer at the counter and online only (the transfer-in centre
checks the applicant's form and ID), so on this terminal the tile explains where to go. If the
catalogue adds the kiosk channel, this screen is where the intake belongs.
"""

from __future__ import annotations

from typing import Any

from domain.catalogue import Channel
from kiosk.screens.base import Screen
from kiosk.screens.withdraw import load_kiosk_catalogue
from ui.widgets import label


class TransferScreen(Screen):
    name = "transfer"

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.catalogue = load_kiosk_catalogue(ctx.config.terminal.policy_city)
        self.title = label("", "title")
        self.text = label("", "body")
        self.root.addWidget(self.title)
        self.root.addWidget(self.text)
        self.root.addStretch(1)
        self.retranslate()

    def unavailable_reason(self) -> str:
        item = self.catalogue.items.get("transfer") if self.catalogue is not None else None
        if item is None or not item.offered_on(Channel.KIOSK):
            return self.tr("At the counter or online")
        return self.tr("Not available yet")

    def retranslate(self) -> None:
        self.title.setText(self.tr("Cross-city transfer"))
        self.text.setText(self.tr("Apply at a counter or online at the centre you are moving to."))
