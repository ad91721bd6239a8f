"""Identification: ID card on the reader, the app's QR code, or ID number + 6-digit query password.

The card and QR paths need no touch: the window routes reader and scanner events here. The
password path uses the on-screen keypad in two steps (ID number, then password); the number is
checked with GB 11643 before anything is sent, and after `MAX_PASSWORD_ATTEMPTS` wrong
passwords the method is locked on this terminal for the rest of the session (the ledger keeps
its own, stricter count).
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from domain.account import AccountSnapshot
from domain.identity import InvalidIdNumber, parse_id_number
from domain.masking import mask_id_number, mask_name
from domain.member_token import TokenError
from kiosk.identification import CARD_ONLY_OFFLINE, Identified, Identifier, Problem, end_session_hook
from kiosk.screens.base import Screen
from ui.widgets import Banner, Card, Keypad, label

# A kiosk-side limit that stops a passer-by guessing at the keypad; the ledger also limits attempts.
MAX_PASSWORD_ATTEMPTS = 3
PASSWORD_LENGTH = 6


class IdentifyScreen(Screen):
    name = "identify"

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.identifier = Identifier(ctx, self._identified, self._failed, self._confirm_card)
        self._then = "account"
        self._then_params: dict[str, Any] = {}
        self._id_number = ""
        self._failures = 0
        self.title = label("", "title")
        self.root.addWidget(self.title)
        self.banner = Banner()
        self.banner.setObjectName("identify-banner")
        self.root.addWidget(self.banner)

        methods = QHBoxLayout()
        methods.setSpacing(24)
        self.card_box = Card()
        self.card_title = label("", "key")
        self.card_text = label("", "body")
        self.card_box.layout_.addWidget(self.card_title)
        self.card_box.layout_.addWidget(self.card_text)
        self.card_box.layout_.addStretch(1)
        self.qr_box = Card()
        self.qr_title = label("", "key")
        self.qr_text = label("", "body")
        self.qr_box.layout_.addWidget(self.qr_title)
        self.qr_box.layout_.addWidget(self.qr_text)
        self.qr_box.layout_.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.card_box, 1)
        left.addWidget(self.qr_box, 1)
        methods.addLayout(left, 2)

        self.pw_box = Card()
        self.pw_title = label("", "key")
        self.pw_prompt = label("", "body")
        self.entry = label("", "amount", wrap=False)
        self.entry.setObjectName("keypad-entry")
        self.entry.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        self.id_keypad = Keypad(max_len=18, extra_key="X")
        self.id_keypad.setObjectName("id-keypad")
        self.id_keypad.changed.connect(self._show_entry)
        self.id_keypad.submitted.connect(self._id_entered)
        self.pw_keypad = Keypad(max_len=PASSWORD_LENGTH)
        self.pw_keypad.setObjectName("password-keypad")
        self.pw_keypad.changed.connect(self._show_entry)
        self.pw_keypad.submitted.connect(self._password_entered)
        self.locked_note = label("", "banner-warn")
        self.pages.addWidget(self.id_keypad)
        self.pages.addWidget(self.pw_keypad)
        self.pages.addWidget(self.locked_note)
        for w in (self.pw_title, self.pw_prompt, self.entry, self.pages):
            self.pw_box.layout_.addWidget(w)
        methods.addWidget(self.pw_box, 3)
        holder = QWidget()
        holder.setLayout(methods)
        self.root.addWidget(holder, 1)
        self.retranslate()

    # --- screen life cycle ----------------------------------------------------------------------

    def enter(self, **params: Any) -> None:
        self._then = params.get("then", self._then if params.get("keep") else "account")
        self._then_params = params.get("then_params", {})
        if not params.get("keep"):
            self.banner.clear_text()
        self._reset_keypads()
        self._show_device_notes()

    def wipe(self) -> None:
        self._id_number = ""
        self._failures = 0
        self.identifier.reset()
        self._reset_keypads()
        self.banner.clear_text()

    def unavailable_reason(self) -> str:
        return "" if self.ctx.services.can_identify() else self.tr("The central system is not connected")

    def _reset_keypads(self) -> None:
        self.id_keypad.clear()
        self.pw_keypad.clear()
        self._id_number = ""
        locked = self._failures >= MAX_PASSWORD_ATTEMPTS
        self.pages.setCurrentWidget(self.locked_note if locked else self.id_keypad)
        self._set_prompt()

    def _show_device_notes(self) -> None:
        services = self.ctx.services
        reader = services.id_reader
        availability = getattr(getattr(getattr(reader, "status", None), "availability", None), "value", "online")
        reader_ok = reader is not None and availability not in ("offline", "no_device", "power_off", "hardware_error")
        scanner_ok = services.scanner is not None and services.token_verifier is not None
        self.card_text.setText(self.tr("Place your second-generation ID card flat on the reader below the screen.")
                               if reader_ok else
                               self.tr("The card reader is not working right now: please use your ID number "
                                       "and query password, or the QR code of the app."))
        self.qr_text.setText(self.tr("Open the HPF app, tap \"QR sign-in\" and hold the code under the scanner.")
                             if scanner_ok else
                             self.tr("The QR scanner is not available on this terminal right now."))

    # --- keypad flow ----------------------------------------------------------------------------

    def _set_prompt(self) -> None:
        if self.pages.currentWidget() is self.locked_note:
            self.pw_prompt.setText("")
            self.entry.setText("")
        elif self.pages.currentWidget() is self.pw_keypad:
            self.pw_prompt.setText(self.tr("Enter your 6-digit query password"))
            self._show_entry(self.pw_keypad.text)
        else:
            self.pw_prompt.setText(self.tr("Enter your ID number"))
            self._show_entry(self.id_keypad.text)

    def _show_entry(self, text: str) -> None:
        if self.pages.currentWidget() is self.pw_keypad:
            self.entry.setText("●" * len(text) + "○" * (PASSWORD_LENGTH - len(text)))
        else:
            self.entry.setText(text or "—")

    def _id_entered(self, text: str) -> None:
        try:
            parsed = parse_id_number(text)
        except InvalidIdNumber as exc:
            self.banner.show_text(self.pick(exc.zh, exc.en), "banner-warn")
            return
        self.banner.clear_text()
        self._id_number = parsed.number
        self.pages.setCurrentWidget(self.pw_keypad)
        self._set_prompt()

    def _password_entered(self, password: str) -> None:
        if len(password) != PASSWORD_LENGTH:
            self.banner.show_text(self.tr("The query password has 6 digits."), "banner-warn")
            return
        self.banner.show_text(self.tr("Checking…"), "banner-info")
        self.identifier.by_password(self._id_number, password)

    # --- results --------------------------------------------------------------------------------

    def start_card(self, id_number: str) -> None:
        """The reader read a card (the window calls this and shows this screen)."""
        self.banner.show_text(self.tr("Reading your account…"), "banner-info")
        self.identifier.by_card(id_number)

    def start_token(self, text: str) -> None:
        self.banner.show_text(self.tr("Checking the QR code…"), "banner-info")
        self.identifier.by_token(text)

    def _confirm_card(self, problem: Problem) -> None:
        """A card was read and the centre is online: the password (or the QR code) confirms it is the holder."""
        card = self.identifier.card_id_number
        self._reset_keypads()
        if self._failures < MAX_PASSWORD_ATTEMPTS:
            self._id_number = card
            self.pages.setCurrentWidget(self.pw_keypad)
            self._set_prompt()
        self.banner.show_text(self.pick(problem.zh, problem.en), "banner-info")

    def add_proof(self, text: str) -> None:
        """A member identified by card alone (offline) shows the app's QR code so an application can be made."""
        verifier, session = self.ctx.services.token_verifier, self.ctx.session
        window = self.ctx.window
        try:
            if verifier is None:
                raise TokenError("no_verifier", "本机暂不支持扫码。", "QR codes can't be checked on this terminal.")
            token = verifier.verify(text, int(time.time()))
            if token.member_id != session.member_id:
                raise TokenError("other_member", "身份码与身份证不是同一人。",
                                 "The QR code and the ID card belong to different people.")
        except TokenError as exc:
            if window is not None:
                window.notice.show_text(self.pick(exc.zh, exc.en), "banner-warn")
            return
        session.member_token = text
        if window is not None:
            window.notice.show_text(self.tr("QR code confirmed: you may now submit applications."), "banner-info")

    def _identified(self, identified: Identified) -> None:
        snapshot = identified.snapshot
        session = self.ctx.session
        session.clear()  # a previous member's ledger session ends here
        session.begin(snapshot.member.member_id, identified.method,
                      id_number=identified.id_number or snapshot.member.id_number, name=snapshot.member.name)
        session.snapshot = snapshot
        session.ledger_session, session.member_token = identified.ledger_session, identified.member_token
        session.on_end = end_session_hook(self.ctx)
        self._failures = 0
        self.banner.clear_text()
        self._reset_keypads()
        self.ctx.go(self._then, remember=False, **self._then_params)
        if identified.view_only and self.ctx.window is not None:  # offline, ID card alone: look, don't apply
            self.ctx.window.notice.show_text(self.pick(CARD_ONLY_OFFLINE.zh, CARD_ONLY_OFFLINE.en), "banner-offline")

    def _failed(self, problem: Problem) -> None:
        if problem.code == "bad_password":
            self._failures += 1
            left = MAX_PASSWORD_ATTEMPTS - self._failures
            if left <= 0:
                self.pages.setCurrentWidget(self.locked_note)
                self._set_prompt()
                self.banner.show_text(self.pick(problem.zh, problem.en), "banner-warn")
                self.ctx.go("password-locked", remember=False)  # issue 13: the state as a screen
                return
            self.pw_keypad.clear()
            self.banner.show_text(self.pick(problem.zh, problem.en) + " "
                                  + self.tr("%n attempt(s) left.", "", left), "banner-warn")
            return
        self._reset_keypads()
        self.banner.show_text(self.pick(problem.zh, problem.en), "banner-warn")
        state = {"unknown_member": "member-not-found", "token_unknown_member": "member-not-found",
                 "locked_out": "password-locked"}.get(problem.code)
        if state is not None:  # issue 13: these states are screens of their own (kiosk/screens/states.py)
            self.ctx.go(state, zh=problem.zh, en=problem.en)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Who are you? Choose one way"))
        self.card_title.setText(self.tr("① ID card"))
        self.qr_title.setText(self.tr("② QR code of the HPF app"))
        self.pw_title.setText(self.tr("③ ID number and query password"))
        self.locked_note.setText(self.tr("Too many wrong passwords. Please use your ID card or the app's QR code, "
                                         "or ask at a counter."))
        for pad in (self.id_keypad, self.pw_keypad):
            pad.set_labels(self.tr("Clear"), self.tr("OK"))
        self._show_device_notes()
        self._set_prompt()

    def voice_prompt(self) -> str:
        return self.tr("Place your ID card on the reader, show the app's QR code, or enter your ID number.")


def greeting(snapshot: AccountSnapshot) -> str:
    """Masked name and ID number for the account screens' header line."""
    return f"{mask_name(snapshot.member.name)} · {mask_id_number(snapshot.member.id_number)}"
