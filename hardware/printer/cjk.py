"""What a Chinese receipt printer can print, how wide it is, and how it is encoded.

Printers in Chinese mode (FS &) carry a GB2312/GBK font: two bytes per character, each printed
in a full (double-width) cell; ASCII is one byte in a half cell. GB18030's four-byte sequences
(¥ U+00A5, ™, most emoji) have no glyph on such printers, so `printable()` swaps them for a
two-byte look-alike or "?". Both rendering modes print the *printable* text, so a receipt lays
out into the same cells whether it is drawn (raster) or sent as text.
"""

from __future__ import annotations

import unicodedata

# Look-alikes inside the two-byte GB18030 range for characters outside it.
_SUBSTITUTES: dict[str, str] = {
    "¥": "￥",  # U+00A5 is four bytes in GB18030; receipts write the full-width yuan sign
    "£": "￡",
    "¢": "￠",
    "¬": "￢",
    "¦": "￤",
    "\u00a0": " ",  # no-break space
    "\u3000": "  ",  # ideographic space: two half cells, same width, plain ASCII
    "\t": " ",
}
_CACHE: dict[str, str] = {}


def _printable_char(ch: str) -> str:
    if " " <= ch <= "~":
        return ch
    if ch in _SUBSTITUTES:
        return _SUBSTITUTES[ch]
    if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") or unicodedata.combining(ch):
        return ""  # control, format and combining marks take no cell on paper
    try:
        encoded = ch.encode("gb18030")
    except UnicodeEncodeError:  # lone surrogates
        return "?"
    return ch if len(encoded) == 2 else "?"


def printable(text: str) -> str:
    """The text as the printer will print it: every character ASCII or a two-byte GB18030 one."""
    out = []
    for ch in text:
        sub = _CACHE.get(ch)
        if sub is None:
            sub = _CACHE.setdefault(ch, _printable_char(ch))
        out.append(sub)
    return "".join(out)


def char_cells(ch: str) -> int:
    """Half-width cells of one *printable* character: 1 for ASCII, 2 for everything else."""
    return 1 if ch < "\x80" else 2


def cells(text: str) -> int:
    """Half-width cells a printable string takes on paper."""
    return sum(1 if ch < "\x80" else 2 for ch in text)


def encode(text: str) -> bytes:
    """GB18030 bytes of a printable string (ASCII stays one byte, the rest two)."""
    return printable(text).encode("gb18030")


def east_asian_cells(ch: str) -> int:
    """Cells by Unicode's East Asian Width alone (W/F = 2); used to cross-check `char_cells`."""
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def fit(text: str, width: int) -> list[str]:
    """Wrap printable text into lines of at most `width` cells, never splitting a character.

    Latin words are kept whole when they fit on a line; CJK text breaks anywhere.
    """
    if width < 2:
        raise ValueError("a printed line needs at least two cells")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap(paragraph, width))
    return lines


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    line, used = "", 0
    i = 0
    while i < len(text):
        ch = text[i]
        w = char_cells(ch)
        if used + w > width:
            # move a trailing Latin word to the next line when the word itself fits on one
            cut = _word_start(line)
            if ch.isascii() and ch != " " and 0 < cut and cells(line[cut:]) + w <= width:
                lines.append(line[:cut].rstrip(" "))
                line = line[cut:]
                used = cells(line)
            else:
                lines.append(line.rstrip(" "))
                line, used = "", 0
            if ch == " " and not line:
                i += 1
                continue
        line += ch
        used += w
        i += 1
    lines.append(line.rstrip(" "))
    return lines


def _word_start(line: str) -> int:
    """Index where the trailing run of ASCII non-space characters starts (len(line) if none)."""
    i = len(line)
    while i > 0 and line[i - 1].isascii() and line[i - 1] != " ":
        i -= 1
    return i
