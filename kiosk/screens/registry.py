"""Every kiosk screen class, in the order the screenshots walk them."""

from __future__ import annotations

from kiosk.screens.base import Screen
from kiosk.screens.home import HomeScreen


def all_screens() -> list[type[Screen]]:
    return [HomeScreen]
