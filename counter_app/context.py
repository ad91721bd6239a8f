"""What every counter screen gets: the services, the language, background operations, the voice,
and the two extra windows (hall display, customer-facing screen)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal

from counter_app.i18n import CounterLanguages
from counter_app.services import CounterServices
from ui.ops import BackgroundOps
from ui.voice import Voice


class CounterEvents(QObject):
    """Changes screens react to, so no screen reaches into another."""

    queue_changed = Signal()
    cases_changed = Signal()
    member_chosen = Signal(object)  # casework.Member
    case_started = Signal(object)  # casework.Intake: a case opened or resumed at this desk (active-case bar)
    service_finished = Signal(str, str)  # case or ticket serial, item code: the customer screen asks for a rating
    review_requested = Signal(str)  # case id
    bundle_requested = Signal(str)  # parent case id of a one-window bundle
    help_calls_changed = Signal(object)  # the hall's open help calls from kiosks (counter_app.worklist.HelpCall list)


@dataclass
class CounterContext:
    """What the counter's windows and screens share."""
    services: CounterServices
    languages: CounterLanguages
    ops: BackgroundOps
    voice: Voice
    events: CounterEvents = field(default_factory=CounterEvents)
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def desk(self) -> Any:
        return self.services.desk

    def pick(self, zh: str, en: str) -> str:
        return self.languages.pick(zh, en)
