"""GB/T 2260 administrative division codes: the first six digits of an ID number.

The table is `resources/regions/gb2260.csv` (current codes, whole country). ID numbers keep the
code of the place and year they were issued, and codes are abolished over time (Taiyuan's old
南城区 140102, for one), so a code missing from the current table is not an error: the lookup
tries `gb2260_historic.csv` (older codes, Shanxi as of 1990), then falls back to the prefecture
(first four digits) or province (first two), and says so with `exact=False`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Provinces whose capital city is the province itself: no prefecture level (直辖市).
_MUNICIPALITIES = frozenset({"11", "12", "31", "50"})


@dataclass(frozen=True, slots=True)
class Region:
    """Where a six-digit administrative code lies (GB/T 2260)."""
    code: str  # the six digits asked about
    province: str  # 山西省
    city: str | None  # 太原市; None for municipalities and unknown prefectures
    county: str | None  # 小店区; None when the code is a prefecture or no longer listed
    exact: bool  # the six-digit code itself is in the current table
    historic: bool = False  # found in the table of abolished codes

    @property
    def full_name(self) -> str:
        return "".join(part for part in (self.province, self.city, self.county) if part)

    @property
    def province_code(self) -> str:
        return self.code[:2]


def _read(name: str) -> dict[str, str]:
    source = resources.files("resources.regions") / name
    lines = [ln for ln in source.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    return {row["code"]: row["name"] for row in csv.DictReader(lines)}


@cache
def _table() -> dict[str, str]:
    return _read("gb2260.csv")


@cache
def _historic() -> dict[str, str]:
    return _read("gb2260_historic.csv")


def province_name(code: str) -> str | None:
    """`14` or `140105` -> `山西省`; None for a code no province has."""
    return _table().get(code[:2] + "0000")


def lookup_region(code: str) -> Region | None:
    """The region of a six-digit code, or None when not even its province exists."""
    if len(code) != 6 or not (code.isascii() and code.isdigit()):
        return None
    table, old = _table(), _historic()
    province = table.get(code[:2] + "0000")
    if province is None:
        return None
    prefecture = code[:4] + "00"
    city = None if code[:2] in _MUNICIPALITIES else table.get(prefecture, old.get(prefecture))
    if code.endswith("0000"):
        return Region(code, province, None, None, exact=True)
    if code.endswith("00") and city is not None:
        return Region(code, province, city, None, exact=prefecture in table, historic=prefecture not in table)
    if code in table:
        return Region(code, province, city, table[code], exact=True)
    if code in old:
        return Region(code, province, city, old[code], exact=False, historic=True)
    return Region(code, province, city, None, exact=False)


def regions_in(prefix: str) -> dict[str, str]:
    """Every listed code starting with `prefix` (e.g. `1401` for Taiyuan), code -> name."""
    return {code: name for code, name in _table().items() if code.startswith(prefix)}
