"""Member sessions: the ledger verifies the member itself, then lets one terminal read that member.

- **Authenticators** (`AUTHENTICATORS`, pluggable): each checks one kind of evidence the member
  showed and returns the member id, or raises a bilingual 401. Shipped: the query password, the
  app's signed QR token, and an ID-card read confirmed by either (a card alone identifies, it never
  authorizes). A face-to-ID-photo match (人证核验) is one more class registered with `register`.
- **Sessions**: an opaque random bearer token (only its SHA-256 is stored), bound to the terminal
  that opened it, valid for `LedgerSettings.session_ttl_s`, ended by the terminal on finish or
  idle wipe. `resolve` turns the header into the session or refuses (missing, unknown, ended,
  expired, another terminal's).
- **Proofs**: a money-moving item from a kiosk carries the session id it was made in, or offline
  the member's QR token; `check_item_proof` verifies it against the item's member and creation
  time when the item is applied. A token is accepted once (its nonce is remembered).
- **Read limits**: every personal look-up is counted per terminal: past
  `member_reads_per_minute` it is answered 429; past `distinct_members_alert` distinct members in
  `distinct_members_window_s` an alert row is written and logged (once per window).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from domain import account as acc
from domain.masking import mask_bank_card, mask_id_number, mask_name, mask_phone
from domain.member_token import MemberToken, TokenError, TokenVerifier, TrustedKey, load_public_keys
from domain.transactions import TransactionError
from infra.logs import get_logger
from ledger import members
from ledger.errors import LedgerError, bad_request, unauthorized
from ledger.models import Member
from ledger.models_sessions import MemberRead, MemberReadAlert, MemberSession, MemberTokenUse
from ledger.settings import LedgerSettings
from protocol.sessions import PROOF_FIELD, PROOF_KINDS, OpenRequest

log = get_logger("ledger")

PROOF_SKEW_S = 60  # grace between the terminal's clock (item created_at) and the ledger's (session times)
_TOKEN_BYTES = 32


# ---- trust keys of member QR tokens ---------------------------------------------------------------

@functools.cache  # the shipped file: read once, not once per proof checked
def _shipped_token_keys() -> Mapping[str, TrustedKey]:
    return load_public_keys()


# `hpf-ledger serve` points this at the keys of `[keys] member_token_keys` (with their validity windows):
# everything here asks for the keys through `token_keys()` only.
token_key_source: Callable[[], Mapping[str, TrustedKey]] = _shipped_token_keys


def use_token_key_file(path: Path) -> None:
    """Trust the member-app QR keys of this TOML file (the ledger configuration's `[keys] member_token_keys`)."""
    global token_key_source
    keys = load_public_keys(path)
    token_key_source = lambda: keys  # noqa: E731 - a constant source


def token_keys() -> Mapping[str, TrustedKey]:
    return token_key_source()


def check_member_token(text: str, at: datetime) -> MemberToken:
    """Signature, key and validity of a member QR token at `at` (no replay check: see `burn_token`)."""
    return TokenVerifier(token_keys()).verify(text, int(at.timestamp()))


def burn_token(session: Session, token: MemberToken, used_for: str, now: datetime) -> bool:
    """Remember the token's nonce; False if it was used before (a replay)."""
    if session.get(MemberTokenUse, token.nonce) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(MemberTokenUse(nonce=token.nonce, key_id=token.key_id, member_id=token.member_id,
                                       used_for=used_for[:120], used_at=now,
                                       expires_at=datetime.fromtimestamp(token.expires_at, UTC)))
            session.flush()
    except IntegrityError:  # another ledger process took it a moment ago
        return False
    return True


# ---- authenticators ----------------------------------------------------------------------------------

# What a terminal sent to open a session: the wire shape itself (`data` carries further authenticators' evidence).
Evidence = OpenRequest


@dataclass(frozen=True)
class Verified:
    member_id: str
    token: MemberToken | None = None  # burnt when the session is stored


class Authenticator(Protocol):
    method: str

    def authenticate(self, db: sessionmaker[Session], evidence: Evidence, settings: LedgerSettings,
                     now: datetime) -> Verified: ...


def _require(value: str, zh: str, en: str) -> str:
    if not value:
        raise bad_request(f"缺少{zh}。", f"The request lacks {en}.", code="missing_evidence")
    return value


def _token_refused(exc: TokenError) -> LedgerError:
    return unauthorized(f"token_{exc.code}", exc.zh, exc.en)


class PasswordAuthenticator:
    """ID number (typed, or read from the card) and the 6-digit query password, with the attempt limit."""

    def __init__(self, method: str = "password") -> None:
        self.method = method

    def authenticate(self, db: sessionmaker[Session], evidence: Evidence, settings: LedgerSettings,
                     now: datetime) -> Verified:
        id_number = _require(evidence.id_number, "证件号码", "the ID number")
        password = _require(evidence.password, "查询密码", "the query password")
        return Verified(members.verify_password(db, id_number, password, settings, now=now))


class QrTokenAuthenticator:
    """The member app's signed QR token; with `with_card`, the card's ID number must be the same member."""

    def __init__(self, method: str = "qr", *, with_card: bool = False) -> None:
        self.method = method
        self.with_card = with_card

    def authenticate(self, db: sessionmaker[Session], evidence: Evidence, settings: LedgerSettings,
                     now: datetime) -> Verified:
        text = _require(evidence.token, "身份码", "the QR token")
        try:
            token = check_member_token(text, now)
        except TokenError as exc:
            raise _token_refused(exc) from None
        with db() as session:
            member = session.get(Member, token.member_id)
        if member is None:
            raise unauthorized("token_unknown_member", "身份码对应的缴存职工不存在。",
                               "The QR code names no member of this centre.")
        if self.with_card:
            card_number = members.normalise_id_number(_require(evidence.id_number, "证件号码", "the ID number"))
            if card_number != member.id_number:
                raise unauthorized("card_token_mismatch", "身份证与身份码不是同一人。",
                                   "The ID card and the QR code belong to different people.")
        return Verified(member.member_id, token)


AUTHENTICATORS: dict[str, Authenticator] = {}


def register(authenticator: Authenticator) -> None:
    """Add a way to verify a member (e.g. "card+face" for 人证核验); the rest of the module is unchanged."""
    AUTHENTICATORS[authenticator.method] = authenticator


for _a in (PasswordAuthenticator("password"), PasswordAuthenticator("card+password"),
           QrTokenAuthenticator("qr"), QrTokenAuthenticator("card+qr", with_card=True)):
    register(_a)


# ---- sessions ------------------------------------------------------------------------------------------

def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Opened:
    session_id: str
    token: str
    member_id: str
    method: str
    expires_at: datetime
    ttl_s: int

    def to_json(self) -> dict[str, Any]:
        return {"session_id": self.session_id, "token": self.token, "member_id": self.member_id,
                "method": self.method, "expires_at": self.expires_at.isoformat(timespec="seconds"),
                "ttl_s": self.ttl_s}


def open_session(db: sessionmaker[Session], terminal_id: str, evidence: Evidence, settings: LedgerSettings,
                 *, now: datetime | None = None) -> Opened:
    now = now or datetime.now(UTC)
    authenticator = AUTHENTICATORS.get(evidence.method)
    if authenticator is None:
        methods = ", ".join(sorted(AUTHENTICATORS))
        raise bad_request(f"不支持的身份核验方式：{evidence.method}。",
                          f"Unknown way to verify the member: {evidence.method} (one of {methods}).",
                          code="unknown_method")
    verified = authenticator.authenticate(db, evidence, settings, now)
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    session_id = "S" + secrets.token_hex(12)
    expires = now + timedelta(seconds=settings.session_ttl_s)
    with db.begin() as session:
        if verified.token is not None and not burn_token(session, verified.token, f"session:{session_id}", now):
            raise unauthorized("token_replayed", "这个身份码已经用过，请在 App 中刷新后再扫。",
                               "This code was already used; refresh it in the app and scan again.")
        session.add(MemberSession(session_id=session_id, token_hash=token_hash(token),
                                  member_id=verified.member_id, terminal_id=terminal_id,
                                  method=evidence.method, opened_at=now, expires_at=expires))
    log.info("member session %s opened on %s by %s", session_id, terminal_id, evidence.method)
    return Opened(session_id, token, verified.member_id, evidence.method, expires, settings.session_ttl_s)


@dataclass(frozen=True)
class Current:
    session_id: str
    member_id: str
    terminal_id: str


def session_required() -> LedgerError:
    return unauthorized("session_required", "需要缴存职工本人核验身份后才能查看个人信息。",
                        "The member must verify their identity before personal data can be shown.")


def resolve(db: sessionmaker[Session], token: str | None, terminal_id: str,
            *, now: datetime | None = None) -> Current:
    """The open session of this bearer token on this terminal, or a bilingual 401/403."""
    if not token:
        raise session_required()
    now = now or datetime.now(UTC)
    with db() as session:
        row = session.scalars(select(MemberSession).where(MemberSession.token_hash == token_hash(token))).first()
    if row is None:
        raise unauthorized("session_unknown", "会话无效，请重新核验身份。",
                           "The session is not valid; please verify your identity again.")
    if row.terminal_id != terminal_id:
        log.warning("member session %s presented by %s, opened on %s", row.session_id, terminal_id,
                    row.terminal_id)
        raise LedgerError(403, "session_other_terminal", "该会话属于另一台终端，已拒绝。",
                          "This session belongs to another terminal and is refused.")
    if row.ended_at is not None or row.expires_at <= now:
        raise unauthorized("session_expired", "会话已结束或超时，请重新核验身份。",
                           "The session has ended or timed out; please verify your identity again.")
    return Current(row.session_id, row.member_id, row.terminal_id)


def end_session(db: sessionmaker[Session], current: Current, *, now: datetime | None = None) -> None:
    with db.begin() as session:
        row = session.get(MemberSession, current.session_id)
        if row is not None and row.ended_at is None:
            row.ended_at = now or datetime.now(UTC)


def purge(db: sessionmaker[Session], *, now: datetime | None = None, keep_days: int = 30) -> None:
    """Forget used-token nonces past their expiry and sessions older than `keep_days`."""
    now = now or datetime.now(UTC)
    with db.begin() as session:
        session.execute(delete(MemberTokenUse).where(MemberTokenUse.expires_at < now - timedelta(hours=1)))
        session.execute(delete(MemberSession).where(MemberSession.expires_at < now - timedelta(days=keep_days)))


# ---- masking -------------------------------------------------------------------------------------------

def masked(snapshot: acc.AccountSnapshot) -> acc.AccountSnapshot:
    """The snapshot a kiosk may receive: name, ID number, phone and bank card masked (domain.masking)."""
    member = snapshot.member
    account = snapshot.account
    return dataclasses.replace(
        snapshot,
        member=dataclasses.replace(member, name=mask_name(member.name), id_number=mask_id_number(member.id_number),
                                   phone=mask_phone(member.phone)),
        account=dataclasses.replace(account, bank_account=mask_bank_card(account.bank_account)
                                    if account.bank_account else ""))


# ---- per-terminal read limits ---------------------------------------------------------------------------

def record_read(db: sessionmaker[Session], terminal_id: str, kind: str, member_id: str | None,
                settings: LedgerSettings, *, now: datetime | None = None) -> int:
    """Count one personal look-up; 429 past the per-minute limit; an alert past the distinct-member threshold.

    Returns the read's row id: `attach_member` names the member once known (after a session opened).
    """
    now = now or datetime.now(UTC)
    window = timedelta(seconds=settings.distinct_members_window_s)
    with db.begin() as session:
        session.execute(delete(MemberRead).where(MemberRead.terminal_id == terminal_id,
                                                 MemberRead.at < now - max(window, timedelta(minutes=1))))
        recent = session.scalar(select(func.count()).select_from(MemberRead).where(
            MemberRead.terminal_id == terminal_id, MemberRead.at >= now - timedelta(minutes=1))) or 0
        refused = recent >= settings.member_reads_per_minute
        row = MemberRead(terminal_id=terminal_id, kind=kind, member_id=member_id, at=now)
        if not refused:
            session.add(row)
            session.flush()
    if refused:
        log.info("terminal %s over its member read limit (%d a minute)", terminal_id,
                 settings.member_reads_per_minute)
        raise LedgerError(429, "rate_limited", "查询过于频繁，请稍后再试。",
                          "Too many personal look-ups from this terminal; please wait a minute and try again.")
    if member_id is not None:
        _maybe_alert(db, terminal_id, settings, now, window)
    return row.id


def attach_member(db: sessionmaker[Session], read_id: int, member_id: str, settings: LedgerSettings,
                  *, now: datetime | None = None) -> None:
    with db.begin() as session:
        row = session.get(MemberRead, read_id)
        if row is None:
            return
        row.member_id, terminal_id = member_id, row.terminal_id
    _maybe_alert(db, terminal_id, settings, now or datetime.now(UTC),
                 timedelta(seconds=settings.distinct_members_window_s))


def _maybe_alert(db: sessionmaker[Session], terminal_id: str, settings: LedgerSettings, now: datetime,
                 window: timedelta) -> None:
    with db.begin() as session:
        distinct = session.scalar(select(func.count(func.distinct(MemberRead.member_id))).where(
            MemberRead.terminal_id == terminal_id, MemberRead.at >= now - window,
            MemberRead.member_id.is_not(None))) or 0
        if distinct < settings.distinct_members_alert:
            return
        already = session.scalar(select(func.count()).select_from(MemberReadAlert).where(
            MemberReadAlert.terminal_id == terminal_id, MemberReadAlert.at >= now - window)) or 0
        if already:
            return
        session.add(MemberReadAlert(terminal_id=terminal_id, at=now, distinct_members=distinct,
                                    window_s=settings.distinct_members_window_s,
                                    detail={"threshold": settings.distinct_members_alert}))
    log.warning("terminal %s read %d distinct members within %d s (alert threshold %d)", terminal_id, distinct,
                settings.distinct_members_window_s, settings.distinct_members_alert)


def alerts(db: sessionmaker[Session], *, terminal_id: str | None = None) -> list[MemberReadAlert]:
    with db() as session:
        query = select(MemberReadAlert).order_by(MemberReadAlert.at.desc())
        if terminal_id:
            query = query.where(MemberReadAlert.terminal_id == terminal_id)
        rows = list(session.scalars(query.limit(500)).all())
        session.expunge_all()
        return rows


# ---- member proof of money-moving items -------------------------------------------------------------------

def _no_proof(zh: str, en: str, code: str = "member_proof_invalid") -> TransactionError:
    return TransactionError(code, f"未能确认缴存职工本人办理：{zh}。本笔业务未处理，请职工重新核验身份后办理。",
                            f"The member's own request could not be confirmed: {en}. Nothing was done; the member "
                            "must verify their identity again.")


def proof_required(kind: str, role: str) -> bool:
    """Kiosk items that move money must carry the member's proof. A counter's proof is the signed-in clerk
    who checked the member in person (the staff stream enforces that role)."""
    return kind in PROOF_KINDS and role == "kiosk"


def check_item_proof(session: Session, *, kind: str, role: str, terminal_id: str, member_id: str | None,
                     idempotency_key: str, created_at: datetime, payload: Any, now: datetime) -> None:
    """Raise TransactionError unless the item carries a proof valid for its member at its creation time."""
    token = verify_item_proof(kind=kind, role=role, terminal_id=terminal_id, member_id=member_id,
                              created_at=created_at, payload=payload,
                              find_session=lambda sid: session.get(MemberSession, sid))
    if token is not None and not burn_token(session, token, f"item:{idempotency_key}", now):
        raise _no_proof("身份码已经用过", "the QR token was already used")


def verify_item_proof(*, kind: str, role: str, terminal_id: str, member_id: str | None, created_at: datetime,
                      payload: Any, find_session: Callable[[str], MemberSession | None],
                      verified: MemberToken | TokenError | None = None,
                      used: Callable[[MemberToken], bool] = lambda _token: False) -> MemberToken | None:
    """The proof check shared by the item-by-item and the one-pass apply: raise TransactionError unless the item
    carries a proof valid for its member at its creation time; return the QR token the caller must burn (None for
    a session or a kind that needs no proof). `verified` is the token when it was verified ahead for the request;
    `used` tells a token already burnt where the caller knows it without a write."""
    if not proof_required(kind, role):
        return None
    proof = payload.get(PROOF_FIELD) if isinstance(payload, dict) else None
    if not isinstance(proof, dict) or not proof:
        raise _no_proof("申请未附带本人身份核验（会话或身份码）", "the application carries no member session or "
                        "QR token", code="member_proof_missing")
    session_id, token_text = proof.get("session_id"), proof.get("member_token")
    if isinstance(session_id, str) and session_id:
        row = find_session(session_id)
        if row is None or row.member_id != member_id or row.terminal_id != terminal_id:
            raise _no_proof("会话不存在或不属于该职工、该终端", "the session does not exist or is not this member's "
                            "on this terminal")
        skew = timedelta(seconds=PROOF_SKEW_S)
        closed = min(row.expires_at, row.ended_at) if row.ended_at is not None else row.expires_at
        if not row.opened_at - skew <= created_at <= closed + skew:
            raise _no_proof("申请不是在该会话有效期内提交的", "the application was not made while the session was "
                            "open")
        return None
    if isinstance(token_text, str) and token_text:
        token = verified
        if token is None:
            try:
                token = check_member_token(token_text, created_at)
            except TokenError as exc:
                token = exc
        if isinstance(token, TokenError):
            raise _no_proof(f"身份码无效（{token.zh}）", f"the QR token is not valid ({token.en})") from None
        if token.member_id != member_id:
            raise _no_proof("身份码属于另一位职工", "the QR token belongs to another member")
        if used(token):
            raise _no_proof("身份码已经用过", "the QR token was already used")
        return token
    raise _no_proof("身份核验格式不正确", "the proof is neither a session id nor a QR token")
