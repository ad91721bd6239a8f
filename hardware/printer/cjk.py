"""What a Chinese receipt printer can print, how wide it is, and how it is encoded.

Printers in Chinese mode (FS &) carry a GB2312/GBK font: two bytes per character, each printed
in a full (double-width) cell; ASCII is one byte in a half cell. GB18030's four-byte sequences
(¥ U+00A5, ™, most emoji) have no glyph on such printers, so `printable()` swaps them for a
two-byte look-alike or "?". Both rendering modes print the *printable* text, so a receipt lays
out into the same cells whether it is drawn (raster) or sent as text.
"""

from __future__ import annotations

import unicodedata

from domain import linebreak

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

    Latin words are kept whole when they fit on a line; CJK text breaks between any two characters
    except where 避头尾 forbids it (no line starts with "，" or "）", none ends with "（":
    `domain.linebreak`), in which case characters move on to the next line.
    """
    if width < 2:
        raise ValueError("a printed line needs at least two cells")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap(paragraph, width))
    return lines


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    start, used, i = 0, 0, 0  # the open line is text[start:i], `used` cells wide
    while i < len(text):
        ch = text[i]
        w = char_cells(ch)
        if used + w > width and i > start:
            cut = _break_index(text, start, i, width)
            lines.append(text[start:cut].rstrip(" "))
            start = cut
            while start < i and text[start] == " ":
                start += 1
            if start == i:  # the spaces that fall on the break are not printed
                while i < len(text) and text[i] == " ":
                    i += 1
                start, used = i, 0
                continue
            used = cells(text[start:i])
            continue  # place `ch` again on the new line
        used += w
        i += 1
    last = text[start:].rstrip(" ")
    if last or not lines:  # no empty last line of the spaces after the last break
        lines.append(last)
    return lines


def _break_index(text: str, start: int, at: int, width: int) -> int:
    """Where the line text[start:at] ends, text[at] not fitting: keep a trailing Latin word whole
    when it fits on a line, then step back as 避头尾 requires, never so far that the carried-over
    part overflows the next line."""
    cut = at
    word = start + _word_start(text[start:at])
    if text[at].isascii() and text[at] != " " and start < word < at and cells(text[word:at + 1]) <= width:
        cut = word
    ok = linebreak.allowed_break(text, cut, limit=min(4, cut - start))
    if ok <= start or cells(text[ok:at + 1]) > width:
        return cut
    if ok != cut and _in_word(text[ok - 1]) and _in_word(text[ok]):
        # stepping back landed inside a Latin word: move the whole word, and step back from its start as
        # 避头尾 requires too (an opener before it must not end the line: "（" | "aa，")
        word = start + _word_start(text[start:ok])
        if start < word and cells(text[word:at + 1]) <= width:
            before = linebreak.allowed_break(text, word, limit=min(4, word - start))
            return before if start < before and cells(text[before:at + 1]) <= width else word
    return ok


def _in_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _word_start(line: str) -> int:
    """Index where the trailing run of ASCII non-space characters starts (len(line) if none)."""
    i = len(line)
    while i > 0 and line[i - 1].isascii() and line[i - 1] != " ":
        i -= 1
    return i
