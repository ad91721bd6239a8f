"""Printing: the account statement, the deposit certificate (缴存证明) with its verification code
and amounts in Chinese capitals, and the last receipt of this session again."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QHBoxLayout

from domain.certificates import registration, verify_url
from domain.errors import user_facing
from kiosk.certificates import account_statement, deposit_certificate
from kiosk.receipts import application_receipt
from kiosk.screens.member import MemberScreen
from ui.widgets import Banner, Tile, label


class PrintScreen(MemberScreen):
    name = "print"

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        row = QHBoxLayout()
        self.tiles: dict[str, Tile] = {}
        for key in ("statement", "certificate", "receipt"):
            tile = Tile(key)
            tile.clicked.connect(lambda _=False, k=key: self.print_document(k))
            self.tiles[key] = tile
            row.addWidget(tile)
        self.root.addLayout(row)
        self.state = Banner("banner-info")
        self.state.setObjectName("print-screen-state")
        self.root.addWidget(self.state)
        self.code = label("", "key")
        self.code.setObjectName("certificate-code")
        self.root.addWidget(self.code)
        self.root.addStretch(1)
        self.last_code = ""
        self.retranslate()

    def unavailable_reason(self) -> str:
        if self.ctx.services.printer is None:
            return self.tr("This terminal has no printer")
        state = getattr(self.ctx.window, "state", None)  # ui.device_state: paper out, cover open, printer down
        reason = state.printer_reason() if state is not None else None
        return reason.pick(self.ctx.languages.is_chinese) if reason else super().unavailable_reason()

    def enter(self, **params: Any) -> None:
        super().enter(**params)
        self.state.clear_text()
        self.code.setText("")
        self.tiles["receipt"].set_available(self.ctx.session.last_receipt is not None,
                                            "" if self.ctx.session.last_receipt else self.tr("None yet"))
        state = getattr(self.ctx.window, "state", None)
        reason = state.printer_reason() if state is not None and self.ctx.services.printer is not None else None
        if reason:  # a button that cannot work is disabled and says why (ui.device_state)
            for tile in self.tiles.values():
                tile.set_available(False, reason.pick(self.ctx.languages.is_chinese))

    def print_document(self, key: str) -> None:
        snap, printer = self.snapshot, self.ctx.services.printer
        if snap is None:
            return
        if printer is None:
            self.state.show_text(self.tr("This terminal has no printer; please ask at a counter."), "banner-warn")
            return
        t = self.ctx.config.terminal
        now = datetime.now(UTC).astimezone(ZoneInfo(t.timezone))
        if key == "certificate":
            if snap.is_stale:  # a certificate must state current figures, not an offline copy
                self.state.show_text(self.tr("A certificate needs the centre's current figures; the centre can't "
                                             "be reached right now."), "banner-warn")
                return
            doc, code, facts = deposit_certificate(snap, centre=t.centre_name, terminal_id=t.id, issued_at=now,
                                                   verify_url=verify_url(t.policy_city))
            outbox = self.ctx.services.outbox
            if outbox is not None:  # registered durably before the paper exists; verifiable once synced
                outbox.enqueue("certificate.issue", registration(code, facts), member_id=snap.member.member_id)
            self.last_code = code
            self.code.setText(self.tr("Verification code: %1").replace("%1", code))
        elif key == "statement":
            doc = account_statement(snap, centre=t.centre_name, terminal_id=t.id, issued_at=now)
        else:
            receipt = self.ctx.session.last_receipt
            if receipt is None:
                return
            doc = application_receipt(receipt)
        command_id = f"{key}-{snap.member.member_id}-{now:%Y%m%d%H%M%S%f}"
        self.state.show_text(self.tr("Printing…"), "banner-info")
        self.ctx.session.services_used.append(f"print.{key}")
        names = {"statement": ("对账单", "statement"), "certificate": ("缴存证明", "certificate"),
                 "receipt": ("凭条", "receipt")}

        def back_here() -> None:  # from the "printing" state screen (issue 13) back to this one
            if self.ctx.window is not None and self.ctx.window.current == "printing":
                code = self.code.text()
                self.ctx.go(self.name, remember=False)
                self.code.setText(code)

        def done(_r: Any) -> None:
            back_here()
            self.state.show_text(self.tr("Please take your paper from the slot below."), "banner-info")

        def failed(exc: BaseException) -> None:
            back_here()
            self.state.show_text(self.pick(*user_facing(exc).pair), "banner-warn")

        self.ctx.ops.run(lambda: printer.print_receipt(doc, command_id=command_id), done, failed, lane="print")
        self.ctx.go("printing", what=names[key])

    def wipe(self) -> None:
        super().wipe()
        self.last_code = ""
        self.state.clear_text()
        self.code.setText("")

    def retranslate(self) -> None:
        self.title.setText(self.tr("Print"))
        self.tiles["statement"].set_texts(self.tr("Account statement"))
        self.tiles["certificate"].set_texts(self.tr("Deposit certificate"))
        self.tiles["receipt"].set_texts(self.tr("Last receipt again"))
        if self.snapshot is not None:
            self.show_snapshot()
