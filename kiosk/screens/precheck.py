"""Loan pre-check (贷款额度测算): the largest HPF loan for the identified member and a home price,
and which factor limits it — balance, repayment capacity, price × loan-to-value, or the city cap.

Everything is `domain.loan_limits.max_hpf_loan` on the member's snapshot (`domain.precheck`)
and the policy file; the screen asks only for the home price and kind.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout

from domain.errors import user_facing
from domain.loan_limits import HousingType, Purchase, max_hpf_loan
from domain.money import Money, format_wan, format_yuan
from domain.precheck import borrower_from_snapshot
from domain.rates import HomeOrder
from kiosk import policies
from kiosk.loan_applying import PrecheckFacts
from kiosk.screens.calculator import _chip_group
from kiosk.screens.member import MemberScreen
from ui.layouts import flow_row, place_in_grid
from ui.widgets import Banner, Card, Keypad, button, label

MAX_PRICE_WAN = 99999


class PrecheckScreen(MemberScreen):
    name = "precheck"

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        city = ctx.config.terminal.policy_city
        self.policy, self.rates = policies.loan_limit_policy(city), policies.rate_table(city)
        self.price_wan = "100"
        self._apply_facts: PrecheckFacts | None = None
        # the choices, the price keypad and the answer side by side; portrait: the choices above the
        # keypad and the answer (three cards one above the other were taller than the screen)
        self._body = QGridLayout()
        self._body.setHorizontalSpacing(18)
        self._body.setVerticalSpacing(12)  # as the screen's own rows
        choices = Card()
        inputs = Card()
        self.home_label, self.housing_label, self.price_label = label("", "body"), label("", "body"), label("", "body")
        self.home_group, self.home = _chip_group(self, ["first", "second"], "pre-home")
        self.housing_group, self.housing = _chip_group(self, ["commercial", "guaranteed"], "pre-housing")
        for lab, chips in ((self.home_label, self.home), (self.housing_label, self.housing)):
            choices.layout_.addWidget(lab)
            choices.layout_.addWidget(flow_row(list(chips.values())))
        choices.layout_.addStretch(1)
        inputs.layout_.addWidget(self.price_label)
        self.price = label("", "amount")
        self.price.setObjectName("price-entry")
        inputs.layout_.addWidget(self.price)
        self.keypad = Keypad(max_len=5)
        self.keypad.setObjectName("price-keypad")
        self.keypad.changed.connect(self._typed)
        self.keypad.submitted.connect(lambda _t: self.estimate())
        inputs.layout_.addWidget(self.keypad)
        inputs.layout_.addStretch(1)  # the room left under the keypad, not between the price and its name
        result = Card()
        self.answer = label("", "amount")
        self.answer.setObjectName("max-loan")
        self.explanation = label("", "body")
        self.explanation.setObjectName("limit-explanation")
        self.candidates = label("", "body")
        self.rate = label("", "small")
        self.apply_button = button("", "primary")  # 申请贷款: the application starts from the pre-check
        self.apply_button.setObjectName("apply-loan")
        self.apply_button.clicked.connect(self._apply)
        self.apply_button.hide()  # shown once an estimate says the member may borrow
        for w in (self.answer, self.apply_button, self.explanation, self.candidates, self.rate):
            result.layout_.addWidget(w)
        result.layout_.addStretch(1)
        self._cards = (choices, inputs, result)
        self._portrait: bool | None = None
        self._arrange(portrait=False)
        self.banner = Banner("banner-warn")
        self.root.addWidget(self.banner)
        self.root.addLayout(self._body)
        for group in (self.home_group, self.housing_group):
            group.buttonClicked.connect(lambda _b: self.estimate())
        self.retranslate()

    def _arrange(self, *, portrait: bool) -> None:
        if portrait == self._portrait:
            return
        self._portrait = portrait
        choices, inputs, result = self._cards
        if portrait:
            place_in_grid(self._body, [(choices, (0, 0, 1, 2)), (inputs, (1, 0, 1, 1)), (result, (1, 1, 1, 1))],
                          (4, 5, 0))
        else:
            place_in_grid(self._body, [(choices, (0, 0, 1, 1)), (inputs, (0, 1, 1, 1)), (result, (0, 2, 1, 1))],
                          (2, 2, 3))

    def resizeEvent(self, event: QResizeEvent) -> None:
        top = self.window()
        self._arrange(portrait=top.height() > top.width())
        super().resizeEvent(event)

    def _selected(self, chips: dict[str, Any]) -> str:
        return next(k for k, b in chips.items() if b.isChecked())

    def _typed(self, text: str) -> None:
        self.price_wan = text
        self._show_price()

    def _show_price(self) -> None:
        self.price.setText(format_wan(self.price_wan or "0", self.ctx.languages.is_chinese))

    def enter(self, **params: Any) -> None:
        super().enter(**params)
        self.estimate()

    def unavailable_reason(self) -> str:
        return self.tr("The loan rules could not be loaded") if self.policy is None else super().unavailable_reason()

    def estimate(self) -> None:
        snap = self.snapshot
        self.banner.clear_text()
        if snap is None or self.policy is None or self.rates is None:
            return
        wan = Decimal(self.price_wan or "0")
        if not 0 < wan <= MAX_PRICE_WAN:
            self.banner.show_text(self.tr("Enter the home price in 10,000s of yuan (60 means 600,000 yuan)."))
            return
        today = datetime.now(UTC).astimezone(ZoneInfo(self.ctx.config.terminal.timezone)).date()
        purchase = Purchase(Money.yuan(wan * 10000), HomeOrder(self._selected(self.home)),
                            HousingType(self._selected(self.housing)))
        self._apply_facts = None
        self.apply_button.hide()
        try:
            limit = max_hpf_loan(borrower_from_snapshot(snap), purchase, self.policy, self.rates, today)
        except ValueError as exc:
            self.banner.show_text(self.pick(*user_facing(exc).pair))
            return
        self.apply_button.setVisible(limit.eligible)
        self._apply_facts = PrecheckFacts(wan * 10000, purchase.home.value, purchase.housing.value,
                                    limit.max_amount.as_yuan if limit.eligible else None)
        zh = self.ctx.languages.is_chinese
        self.answer.setText(format_yuan(limit.max_amount) if limit.eligible else self.tr("Not eligible yet"))
        if self.ctx.window is not None:  # issue 13: the step indicator follows (kiosk.flows)
            self.ctx.window.sub_step(self.name, "result")
        self.explanation.setText(limit.explanation_zh if zh else limit.explanation_en)
        marks = {c.factor: ("▶ " if c.factor is limit.limiting else "· ") for c in limit.candidates}
        self.candidates.setText("\n".join(f"{marks[c.factor]}{c.zh if zh else c.en}" for c in limit.candidates))
        self.rate.setText((limit.rate.basis_zh if zh else limit.rate.basis_en) + "\n"
                          + self.tr("An estimate from your account; the loan contract decides."))

    def _apply(self) -> None:
        if self._apply_facts is not None and "loan_apply" in self.ctx.window.screens:
            self.ctx.go("loan_apply", facts=self._apply_facts)

    def wipe(self) -> None:
        super().wipe()
        self._apply_facts = None
        for w in (self.answer, self.explanation, self.candidates, self.rate):
            w.setText("")
        self.keypad.clear()
        self.price_wan = "100"
        self._show_price()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Loan limit check"))
        self.home_label.setText(self.tr("Home (sets the rate)"))
        self.housing_label.setText(self.tr("Kind of housing"))
        self.price_label.setText(self.tr("Home price"))
        self.home["first"].setText(self.tr("First home"))
        self.home["second"].setText(self.tr("Second home"))
        self.housing["commercial"].setText(self.tr("Commercial housing"))
        # a button's text does not wrap: in English, the long name on two lines, broken at its hyphen
        self.housing["guaranteed"].setText(self.tr("Government-subsidised housing").replace("-", "-\n", 1))
        self.keypad.set_labels(self.tr("Clear"), self.tr("Calculate"))
        self.apply_button.setText(self.ctx.languages.pick("申请贷款", "Apply for a loan"))
        self._show_price()
        if self.snapshot is not None:
            self.show_snapshot()
            self.estimate()
