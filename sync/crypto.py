"""Encryption at rest of personal data cached on the terminal (AES-256-GCM).

The key is 32 random bytes in a per-terminal key file, created owner-only (0600) on first use.
Each record is sealed with a fresh 96-bit nonce and bound to its owner through the associated
data (the member id), so a ciphertext copied onto another member's row does not decrypt.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sys
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from infra import paths
from infra.logs import get_logger

log = get_logger("sync")

KEY_FILE_NAME = "terminal-cache.key"  # seals outbox payloads and cached snapshots
KEY_BYTES = 32


class CacheKeyError(Exception):
    """The key file is unreadable or damaged; the cache cannot be decrypted."""


def default_key_path() -> Path:
    return paths.data_dir() / KEY_FILE_NAME


def load_or_create_key(path: Path | None = None) -> bytes:
    """The terminal's key; created on first use, atomically, so a crash never leaves a short key file."""
    path = path or default_key_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        return _read_key(path)
    key = AESGCM.generate_key(bit_length=KEY_BYTES * 8)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(key)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(temp, path)  # appears whole or not at all; fails if another process won the race
        except FileExistsError:
            return _read_key(path)
    finally:
        temp.unlink(missing_ok=True)
    _fsync_dir(path.parent)
    log.info("created the cache key file %s", path)
    return key


def _fsync_dir(folder: Path) -> None:
    if sys.platform == "win32":  # pragma: no cover - directories cannot be opened for fsync there
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _read_key(path: Path) -> bytes:
    if sys.platform != "win32" and path.stat().st_mode & 0o077:
        path.chmod(0o600)  # someone widened it: take it back to owner-only
        log.info("reset the permissions of %s to 0600", path)
    key = path.read_bytes()
    if len(key) != KEY_BYTES:
        raise CacheKeyError(f"{path}: expected a {KEY_BYTES}-byte key, found {len(key)} bytes")
    return key


class Cipher:
    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)
        self._ref_key = hmac.new(key, b"hpf-cache-ref-v1", hashlib.sha256).digest()  # derived, not the AES key

    def ref(self, text: str) -> str:
        """A keyed, one-way reference to `text` (e.g. an ID number as a cache key): 32 hex characters."""
        return hmac.new(self._ref_key, text.encode("utf-8"), hashlib.sha256).hexdigest()[:32]

    def seal(self, owner: str, plaintext: bytes) -> tuple[bytes, bytes]:
        nonce = os.urandom(12)
        return nonce, self._aead.encrypt(nonce, plaintext, owner.encode("utf-8"))

    def open(self, owner: str, nonce: bytes, ciphertext: bytes) -> bytes | None:
        """The plaintext, or None when the record was tampered with or sealed under another key/owner."""
        try:
            return self._aead.decrypt(nonce, ciphertext, owner.encode("utf-8"))
        except InvalidTag:
            return None
