"""The member app's identification QR code: a signed, short-lived token verified offline.

Format (version 1), ASCII so any QR reader passes it through unchanged:

    HPF1.<payload>.<signature>

- `payload` is base64url (no padding) of compact UTF-8 JSON
  `{"k": key id, "m": member id, "iat": issued at, "exp": expires at, "n": nonce}`
  with Unix seconds; `exp - iat` is at most `MAX_LIFETIME_S`.
- `signature` is base64url of the Ed25519 signature of the ASCII bytes `HPF1.<payload>`, made by
  the centre's token service with the private key named by `k`.

The kiosk holds only public keys (`[kiosk] member_token_keys`, by default the shipped
resources/keys/member_token_keys.toml), each with an optional validity window
(`not_before`/`not_after`) so keys rotate: the new key is listed before the token service signs with
it, the old one expires. It verifies with no network. The signature is checked over the raw bytes
with every key valid now BEFORE any JSON is parsed: unauthenticated input never reaches the JSON
decoder, and every decoding failure is a `TokenError`. A token is refused when its signature, key,
format or time is wrong (with `CLOCK_SKEW_S` of grace for the phone's and the kiosk's clocks) and
when the same nonce was already used on this terminal (a photographed code can't be replayed while
it is still valid)."""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PREFIX = "HPF1"
MAX_LIFETIME_S = 300
CLOCK_SKEW_S = 30
_MEMBER_ID_MAX = 64


class TokenError(ValueError):  # noqa: N818 - named like domain.identity.InvalidIdNumber
    """A QR code that does not identify anyone; `code` is stable, zh/en are for the screen."""

    def __init__(self, code: str, zh: str, en: str) -> None:
        super().__init__(f"{code}: {en}")
        self.code = code
        self.zh = zh
        self.en = en


def _malformed() -> TokenError:
    return TokenError("malformed", "这不是公积金 App 的身份码，请在 App 中打开“扫码登录”。",
                      "This is not a Housing Provident Fund app identity code; open \"QR sign-in\" in the app.")


@dataclass(frozen=True)
class MemberToken:
    key_id: str
    member_id: str
    issued_at: int
    expires_at: int
    nonce: str


_URLSAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    if not text or not _URLSAFE.issuperset(text):  # one set operation: every text the ledger verifies comes here
        raise _malformed()
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise _malformed() from None


def issue_token(private_key: Ed25519PrivateKey, key_id: str, member_id: str, now: int,
                lifetime_s: int = 120, nonce: str | None = None) -> str:
    """Make a token (the centre's token service does this; the demo and tests too)."""
    if not 0 < lifetime_s <= MAX_LIFETIME_S:
        raise ValueError(f"lifetime must be 1..{MAX_LIFETIME_S} s")
    payload = {"k": key_id, "m": member_id, "iat": now, "exp": now + lifetime_s,
               "n": nonce or secrets.token_hex(8)}
    body = _b64encode(json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
    signed = f"{PREFIX}.{body}"
    return f"{signed}.{_b64encode(private_key.sign(signed.encode('ascii')))}"


def looks_like_token(text: str) -> bool:
    return text.startswith(PREFIX + ".")


@dataclass(frozen=True)
class TrustedKey:
    """A public key of the token service, trusted from `not_before` to `not_after` (Unix seconds)."""

    key: Ed25519PublicKey
    not_before: int | None = None
    not_after: int | None = None

    def valid_at(self, now: int) -> bool:
        return (self.not_before is None or now >= self.not_before) and (self.not_after is None or now <= self.not_after)


class TokenVerifier:
    """Verifies tokens against the centre's public keys and remembers used nonces until expiry."""

    def __init__(self, public_keys: Mapping[str, Ed25519PublicKey | TrustedKey]) -> None:
        self._keys = {kid: k if isinstance(k, TrustedKey) else TrustedKey(k) for kid, k in public_keys.items()}
        self._used: dict[str, int] = {}  # nonce -> expiry

    def verify(self, text: str, now: int) -> MemberToken:
        token = self._check(text.strip(), now)
        self._used = {n: exp for n, exp in self._used.items() if exp + CLOCK_SKEW_S >= now}
        if token.nonce in self._used:
            raise TokenError("replayed", "这个身份码已经用过，请在 App 中刷新后再扫。",
                             "This code was already used; refresh it in the app and scan again.")
        self._used[token.nonce] = token.expires_at
        return token

    def _check(self, text: str, now: int) -> MemberToken:
        parts = text.split(".")
        if len(parts) != 3 or parts[0] != PREFIX or not text.isascii():
            raise _malformed()
        payload_bytes, signature = _b64decode(parts[1]), _b64decode(parts[2])
        signed = f"{parts[0]}.{parts[1]}".encode("ascii")
        # The signature first, with every key valid now: unauthenticated bytes never reach the JSON parser.
        signer = next((kid for kid, trusted in self._keys.items() if trusted.valid_at(now)
                       and _verifies(trusted.key, signature, signed)), None)
        if signer is None:
            if not any(t.valid_at(now) for t in self._keys.values()):
                raise TokenError("unknown_key", "无法验证这个身份码（密钥未知），请使用身份证或密码登录。",
                                 "This code can't be verified here (unknown key); use your ID card or password.")
            raise TokenError("bad_signature", "身份码验证失败，请在 App 中刷新后再扫。",
                             "The code failed verification; refresh it in the app and scan again.")
        try:
            payload = json.loads(payload_bytes.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise _malformed() from None
        token = _parse_payload(payload)
        if token.key_id != signer:  # signed by one key while naming another: not the service's token
            raise TokenError("bad_signature", "身份码验证失败，请在 App 中刷新后再扫。",
                             "The code failed verification; refresh it in the app and scan again.")
        if token.expires_at - token.issued_at > MAX_LIFETIME_S or token.expires_at <= token.issued_at:
            raise _malformed()
        if token.issued_at > now + CLOCK_SKEW_S:
            raise TokenError("not_yet_valid", "身份码时间不正确，请检查手机时间后刷新。",
                             "The code's time is wrong; check your phone's clock and refresh.")
        if now > token.expires_at + CLOCK_SKEW_S:
            raise TokenError("expired", "身份码已过期，请在 App 中刷新后再扫。",
                             "The code has expired; refresh it in the app and scan again.")
        return token


def _verifies(key: Ed25519PublicKey, signature: bytes, message: bytes) -> bool:
    try:
        key.verify(signature, message)
    except InvalidSignature:
        return False
    return True


def _parse_payload(payload: object) -> MemberToken:
    if not isinstance(payload, dict):
        raise _malformed()
    k, m, iat, exp, n = (payload.get(x) for x in ("k", "m", "iat", "exp", "n"))
    if not (isinstance(k, str) and isinstance(m, str) and isinstance(n, str) and k and n
            and 0 < len(m) <= _MEMBER_ID_MAX):
        raise _malformed()
    if not (isinstance(iat, int) and isinstance(exp, int)) or isinstance(iat, bool) or isinstance(exp, bool):
        raise _malformed()
    return MemberToken(key_id=k, member_id=m, issued_at=iat, expires_at=exp, nonce=n)


def public_key_from_text(text: str) -> Ed25519PublicKey:
    """A key as stored in the key file: base64 of the 32 raw bytes (ValueError otherwise)."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"{text!r}: not base64") from None
    return Ed25519PublicKey.from_public_bytes(raw)


def _seconds(value: object, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"{where}: give the time zone (e.g. 2027-01-01T00:00:00+08:00)")
        return int(value.timestamp())
    raise ValueError(f"{where}: expected a date-time with a time zone")


def parse_key_table(table: Mapping[str, object]) -> dict[str, TrustedKey]:
    """`[keys]` of a key file: `<id> = "<base64>"` (always valid) or a table with `public_key`,
    `not_before`, `not_after` (TOML date-times with an offset)."""
    keys = table.get("keys", {})
    if not isinstance(keys, dict):
        raise ValueError("[keys] must be a table")
    out: dict[str, TrustedKey] = {}
    for kid, value in keys.items():
        if isinstance(value, str):
            out[str(kid)] = TrustedKey(public_key_from_text(value))
        elif isinstance(value, dict):
            unknown = set(value) - {"public_key", "not_before", "not_after"}
            if unknown or not isinstance(value.get("public_key"), str):
                raise ValueError(f"keys.{kid}: needs public_key; allowed: public_key, not_before, not_after")
            out[str(kid)] = TrustedKey(public_key_from_text(value["public_key"]),
                                       _seconds(value.get("not_before"), f"keys.{kid}.not_before"),
                                       _seconds(value.get("not_after"), f"keys.{kid}.not_after"))
        else:
            raise ValueError(f"keys.{kid}: expected a base64 key or a table")
    return out


def load_public_keys(path: Path | None = None) -> dict[str, TrustedKey]:
    """The centre's token keys (the shipped file by default), with their validity windows."""
    path = path or Path(str(resources.files("resources.keys") / "member_token_keys.toml"))
    return parse_key_table(tomllib.loads(path.read_text(encoding="utf-8")))
