"""The counter's screens in menu order (sign-in is not in the menu).

`MENU_REFS` names each screen's module and class: the window imports a screen's module (and what
it imports: the ledger client, QtCharts, the QR code maker) when it first builds that screen, which
is after the first frame, not before it. `all_screens()` is the same list as imported classes
(tests check that both agree).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from counter_app.screens.base import Screen


class ScreenRef:
    """A screen class by its key, module and class name, imported on first use. (A plain class: a
    frozen dataclass would generate its methods at import, before the first frame, for a record
    nothing compares.)"""

    __slots__ = ("key", "module", "cls")

    def __init__(self, key: str, module: str, cls: str) -> None:
        self.key = key
        self.module = module
        self.cls = cls

    def __repr__(self) -> str:
        return f"ScreenRef({self.key!r}, {self.module!r}, {self.cls!r})"

    def load(self) -> type[Screen]:
        loaded: type[Screen] = getattr(importlib.import_module(f"counter_app.screens.{self.module}"), self.cls)
        return loaded


MENU_REFS: tuple[ScreenRef, ...] = (
    ScreenRef("queue", "queue", "QueueScreen"), ScreenRef("intake", "intake", "IntakeScreen"),
    ScreenRef("worklist", "worklist", "WorklistScreen"), ScreenRef("review", "review", "ReviewScreen"),
    ScreenRef("refused", "refused", "RefusedScreen"), ScreenRef("bundle", "bundle", "BundleScreen"),
    ScreenRef("report", "report", "ReportScreen"), ScreenRef("staff", "staff", "StaffScreen"),
    ScreenRef("devices", "devices", "DevicesScreen"),
    ScreenRef("loan_application", "loan_application", "LoanApplicationScreen"),
)


def all_screens() -> tuple[type[Screen], ...]:
    """The menu's screen classes, imported."""
    return tuple(ref.load() for ref in MENU_REFS)
