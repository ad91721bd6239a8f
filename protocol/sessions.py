"""Member sessions on the wire (protocol v1): the header, the request and answer shapes, proofs.

A member session is opened by the ledger only after it verified the member itself (see
ledger/README.md "Member sessions"). The terminal then carries the opaque session token in
`SESSION_HEADER` on every personal request; the token is never logged, never put in a URL and
stored by the ledger only as its SHA-256.

Money-moving items (`PROOF_KINDS`) carry the member's proof in `payload["proof"]`:

- `{"session_id": "<id>"}` — the public id of the session the item was made in (online), or
- `{"member_token": "HPF1.…"}` — the member's signed QR token (offline; domain.member_token).

Both terminal and centre import this module; it holds no server code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

SESSION_HEADER = "X-HPF-Member-Session"

# Authentication methods a terminal may ask the ledger to check (the ledger decides which it accepts).
Method = Literal["password", "qr", "card+password", "card+qr"]
METHODS: tuple[str, ...] = ("password", "qr", "card+password", "card+qr")

# The kinds that move money or change where money goes: the item must carry the member's proof.
PROOF_KINDS = frozenset({"withdrawal.apply", "loan_offset.sign", "transfer.apply", "cobranded_card.sign"})
PROOF_FIELD = "proof"

OPEN_PATH = "/v1/sessions"
END_PATH = "/v1/session"
SNAPSHOT_PATH = "/v1/session/snapshot"
SCHEDULE_PATH = "/v1/session/loans/{loan_id}/schedule"


@dataclass(frozen=True)
class OpenRequest:
    """`POST /v1/sessions`: what the member showed. `id_number` comes from the card or the keypad."""

    method: str
    id_number: str = ""
    password: str = ""
    token: str = ""
    data: Mapping[str, str] = field(default_factory=dict)  # evidence of further authenticators (人证核验 …)

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"method": self.method}
        for name in ("id_number", "password", "token"):
            value = getattr(self, name)
            if value:
                body[name] = value
        if self.data:
            body["data"] = dict(self.data)
        return body


@dataclass(frozen=True)
class Opened:
    """The answer to `POST /v1/sessions`. `token` is the bearer secret; `session_id` is public."""

    session_id: str
    token: str
    member_id: str
    method: str
    expires_at: str  # ISO 8601 UTC
    ttl_s: int

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Opened:
        return cls(str(data["session_id"]), str(data["token"]), str(data["member_id"]), str(data["method"]),
                   str(data["expires_at"]), int(data["ttl_s"]))


def session_proof(session_id: str) -> dict[str, str]:
    return {"session_id": session_id}


def token_proof(token: str) -> dict[str, str]:
    return {"member_token": token}


def with_proof(payload: Mapping[str, Any], proof: Mapping[str, str]) -> dict[str, Any]:
    """A copy of `payload` carrying `proof` (the item's fingerprint covers it, so retries match)."""
    return {**payload, PROOF_FIELD: dict(proof)}
