"""Signed requests (wire protocol v1, signature scheme 2): Ed25519 per terminal.

Every /v1 request except health and enrolment carries four headers:

    X-HPF-Key        the key id the ledger enrolled (ASCII, ≤ 64 characters)
    X-HPF-Timestamp  Unix seconds, ≤ 12 digits
    X-HPF-Nonce      32 lowercase hex characters, never reused
    X-HPF-Signature  base64 of the 64-byte Ed25519 signature of `canonical(...)`

canonical = "\\n".join(["HPF-ED25519-1", METHOD, PATH_WITH_QUERY, TIMESTAMP, NONCE, sha256_hex(body)])

The terminal keeps its private key (0600 file, `TerminalKey.save`); the ledger stores only the
public key, so a stolen ledger database signs nothing. The ledger refuses an unknown, revoked or
rotated key, a bad signature, a timestamp more than `MAX_SKEW_S` from its clock (after the
signature check) and a nonce seen within `NONCE_TTL_S`. Every answer carries
`X-HPF-Server-Time`; a terminal refused for its clock signs again with the measured offset.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

SCHEME = "HPF-ED25519-1"
H_KEY, H_TS, H_NONCE, H_SIG = "X-HPF-Key", "X-HPF-Timestamp", "X-HPF-Nonce", "X-HPF-Signature"
H_SERVER_TIME = "X-HPF-Server-Time"
AUTH_HEADERS = (H_KEY, H_TS, H_NONCE, H_SIG)

MAX_SKEW_S = 300
NONCE_TTL_S = 600
MAX_KEY_ID = 64
MAX_TIMESTAMP_DIGITS = 12  # year 33658: anything longer is garbage, not a time

_KEY_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}\Z")
_NONCE_RE = re.compile(r"^[0-9a-f]{32}\Z")
_TS_RE = re.compile(r"^[0-9]{1,12}\Z")
_B64_RE = re.compile(r"^[A-Za-z0-9+/]{86}==\Z")  # 64 bytes


class KeyFileError(Exception):
    """A key file that cannot be read, parsed or is not an Ed25519 private key."""


def canonical(method: str, path_with_query: str, timestamp: int | str, nonce: str, body: bytes) -> bytes:
    parts = [SCHEME, method.upper(), path_with_query, str(timestamp), nonce, hashlib.sha256(body).hexdigest()]
    return "\n".join(parts).encode("utf-8")


def new_nonce() -> str:
    return secrets.token_hex(16)


def valid_key_id(key_id: str) -> bool:
    return bool(_KEY_ID_RE.match(key_id))


def public_key_text(key: Ed25519PublicKey) -> str:
    """Base64 of the 32 raw bytes: how the ledger stores and the CLI shows a public key."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def public_key_from_text(text: str) -> Ed25519PublicKey:
    """Parse `public_key_text`; ValueError for anything that is not 32 base64-encoded bytes."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise ValueError("public key: not base64") from None
    if len(raw) != 32:
        raise ValueError("public key: expected 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def fingerprint(public_key: str) -> str:
    """A short, stable name of a public key (first 16 hex of its SHA-256), for listings and logs."""
    return hashlib.sha256(public_key.encode("ascii")).hexdigest()[:16]


@dataclass(frozen=True)
class TerminalKey:
    """A terminal's private signing key."""

    private: Ed25519PrivateKey

    @classmethod
    def generate(cls) -> TerminalKey:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_pem(cls, pem: bytes) -> TerminalKey:
        try:
            key = serialization.load_pem_private_key(pem, password=None)
        except (ValueError, TypeError) as exc:
            raise KeyFileError(f"not a PEM private key: {exc}") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise KeyFileError("not an Ed25519 private key")
        return cls(key)

    @classmethod
    def load(cls, path: Path) -> TerminalKey:
        try:
            pem = path.read_bytes()
        except OSError as exc:
            raise KeyFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
        try:
            return cls.from_pem(pem)
        except KeyFileError as exc:
            raise KeyFileError(f"{path}: {exc}") from None

    def pem(self) -> bytes:
        return self.private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption())

    def save(self, path: Path) -> None:
        """Write the key readable by its owner only (0600), atomically; the folder is made 0700."""
        write_private_file(path, self.pem())

    @property
    def public_key(self) -> str:
        return public_key_text(self.private.public_key())

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self.private.sign(message)).decode("ascii")

    def derive_secret(self, purpose: str) -> str:
        """A secret for a local purpose (e.g. receipt verification codes) derived from this key."""
        raw = self.private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                         serialization.NoEncryption())
        return hashlib.sha256(b"HPF-DERIVE-1|" + purpose.encode("utf-8") + b"|" + raw).hexdigest()


def write_private_file(path: Path, data: bytes) -> None:
    """Create `path` with mode 0600 (never readable by others, not even for a moment), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def signed_headers(key_id: str, key: TerminalKey, method: str, path_with_query: str, body: bytes,
                   timestamp: int, nonce: str | None = None) -> dict[str, str]:
    nonce = nonce or new_nonce()
    return {H_KEY: key_id, H_TS: str(timestamp), H_NONCE: nonce,
            H_SIG: key.sign(canonical(method, path_with_query, timestamp, nonce, body))}


@dataclass(frozen=True)
class SignedParts:
    key_id: str
    timestamp: int
    nonce: str
    signature: bytes


class HeaderError(Exception):
    """A malformed authentication header; `code` is stable and zh/en are sentences."""

    def __init__(self, code: str, zh: str, en: str) -> None:
        super().__init__(f"{code}: {en}")
        self.code, self.zh, self.en = code, zh, en


def parse_headers(headers: Mapping[str, str]) -> SignedParts:
    """The four auth headers, shape-checked; HeaderError for a missing or malformed one (never a crash,
    whatever bytes arrive: non-ASCII, over-long, empty)."""
    values: dict[str, str] = {}
    for name in AUTH_HEADERS:
        value = headers.get(name)
        if not value:
            raise HeaderError("missing_auth", f"请求缺少签名头 {name}。", f"The request lacks the {name} header.")
        values[name] = value
    key_id, ts, nonce, sig = values[H_KEY], values[H_TS], values[H_NONCE], values[H_SIG]
    if not _KEY_ID_RE.match(key_id):
        raise HeaderError("unknown_key", "终端凭证未登记或已停用。", "The terminal credential is unknown or disabled.")
    if not _TS_RE.match(ts):
        raise HeaderError("bad_timestamp", "时间戳必须是整数秒。", "The timestamp must be whole Unix seconds.")
    if not _NONCE_RE.match(nonce):
        raise HeaderError("bad_nonce", "随机数必须是 32 位十六进制字符。", "The nonce must be 32 hex characters.")
    if not _B64_RE.match(sig):
        raise HeaderError("bad_signature", "请求签名不正确。", "The request signature does not match.")
    return SignedParts(key_id, int(ts), nonce, base64.b64decode(sig))


def verify_signature(public_key: str, signature: bytes, message: bytes) -> bool:
    try:
        public_key_from_text(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True
