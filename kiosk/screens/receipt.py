"""The receipt of an application: number, provisional result, where it stands, and the paper.

The application is already durably saved when this screen opens. Printing starts by itself, and
the first print shows the "printing" state screen, then comes back here with its outcome (paper
running out mid-receipt goes to the paper-out state instead). If the printer can't print (out of
paper, cover open, offline, none fitted), the screen shows the receipt's QR code and says where to
get a printed copy, so nothing depends on the paper.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout

from domain.decision import Decision
from domain.errors import user_facing
from domain.money import format_yuan
from kiosk import policies
from kiosk.hall_info import hall_info
from kiosk.outcomes import receipt_result
from kiosk.receipts import (
    ApplicationReceipt,
    application_receipt,
    final_sentences,
    status_qr_text,
    status_sentences,
)
from kiosk.screens.member import MemberScreen
from ui.layouts import OrientationBox
from ui.qr import qr_pixmap
from ui.result_view import ResultView
from ui.widgets import Banner, Card, button, label


class ReceiptScreen(MemberScreen):
    name = "receipt"

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        # landscape: the result and the application on the left, the QR code with the paper's state on
        # the right (portrait: one above the other), so the receipt fits the screen without scrolling;
        # the way out is the footer's 完成 (the window's finish button after a submission), pinned there
        self.outcome = ResultView()  # issue 13: the one result pattern (what next, when, where the money goes)
        body = OrientationBox()
        left = QVBoxLayout()
        left.setSpacing(12)
        left.addWidget(self.outcome)
        card = Card()
        self.number = label("", "key")
        self.number.setObjectName("application-no")
        self.provisional = label("", "key")
        self.provisional.setObjectName("provisional-result")
        self.status = label("", "body")
        self.status.setObjectName("application-status")
        for w in (self.number, self.provisional, self.status):
            card.layout_.addWidget(w)
        left.addWidget(card)
        left.addStretch(1)
        body.box.addLayout(left, 2)
        right = QVBoxLayout()
        right.setSpacing(12)
        self.qr_card = Card()
        self.qr = QLabel()
        self.qr.setObjectName("receipt-qr")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_note = label("", "body")
        self.qr_card.layout_.addWidget(self.qr)
        self.qr_card.layout_.addWidget(self.qr_note)
        right.addWidget(self.qr_card)
        self.print_state = Banner("banner-info")
        self.print_state.setObjectName("print-state")
        right.addWidget(self.print_state)
        self.reprint = button("", "secondary")
        self.reprint.setObjectName("print-again")
        self.reprint.clicked.connect(self._print)
        right.addWidget(self.reprint)
        right.addStretch(1)
        body.box.addLayout(right, 1)
        self.root.addWidget(body)
        self.root.addStretch(1)
        self._decision: Decision | None = None
        self._time_limit: tuple[str, str] = ("", "")
        self._doc: Any = None
        self._app: ApplicationReceipt | None = None
        self._failure: tuple[str, str] | None = None
        self._command_id = ""
        self._printed = False
        self._state = ""
        self.retranslate()

    def enter(self, **params: Any) -> None:
        super().enter(**params)
        receipt = params.get("outbox_receipt")
        if receipt is None:
            return
        # a withdrawal brings the rules' decision; an application without one (a transfer) brings its
        # provisional words and time limit as (zh, en) pairs
        decision: Decision | None = params.get("decision")
        self._decision, self._time_limit = decision, params.get("time_limit", ("", ""))
        business_zh, business_en = params["business"]
        snap = self.snapshot
        online = self.ctx.window.state.online if self.ctx.window is not None else False  # the header's own source
        t = self.ctx.config.terminal
        tz = ZoneInfo(t.timezone)
        if decision is not None:
            provisional = (decision.label_zh, "approved instantly" if decision.instant else
                           {"approved": "approved", "review": "a clerk will check it",
                            "missing_materials": "materials missing",
                            "rejected": "not possible"}[decision.outcome.value])
        else:
            provisional = params["provisional"]
        time_limit = params.get("time_limit", ("", ""))
        # the centre's own decision when it came within the wait (kiosk.applications): final, not provisional
        centre = params.get("centre")
        amount = decision.amount or None if decision is not None else None
        if centre is not None:
            provisional = (centre.zh, centre.en)
            amount = None if centre.status == "rejected" else (centre.amount or amount)
        self._app = ApplicationReceipt(
            centre_name=t.centre_name, hotline=t.hotline, terminal_id=t.id,
            application_no=receipt.application_no or receipt.idempotency_key[:8],
            business_zh=business_zh, business_en=business_en,
            member_name=snap.member.name if snap else "", id_number=snap.member.id_number if snap else "",
            bank_card=snap.account.bank_account if snap and decision is not None else "",
            amount=amount,
            submitted=datetime.now(UTC).astimezone(tz), provisional_zh=provisional[0],
            provisional_en=provisional[1], online=online, time_limit_zh=time_limit[0], time_limit_en=time_limit[1],
            payout=decision is not None, final=centre is not None, final_status=centre.status if centre else "")
        self.ctx.session.last_receipt = self._app
        self._doc = application_receipt(self._app)
        self._command_id = receipt.idempotency_key
        self._printed = False
        self.qr.setPixmap(qr_pixmap(status_qr_text(self._app.application_no), 8))
        self._fill()
        if self.ctx.services.printer is None:
            self._print()  # says at once that this terminal can't print, with the QR code
            return
        self._state = "printing"
        self._show_print_state()
        QTimer.singleShot(0, self, self._first_print)  # once this screen's own entry is done

    def _first_print(self) -> None:
        """The first print shows the printing state screen, then comes back here with its outcome."""
        window = self.ctx.window
        if self._doc is None or self._printed:
            return  # wiped (or printed) meanwhile
        if window is not None and window.current == self.name:
            self.ctx.go("printing", remember=False, what=("凭条", "receipt"))
        self._print()

    def _back_from_printing(self) -> None:
        window = self.ctx.window
        if window is not None and window.current == "printing":
            self.ctx.go(self.name, remember=False)

    def _fill(self) -> None:
        app = getattr(self, "_app", None)
        if app is None:
            return
        zh = self.ctx.languages.is_chinese
        self.number.setText(self.tr("Application no. %1").replace("%1", app.application_no))
        result = app.provisional_zh if zh else app.provisional_en
        if app.final:
            if app.amount is not None and app.final_status == "approved":
                result = f"{result}  {format_yuan(app.amount)}"
            self.provisional.setText(self.tr("Centre's decision: %1").replace("%1", result))
            status = final_sentences(app.final_status)[0 if zh else 1]
        else:
            self.provisional.setText(self.tr("Provisional result: %1 (the centre will confirm)").replace("%1", result))
            status = status_sentences(app.online, app.payout)[0 if zh else 1]
        self.title.setText(self.tr("The centre's decision") if app.final else self.tr("Your application is saved"))
        limit = app.time_limit_zh if zh else app.time_limit_en
        self.status.setText(f"{status}\n{limit}" if limit else status)
        self.outcome.show_result(self._result_spec(app), zh)
        # the result view above says the same in the one result pattern (what next, when, the money):
        # the sentences stay on the paper receipt, the screen shows them once
        self.provisional.setVisible(not self.outcome.isVisibleTo(self))
        self.status.setVisible(not self.outcome.isVisibleTo(self))
        self._show_print_state()

    def _result_spec(self, app: ApplicationReceipt) -> Any:
        t = self.ctx.config.terminal
        catalogue = policies.catalogue(t.policy_city)
        item = next((i for i in catalogue.items.values() if i.name == app.business_zh), None) if catalogue else None
        return receipt_result(app, self._decision, review_days=item.time_limit if item is not None else 0,
                              payout_days=hall_info(t.outlet, t.hotline).payout_working_days,
                              time_limit=self._time_limit)

    def _print(self) -> None:
        printer = self.ctx.services.printer
        if self._doc is None:
            return
        if printer is None:
            self._state = "no_printer"
            self._show_print_state()
            return
        self._state = "printing"
        self._show_print_state()
        doc, command_id = self._doc, self._command_id
        if self._printed:  # a second copy is a new print job
            command_id = f"{command_id}-copy-{datetime.now(UTC).timestamp():.0f}"
        self.reprint.setEnabled(False)
        self.ctx.ops.run(lambda: printer.print_receipt(doc, command_id=command_id), self._print_ok, self._print_bad,
                         lane="print")

    def _print_ok(self, _result: Any) -> None:
        self._printed = True
        self._state = "printed"
        self.reprint.setEnabled(True)
        self._show_print_state()
        self._back_from_printing()

    def _print_bad(self, exc: BaseException) -> None:
        self._state = "failed"
        self._failure = user_facing(exc).pair  # the person's words in both languages, never the technician's
        self.reprint.setEnabled(True)
        self._show_print_state()
        progress = getattr(exc, "progress", None)
        if getattr(exc, "code", "") == "PAPER_OUT" and getattr(progress, "printed", 0) and self._app is not None \
                and self.ctx.window is not None \
                and self.ctx.window.current in (self.name, "printing"):  # issue 13: paper out mid-receipt
            self.ctx.go("paper-out-during-print", remember=False, qr=status_qr_text(self._app.application_no),
                        printed=getattr(progress, "printed", 0), total=getattr(progress, "total", 0))
            return
        self._back_from_printing()  # the failure with the QR code and where to get a copy

    def _show_print_state(self) -> None:
        where = self.tr("Photograph or scan the code above: a clerk at any counter can print a copy from it.")
        failure = self._failure
        reason = (self.pick(*failure) if failure is not None and failure[0]
                  else self.tr("The receipt could not be printed."))
        texts = {
            "printing": (self.tr("Printing your receipt…"), "banner-info"),
            "printed": (self.tr("Please take your receipt from the slot below."), "banner-info"),
            "no_printer": (self.tr("This terminal can't print right now.") + " " + where, "banner-warn"),
            "failed": (reason + " " + where, "banner-warn"),
        }
        text, kind = texts.get(self._state, ("", "banner-info"))
        self.print_state.show_text(text, kind)
        show_qr = self._state in ("no_printer", "failed") or self._state == "printed"
        self.qr_card.setVisible(show_qr or self._state == "printing")
        self.qr_note.setText(self.tr("Scan in the HPF app to follow your application."))
        self.reprint.setVisible(self._state in ("printed", "failed"))
        self.reprint.setText(self.tr("Print a copy") if self._state == "printed" else self.tr("Try printing again"))

    def wipe(self) -> None:
        super().wipe()
        self._doc = None
        self._app = None
        self._failure = None
        self._state = ""
        self.qr.clear()
        self.outcome.clear()
        self._decision = None
        for w in (self.number, self.provisional, self.status):
            w.setText("")
        self.print_state.clear_text()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Your application is saved"))
        self._fill()

    def voice_prompt(self) -> str:
        return self.outcome.voice() or self.title.text()
