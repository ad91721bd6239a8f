"""The counter's screens in menu order (sign-in is not in the menu).

`MENU_REFS` names each screen's module and class: the window imports a screen's module (and what
it imports: the ledger client, QtCharts, the QR code maker) when it first builds that screen, which
is after the first frame, not before it. `all_screens()` is the same list as imported classes
(tests check that both agree).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from counter_app.screens.base import Screen


@dataclass(frozen=True)
class ScreenRef:
    """A screen class by its key, module and class name, imported on first use."""

    key: str
    module: str
    cls: str

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


class LazyScreens(Mapping[str, "Screen"]):
    """The window's menu screens by key, each built the first time something asks for it.

    `screens[key]` (and `.get`) builds it; `key in screens`, `len` and iterating the keys build
    nothing; `built()` lists what exists, which is all a sign-out has to reset or a language
    switch to retranslate."""

    def __init__(self, refs: tuple[ScreenRef, ...], build: Callable[[type[Screen]], Screen]) -> None:
        self._refs = {ref.key: ref for ref in refs}
        self._built: dict[str, Screen] = {}
        self._build = build

    def __getitem__(self, key: str) -> Screen:
        screen = self._built.get(key)
        if screen is None:
            ref = self._refs[key]  # KeyError: no such screen
            screen = self._built[key] = self._build(ref.load())
        return screen

    def __iter__(self) -> Iterator[str]:
        return iter(self._refs)

    def __len__(self) -> int:
        return len(self._refs)

    def __contains__(self, key: object) -> bool:
        return key in self._refs

    def get_built(self, key: str) -> Screen | None:
        """The screen if it has been built, else None (builds nothing)."""
        return self._built.get(key)

    def built(self) -> list[Screen]:
        return list(self._built.values())

    def unbuilt(self) -> list[str]:
        return [key for key in self._refs if key not in self._built]
