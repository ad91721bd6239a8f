"""Enrolment of a terminal (wire protocol v1): a one-time code for the terminal's own public key.

The centre runs `hpf-ledger terminals add ID` (or `rotate ID`), which prints a one-time code with
an expiry. On the terminal, `hpf-diag enrol --ledger URL --code CODE` generates a key pair, keeps
the private key (0600) and sends `POST /v1/terminals/enrol` — unsigned, the code is the
credential — with:

    {"code": "<code>", "public_key": "<base64 of 32 bytes>"}

The ledger answers `{"key_id", "terminal_id", "role", "outlet"}`; the code is spent.
"""

from __future__ import annotations

import re
import secrets

ENROL_PATH = "/v1/terminals/enrol"
CODE_GROUPS = 6  # 6 groups of 5 base32 characters: 150 bits
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from paper
_CODE_RE = re.compile(rf"^[{_ALPHABET}]{{30}}\Z")


def new_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(5 * CODE_GROUPS))
    return "-".join(raw[i:i + 5] for i in range(0, len(raw), 5))


def normalise_code(text: str) -> str | None:
    """The code without dashes/spaces, upper case; None if it cannot be a code."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    cleaned = text.replace("-", "").replace(" ", "").upper()
    return cleaned if _CODE_RE.match(cleaned) else None
