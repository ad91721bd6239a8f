"""Encryption at rest of personal data cached on the terminal (AES-256-GCM).

The key is 32 random bytes per terminal, created on first use. By default it is kept in the OS
keyring (the `keyring` package with a real backend: Secret Service, macOS Keychain, Windows
Credential Manager) when one is available to the service user; otherwise in a key file readable
by the service user only (0600) in a folder of its own (`<data dir>/keys/`, 0700) — not beside
the database, so a copy of the data folder's database alone does not carry its key. An older
terminal's key file beside the database (`<data dir>/terminal-cache.key`) keeps being used, so
queued payloads are never stranded. docs/security.md describes the choice.
Each record is sealed with a fresh 96-bit nonce and bound to its owner through the associated
data (the member id), so a ciphertext copied onto another member's row does not decrypt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import sys
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from infra import paths
from infra.logs import get_logger

log = get_logger("sync")

KEY_FILE_NAME = "terminal-cache.key"  # seals outbox payloads and cached snapshots
KEY_BYTES = 32


class CacheKeyError(Exception):
    """The key file is unreadable or damaged; the cache cannot be decrypted."""


KEYRING_SERVICE = "hpf-terminal"


def default_key_path() -> Path:
    legacy = paths.data_dir() / KEY_FILE_NAME
    return legacy if legacy.exists() else paths.data_dir() / "keys" / KEY_FILE_NAME


def _usable_keyring() -> Any | None:
    """The keyring module if a real (secure) backend is configured for this user, else None."""
    if os.environ.get("HPF_CACHE_KEY_STORE", "auto") == "file":
        return None
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    backend = keyring.get_keyring()
    name = type(backend).__module__ + "." + type(backend).__name__
    if isinstance(backend, fail.Keyring) or "null" in name.lower() or "plaintext" in name.lower():
        return None
    return keyring


def _keyring_key(ring: Any) -> bytes | None:
    """The key from the keyring (created there on first use); None if the keyring fails."""
    account = f"cache-key:{paths.data_dir()}"
    try:
        stored = ring.get_password(KEYRING_SERVICE, account)
        if stored is None:
            key = AESGCM.generate_key(bit_length=KEY_BYTES * 8)
            ring.set_password(KEYRING_SERVICE, account, base64.b64encode(key).decode("ascii"))
            stored = ring.get_password(KEYRING_SERVICE, account)  # whoever won a race
            log.info("created the cache key in the OS keyring")
        key = base64.b64decode(stored or "")
    except Exception as exc:  # keyring backends raise their own errors (locked, no D-Bus, ...)
        log.info("OS keyring unavailable (%s); using the key file", type(exc).__name__)
        return None
    if len(key) != KEY_BYTES:
        raise CacheKeyError(f"the keyring's cache key has {len(key)} bytes, expected {KEY_BYTES}")
    return key


def load_or_create_key(path: Path | None = None) -> bytes:
    """The terminal's key; created on first use, atomically, so a crash never leaves a short key file.

    With no explicit `path`: the OS keyring if usable (and no older key file exists), else the
    default key file."""
    if path is None:
        legacy = paths.data_dir() / KEY_FILE_NAME
        ring = None if legacy.exists() else _usable_keyring()
        if ring is not None:
            from_ring = _keyring_key(ring)
            if from_ring is not None:
                return from_ring
    path = path or default_key_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
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
