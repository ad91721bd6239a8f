"""好差评: rate the service just used, five levels (国办发〔2019〕51号), then the session ends.

The five levels are five equal buttons: one style, one size, one weight and colour, none
pre-selected or highlighted (the national 好差评 rules forbid steering the answer), side by side
in landscape and one above the other in portrait.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QSizePolicy

from kiosk.screens.base import Screen
from ui.layouts import ResponsiveGrid
from ui.widgets import button, label

LEVELS = (5, 4, 3, 2, 1)


class RatingScreen(Screen):
    name = "rating"

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.title = label("", "title")
        self.root.addWidget(self.title)
        self.question = label("", "key")
        self.root.addWidget(self.question)
        self.buttons: dict[int, Any] = {}
        for score in LEVELS:
            b = button("", "secondary")  # the same role for every level: nothing steers the answer
            b.setObjectName(f"rate-{score}")
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            b.clicked.connect(lambda _=False, s=score: self.rate(s))
            self.buttons[score] = b
        self.levels = ResponsiveGrid(list(self.buttons.values()), len(LEVELS), 1)
        self.levels.setObjectName("rating-levels")
        self.root.addWidget(self.levels)
        self.skip = button("", "secondary")
        self.skip.setObjectName("rate-skip")
        self.skip.clicked.connect(self._done)
        self.root.addWidget(self.skip)
        self.root.addStretch(1)
        self.retranslate()

    def rate(self, score: int) -> None:
        outbox = self.ctx.services.outbox
        used = self.ctx.session.services_used
        receipt = self.ctx.session.last_receipt
        payload = {"score": score, "service_item": ", ".join(used)[:100] or "kiosk", "channel": "kiosk",
                   "serial_no": getattr(receipt, "application_no", "")}
        if outbox is not None:  # the rating is anonymous: no member id goes with it
            self.ctx.ops.run(lambda: outbox.enqueue("rating", payload), lambda _r: None, lambda _e: None)
        self._done()

    def _done(self) -> None:
        if self.ctx.window is not None:
            self.ctx.window.wipe_session("finish")

    def retranslate(self) -> None:
        self.title.setText(self.tr("Thank you"))
        self.question.setText(self.tr("How satisfied are you with this service?"))
        texts = {5: self.tr("Very satisfied"), 4: self.tr("Satisfied"), 3: self.tr("Fairly satisfied"),
                 2: self.tr("Dissatisfied"), 1: self.tr("Very dissatisfied")}
        for score, b in self.buttons.items():
            b.setText(texts[score])
        self.skip.setText(self.tr("Skip and finish"))

    def voice_prompt(self) -> str:
        return self.question.text()
