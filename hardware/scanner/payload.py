"""Scanned payloads are untrusted: cap their length, insist on text, refuse control characters.

Anyone can hold any code up to a kiosk camera or wedge scanner: a QR code with 10 kB of binary,
a barcode with escape sequences, text with bidi overrides that make a number read backwards on
screen. `check_payload` turns raw bytes into clean text or raises `InvalidPayloadError` with a code
and a message a person can read ("not a valid HPF code"); it never raises anything else.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Safety limits, not business facts. A QR code holds at most 2953 bytes (version 40, level L);
# the codes HPF Terminal acts on (app login, application numbers, URLs) are far shorter.
DEFAULT_MAX_BYTES = 1024
HARD_MAX_BYTES = 4096

# Code points that change how text displays without being visible: bidi embeddings, overrides
# and isolates, and the zero-width characters used to hide content.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                       "\u2060\u2066\u2067\u2068\u2069\ufeff")


class InvalidPayloadError(Exception):
    """The payload is not a code HPF Terminal accepts; the text says why (zh/en)."""

    def __init__(self, reason: str, detail_en: str, detail_zh: str) -> None:
        self.reason = reason  # stable: EMPTY, TOO_LONG, BINARY, CONTROL_CHARS, NOT_MATCHED
        self.message_en = f"Not a valid HPF code: {detail_en}"
        self.message_zh = f"不是有效的公积金业务码：{detail_zh}"
        super().__init__(self.message_en)


@dataclass(frozen=True)
class PayloadRules:
    """What a scanner accepts. Built from the scanner's `[devices.scanner.options]` by `from_options`."""

    max_bytes: int = DEFAULT_MAX_BYTES
    encodings: tuple[str, ...] = ("utf-8",)  # tried in order; many Chinese serial scanners send GB18030
    patterns: tuple[re.Pattern[str], ...] = field(default_factory=tuple)  # any one must match whole text

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> PayloadRules:
        """`max_length` (bytes), `encoding` (str or list) and `patterns` (regex list) from config options."""
        max_bytes = options.get("max_length", DEFAULT_MAX_BYTES)
        if not isinstance(max_bytes, int) or isinstance(max_bytes, bool) or not 1 <= max_bytes <= HARD_MAX_BYTES:
            raise ValueError(f"max_length = {max_bytes!r}: must be a whole number from 1 to {HARD_MAX_BYTES}")
        enc = options.get("encoding", ["utf-8"])
        encodings = (enc,) if isinstance(enc, str) else tuple(enc)
        for e in encodings:
            try:
                "".encode(e)
            except (LookupError, TypeError):
                raise ValueError(f"encoding = {e!r}: unknown text encoding") from None
        pats = options.get("patterns", [])
        try:
            patterns = tuple(re.compile(p) for p in ([pats] if isinstance(pats, str) else pats))
        except (re.error, TypeError) as exc:
            raise ValueError(f"patterns = {pats!r}: not a valid regular expression ({exc})") from None
        return cls(max_bytes, encodings, patterns)


def check_payload(raw: bytes | str, rules: PayloadRules | None = None) -> str:
    """The payload as clean text, or `InvalidPayloadError`. Trailing CR/LF/Tab (terminators) are dropped."""
    rules = rules or PayloadRules()
    data = raw.encode("utf-8", errors="surrogatepass") if isinstance(raw, str) else bytes(raw)
    if len(data) > rules.max_bytes:
        raise InvalidPayloadError("TOO_LONG", f"{len(data)} bytes, at most {rules.max_bytes} allowed",
                             f"长度 {len(data)} 字节，超过上限 {rules.max_bytes}")
    text = _decode(data, rules.encodings).rstrip("\r\n\t")
    if not text.strip():
        raise InvalidPayloadError("EMPTY", "the code is empty", "码内容为空")
    bad = next((ch for ch in text if _forbidden(ch)), None)
    if bad is not None:
        raise InvalidPayloadError("CONTROL_CHARS", f"it contains the control character U+{ord(bad):04X}",
                             f"含有控制字符 U+{ord(bad):04X}")
    if rules.patterns and not any(p.fullmatch(text) for p in rules.patterns):
        raise InvalidPayloadError("NOT_MATCHED", "it is not a code this terminal knows", "本终端不识别此码")
    return text


def _decode(data: bytes, encodings: tuple[str, ...]) -> str:
    if b"\x00" in data:  # NUL never occurs in text codes; decoding would still "succeed" for it
        raise InvalidPayloadError("BINARY", "it holds binary data, not text", "内容为二进制数据，不是文本")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise InvalidPayloadError("BINARY", "it holds binary data, not text", "内容为二进制数据，不是文本")


def _forbidden(ch: str) -> bool:
    if ch in _INVISIBLE:
        return True
    category = unicodedata.category(ch)
    # Cc: C0/C1 controls and DEL (Tab inside a code is refused too); Cs: lone surrogates;
    # Co/Cn: private-use and unassigned code points, which no legitimate code needs.
    return category in ("Cc", "Cs", "Co", "Cn")
