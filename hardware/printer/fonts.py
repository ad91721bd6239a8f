"""The CJK font for raster receipts and the emulator, and a cache of 1-bit glyph cells.

The font is found through fontconfig (`fc-match`, the Noto Sans Mono CJK SC family first: its
Latin letters are exactly half the width of an ideograph, like a printer's font A). The env
variable HPF_RECEIPT_FONT=path[#index] overrides the search (Windows has no fc-match). A font
that draws "中" as the same box as an unassigned code point is rejected: it has no CJK glyphs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from hardware.printer import cjk

CELL_DOTS = 12  # a half-width cell of font A
CHAR_DOTS = 24  # character height (and the full-width cell)
BASELINE = 21  # Noto CJK: ascender 0.88 em of 24 dots
_FAMILIES = ("Noto Sans Mono CJK SC", "Noto Sans CJK SC", "WenQuanYi Zen Hei Mono", "WenQuanYi Micro Hei",
             "Source Han Sans SC", "Microsoft YaHei", "SimSun")
_WINDOWS_FILES = (("msyh.ttc", 0), ("simsun.ttc", 0), ("simhei.ttf", 0))


class FontNotFoundError(RuntimeError):
    """No font with Chinese glyphs was found; raster receipts and the emulator need one."""


@dataclass(frozen=True)
class FontFile:
    path: Path
    index: int = 0


def _fc_match(pattern: str) -> FontFile | None:
    exe = shutil.which("fc-match")
    if exe is None:
        return None
    try:
        out = subprocess.run([exe, "-f", "%{file}\n%{index}\n", pattern], capture_output=True, text=True,
                             timeout=10, check=False).stdout.split("\n")
    except (OSError, subprocess.SubprocessError):
        return None
    if len(out) < 2 or not out[0]:
        return None
    return FontFile(Path(out[0]), int(out[1] or 0))


def _has_cjk(font: FontFile) -> bool:
    try:
        face = ImageFont.truetype(str(font.path), CHAR_DOTS, index=font.index)
    except OSError:
        return False

    def ink(ch: str) -> bytes:
        img = Image.new("L", (CHAR_DOTS * 2, CHAR_DOTS * 2), 0)
        ImageDraw.Draw(img).text((0, 0), ch, font=face, fill=255)
        return img.tobytes()

    zhong = ink("中")
    return any(zhong) and zhong != ink("\U000f0000")  # a private-use code point draws as .notdef


def _candidates(bold: bool) -> Iterator[FontFile]:
    """Font files to try, best first; fontconfig is asked lazily (each call costs a process)."""
    override = os.environ.get("HPF_RECEIPT_FONT", "")
    if override:
        path, _, index = override.partition("#")
        yield FontFile(Path(path), int(index or 0))
    for family in _FAMILIES:
        match = _fc_match(f"{family}:lang=zh-cn" + (":bold" if bold else ""))
        if match:
            yield match
    windir = os.environ.get("WINDIR")
    if windir:
        yield from (FontFile(Path(windir) / "Fonts" / name, i) for name, i in _WINDOWS_FILES)


@cache
def find_cjk_font(bold: bool = False) -> FontFile:
    """The first installed font that draws Chinese; `FontNotFoundError` with what to install otherwise."""
    for candidate in _candidates(bold):
        if candidate.path.is_file() and _has_cjk(candidate):
            return candidate
    raise FontNotFoundError(
        "找不到中文字体，无法绘制小票 / no Chinese font found for drawing receipts: install fonts-noto-cjk "
        "(Debian/Ubuntu) or set HPF_RECEIPT_FONT=/path/to/font.ttc#index")


class GlyphCache:
    """1-bit-ready glyph cells ('L' images, ink = 255) of printable characters, regular and bold."""

    def __init__(self) -> None:
        self._faces: dict[bool, ImageFont.FreeTypeFont] = {}
        self._cells: dict[tuple[str, bool], Image.Image] = {}
        self._lock = threading.Lock()  # FreeType faces are not safe to draw from two threads

    def _face(self, bold: bool) -> ImageFont.FreeTypeFont:
        face = self._faces.get(bold)
        if face is None:
            font = find_cjk_font(bold)
            face = self._faces[bold] = ImageFont.truetype(str(font.path), CHAR_DOTS, index=font.index)
        return face

    def cell(self, ch: str, bold: bool = False) -> Image.Image:
        """The character drawn centred in its cell: 12 x 24 dots for ASCII, 24 x 24 otherwise."""
        key = (ch, bold)
        img = self._cells.get(key)
        if img is not None:
            return img
        with self._lock:
            width = cjk.char_cells(ch) * CELL_DOTS
            img = Image.new("L", (width, CHAR_DOTS), 0)
            face = self._face(bold)
            advance = face.getlength(ch)
            ImageDraw.Draw(img).text(((width - advance) / 2, BASELINE), ch, font=face, fill=255, anchor="ls")
            img = img.point(lambda v: 255 if v >= 128 else 0)
            self._cells[key] = img
            return img

    def line(self, text: str, bold: bool = False) -> Image.Image:
        """A printable string drawn cell by cell (the grid a printer's font uses), ink = 255."""
        width = cjk.cells(text) * CELL_DOTS
        img = Image.new("L", (max(width, 1), CHAR_DOTS), 0)
        x = 0
        for ch in text:
            cell = self.cell(ch, bold)
            if ch != " ":
                img.paste(cell, (x, 0))
            x += cell.width
        return img


@cache
def shared_glyphs() -> GlyphCache:
    return GlyphCache()
