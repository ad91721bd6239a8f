"""Central staff accounts: argon2 password hashes, lockout, roles with a history of grants,
staff sessions bound to a terminal, and the role check of every staff action.

`verify_staff(session, username, password)` and `require_role(account, ...)` are what other parts
of the ledger (the fleet page's technician sign-in, for one) reuse. A role is held over
[valid_from, valid_to): `roles_at(session, username, at)` tells which roles an account held at a
given time, so an action queued offline is judged by the roles of the moment it was taken.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from domain.staff import (
    LockoutPolicy,
    LoginState,
    SignInOutcome,
    StaffRole,
    after_attempt,
    check_new_password,
    check_staff_id,
)
from ledger.errors import LedgerError, unauthorized
from ledger.members import DEMO_HASHER, HASHER
from ledger.models_staff import StaffAccountRow, StaffRoleGrantRow, StaffSessionRow

ROLES = tuple(r.value for r in StaffRole)
SESSION_TTL = timedelta(minutes=30)  # a staff session token: short, renewed by signing in again
# An action queued offline at a counter is accepted only when its staff member signed in online at
# that counter within this window before the action (the counter's offline verifier lives as long).
OFFLINE_WINDOW = timedelta(hours=72)
# Demo staff of `seed-demo` (README): published passwords, so production mode must refuse them.
DEMO_STAFF: tuple[tuple[str, str, str, str], ...] = (
    ("clerk-01", "王柜员", "clerk", "Clerk-2026"),
    ("clerk-02", "陈柜员", "clerk", "Clerk2-2026"),
    ("supervisor-01", "李主管", "supervisor", "Super-2026"),
    ("tech-01", "赵技术", "technician", "Tech-2026"),
)
DEMO_GRANTS_FROM = datetime(2020, 1, 1, tzinfo=UTC)


@cache
def _dummy_hash() -> str:
    """A hash with the production profile, so an unknown id costs what a real one does."""
    return HASHER.hash("not-a-password")


@dataclass(frozen=True)
class StaffAccount:
    username: str
    name: str
    roles: frozenset[str]
    active: bool = True

    def has(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))


class StaffAuthError(LedgerError):
    """A failed staff sign-in (401); `outcome` says why, the message does not tell ids apart."""

    def __init__(self, outcome: SignInOutcome, attempts_left: int, minutes_locked: int) -> None:
        self.outcome, self.attempts_left, self.minutes_locked = outcome, attempts_left, minutes_locked
        if outcome is SignInOutcome.LOCKED:
            super().__init__(401, "staff_locked",
                             f"连续输错次数过多，账号已锁定，请{minutes_locked}分钟后再试或联系主管。",
                             f"Too many failed attempts: the account is locked for {minutes_locked} min.")
        else:
            super().__init__(401, "bad_credentials", f"工号或密码错误（还可尝试{attempts_left}次）。",
                             f"Wrong staff id or password ({attempts_left} attempts left).")


def _now(at: datetime | None) -> datetime:
    return (at or datetime.now(UTC)).astimezone(UTC)


def _role(role: str) -> str:
    if role not in ROLES:
        raise ValueError(f"角色须为 {' / '.join(ROLES)} / the role must be one of {', '.join(ROLES)}: {role!r}")
    return role


def _account_row(session: Session, username: str, *, lock: bool = False) -> StaffAccountRow:
    row = session.get(StaffAccountRow, username, with_for_update=lock)
    if row is None:
        raise ValueError(f"没有工号 {username} / no staff account {username}")
    return row


def roles_at(session: Session, username: str, at: datetime | None = None) -> frozenset[str]:
    """The roles `username` held at `at` (now by default)."""
    when = _now(at)
    rows = session.scalars(select(StaffRoleGrantRow.role).where(
        StaffRoleGrantRow.username == username, StaffRoleGrantRow.valid_from <= when,
        or_(StaffRoleGrantRow.valid_to.is_(None), StaffRoleGrantRow.valid_to > when))).all()
    return frozenset(rows)


def held_role(session: Session, username: str, role: str, at: datetime) -> bool:
    return role in roles_at(session, username, at)


def account(session: Session, username: str, at: datetime | None = None) -> StaffAccount | None:
    row = session.get(StaffAccountRow, username)
    if row is None:
        return None
    return StaffAccount(row.username, row.name, roles_at(session, username, at), row.active)


def add_account(session: Session, username: str, name: str, password: str, roles: Iterable[str], *,
                by: str = "setup", demo: bool = False, at: datetime | None = None,
                hasher: PasswordHasher | None = None) -> StaffAccount:
    check_staff_id(username)
    if not demo:
        check_new_password(password)
    if not name.strip():
        raise ValueError("姓名不能为空 / a name is required")
    wanted = {_role(r) for r in roles}
    if session.get(StaffAccountRow, username) is not None:
        raise ValueError(f"工号 {username} 已存在 / staff account {username} exists already")
    when = _now(at)
    digest = (hasher or (DEMO_HASHER if demo else HASHER)).hash(password)
    session.add(StaffAccountRow(username=username, name=name.strip(), password_hash=digest, failed_attempts=0,
                                active=True, demo=demo, created_at=when, password_changed_at=when))
    session.flush()
    for role in sorted(wanted):
        session.add(StaffRoleGrantRow(username=username, role=role, valid_from=when, granted_by=by))
    session.flush()
    return StaffAccount(username, name.strip(), frozenset(wanted))


def set_roles(session: Session, username: str, roles: Iterable[str], *, by: str,
              at: datetime | None = None) -> tuple[set[str], set[str]]:
    """Make `roles` the account's roles from `at` on; returns (granted, revoked). History is kept."""
    _account_row(session, username, lock=True)
    when = _now(at)
    wanted = {_role(r) for r in roles}
    open_grants = session.scalars(select(StaffRoleGrantRow).where(
        StaffRoleGrantRow.username == username, StaffRoleGrantRow.valid_to.is_(None))).all()
    held = {g.role for g in open_grants}
    for grant in open_grants:
        if grant.role not in wanted:
            grant.valid_to, grant.revoked_by = when, by
    for role in sorted(wanted - held):
        session.add(StaffRoleGrantRow(username=username, role=role, valid_from=when, granted_by=by))
    session.flush()
    return wanted - held, held - wanted


def disable(session: Session, username: str, *, by: str, at: datetime | None = None) -> None:
    """Disable the account: its roles end now, its sessions are revoked."""
    row = _account_row(session, username, lock=True)
    row.active = False
    set_roles(session, username, (), by=by, at=at)
    session.execute(update(StaffSessionRow).where(StaffSessionRow.username == username).values(revoked=True))


def reset_password(session: Session, username: str, password: str, *, by: str, at: datetime | None = None) -> None:
    check_new_password(password)
    row = _account_row(session, username, lock=True)
    row.password_hash = HASHER.hash(password)
    row.failed_attempts, row.locked_until, row.demo = 0, None, False
    row.password_changed_at = _now(at)
    session.execute(update(StaffSessionRow).where(StaffSessionRow.username == username).values(revoked=True))


def accounts(session: Session, at: datetime | None = None) -> list[StaffAccount]:
    rows = session.scalars(select(StaffAccountRow).order_by(StaffAccountRow.username)).all()
    return [StaffAccount(r.username, r.name, roles_at(session, r.username, at), r.active) for r in rows]


def account_states(session: Session, now: datetime | None = None) -> list[dict[str, Any]]:
    """Accounts with roles and sign-in state, for a supervisor's staff screen."""
    when = _now(now)
    rows = session.scalars(select(StaffAccountRow).order_by(StaffAccountRow.username)).all()
    out = []
    for r in rows:
        state = LoginState(r.failed_attempts, r.locked_until)
        out.append({"username": r.username, "name": r.name, "roles": sorted(roles_at(session, r.username, when)),
                    "active": r.active, "failures": state.failures, "minutes_locked": state.minutes_left(when)})
    return out


def unlock(session: Session, username: str) -> None:
    row = _account_row(session, username, lock=True)
    row.failed_attempts, row.locked_until = 0, None


def _verify_hash(digest: str, password: str) -> bool:
    try:
        return PasswordHasher().verify(digest, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def verify_staff(session: Session, username: str, password: str, *, now: datetime | None = None,
                 policy: LockoutPolicy | None = None) -> StaffAccount:
    """Check a staff password under the lockout rule; returns the account with its current roles or
    raises StaffAuthError. Records the attempt's lockout state in the caller's transaction."""
    policy = policy or LockoutPolicy()
    when = _now(now)
    row = session.get(StaffAccountRow, username, with_for_update=True) if username else None
    if row is None or not row.active:
        _verify_hash(_dummy_hash(), password)  # an unknown id takes a hash's time too
        raise StaffAuthError(SignInOutcome.UNKNOWN, policy.max_failures, 0)
    state = LoginState(row.failed_attempts, row.locked_until)
    ok = not state.locked(when) and _verify_hash(row.password_hash, password)
    outcome, new = after_attempt(state, ok, when, policy)
    row.failed_attempts, row.locked_until = new.failures, new.locked_until
    if outcome is not SignInOutcome.OK:
        raise StaffAuthError(outcome, new.remaining(policy), new.minutes_left(when))
    return StaffAccount(row.username, row.name, roles_at(session, username, when), row.active)


def require_role(account: StaffAccount, *roles: str) -> StaffAccount:
    """The account if it holds one of `roles`, else a 403 LedgerError naming them."""
    if not account.has(*roles):
        wanted = " / ".join(roles)
        raise LedgerError(403, "staff_role", f"{account.username} 没有所需角色（{wanted}）。",
                          f"{account.username} does not hold the role needed ({wanted}).")
    return account


# ---- sessions ----

def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(session: Session, account: StaffAccount, terminal_id: str, *, now: datetime | None = None,
                 ttl: timedelta = SESSION_TTL) -> tuple[str, datetime]:
    when = _now(now)
    token = secrets.token_urlsafe(32)
    expires = when + ttl
    session.add(StaffSessionRow(token_hash=_token_hash(token), username=account.username, terminal_id=terminal_id,
                                issued_at=when, expires_at=expires, revoked=False))
    session.flush()
    return token, expires


def session_account(session: Session, token: str, terminal_id: str, *, now: datetime | None = None) -> StaffAccount:
    """The staff member of a valid session token presented by the terminal it was issued to (401 otherwise)."""
    when = _now(now)
    row = session.get(StaffSessionRow, _token_hash(token)) if token else None
    if row is None or row.revoked or row.expires_at <= when or row.terminal_id != terminal_id:
        raise unauthorized("staff_session", "工作人员登录已失效，请重新登录。",
                           "The staff session is invalid or expired; sign in again.")
    found = account(session, row.username, when)
    if found is None or not found.active:
        raise unauthorized("staff_session", "工作人员账号已停用。", "The staff account is disabled.")
    return found


def end_session(session: Session, token: str) -> None:
    session.execute(update(StaffSessionRow).where(StaffSessionRow.token_hash == _token_hash(token))
                    .values(revoked=True))


def signed_in_recently(session: Session, username: str, terminal_id: str, at: datetime,
                       window: timedelta = OFFLINE_WINDOW) -> bool:
    """Whether `username` signed in online at `terminal_id` within `window` before `at` (a small
    allowance after `at` covers clock skew between the counter and the ledger)."""
    found = session.scalar(select(StaffSessionRow.token_hash).where(
        StaffSessionRow.username == username, StaffSessionRow.terminal_id == terminal_id,
        StaffSessionRow.issued_at >= at - window, StaffSessionRow.issued_at <= at + timedelta(minutes=5)).limit(1))
    return found is not None


# ---- demo staff ----

def seed_demo_staff(session: Session) -> int:
    """The demo staff of README (marked demo, cheap argon2 profile); existing accounts are kept."""
    added = 0
    for username, name, role, password in DEMO_STAFF:
        if session.get(StaffAccountRow, username) is None:
            add_account(session, username, name, password, (role,), by="seed-demo", demo=True, at=DEMO_GRANTS_FROM)
            added += 1
    return added


def demo_credentials_present(session: Session) -> list[str]:
    """Accounts that still sign in with a published demo password (production mode refuses them)."""
    found = []
    for username, _name, _role, password in DEMO_STAFF:
        row = session.get(StaffAccountRow, username)
        if row is not None and row.active and _verify_hash(row.password_hash, password):
            found.append(username)
    return found


def production_problems(session: Session, audit_key_file: str) -> list[str]:
    """What production mode (`demo = false`) must refuse in this stream's part of the ledger, each
    naming the key or the accounts to change: the demo audit key and demo staff passwords."""
    from ledger import audit

    problems = []
    if not audit_key_file or audit.load_key(audit_key_file).demo:
        problems.append("audit_key_file: the audit chain is signed with the demo key; create one with "
                        "`hpf-ledger audit new-key FILE` / 审计链使用演示密钥，请生成并配置 audit_key_file")
    demo = demo_credentials_present(session)
    if demo:
        problems.append(f"staff {', '.join(demo)}: demo passwords; run `hpf-ledger staff reset-password` or "
                        f"`disable` / 工作人员仍使用演示密码")
    return problems
