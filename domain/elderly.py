"""When the kiosk offers elderly mode (适老化): the member's age from the ID card against the policy.

The threshold is policy (`resources/policy/accessibility.toml`, [elderly] offer_from_age, with its
source); the age is full years (周岁) from the ID number's birth date (domain.identity).
"""

from __future__ import annotations

import tomllib
from datetime import date
from importlib import resources
from pathlib import Path

from domain.identity import InvalidIdNumber, parse_id_number
from domain.policy import PolicyError


def accessibility_path() -> Path:
    return Path(str(resources.files("resources.policy") / "accessibility.toml"))


def offer_from_age(path: Path | None = None) -> int:
    """The age (周岁) from which elderly mode is offered, from the policy file."""
    path = path or accessibility_path()
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PolicyError(f"{path.name}: {exc}") from None
    value = table.get("elderly", {}).get("offer_from_age")
    if not isinstance(value, int) or isinstance(value, bool) or not 40 <= value <= 100:
        raise PolicyError(f"{path.name}: [elderly] offer_from_age must be a whole age from 40 to 100, got {value!r}")
    return value


def offers_elderly_mode(id_number: str, today: date, from_age: int) -> bool:
    """True when the ID card's holder is `from_age` or older on `today`; False for a number that
    does not parse (a bad read offers nothing: the member can still press 长辈模式)."""
    try:
        return parse_id_number(id_number, today).age_on(today) >= from_age
    except (InvalidIdNumber, ValueError):
        return False
