"""Screens (or any widgets) by key, each built the first time something asks for it.

Both applications hand their window references to screen classes by module and class name, so a
screen's module (and what it imports) is imported when the screen is first built, not before the
first frame. `widgets[key]` builds on first use; iterating keys, `len` and `key in widgets` build
nothing; `built()` lists what exists, which is all a session wipe, sign-out or language switch has
to touch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Generic, Protocol, TypeVar

C = TypeVar("C", bound=type)
C_co = TypeVar("C_co", bound=type, covariant=True)
W = TypeVar("W")


class Loadable(Protocol[C_co]):
    """A reference to a class that imports it on `load()` (the apps' `ScreenRef`s)."""

    def load(self) -> C_co: ...


class LazyWidgets(Mapping[str, W], Generic[C, W]):
    def __init__(self, classes: Mapping[str, C | Loadable[C]], build: Callable[[C], W]) -> None:
        self._classes = dict(classes)
        self._built: dict[str, W] = {}
        self._build = build

    def __getitem__(self, key: str) -> W:
        widget = self._built.get(key)
        if widget is None:
            widget = self._built[key] = self._build(_load(self._classes[key]))  # KeyError: no such key
        return widget

    def __iter__(self) -> Iterator[str]:
        return iter(self._classes)

    def __len__(self) -> int:
        return len(self._classes)

    def __contains__(self, key: object) -> bool:
        return key in self._classes

    @property
    def classes(self) -> Mapping[str, C]:
        """Every class by key (imports each one's module, builds nothing)."""
        return {key: _load(cls) for key, cls in self._classes.items()}

    def get_built(self, key: str) -> W | None:
        """The widget if it has been built, else None (builds nothing)."""
        return self._built.get(key)

    def built(self) -> list[W]:
        return list(self._built.values())

    def unbuilt(self) -> list[str]:
        return [key for key in self._classes if key not in self._built]


def _load(cls: C | Loadable[C]) -> C:
    return cls if isinstance(cls, type) else cls.load()
