"""One masking rule for personal data, used by every screen, receipt and log line.

ID numbers keep 4 + 4 (BRIEF §7: `1401**********123X`), phones 3 + 4, bank cards 4 + 4,
names their last character. Free text is scrubbed by `mask_text`, which finds ID numbers,
mobile phone numbers and bank card numbers inside any string.
"""

from __future__ import annotations

import re
from functools import cache


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    """The free-text patterns, compiled at their first use, not at import (the kiosk's start-up
    imports this module for the card reader and uses none of them before a session)."""
    id_re = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8}|\d{6})(\d{3})([0-9Xx]?)(?![0-9A-Za-z])")
    phone_re = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
    card_re = re.compile(r"(?<!\d)(\d{4})(\d{8,11})(\d{4})(?!\d)")
    # Numbers written with spaces or dashes between digit groups ("6222 0212 3456 7890 123",
    # "138-1234-5678", "140105 19900307 123X"), and mobiles with the country code ("+86 138 1234 5678").
    spaced_re = re.compile(r"(?<![0-9A-Za-z+])(?:\+?86[ -]?)?\d{2,8}(?:[ -]\d{1,8}){1,5}(?:[ -]?[Xx])?(?![0-9A-Za-z])"
                           r"|(?<![0-9A-Za-z+])\+86[ -]?1[3-9]\d{9}(?!\d)")
    return id_re, phone_re, card_re, spaced_re


@cache
def _name_re() -> re.Pattern[str]:
    """A person's name on its own (2-4 Han characters, or a minority name with the middle dot)."""
    return re.compile(r"^[\u4e00-\u9fff]{2,4}\Z|^[\u4e00-\u9fff]{1,10}·[\u4e00-\u9fff]{1,10}\Z")


def mask_id_number(text: str) -> str:
    """`140105199003071234` -> `1401**********1234`; any other length keeps only its ends."""
    s = text.strip()
    if len(s) <= 8:
        return "*" * len(s)
    return s[:4] + "*" * (len(s) - 8) + s[-4:]


def mask_phone(text: str) -> str:
    s = text.strip()
    if len(s) < 7:
        return "*" * len(s)
    return s[:3] + "*" * (len(s) - 7) + s[-4:]


def mask_bank_card(text: str) -> str:
    s = text.replace(" ", "")
    if len(s) <= 8:
        return "*" * len(s)
    return s[:4] + "*" * (len(s) - 8) + s[-4:]


def mask_name(text: str) -> str:
    """`张三` -> `*三`; `欧阳娜娜` -> `***娜`; a Latin name keeps its first letter."""
    s = text.strip()
    if not s:
        return s
    if s.isascii():
        return s[0] + "*" * (len(s) - 1)
    return "*" * (len(s) - 1) + s[-1]


def _mask_spaced(match: re.Match[str]) -> str:
    raw = match.group(0)
    digits = re.sub(r"[^0-9Xx]", "", raw)
    if raw.startswith("+86") or (raw.startswith("86") and len(digits) == 13 and digits[2] == "1"):
        digits = digits[2:]
    if len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789":
        return mask_phone(digits)
    if len(digits) in (15, 18) and (digits[:-1].isdigit()):
        return mask_id_number(digits)
    if 12 <= len(digits) <= 19 and digits.isdigit():
        return mask_bank_card(digits)
    return raw


def looks_like_name(text: str) -> bool:
    """A string that is only a Chinese personal name (2-4 Han characters, or names joined by ·)."""
    return bool(_name_re().match(text.strip()))


def mask_text(text: str) -> str:
    """Mask every ID number, mobile number and bank card number found in free text, also when written
    with spaces or dashes between digit groups or with the +86 country code."""
    id_re, phone_re, card_re, spaced_re = _patterns()
    text = spaced_re.sub(_mask_spaced, text)
    text = id_re.sub(lambda m: mask_id_number(m.group(0)), text)
    text = card_re.sub(lambda m: mask_bank_card(m.group(0)), text)
    return phone_re.sub(lambda m: mask_phone(m.group(0)), text)
