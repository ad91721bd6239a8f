"""The member's proof for ledger tests: QR tokens signed with the demo key, and sessions opened through the API.

Other engineers' tests adapt with one of:
- `proof_payload(payload, member_id)` — a copy of a money-moving payload carrying a fresh QR-token proof;
- `open_session(client, member_id)` — a real member session opened by the ledger (via the QR method);
  send `session_headers(opened)` with personal reads and `session_proof(opened)` in items.
"""

from __future__ import annotations

import time
from typing import Any

from domain.member_token import issue_token
from kiosk.demo_keys import DEMO_KEY_ID, load_demo_private_key
from protocol.sessions import SESSION_HEADER, token_proof, with_proof

_KEY = load_demo_private_key()


def member_token(member_id: str, *, now: float | None = None, lifetime_s: int = 300) -> str:
    return issue_token(_KEY, DEMO_KEY_ID, member_id, int(time.time() if now is None else now), lifetime_s)


def qr_proof(member_id: str, *, now: float | None = None) -> dict[str, str]:
    return token_proof(member_token(member_id, now=now))


def proof_payload(payload: dict[str, Any], member_id: str, *, now: float | None = None) -> dict[str, Any]:
    return with_proof(payload, qr_proof(member_id, now=now))


def open_session(client: Any, member_id: str) -> dict[str, Any]:
    """Open a member session on `client`'s terminal (a tests.ledger.conftest.SignedTestClient)."""
    response = client.post("/v1/sessions", {"method": "qr", "token": member_token(member_id)})
    assert response.status_code == 200, response.text
    opened: dict[str, Any] = response.json()
    return opened


def session_headers(opened: dict[str, Any]) -> dict[str, str]:
    return {SESSION_HEADER: str(opened["token"])}


def session_proof(opened: dict[str, Any]) -> dict[str, str]:
    return {"session_id": str(opened["session_id"])}
