"""The terminal registry: add, list, revoke, rotate, enrol (issue 10, per-terminal credentials).

`add` registers a terminal and issues a one-time enrolment code; the terminal sends its own public
key with the code (`enrol`). `revoke` stops every key of a terminal at once; `rotate` stops its
current keys at once and issues a new code, so the terminal enrols a fresh key pair. The ledger
never sees a private key.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from ledger.errors import LedgerError
from ledger.models import Terminal
from ledger.models_credentials import EnrolmentCode, TerminalKey
from protocol.enrolment import new_code, normalise_code
from protocol.signing import fingerprint, public_key_from_text, valid_key_id

DEFAULT_CODE_TTL = timedelta(hours=24)


class RegistryError(ValueError):
    """An operator mistake (unknown terminal, bad id): the CLI prints it and exits 2."""


@dataclass(frozen=True)
class IssuedCode:
    terminal_id: str
    code: str
    expires_at: datetime


@dataclass(frozen=True)
class TerminalInfo:
    terminal_id: str
    role: str
    outlet: str
    active: bool
    keys: list[tuple[str, str, str]]  # (key id, status, fingerprint)
    pending_code_until: datetime | None


def _hash(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _terminal(session: Session, terminal_id: str) -> Terminal | None:
    return session.scalars(select(Terminal).where(Terminal.terminal_id == terminal_id)).first()


def _issue(session: Session, terminal_id: str, now: datetime, ttl: timedelta) -> IssuedCode:
    # A new code replaces any unused one of the same terminal.
    session.execute(update(EnrolmentCode).where(EnrolmentCode.terminal_id == terminal_id,
                                                EnrolmentCode.used_at.is_(None))
                    .values(expires_at=now))
    code = new_code()
    expires = now + ttl
    session.add(EnrolmentCode(code_hash=_hash(normalise_code(code) or code), terminal_id=terminal_id,
                              created_at=now, expires_at=expires))
    return IssuedCode(terminal_id, code, expires)


def add(sessions: sessionmaker[Session], terminal_id: str, role: str, outlet: str = "", *,
        ttl: timedelta = DEFAULT_CODE_TTL, now: datetime | None = None) -> IssuedCode:
    if not valid_key_id(terminal_id) or len(terminal_id) > 48:
        raise RegistryError(f"terminal id {terminal_id!r}: use 1-48 letters, digits, '.', '_', ':' or '-' "
                            "/ 终端编号只能由字母、数字和 . _ : - 组成")
    if role not in ("kiosk", "counter"):
        raise RegistryError(f"role {role!r}: kiosk or counter / 角色只能是 kiosk 或 counter")
    now = _now(now)
    with sessions.begin() as session:
        if _terminal(session, terminal_id) is not None:
            raise RegistryError(f"terminal {terminal_id} exists; use rotate for a new code / 终端已存在，请用 rotate")
        session.add(Terminal(key_id=terminal_id, terminal_id=terminal_id, role=role, outlet=outlet, active=True))
        return _issue(session, terminal_id, now, ttl)


def _stop_keys(session: Session, terminal_id: str, status: str, now: datetime) -> int:
    result = session.execute(update(TerminalKey).where(TerminalKey.terminal_id == terminal_id,
                                                       TerminalKey.status == "active")
                             .values(status=status, revoked_at=now))
    return int(getattr(result, "rowcount", 0) or 0)


def revoke(sessions: sessionmaker[Session], terminal_id: str, *, now: datetime | None = None) -> int:
    """Refuse the terminal's keys from now on and cancel its unused codes; returns the keys stopped."""
    now = _now(now)
    with sessions.begin() as session:
        terminal = _terminal(session, terminal_id)
        if terminal is None:
            raise RegistryError(f"no terminal {terminal_id} / 没有终端 {terminal_id}")
        terminal.active = False
        session.execute(update(EnrolmentCode).where(EnrolmentCode.terminal_id == terminal_id,
                                                    EnrolmentCode.used_at.is_(None))
                        .values(expires_at=now))
        return _stop_keys(session, terminal_id, "revoked", now)


def rotate(sessions: sessionmaker[Session], terminal_id: str, *, ttl: timedelta = DEFAULT_CODE_TTL,
           now: datetime | None = None) -> IssuedCode:
    """Stop the terminal's current keys at once and issue a code to enrol a new key pair."""
    now = _now(now)
    with sessions.begin() as session:
        terminal = _terminal(session, terminal_id)
        if terminal is None:
            raise RegistryError(f"no terminal {terminal_id} / 没有终端 {terminal_id}")
        terminal.active = True
        _stop_keys(session, terminal_id, "rotated", now)
        return _issue(session, terminal_id, now, ttl)


def listing(sessions: sessionmaker[Session], *, now: datetime | None = None) -> list[TerminalInfo]:
    now_aware = _now(now)
    with sessions() as session:
        out = []
        for t in session.scalars(select(Terminal).order_by(Terminal.terminal_id)):
            keys = [(k.key_id, k.status, fingerprint(k.public_key)) for k in session.scalars(
                select(TerminalKey).where(TerminalKey.terminal_id == t.terminal_id).order_by(TerminalKey.created_at))]
            pending = session.scalars(select(EnrolmentCode.expires_at).where(
                EnrolmentCode.terminal_id == t.terminal_id, EnrolmentCode.used_at.is_(None),
                EnrolmentCode.expires_at > now_aware)).first()
            out.append(TerminalInfo(t.terminal_id, t.role, t.outlet, t.active, keys, pending))
        return out


def _refused(code: str, zh: str, en: str) -> LedgerError:
    return LedgerError(403, code, zh, en)


@dataclass(frozen=True)
class Enrolled:
    key_id: str
    terminal_id: str
    role: str
    outlet: str


def enrol(sessions: sessionmaker[Session], code: str, public_key: str, *, now: datetime | None = None) -> Enrolled:
    """Spend a one-time code on the terminal's public key; LedgerError (400/403) otherwise."""
    try:
        public_key_from_text(public_key)
    except ValueError:
        raise LedgerError(400, "bad_public_key", "公钥格式不正确（应为 32 字节的 Base64）。",
                          "The public key must be 32 bytes in base64.") from None
    normal = normalise_code(code)
    bad = _refused("bad_enrolment_code", "登记码无效、已使用或已过期，请向中心索取新的登记码。",
                   "The enrolment code is unknown, used or expired; ask the centre for a new one.")
    if normal is None:
        raise bad
    now = _now(now)
    with sessions.begin() as session:
        row = session.get(EnrolmentCode, _hash(normal), with_for_update=True)
        if row is None or row.used_at is not None or row.expires_at <= now:
            raise bad
        terminal = _terminal(session, row.terminal_id)
        if terminal is None or not terminal.active:
            raise bad
        key_id = f"{terminal.terminal_id}.{secrets.token_hex(4)}"
        _stop_keys(session, terminal.terminal_id, "rotated", now)
        session.add(TerminalKey(key_id=key_id, terminal_id=terminal.terminal_id, public_key=public_key,
                                status="active", created_at=now))
        row.used_at, row.key_id = now, key_id
        return Enrolled(key_id, terminal.terminal_id, terminal.role, terminal.outlet)


def register_key(session: Session, terminal_id: str, role: str, outlet: str, key_id: str, public_key: str) -> None:
    """Register a terminal with a known public key directly (seed-demo): no code involved."""
    if _terminal(session, terminal_id) is None:
        session.add(Terminal(key_id=terminal_id, terminal_id=terminal_id, role=role, outlet=outlet, active=True))
    row = session.get(TerminalKey, key_id)
    if row is None:
        session.add(TerminalKey(key_id=key_id, terminal_id=terminal_id, public_key=public_key, status="active"))
    else:
        row.public_key, row.status, row.revoked_at = public_key, "active", None
