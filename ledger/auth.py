"""Signed requests at the ledger: per-terminal Ed25519 keys (see `protocol.signing`).

The ledger refuses an unknown, revoked or rotated key, a bad signature, a timestamp more than
`MAX_SKEW_S` from its clock and a nonce seen within `NONCE_TTL_S`. Keys are looked up on every
request, so `hpf-ledger terminals revoke|rotate` takes effect at once in every ledger process.
Nonces live in the database so every ledger process sees every other's. Whatever arrives in the
headers (non-ASCII, over-long, garbage) is a 401 with a sentence, never a 500.

`verify` records the nonce in a transaction of its own. `check` does every other check and leaves the nonce
to the caller (`PendingNonce.record`), which writes it first in the transaction that commits the request's
effect: POST /v1/transactions does, so its one durable commit holds both (docs/security.md, replay).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ledger.errors import LedgerError, unauthorized
from ledger.models import Nonce, Terminal
from ledger.models_credentials import TerminalKey as TerminalKeyRow
from protocol.signing import (
    H_KEY,
    H_NONCE,
    H_SERVER_TIME,
    H_SIG,
    H_TS,
    MAX_SKEW_S,
    NONCE_TTL_S,
    HeaderError,
    TerminalKey,
    canonical,
    parse_headers,
    verify_signature,
)
from protocol.signing import signed_headers as _signed_headers

__all__ = ["H_KEY", "H_NONCE", "H_SERVER_TIME", "H_SIG", "H_TS", "MAX_SKEW_S", "NONCE_TTL_S", "Caller",
           "PendingNonce", "check", "purge_nonces", "remember_nonce", "signed_headers", "verify"]


def signed_headers(key_id: str, key: TerminalKey, method: str, path_with_query: str, body: bytes,
                   *, now: float | None = None, nonce: str | None = None) -> dict[str, str]:
    """The four auth headers for one request (tests and the demo tools)."""
    return _signed_headers(key_id, key, method, path_with_query, body, int(time.time() if now is None else now),
                           nonce)


@dataclass(frozen=True)
class Caller:
    key_id: str
    terminal_id: str
    role: str


def _unknown_key() -> LedgerError:
    return unauthorized("unknown_key", "终端凭证未登记或已停用。", "The terminal credential is unknown or disabled.")


@dataclass(frozen=True)
class PendingNonce:
    """A verified request's nonce, not yet recorded."""

    key_id: str
    nonce: str
    seen_at: datetime

    def record(self, session: Session) -> None:
        """Write the nonce in `session`'s transaction, as its FIRST write, and flush it: a replay committed before
        fails here at once, one in flight waits on the unique index until that commits (then fails) or rolls back
        (then this one goes on). Either failure is the 401 "replay"; the caller's transaction is rolled back with
        it (raised from inside `sessions.begin()`), so the replay writes nothing."""
        session.add(Nonce(key_id=self.key_id, nonce=self.nonce, seen_at=self.seen_at))
        try:
            session.flush()
        except IntegrityError:
            raise _replay() from None


def _replay() -> LedgerError:
    # Seen before: refused whatever its age, since the timestamp check bounds real replays anyway.
    return unauthorized("replay", "该请求已被处理过（重放），已拒绝。",
                        "This request was seen before (replay) and is refused.")


def verify(sessions: sessionmaker[Session], headers: Mapping[str, str], method: str,
           path_with_query: str | tuple[str, ...], body: bytes, *, now: float | None = None) -> Caller:
    """Check one request's signature, clock and nonce; returns the caller or raises LedgerError (401).

    `path_with_query` may list equivalent spellings of the path (as sent, percent-decoded).
    """
    caller, nonce = check(sessions, headers, method, path_with_query, body, now=now)
    with sessions.begin() as session:
        nonce.record(session)
    return caller


def check(sessions: sessionmaker[Session], headers: Mapping[str, str], method: str,
          path_with_query: str | tuple[str, ...], body: bytes, *,
          now: float | None = None) -> tuple[Caller, PendingNonce]:
    """`verify` but for the nonce, which it returns unrecorded: the caller records it (`PendingNonce.record`) in
    the transaction that commits the request's effect, before anything else it writes."""
    now = time.time() if now is None else now
    try:
        parts = parse_headers(headers)
    except HeaderError as exc:
        raise unauthorized(exc.code, exc.zh, exc.en) from None
    with sessions() as session:  # the key and its terminal in one statement
        found = session.execute(
            select(TerminalKeyRow.status, TerminalKeyRow.public_key, Terminal.terminal_id, Terminal.role,
                   Terminal.active)
            .join(Terminal, Terminal.terminal_id == TerminalKeyRow.terminal_id)
            .where(TerminalKeyRow.key_id == parts.key_id)).first()
    if found is None or found.status != "active" or not found.active:
        raise _unknown_key()
    public_key, caller = found.public_key, Caller(parts.key_id, found.terminal_id, found.role)
    paths = (path_with_query,) if isinstance(path_with_query, str) else path_with_query
    if not any(verify_signature(public_key, parts.signature, canonical(method, p, parts.timestamp, parts.nonce, body))
               for p in paths):
        raise unauthorized("bad_signature", "请求签名不正确。", "The request signature does not match.")
    # Skew is checked after the signature so an attacker learns nothing about the clock unsigned.
    if abs(now - parts.timestamp) > MAX_SKEW_S:
        raise unauthorized("clock_skew", f"终端时钟与账务中心相差超过 {MAX_SKEW_S} 秒，请按服务器时间校正。",
                           f"The terminal clock is more than {MAX_SKEW_S} s off the ledger's; "
                           "correct it with the X-HPF-Server-Time header.")
    return caller, PendingNonce(parts.key_id, parts.nonce, datetime.fromtimestamp(now, UTC))


def remember_nonce(sessions: sessionmaker[Session], key_id: str, nonce: str, now: float) -> None:
    """The nonce in a transaction of its own (401 "replay" if it was seen before)."""
    with sessions.begin() as session:
        PendingNonce(key_id, nonce, datetime.fromtimestamp(now, UTC)).record(session)


def purge_nonces(sessions: sessionmaker[Session], *, now: float | None = None) -> int:
    """Forget nonces older than NONCE_TTL_S (their timestamps are refused as skewed anyway)."""
    cutoff = datetime.fromtimestamp(time.time() if now is None else now, UTC) - timedelta(seconds=NONCE_TTL_S)
    with sessions.begin() as session:
        result = session.execute(delete(Nonce).where(Nonce.seen_at < cutoff))
        return int(getattr(result, "rowcount", 0) or 0)
