"""Member-app QR tokens signed with the demo key (the demo's phone and the tests only)."""

from __future__ import annotations

import time

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from domain.member_token import issue_token
from kiosk.demo_keys import load_demo_private_key


def demo_key() -> Ed25519PrivateKey:
    return load_demo_private_key()


def fresh_token(member_id: str) -> str:
    return issue_token(demo_key(), "demo-2026", member_id, int(time.time()))
