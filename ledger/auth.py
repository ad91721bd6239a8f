"""Signed requests (wire protocol v1): HMAC-SHA256 over method, path, timestamp, nonce, body.

canonical = "\n".join([METHOD, PATH_WITH_QUERY, TIMESTAMP, NONCE, sha256_hex(body)]);
signature = hex HMAC-SHA256(secret, canonical). The ledger refuses an unknown key, a bad
signature, a timestamp more than `MAX_SKEW_S` from its clock and a nonce seen within
`NONCE_TTL_S`. Nonces live in the database so every ledger process sees every other's.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ledger.errors import LedgerError, unauthorized
from ledger.models import Nonce, Terminal

MAX_SKEW_S = 300
NONCE_TTL_S = 600
_NONCE_RE = re.compile(r"^[0-9a-f]{32}$")

H_KEY, H_TS, H_NONCE, H_SIG = "X-HPF-Key", "X-HPF-Timestamp", "X-HPF-Nonce", "X-HPF-Signature"
H_SERVER_TIME = "X-HPF-Server-Time"


def canonical(method: str, path_with_query: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    parts = [method.upper(), path_with_query, timestamp, nonce, hashlib.sha256(body).hexdigest()]
    return "\n".join(parts).encode("utf-8")


def sign(secret: str, method: str, path_with_query: str, timestamp: str, nonce: str, body: bytes) -> str:
    return hmac.new(secret.encode("utf-8"), canonical(method, path_with_query, timestamp, nonce, body),
                    hashlib.sha256).hexdigest()


def signed_headers(key_id: str, secret: str, method: str, path_with_query: str, body: bytes,
                   *, now: float | None = None, nonce: str | None = None) -> dict[str, str]:
    """The four auth headers for one request (used by tests and the demo tools)."""
    ts = str(int(time.time() if now is None else now))
    nonce = nonce or secrets.token_hex(16)
    return {H_KEY: key_id, H_TS: ts, H_NONCE: nonce,
            H_SIG: sign(secret, method, path_with_query, ts, nonce, body)}


@dataclass(frozen=True)
class Caller:
    key_id: str
    terminal_id: str
    role: str


def _missing(name: str) -> LedgerError:
    return unauthorized("missing_auth", f"请求缺少签名头 {name}。", f"The request lacks the {name} header.")


def verify(sessions: sessionmaker[Session], headers: Mapping[str, str], method: str,
           path_with_query: str | tuple[str, ...], body: bytes, *, now: float | None = None) -> Caller:
    """Check one request's signature, clock and nonce; returns the caller or raises LedgerError (401).

    `path_with_query` may list equivalent spellings of the path (as sent, percent-decoded).
    """
    now = time.time() if now is None else now
    values = {}
    for name in (H_KEY, H_TS, H_NONCE, H_SIG):
        value = headers.get(name)
        if not value:
            raise _missing(name)
        values[name] = value
    key_id, ts, nonce, signature = values[H_KEY], values[H_TS], values[H_NONCE], values[H_SIG]
    if not ts.isdigit():
        raise unauthorized("bad_timestamp", "时间戳必须是整数秒。", "The timestamp must be whole Unix seconds.")
    if not _NONCE_RE.match(nonce):
        raise unauthorized("bad_nonce", "随机数必须是 32 位十六进制字符。", "The nonce must be 32 hex characters.")
    with sessions() as session:
        terminal = session.get(Terminal, key_id)
        if terminal is None or not terminal.active:
            raise unauthorized("unknown_key", "终端凭证未登记或已停用。",
                               "The terminal credential is unknown or disabled.")
        secret, caller = terminal.secret, Caller(terminal.key_id, terminal.terminal_id, terminal.role)
    paths = (path_with_query,) if isinstance(path_with_query, str) else path_with_query
    if not any(hmac.compare_digest(sign(secret, method, p, ts, nonce, body), signature.lower()) for p in paths):
        raise unauthorized("bad_signature", "请求签名不正确。", "The request signature does not match.")
    # Skew is checked after the signature so an attacker learns nothing about the clock unsigned.
    if abs(now - int(ts)) > MAX_SKEW_S:
        raise unauthorized("clock_skew", f"终端时钟与账务中心相差超过 {MAX_SKEW_S} 秒，请按服务器时间校正。",
                           f"The terminal clock is more than {MAX_SKEW_S} s off the ledger's; "
                           "correct it with the X-HPF-Server-Time header.")
    remember_nonce(sessions, key_id, nonce, now)
    return caller


def remember_nonce(sessions: sessionmaker[Session], key_id: str, nonce: str, now: float) -> None:
    seen_at = datetime.fromtimestamp(now, UTC)
    try:
        with sessions.begin() as session:
            session.add(Nonce(key_id=key_id, nonce=nonce, seen_at=seen_at))
    except IntegrityError:
        # Seen before: refused whatever its age, since the timestamp check bounds real replays anyway.
        raise unauthorized("replay", "该请求已被处理过（重放），已拒绝。",
                           "This request was seen before (replay) and is refused.") from None


def purge_nonces(sessions: sessionmaker[Session], *, now: float | None = None) -> int:
    """Forget nonces older than NONCE_TTL_S (their timestamps are refused as skewed anyway)."""
    cutoff = datetime.fromtimestamp(time.time() if now is None else now, UTC) - timedelta(seconds=NONCE_TTL_S)
    with sessions.begin() as session:
        result = session.execute(delete(Nonce).where(Nonce.seen_at < cutoff))
        return int(getattr(result, "rowcount", 0) or 0)
