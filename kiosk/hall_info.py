"""The hall's facts a kiosk tells a member: its help number and the payout commitment
(resources/policy/hall.toml, where the source of each value is noted)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class HallInfo:
    help_number: str
    payout_working_days: int


@cache
def _table() -> dict[str, Any]:
    return tomllib.loads((resources.files("resources.policy") / "hall.toml").read_text(encoding="utf-8"))


def hall_info(outlet: str, hotline: str = "12329") -> HallInfo:
    table = _table()
    default = table.get("default", {})
    hall = table.get("halls", {}).get(outlet, {})
    return HallInfo(str(hall.get("help_number") or default.get("help_number") or hotline),
                    int(hall.get("payout_working_days", default.get("payout_working_days", 1))))
