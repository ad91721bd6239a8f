"""The DEMO signing key of the exchange simulator: demo and tests only, never a real centre.

Its public half is `domain.exchange_contract.DEMO_PUBLIC_KEY`, the ledger's default trust; a
production ledger is configured with the real exchange's public key and refuses this one.
"""

from __future__ import annotations

from importlib import resources

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from domain.exchange_contract import DEMO_KEY_ID

__all__ = ["DEMO_KEY_ID", "load_demo_private_key"]


def load_demo_private_key() -> Ed25519PrivateKey:
    pem = (resources.files(__name__) / "exchange_demo.pem").read_bytes()
    key = load_pem_private_key(pem, password=None)
    assert isinstance(key, Ed25519PrivateKey)
    return key
