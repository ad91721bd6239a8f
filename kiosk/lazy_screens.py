"""The window's screens by name, each built the first time something asks for it.

Building all twenty screens before the first frame cost most of the kiosk's start-up; a member
touching the home screen needs the home screen. `screens[name]` builds (and adds to the window's
stack) on first use; iterating names or testing `name in screens` builds nothing; `built()`
lists what exists, which is all a session wipe has to clear.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.screens.base import Screen


class LazyScreens(Mapping[str, "Screen"]):
    def __init__(self, classes: Sequence[type[Screen]], build: Callable[[type[Screen]], Screen]) -> None:
        self._classes = {cls.name: cls for cls in classes}
        self._built: dict[str, Screen] = {}
        self._build = build

    def __getitem__(self, name: str) -> Screen:
        screen = self._built.get(name)
        if screen is None:
            screen = self._built[name] = self._build(self._classes[name])  # KeyError: no such screen
        return screen

    def __iter__(self) -> Iterator[str]:
        return iter(self._classes)

    def __len__(self) -> int:
        return len(self._classes)

    def __contains__(self, name: object) -> bool:
        return name in self._classes

    @property
    def classes(self) -> Mapping[str, type[Screen]]:
        """Every screen's class by name (builds nothing)."""
        return self._classes

    def built(self) -> list[Screen]:
        return list(self._built.values())
