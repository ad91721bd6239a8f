"""Printer profiles: paper width, columns, rendering mode and speed, loaded from data.

The profiles live in `resources/printer/profiles.toml` (with their sources); a terminal's
configuration names one, or a URI picks the default for its transport.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from typing import Any, Literal

DEFAULT_PROFILE = "generic-80mm-raster"
DOTS_PER_MM = 8  # 203 dpi, every thermal receipt printer in the profiles


class ProfileError(ValueError):
    """An unknown profile name or a profile file with a bad value."""


@dataclass(frozen=True)
class PrinterProfile:
    name: str
    description: str
    dot_width: int
    columns: int
    line_dots: int
    mode: Literal["raster", "text"]
    raster_slice_rows: int
    status: bool
    mm_per_s: float
    feed_before_cut_lines: int
    escpos_profile: str

    @property
    def cell_dots(self) -> int:
        """Dots of one half-width cell (12 for font A)."""
        return self.dot_width // self.columns

    def with_mode(self, mode: Literal["raster", "text"]) -> PrinterProfile:
        from dataclasses import replace
        return replace(self, mode=mode)


def _check(name: str, raw: dict[str, Any]) -> PrinterProfile:
    wanted = {f.name for f in fields(PrinterProfile)} - {"name"}
    missing, unknown = wanted - set(raw), set(raw) - wanted
    if missing or unknown:
        raise ProfileError(f"printer profile {name}: missing {sorted(missing)}, unknown {sorted(unknown)}")
    profile = PrinterProfile(name=name, **raw)
    if profile.mode not in ("raster", "text"):
        raise ProfileError(f"printer profile {name}: mode must be raster or text, not {profile.mode!r}")
    if profile.dot_width % 8 or profile.dot_width % profile.columns or profile.dot_width // profile.columns < 8:
        raise ProfileError(f"printer profile {name}: dot_width must be a multiple of 8 and of columns")
    if not 24 <= profile.line_dots <= 255 or not 1 <= profile.raster_slice_rows <= 2047:
        raise ProfileError(f"printer profile {name}: line_dots 24..255, raster_slice_rows 1..2047")
    return profile


@cache
def all_profiles() -> dict[str, PrinterProfile]:
    text = resources.files("resources.printer").joinpath("profiles.toml").read_text(encoding="utf-8")
    table = tomllib.loads(text).get("profiles", {})
    return {name: _check(name, raw) for name, raw in table.items()}


def get_profile(name: str | None = None) -> PrinterProfile:
    """A profile by name; the default (80 mm, raster) when `name` is None or empty."""
    profiles = all_profiles()
    key = name or DEFAULT_PROFILE
    if key not in profiles:
        raise ProfileError(f"未知打印机型号 / unknown printer profile {key!r}; known: {', '.join(sorted(profiles))}")
    return profiles[key]
