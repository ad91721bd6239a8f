"""The hall queue's rules (issue 11): lines, numbers that cannot collide, call order, people ahead."""

from __future__ import annotations

import pytest

from domain.catalogue import load_catalogue
from domain.hall_queue import Waiting, ahead_of, line_of, next_for, offline_number, online_number

CAT = load_catalogue()


def test_lines_from_codes_names_and_categories() -> None:
    assert line_of("withdraw_rent", CAT) == "withdrawal"
    assert line_of("退休提取", CAT) == "withdrawal"  # kiosks write the item's name
    assert line_of("employer_back_pay", CAT) == "employer"
    assert line_of("loan", CAT) == "loan"
    assert line_of("lottery", CAT) == line_of("lottery", None) == "other"


def test_numbers() -> None:
    assert online_number("withdrawal", 1) == "A001" and online_number("loan", 999) == "B999"
    assert online_number("other", 12) == "H012"
    assert offline_number(7, 1) == "X0701" and offline_number(99, 99) == "X9999"
    with pytest.raises(ValueError, match="999"):
        online_number("withdrawal", 1000)
    with pytest.raises(ValueError, match="used up"):
        offline_number(7, 100)
    with pytest.raises(ValueError, match="slot"):
        offline_number(0, 1)
    blocks = [{offline_number(s, n) for n in range(1, 100)} for s in (1, 2, 3)]
    assert not (blocks[0] & blocks[1]) and not (blocks[1] & blocks[2])


def test_priority_first_then_first_come_and_people_ahead() -> None:
    a1 = Waiting("A001", "withdrawal", False, "2026-12-07T09:00:00")
    a2 = Waiting("A002", "withdrawal", False, "2026-12-07T09:01:00")
    a3 = Waiting("A003", "withdrawal", True, "2026-12-07T09:02:00")
    b1 = Waiting("B001", "loan", False, "2026-12-07T08:59:00")
    waiting = [a1, a2, a3, b1]
    assert next_for(waiting, ["withdrawal"]) == a3
    assert next_for(waiting, ["loan", "withdrawal"]) == a3  # priority beats an earlier ticket
    assert next_for([a1, a2, b1], ["loan", "withdrawal"]) == b1
    assert next_for(waiting, ["employer"]) is None
    assert [ahead_of(t, waiting) for t in (a1, a2, a3, b1)] == [1, 2, 0, 0]
