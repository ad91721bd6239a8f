"""The elderly-mode offer: when the ID card on the reader says the member is 60 or older (the
policy's age, domain.elderly), ask once per session, with two large buttons, whether to switch
to elderly mode (large text, voice).

Not a pop-up (elderly mode forbids them) and not a screen of its own (identification goes on
underneath): a panel under the header, like the window's notices, that the member answers or
ignores. Answered or not, it is not asked again until the session is wiped.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout

from infra.logs import get_logger
from ui.widgets import button, label

if TYPE_CHECKING:
    from kiosk.window import KioskWindow

log = get_logger("kiosk")


class ElderlyOffer(QFrame):
    def __init__(self, window: KioskWindow) -> None:
        super().__init__()
        self.window_ = window
        self.setObjectName("elderly-offer")
        self.setProperty("role", "card")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 16, 24, 16)
        self.question = label("", "key")
        self.question.setObjectName("elderly-offer-question")
        self.question.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.question)
        row = QHBoxLayout()
        self.yes = button("", "primary")
        self.yes.setObjectName("elderly-offer-yes")
        self.yes.clicked.connect(self.accept)
        self.no = button("", "secondary")
        self.no.setObjectName("elderly-offer-no")
        self.no.clicked.connect(self.decline)
        for b in (self.yes, self.no):
            row.addWidget(b, 1)
        # asked in normal mode, of someone who may need large text: large already, in either mode
        self.setStyleSheet("QPushButton { font-size: 30pt; font-weight: bold; min-height: 72px; }"
                           " QLabel { font-size: 30pt; font-weight: bold; }")
        lay.addLayout(row)
        self.asked = False
        self._from_age: int | None = None
        self._read = False  # the policy file is read at the first card (not before the first frame)
        self.hide()
        window.ctx.languages.changed.connect(lambda _l: self.retranslate())
        window.session_wiped.connect(lambda _r: self.reset())
        self.retranslate()

    @property
    def from_age(self) -> int | None:
        """The age from which the offer is made (the accessibility policy file), None if it can't be read."""
        if not self._read:
            from domain.elderly import offer_from_age
            from domain.policy import PolicyError

            self._read = True
            try:
                self._from_age = offer_from_age()
            except PolicyError as exc:  # a packaging fault: nobody is asked, the mode switch still works
                log.error("elderly-mode offer disabled: %s", exc)
        return self._from_age

    @classmethod
    def install(cls, window: KioskWindow) -> ElderlyOffer:
        """Put the offer under the window's notice banner and listen to the ID card reader."""
        offer = cls(window)
        outer = window.centralWidget().layout()
        assert isinstance(outer, QVBoxLayout)
        outer.insertWidget(outer.indexOf(window.notice) + 1, offer)
        window.devices.data.connect(offer._device_data)
        return offer

    def _device_data(self, _device: str, payload: object) -> None:
        id_number = getattr(payload, "id_number", None)
        if isinstance(id_number, str) and id_number:
            self.card_read(id_number)

    def card_read(self, id_number: str, today: date | None = None) -> bool:
        """Offer elderly mode for this card if the rule says so and nobody was asked yet; True if shown."""
        if self.asked or self.window_.theme.name == "elderly" or self.from_age is None:
            return False
        from domain.elderly import offers_elderly_mode

        if not offers_elderly_mode(id_number, today or date.today(), self.from_age):
            return False
        self.asked = True
        self.retranslate()
        self.show()
        return True

    def accept(self) -> None:
        self.hide()
        self.window_.set_elderly(True)

    def decline(self) -> None:
        self.hide()

    def reset(self) -> None:
        self.asked = False
        self.hide()

    def retranslate(self) -> None:
        pick = self.window_.ctx.languages.pick
        age = self._from_age or 60  # the policy's age once a card was read (card_read retranslates first)
        self.question.setText(pick(f"您已年满{age}周岁，是否切换到长辈模式（大字、语音）？",
                                   f"Would you like large text and voice prompts (elderly mode, age {age}+)?"))
        self.yes.setText(pick("切换到长辈模式", "Yes, large text"))
        self.no.setText(pick("不用了", "No, thanks"))
