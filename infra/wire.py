"""The wire-protocol version that terminal and ledger negotiate during a staged rollout.

Every terminal request carries `X-HPF-Protocol: <version>` (release 0.1 sent none: read as 1).
The ledger answers every request with `X-HPF-Protocol-Accepted: <versions>` and accepts the
previous version beside the current one, so the centre can be upgraded before its terminals.
A terminal newer than its ledger gets HTTP 426 `protocol_unsupported`; it then holds its queue
(sync status "held") instead of failing items, and sends once the ledger is upgraded.

Moves to the shared `protocol/` package when that exists (one constant for both sides).
"""

from __future__ import annotations

PROTOCOL_HEADER = "X-HPF-Protocol"
ACCEPTED_HEADER = "X-HPF-Protocol-Accepted"
PROTOCOL_VERSION = 1
# The versions a ledger of this release takes: the current one and the one before it.
ACCEPTED_VERSIONS: tuple[int, ...] = tuple(v for v in (PROTOCOL_VERSION - 1, PROTOCOL_VERSION) if v >= 1)
UNSUPPORTED_CODE = "protocol_unsupported"
UNVERSIONED = 1  # a request without the header (release 0.1)


def parse_version(value: str | None) -> int | None:
    """The version a request states, UNVERSIONED without the header, None when it is not a version."""
    if value is None or value == "":
        return UNVERSIONED
    value = value.strip()
    if not value.isdigit() or len(value) > 4:
        return None
    return int(value)
