"""Request signing of protocol v1: HMAC-SHA256 over method, path, timestamp, nonce and body hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def canonical(method: str, path_with_query: str, timestamp: int, nonce: str, body: bytes) -> bytes:
    parts = [method.upper(), path_with_query, str(timestamp), nonce, hashlib.sha256(body).hexdigest()]
    return "\n".join(parts).encode("utf-8")


def sign(secret: str, method: str, path_with_query: str, timestamp: int, nonce: str, body: bytes) -> str:
    message = canonical(method, path_with_query, timestamp, nonce, body)
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def new_nonce() -> str:
    return secrets.token_hex(16)


def signed_headers(key_id: str, secret: str, method: str, path_with_query: str, body: bytes,
                   timestamp: int) -> dict[str, str]:
    nonce = new_nonce()
    return {
        "X-HPF-Key": key_id,
        "X-HPF-Timestamp": str(timestamp),
        "X-HPF-Nonce": nonce,
        "X-HPF-Signature": sign(secret, method, path_with_query, timestamp, nonce, body),
    }
