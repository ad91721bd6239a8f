"""The DEMO private key of the member-app token service: demo and tests only, never a real centre.

A real centre's token service keeps its private key; terminals only ever hold public keys
(resources/keys/). This one signs the QR codes of the demo's simulated phone.
"""

from __future__ import annotations

from importlib import resources

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key

DEMO_KEY_ID = "demo-2026"


def load_demo_private_key() -> Ed25519PrivateKey:
    pem = (resources.files(__name__) / "member_token_demo.pem").read_bytes()
    key = load_pem_private_key(pem, password=None)
    assert isinstance(key, Ed25519PrivateKey)
    return key
