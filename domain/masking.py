"""One masking rule for personal data, used by every screen, receipt and log line.

ID numbers keep 4 + 4 (BRIEF §7: `1401**********123X`), phones 3 + 4, bank cards 4 + 4,
names their last character. Free text is scrubbed by `mask_text`, which finds ID numbers,
mobile phone numbers and bank card numbers inside any string.
"""

from __future__ import annotations

import re

_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8}|\d{6})(\d{3})([0-9Xx]?)(?![0-9A-Za-z])")
_PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_CARD_RE = re.compile(r"(?<!\d)(\d{4})(\d{8,11})(\d{4})(?!\d)")


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


def mask_text(text: str) -> str:
    """Mask every ID number, mobile number and bank card number found in free text."""
    text = _ID_RE.sub(lambda m: mask_id_number(m.group(0)), text)
    text = _CARD_RE.sub(lambda m: mask_bank_card(m.group(0)), text)
    return _PHONE_RE.sub(lambda m: mask_phone(m.group(0)), text)
