"""What may leave the terminal in a support bundle: secrets redacted, personal numbers masked.

Three nets, each catching what the one before might miss:
1. configuration keys that name a secret (secret, password, pin, token, private key ...) are
   replaced by "[REDACTED]" wherever they appear in the configuration;
2. the *values* of those secrets are replaced wherever they appear in any text (a log line that
   printed one by mistake);
3. `domain.masking.mask_text` masks ID, card and phone numbers, and a last pass masks any run of
   15 or more digits, even glued to letters (which `mask_text`'s word boundaries let through).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from domain.masking import mask_text

REDACTED = "[REDACTED]"
SECRET_KEY = re.compile(r"secret|passw|passphrase|pin(_|$)|pin_sha|token|private|api_?key|credential", re.IGNORECASE)
_LONG_DIGITS = re.compile(r"\d{15,}[Xx]?")


def is_secret_key(key: str) -> bool:
    return bool(SECRET_KEY.search(key))


def redact_mapping(data: Any, found: list[str] | None = None) -> Any:
    """A copy of nested dicts/lists with every secret-named key's value redacted; the values go to `found`."""
    if isinstance(data, Mapping):
        out: dict[str, Any] = {}
        for key, value in data.items():
            if is_secret_key(str(key)) and not isinstance(value, Mapping):
                if found is not None and value not in (None, "", 0):
                    found.extend(_strings(value))
                out[str(key)] = REDACTED
            else:
                out[str(key)] = redact_mapping(value, found)
        return out
    if isinstance(data, list | tuple):
        return [redact_mapping(v, found) for v in data]
    return data


def _strings(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return [str(value)]


class Scrubber:
    """Cleans any text for the bundle: known secret values out, personal numbers masked."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # longest first, so a secret that contains another is removed whole; very short values
        # (a 1-3 character "secret") would redact half the text and protect nothing
        self.secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        text = mask_text(text)
        return _LONG_DIGITS.sub(lambda m: m.group(0)[:4] + "*" * (len(m.group(0)) - 8) + m.group(0)[-4:], text)
