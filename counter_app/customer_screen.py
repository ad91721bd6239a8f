"""The customer-facing second screen: who is being served, then the 好差评 rating after each case.

Five levels (非常满意 … 非常不满意, 国办发〔2019〕51号); the rating goes through the outbox as a
"rating" transaction with the service item, window, staff and the case or ticket serial, and is
written into the counter's case record so it stays with the case.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from counter_app.context import CounterContext

LEVELS = ((5, "非常满意", "Very satisfied"), (4, "满意", "Satisfied"), (3, "基本满意", "Fairly satisfied"),
          (2, "不满意", "Dissatisfied"), (1, "非常不满意", "Very dissatisfied"))


class CustomerScreen(QWidget):
    rated = Signal(int)

    def __init__(self, ctx: CounterContext) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.ctx = ctx
        self.serial = ""
        self.item_code = ""
        self.setObjectName("customer-screen")
        self.setStyleSheet("#customer-screen{background:#ffffff} QLabel{font-size:24pt;color:#1b2430}"
                           "QPushButton{font-size:20pt;min-height:90px;min-width:180px;background:#dde6f1;"
                           "color:#0b3a66;border-radius:10px}")
        lay = QVBoxLayout(self)
        self.message = QLabel(objectName="customer-message")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        lay.addWidget(self.message, 1)
        grid = QGridLayout()
        self.buttons: list[QPushButton] = []
        for n, (score, zh, en) in enumerate(LEVELS):
            b = QPushButton(f"{zh}\n{en}", objectName=f"rate-{score}")
            b.clicked.connect(lambda _=False, s=score: self.rate(s))
            grid.addWidget(b, 0, n)
            self.buttons.append(b)
        lay.addLayout(grid)
        ctx.events.service_finished.connect(self.ask)
        ctx.events.queue_changed.connect(self._serving)
        self.setWindowTitle("服务评价 Service rating")
        self.welcome()

    def welcome(self) -> None:
        s = self.ctx.desk.settings
        self.serial = ""
        self.message.setText(f"{s.window} 号窗口 竭诚为您服务\nWindow {s.window} at your service")
        for b in self.buttons:
            b.hide()

    def _serving(self) -> None:
        """A new ticket was called here: greet its holder (unless a rating is still being asked for)."""
        current = self.ctx.services.queue.current
        if self.serial or current is None:
            return
        window = self.ctx.desk.settings.window
        self.message.setText(f"{current.ticket_no} 号，{window} 号窗口为您服务\n"
                             f"Number {current.ticket_no}, window {window} is serving you")

    def ask(self, serial: str, item_code: str) -> None:
        self.serial, self.item_code = serial, item_code
        self.message.setText("请对本次服务进行评价（好差评）\nPlease rate this service")
        for b in self.buttons:
            b.show()

    def rate(self, score: int) -> None:
        if not self.serial:
            return
        desk = self.ctx.desk
        item = desk.catalogue.items.get(self.item_code)
        staff = desk.account.staff_id if desk.account else ""
        case = desk.staff.case(self.serial)
        payload = {"score": score, "service_item": item.name if item else (self.item_code or "叫号服务"),
                   "channel": "counter", "window": desk.settings.window, "staff": staff, "serial_no": self.serial}
        desk.enqueue("rating", payload, case.get("member_id") if case else None)
        if desk.account is not None:
            desk.staff.audit(desk.account, "rating", case_id=self.serial if case else "", detail=str(score))
        if case is not None:
            case["rating"] = score
            desk.staff.put_case(self.serial, case, case.get("parent"))
        self.rated.emit(score)
        self.message.setText("感谢您的评价！\nThank you!")
        for b in self.buttons:
            b.hide()
        self.serial = ""
