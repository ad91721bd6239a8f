"""The elderly-mode offer rule: 60 full years (周岁) from the ID card, threshold from policy."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from domain.elderly import offer_from_age, offers_elderly_mode
from domain.identity import check_character
from domain.policy import PolicyError


def id_born(born: date) -> str:
    first17 = f"110101{born:%Y%m%d}123"
    return first17 + check_character(first17)


def test_the_shipped_policy_offers_from_sixty() -> None:
    assert offer_from_age() == 60


@pytest.mark.parametrize(("today", "offered"), [
    (date(2026, 3, 6), False),   # the day before the 60th birthday
    (date(2026, 3, 7), True),    # the birthday itself: 60 full years
    (date(2040, 1, 1), True),
])
def test_offered_from_the_sixtieth_birthday(today: date, offered: bool) -> None:
    assert offers_elderly_mode(id_born(date(1966, 3, 7)), today, 60) is offered


def test_a_young_member_and_a_bad_read_are_not_asked() -> None:
    today = date(2026, 12, 6)
    assert not offers_elderly_mode(id_born(date(1990, 3, 7)), today, 60)
    bad = id_born(date(1950, 1, 1))[:-1] + ("0" if id_born(date(1950, 1, 1))[-1] != "0" else "1")
    assert not offers_elderly_mode(bad, today, 60)  # checksum fault: nothing is offered
    assert not offers_elderly_mode("", today, 60)


@pytest.mark.parametrize("value", ["sixty", "true", "12", "150"])
def test_a_bad_threshold_in_the_policy_is_refused(tmp_path: Path, value: str) -> None:
    path = tmp_path / "accessibility.toml"
    path.write_text(f"[elderly]\noffer_from_age = {value if value != 'sixty' else chr(34) + value + chr(34)}\n",
                    encoding="utf-8")
    with pytest.raises(PolicyError, match="offer_from_age"):
        offer_from_age(path)
