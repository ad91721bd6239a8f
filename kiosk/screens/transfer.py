"""异地转移接续 (cross-city transfer) intake: the member moving here names the centre the money is at.

The member applies at the transfer-IN centre (this one), so the identified member picks the
transfer-out centre (province, then city; a municipality is its own centre), may type the account
number there, and confirms. The application goes to the outbox as "transfer.apply" and the
receipt screen prints it with the working-day time limit. Which centres, which account numbers
and the time limit are domain.transfer's word; the screen only shows them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QPushButton, QWidget

from domain.catalogue import Catalogue, Channel
from domain.labels import centre_name_en, english_place
from domain.policy import PolicyError
from domain.transfer import (
    CATALOGUE_CODE,
    Centre,
    TransferRules,
    centres_in,
    check_account,
    check_member,
    provinces,
    rules_from_policy,
    time_limit_sentences,
    transfer_deadline,
    transfer_in_payload,
)
from domain.workdays import WorkCalendar, calendar_from_policy
from kiosk import applications, policies
from kiosk.screens.member import MemberScreen
from kiosk.screens.withdraw import load_kiosk_catalogue
from protocol.sessions import with_proof
from ui.layouts import FlowLayout, OrientationBox
from ui.widgets import Banner, Card, Keypad, button, label

PICK_PROVINCE, PICK_CITY, CONFIRM = "province", "city", "confirm"
# Landscape 1920 px fits eight names a row (31 provinces in four rows); portrait 1080 px four.
COLUMNS_LANDSCAPE, COLUMNS_PORTRAIT = 8, 4
SERVICE = "transfer.apply"
# The receipt's provisional words: saved and numbered, nothing more until the centre accepts it.
PROVISIONAL = ("已提交，待中心受理", "submitted, awaiting the centre's acceptance")


def _load_rules(city: str) -> tuple[TransferRules, WorkCalendar] | None:
    try:
        table = policies.policy_table(city)
        return rules_from_policy(table), calendar_from_policy(table)
    except (PolicyError, OSError, KeyError, ValueError):
        return None


def _place(grid: FlowLayout, buttons: list[QPushButton], columns: int) -> None:
    # rows as full as the names allow (elderly-mode names are wide: a fixed column count cut them)
    for b in buttons:
        if grid.indexOf(b) < 0:
            grid.addWidget(b)
        b.ensurePolished()  # the theme's minimum sizes before the layout measures the rows


class TransferScreen(MemberScreen):
    name = "transfer"

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        city = ctx.config.terminal.policy_city
        self.catalogue: Catalogue | None = load_kiosk_catalogue(city)
        loaded = _load_rules(city)
        self.rules, self.calendar = loaded if loaded is not None else (None, WorkCalendar())
        self.step_text = label("", "key")
        self.step_text.setObjectName("transfer-step")
        self.banner = Banner("banner-warn")
        self.banner.setObjectName("transfer-banner")
        self.root.addWidget(self.step_text)
        self.root.addWidget(self.banner)
        # province buttons: built once (the table is the same for every member)
        self.province_host = QWidget()
        grid = FlowLayout(self.province_host, 12)
        self.province_grid = grid
        self.province_buttons: dict[str, QPushButton] = {}
        for code, name in provinces(self.rules) if self.rules is not None else []:
            b = button(name, "secondary")
            b.setObjectName(f"province-{code}")
            b.clicked.connect(lambda _=False, c=code: self.pick_province(c))
            self.province_buttons[code] = b
        self._columns = COLUMNS_LANDSCAPE
        _place(grid, list(self.province_buttons.values()), self._columns)
        self.root.addWidget(self.province_host)
        # city buttons: rebuilt for the province picked
        self.city_host = QWidget()
        self.city_grid = FlowLayout(self.city_host, 12)
        self.city_buttons: dict[str, QPushButton] = {}
        self.root.addWidget(self.city_host)
        self.other_province = button("", "secondary")
        self.other_province.setObjectName("transfer-other-province")
        self.other_province.clicked.connect(self._back_a_step)
        self.root.addWidget(self.other_province)
        # confirmation: the centre, the optional account number, the time limit
        # the facts on the left, the keypad on the right (portrait: below): one screenful
        self.confirm_card = OrientationBox()
        row = self.confirm_card.box
        facts = Card()
        self.centre = label("", "title")
        self.centre.setObjectName("transfer-centre")
        self.account_prompt = label("", "body")
        self.account = label("", "amount", wrap=False)
        self.account.setObjectName("transfer-account")
        self.limit = label("", "body")
        self.limit.setObjectName("transfer-limit")
        self.change = button("", "secondary")
        self.change.setObjectName("transfer-change")
        self.change.clicked.connect(self._back_a_step)
        for w in (self.centre, self.account_prompt, self.account, self.limit):
            facts.layout_.addWidget(w)
        facts.layout_.addStretch(1)
        facts.layout_.addWidget(self.change)
        self.keypad = Keypad(max_len=self.rules.account_max_digits if self.rules is not None else 20)
        self.keypad.setObjectName("transfer-keypad")
        self.keypad.changed.connect(self._typed)
        self.keypad.submitted.connect(self.submit)
        row.addWidget(facts, 5)
        row.addWidget(self.keypad, 3)
        self.root.addWidget(self.confirm_card)
        self.root.addStretch(1)
        self.province = ""
        self._via_city = False
        self.chosen: Centre | None = None
        self.step = PICK_PROVINCE
        self._saving = False
        self.retranslate()

    # ---- availability ----

    def unavailable_reason(self) -> str:
        item = self.catalogue.items.get(CATALOGUE_CODE) if self.catalogue is not None else None
        if item is None or not item.offered_on(Channel.KIOSK):
            return self.tr("At the counter or online")
        if self.rules is None:
            return self.tr("The business catalogue could not be loaded")
        if not self.ctx.services.can_apply():
            return self.tr("Applications can't be saved on this terminal right now")
        return super().unavailable_reason()

    # ---- the steps ----

    def enter(self, **params: Any) -> None:
        super().enter(**params)
        self._reset()
        snap = self.snapshot
        if snap is None:
            return
        if SERVICE in self.ctx.session.services_used:
            # a second visit through "back" must not file the same application twice
            self._show_blocked(self.tr("You have just applied for a transfer; it is being processed."))
            return
        problem = check_member(snap)
        if problem is not None:
            self._show_blocked(self.pick(problem.zh, problem.en))

    def pick_province(self, code: str) -> None:
        if self.rules is None:
            return
        self.province = code
        centres = centres_in(code, self.rules)
        self._via_city = len(centres) > 1
        if not self._via_city:  # a municipality: the province is the centre
            if centres:
                self.pick_centre(centres[0])
            return
        for old in self.city_buttons.values():
            self.city_grid.removeWidget(old)
            old.hide()  # at once: deleteLater waits for the event loop
            old.deleteLater()
        self.city_buttons = {}
        for centre in centres:
            b = button(self.pick(centre.region, english_place(centre.region)), "secondary")
            b.setProperty("region", centre.region)
            b.setObjectName(f"centre-{centre.code}")
            b.clicked.connect(lambda _=False, c=centre: self.pick_centre(c))
            self.city_buttons[centre.code] = b
        _place(self.city_grid, list(self.city_buttons.values()), self._columns)
        self._set_step(PICK_CITY)

    def resizeEvent(self, event: QResizeEvent) -> None:
        size = event.size()
        columns = COLUMNS_LANDSCAPE if size.width() >= size.height() else COLUMNS_PORTRAIT
        if columns != self._columns:
            self._columns = columns
            _place(self.province_grid, list(self.province_buttons.values()), columns)
            _place(self.city_grid, list(self.city_buttons.values()), columns)
        super().resizeEvent(event)

    def pick_centre(self, centre: Centre) -> None:
        self.chosen = centre
        self.keypad.clear()
        self.banner.clear_text()
        self._set_step(CONFIRM)

    def _back_a_step(self) -> None:
        self.banner.clear_text()
        if self.step == CONFIRM and self._via_city:
            self._set_step(PICK_CITY)
        else:
            self._set_step(PICK_PROVINCE)

    def _typed(self, text: str) -> None:
        self.account.setText(text or "—")
        self.banner.clear_text()

    def submit(self, typed: str | None = None) -> None:
        snap, outbox, centre, rules = self.snapshot, self.ctx.services.outbox, self.chosen, self.rules
        if snap is None or outbox is None or centre is None or rules is None or self._saving:
            return
        account, problem = check_account(self.keypad.text if typed is None else typed, rules)
        if problem is not None:
            self.banner.show_text(self.pick(problem.zh, problem.en), "banner-warn")
            return
        proof = applications.member_proof(self.ctx.session)
        if proof is None:  # an ID card alone identifies, it does not authorize moving an account
            self.banner.show_text(self.pick(applications.NEEDS_QR.zh, applications.NEEDS_QR.en), "banner-warn")
            return
        payload = with_proof(transfer_in_payload(centre, account, Channel.KIOSK.value), proof)
        item = self.catalogue.item(CATALOGUE_CODE) if self.catalogue is not None else None
        business = (item.name, item.name_en) if item is not None else ("异地转移接续", "Cross-city transfer")
        time_limit = self.time_limit()
        self._saving = True
        self.keypad.ok_button.setEnabled(False)

        def work() -> Any:
            return outbox.enqueue(SERVICE, payload, member_id=snap.member.member_id)

        def saved(receipt: Any) -> None:
            self._saving = False
            self.keypad.ok_button.setEnabled(True)
            self.ctx.session.services_used.append(SERVICE)
            self.ctx.go("receipt", remember=False, outbox_receipt=receipt, business=business,
                        provisional=PROVISIONAL, time_limit=time_limit)

        def failed(exc: BaseException) -> None:
            self._saving = False
            self.keypad.ok_button.setEnabled(True)
            zh, en = getattr(exc, "zh", None), getattr(exc, "en", None)
            self.banner.show_text(self.pick(zh, en) if zh and en else
                                  self.tr("The application could not be saved; nothing was sent. Please try "
                                          "again or ask at a counter."), "banner-warn")

        self.ctx.ops.run(work, saved, failed)

    def time_limit(self) -> tuple[str, str]:
        if self.catalogue is None:
            return "", ""
        today = datetime.now(UTC).astimezone(ZoneInfo(self.ctx.config.terminal.timezone)).date()
        return time_limit_sentences(transfer_deadline(self.catalogue, today, self.calendar))

    # ---- showing ----

    def _set_step(self, step: str) -> None:
        self.step = step
        self.province_host.setVisible(step == PICK_PROVINCE)
        self.city_host.setVisible(step == PICK_CITY)
        self.confirm_card.setVisible(step == CONFIRM)
        self.other_province.setVisible(step == PICK_CITY)
        self._texts()
        if self.ctx.window is not None:  # issue 13: the step indicator follows (kiosk.flows)
            self.ctx.window.sub_step(self.name, step)

    def _show_blocked(self, text: str) -> None:
        self.banner.show_text(text, "banner-warn")
        for w in (self.province_host, self.city_host, self.confirm_card, self.other_province):
            w.setVisible(False)
        self.step_text.setText("")

    def _reset(self) -> None:
        self.chosen = None
        self.province = ""
        self._via_city = False
        self.keypad.clear()
        self.banner.clear_text()
        self._set_step(PICK_PROVINCE)

    def _texts(self) -> None:
        prompts = {PICK_PROVINCE: self.tr("Where is your provident fund account now? Choose the province."),
                   PICK_CITY: self.tr("Choose the city whose centre holds your account."),
                   CONFIRM: self.tr("Check the centre, type your account number there if you know it, then "
                                    "confirm.")}
        self.step_text.setText(prompts[self.step])
        centre = self.chosen
        self.centre.setText(self.tr("Transfer in from: %1").replace("%1", self.pick(centre.name, centre_name_en(
            centre.region))) if centre else "")
        # place names in the screen's language (domain.labels: official English or pinyin)
        names = dict(provinces(self.rules)) if self.rules is not None else {}
        for code, b in self.province_buttons.items():
            b.setText(self.pick(names.get(code, ""), english_place(names.get(code, ""))))
        for b in self.city_buttons.values():
            region = b.property("region") or ""
            b.setText(self.pick(region, english_place(region)))
        self.account_prompt.setText(self.tr("Your account number there (optional; the national platform finds it "
                                            "by your ID number)"))
        self.account.setText(self.keypad.text or "—")
        zh, en = self.time_limit() if centre is not None else ("", "")
        self.limit.setText(self.pick(zh, en) if zh else "")
        self.change.setText(self.tr("Choose another centre"))
        self.other_province.setText(self.tr("Choose another province"))

    def wipe(self) -> None:
        super().wipe()
        self._reset()
        self.account.setText("")

    def retranslate(self) -> None:
        self.title.setText(self.tr("Cross-city transfer"))
        self.keypad.set_labels(self.tr("Clear"), self.tr("Confirm and submit"))
        self._texts()
        if self.snapshot is not None:
            self.show_snapshot()

    def voice_prompt(self) -> str:
        return self.step_text.text()
