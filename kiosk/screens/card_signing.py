"""联名卡签约: bind the trustee bank's debit card for payouts and repayments.

The bank is the one that holds the member's account (the co-branded card's issuer); the card
number is typed on the keypad twice, and the signing goes to the ledger through the outbox.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from domain.labels import english_bank
from domain.masking import mask_bank_card
from kiosk import applications
from kiosk.receipts import ApplicationReceipt, application_receipt
from kiosk.screens.member import MemberScreen
from kiosk.screens.withdraw import load_kiosk_catalogue
from protocol.sessions import with_proof
from ui.widgets import Banner, Keypad, label

CARD_MIN, CARD_MAX = 16, 19  # PBOC debit card numbers


class CardSigningScreen(MemberScreen):
    name = "card"

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.catalogue = load_kiosk_catalogue(ctx.config.terminal.policy_city)
        self.bank = label("", "key")
        self.prompt = label("", "body")
        self.entry = label("", "amount", wrap=False)
        self.entry.setObjectName("card-entry")
        self.banner = Banner("banner-info")
        self.banner.setObjectName("card-banner")
        self.keypad = Keypad(max_len=CARD_MAX)
        self.keypad.setObjectName("card-keypad")
        self.keypad.changed.connect(lambda t: self.entry.setText(t or "—"))
        self.keypad.submitted.connect(self._entered)
        for w in (self.bank, self.prompt, self.entry, self.banner, self.keypad):
            self.root.addWidget(w)
        self.root.addStretch(1)
        self._first = ""
        self.retranslate()

    def unavailable_reason(self) -> str:
        item = self.catalogue.items.get("card_signing") if self.catalogue is not None else None
        if item is None or "kiosk" not in {c.value for c in item.channels}:
            return self.tr("At the counter only")
        if not self.ctx.services.can_apply():
            return self.tr("Applications can't be saved on this terminal right now")
        return super().unavailable_reason()

    def enter(self, **params: Any) -> None:
        super().enter(**params)
        self._first = ""
        self.keypad.clear()
        self.banner.clear_text()
        self._prompt()

    def _prompt(self) -> None:
        snap = self.snapshot
        self.bank.setText(self.tr("Bank: %1").replace("%1", self.pick(snap.account.bank_name, english_bank(
            snap.account.bank_name))) if snap else "")
        self.prompt.setText(self.tr("Type the card number again to confirm") if self._first
                            else self.tr("Type the number of your debit card"))
        if self.ctx.window is not None:  # issue 13: the step indicator follows (kiosk.flows)
            self.ctx.window.sub_step(self.name, "second" if self._first else "first")

    def _entered(self, number: str) -> None:
        if not CARD_MIN <= len(number) <= CARD_MAX:
            self.banner.show_text(self.tr("A debit card number has 16 to 19 digits."), "banner-warn")
            return
        if not self._first:
            self._first = number
            self.keypad.clear()
            self.banner.clear_text()
            self._prompt()
            return
        if number != self._first:
            self._first = ""
            self.keypad.clear()
            self.banner.show_text(self.tr("The two numbers differ; please start again."), "banner-warn")
            self._prompt()
            return
        self._submit(number)

    def _submit(self, number: str) -> None:
        snap, outbox = self.snapshot, self.ctx.services.outbox
        if snap is None or outbox is None:
            return
        proof = applications.member_proof(self.ctx.session)
        if proof is None:  # an ID card alone identifies, it does not authorize changing the payout card
            self.banner.show_text(self.pick(applications.NEEDS_QR.zh, applications.NEEDS_QR.en), "banner-warn")
            return
        # the member's confirmation authorises the centre to have the bank check the card is theirs
        payload = with_proof({"bank": snap.account.bank_name, "card_number": number, "channel": "kiosk",
                              "authorisation": {"method": "kiosk_confirm",
                                                "granted_at": datetime.now(UTC).isoformat(timespec="seconds"),
                                                "reference": "cobranded_card.sign"}}, proof)

        def saved(receipt: Any) -> None:
            self.ctx.session.services_used.append("cobranded_card.sign")
            self._first = ""
            self.keypad.clear()
            self.banner.show_text(self.tr("Saved: card %1 will be bound once the bank confirms. Application no. %2")
                                  .replace("%1", mask_bank_card(number))
                                  .replace("%2", receipt.application_no or ""), "banner-info")
            self._print_receipt(receipt, number)

        self.ctx.ops.run(lambda: outbox.enqueue("cobranded_card.sign", payload, member_id=snap.member.member_id),
                         saved, lambda exc: self.banner.show_text(
                             self.pick(getattr(exc, "zh", ""), getattr(exc, "en", ""))
                             or self.tr("It could not be saved; please ask at a counter."), "banner-warn"))

    def _print_receipt(self, receipt: Any, number: str) -> None:
        snap, printer = self.snapshot, self.ctx.services.printer
        if snap is None or printer is None:
            return
        t = self.ctx.config.terminal
        online = self.ctx.window.sync.online if self.ctx.window is not None else False
        app = ApplicationReceipt(
            centre_name=t.centre_name, hotline=t.hotline, terminal_id=t.id,
            application_no=receipt.application_no or receipt.idempotency_key[:8], business_zh="联名卡签约",
            business_en="Co-branded card signing", member_name=snap.member.name, id_number=snap.member.id_number,
            bank_card=number, amount=None, submitted=datetime.now(UTC).astimezone(ZoneInfo(t.timezone)),
            provisional_zh="待银行确认", provisional_en="awaiting the bank's confirmation", online=online)
        self.ctx.session.last_receipt = app
        doc = application_receipt(app)
        self.ctx.ops.run(lambda: printer.print_receipt(doc, command_id=receipt.idempotency_key), lambda _r: None,
                         lambda _exc: self.banner.show_text(
                             self.banner.text() + " " + self.tr("The receipt could not be printed."), "banner-warn"),
                         lane="print")

    def wipe(self) -> None:
        super().wipe()
        self._first = ""
        self.keypad.clear()
        self.entry.setText("")
        self.bank.setText("")
        self.banner.clear_text()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Co-branded card signing"))
        self.keypad.set_labels(self.tr("Clear"), self.tr("OK"))
        self._prompt()
        if self.snapshot is not None:
            self.show_snapshot()
