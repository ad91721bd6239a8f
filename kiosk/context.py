"""What every screen receives: configuration, services, session, language, voice, navigation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from infra.config import Config
from kiosk.services import Services
from kiosk.session import Session
from ui.i18n import Languages
from ui.ops import BackgroundOps
from ui.theme import Theme
from ui.voice import Voice

if TYPE_CHECKING:
    from kiosk.window import KioskWindow


@dataclass
class KioskContext:
    """What the kiosk's screens share: configuration, services and the session."""
    config: Config
    services: Services
    session: Session
    languages: Languages
    ops: BackgroundOps
    voice: Voice
    window: KioskWindow | None = None

    @property
    def theme(self) -> Theme:
        assert self.window is not None
        return self.window.theme

    def go(self, screen: str, **params: Any) -> None:
        assert self.window is not None
        self.window.go(screen, **params)
