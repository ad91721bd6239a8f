"""Home (attract) screen: the service tiles, and the invitation to put the ID card on the reader.

A tile whose service isn't wired on this terminal (no printer, no outbox …) is visibly disabled
with a one-line note: nothing pretends to work.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QIcon, QResizeEvent
from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.screens.base import Screen
from ui.widgets import Tile, label

# (tile key, target screen, title) — titles are translated in the "HomeScreen" context.
TILES: tuple[tuple[str, str, Any], ...] = (
    ("account", "account", QT_TRANSLATE_NOOP("HomeScreen", "My account")),
    ("withdraw", "withdraw", QT_TRANSLATE_NOOP("HomeScreen", "Withdrawals")),
    ("calculator", "calculator", QT_TRANSLATE_NOOP("HomeScreen", "Loan calculator")),
    ("precheck", "precheck", QT_TRANSLATE_NOOP("HomeScreen", "Loan limit check")),
    ("print", "print", QT_TRANSLATE_NOOP("HomeScreen", "Print statements")),
    ("queue", "queue", QT_TRANSLATE_NOOP("HomeScreen", "Take a queue ticket")),
    ("outlets", "outlets", QT_TRANSLATE_NOOP("HomeScreen", "Service outlets")),
    ("transfer", "transfer", QT_TRANSLATE_NOOP("HomeScreen", "Cross-city transfer")),
    ("card", "card", QT_TRANSLATE_NOOP("HomeScreen", "Co-branded card")),
)


class HomeScreen(Screen):
    name = "home"

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.welcome = label("", "title")
        self.welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.invite = label("", "key")
        self.invite.setObjectName("invite")
        self.invite.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.root.addWidget(self.welcome)
        self.root.addWidget(self.invite)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setSpacing(20)
        self.tiles: dict[str, Tile] = {}
        icons = resources.files("resources.icons")
        for key, target, _title in TILES:
            tile = Tile(key, QIcon(str(icons / f"{key}.svg")))
            tile.clicked.connect(lambda _=False, t=target: self.ctx.go(t))
            self.tiles[key] = tile
        self._columns = 0
        self._layout_tiles(5)
        self.root.addWidget(self.grid_host, 1)
        self.retranslate()

    def _layout_tiles(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for i, (key, _t, _title) in enumerate(TILES):
            self.grid.addWidget(self.tiles[key], i // columns, i % columns)

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Landscape 1920×1080 fits five tiles a row; portrait 1080×1920 three.
        size = event.size()
        self._layout_tiles(5 if size.width() >= size.height() else 3)
        super().resizeEvent(event)

    def enter(self, **params: Any) -> None:
        self.refresh_availability()

    def refresh_availability(self) -> None:
        window = self.ctx.window
        state = getattr(window, "state", None)  # ui.device_state: ask for the ID card only when the reader is up
        if state is not None and not state.reader_up:
            self.invite.setText(self.pick("请选择服务项目（身份证阅读器暂不可用，可使用 App 二维码或证件号码）",
                                          "Choose a service (the ID card reader is not working: use the app's QR "
                                          "code or your ID number)"))
        else:
            self.invite.setText(self.tr("Place your ID card on the reader, or choose a service"))
        for key, target, _title in TILES:
            known = window is not None and target in window.screens
            reason = window.unavailable_reason(target) if known else self.tr("Not available yet")  # builds nothing
            self.tiles[key].set_available(not reason, reason)

    def retranslate(self) -> None:
        self.welcome.setText(self.tr("Welcome · self-service terminal"))
        self.invite.setText(self.tr("Place your ID card on the reader, or choose a service"))
        for key, _t, title in TILES:
            self.tiles[key].set_texts(QCoreApplication.translate("HomeScreen", title), self.tiles[key].note)
        if self.ctx.window is not None:
            self.refresh_availability()

    def voice_prompt(self) -> str:
        return self.invite.text()
