"""Which counter this is: terminal, outlet, window number (known from the configuration, before the store opens)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class DeskSettings:
    """Who this desk is: terminal, outlet, window number and the centre's details."""
    terminal_id: str
    outlet: str
    window: str  # the window number called out in the hall ("3 号窗口")
    centre_name: str = "太原市住房公积金管理中心"
    hotline: str = "12329"
