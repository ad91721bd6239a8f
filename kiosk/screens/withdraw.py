"""提取: the withdrawal types this terminal offers (from the business catalogue), as large tiles.

Which types exist and which channel offers them is the catalogue's word (domain.catalogue); a
type offered only at the counter shows as a disabled tile that says so.
"""

from __future__ import annotations

from typing import Any

from domain.catalogue import BusinessItem, Catalogue, Channel
from domain.withdrawals import WithdrawalType
from kiosk import policies
from kiosk.screens.member import MemberScreen
from ui.layouts import ResponsiveGrid
from ui.widgets import Tile, label

# The order members look for them in: the classic instant ones first.
ORDER = (WithdrawalType.RETIREMENT, WithdrawalType.RENT, WithdrawalType.PROPERTY_FEE,
         WithdrawalType.LEAVE_EMPLOYMENT, WithdrawalType.PURCHASE_ONLINE_CONTRACT,
         WithdrawalType.PURCHASE_CERTIFICATE_NEW, WithdrawalType.PURCHASE_CERTIFICATE_SECOND_HAND,
         WithdrawalType.PURCHASE_CERTIFICATE_PUBLIC, WithdrawalType.REPAY_COMMERCIAL_LOAN,
         WithdrawalType.REPAY_HPF_LOAN)


def load_kiosk_catalogue(city: str) -> Catalogue | None:
    return policies.catalogue(city)


def item_for(catalogue: Catalogue, wtype: WithdrawalType) -> BusinessItem | None:
    return next((i for i in catalogue.items.values() if i.withdrawal_type is wtype), None)


class WithdrawScreen(MemberScreen):
    name = "withdraw"

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.catalogue = load_kiosk_catalogue(ctx.config.terminal.policy_city)
        self.hint = label("", "key")
        self.root.addWidget(self.hint)
        self.tiles: dict[WithdrawalType, Tile] = {}
        for wtype in ORDER:
            tile = Tile(wtype.value)
            tile.clicked.connect(lambda _=False, t=wtype: self.ctx.go("withdraw_decision", wtype=t))
            self.tiles[wtype] = tile
        self.root.addWidget(ResponsiveGrid(list(self.tiles.values()), 5, 3), 1)
        self.retranslate()

    def unavailable_reason(self) -> str:
        if self.catalogue is None:
            return self.tr("The business catalogue could not be loaded")
        if not self.ctx.services.can_apply():
            return self.tr("Applications can't be saved on this terminal right now")
        return super().unavailable_reason()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Withdrawals"))
        self.hint.setText(self.tr("What is the withdrawal for?"))
        zh = self.ctx.languages.is_chinese
        for wtype, tile in self.tiles.items():
            item = item_for(self.catalogue, wtype) if self.catalogue is not None else None
            if item is None:
                tile.set_texts(wtype.value)
                tile.set_available(False, self.tr("Not offered"))
                continue
            tile.set_texts(item.name if zh else item.name_en)
            offered = item.offered_on(Channel.KIOSK)
            tile.set_available(offered, "" if offered else self.tr("At the counter only"))
        if self.snapshot is not None:
            self.show_snapshot()

    def voice_prompt(self) -> str:
        return self.hint.text()
