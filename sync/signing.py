"""Request signing, terminal side: the wire protocol's Ed25519 scheme (`protocol.signing`)."""

from __future__ import annotations

from protocol.signing import TerminalKey, canonical, new_nonce, signed_headers

__all__ = ["TerminalKey", "canonical", "new_nonce", "signed_headers"]
