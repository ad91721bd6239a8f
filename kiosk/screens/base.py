"""The base of every kiosk screen.

A screen is built once and reused: `enter(**params)` when shown, `leave()` when hidden,
`retranslate()` whenever the language changes (all visible text is set there), `wipe()` when the
session ends (drop every personal value from widgets and models). Screens hold no business rule:
they ask `domain`, `sync` and `hardware` (through `ctx.services`) and show the answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

if TYPE_CHECKING:
    from kiosk.context import KioskContext


class Screen(QWidget):
    name: ClassVar[str] = ""
    needs_member: ClassVar[bool] = False  # identification first (the window routes through it)

    def __init__(self, ctx: KioskContext) -> None:
        super().__init__()
        self.setObjectName("screen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.ctx = ctx
        self.root = QVBoxLayout(self)
        self.root.setContentsMargins(48, 8, 48, 12)  # room for the content: a screen never scrolls
        self.root.setSpacing(12)

    def enter(self, **params: Any) -> None:
        """Shown: refresh from the session and services."""

    def leave(self) -> None:
        """Hidden: stop anything running."""

    def retranslate(self) -> None:
        """Set every visible text in the current language."""

    def wipe(self) -> None:
        """Drop every personal value this screen holds."""

    def unavailable_reason(self) -> str:
        """Why this service can't be used on this terminal right now ("" when it can)."""
        return ""

    def voice_prompt(self) -> str:
        """The sentence elderly mode reads aloud when the screen opens (never personal data)."""
        from kiosk.voice_prompts import default_prompt

        return default_prompt(self.name, self.ctx.languages.is_chinese)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def pick(self, zh: str, en: str) -> str:
        return self.ctx.languages.pick(zh, en)
