"""Counter staff accounts (argon2id password hashes, lockout state), the audit trail, case drafts
and the counter's own case records, in the terminal's local store (tables from migration 0002).

Every sign-in attempt and every action a counter screen takes is written to `audit_trail` with
who, in which role, on which terminal, on which case and when; the lockout decision itself is
`domain.staff.after_attempt` — this module only keeps its state. A failed attempt's state and its
audit row are one commit, so a crash cannot forget a failure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Boolean, Integer, String, Text, delete, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from domain.staff import (
    LockoutPolicy,
    LoginState,
    SignInOutcome,
    StaffRole,
    after_attempt,
    check_new_password,
    check_staff_id,
)
from sync.store import Store, utc_now


class _Base(DeclarativeBase):
    pass


class StaffRow(_Base):
    __tablename__ = "staff_accounts"

    staff_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(Text)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[str] = mapped_column(String(40))


class AuditRow(_Base):
    __tablename__ = "audit_trail"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(String(40))
    staff_id: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(16))
    terminal_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(48))
    case_id: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(16))


class DraftRow(_Base):
    __tablename__ = "counter_drafts"

    draft_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[str] = mapped_column(String(32))
    member_id: Mapped[str | None] = mapped_column(String(40))
    item_code: Mapped[str] = mapped_column(String(60))
    body: Mapped[str] = mapped_column(Text)
    saved_at: Mapped[str] = mapped_column(String(40))


class CaseRow(_Base):
    __tablename__ = "counter_cases"

    case_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    parent_id: Mapped[str | None] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[str] = mapped_column(String(40))


class CacheRow(_Base):
    __tablename__ = "counter_cache"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    fetched_at: Mapped[str] = mapped_column(String(40))


@dataclass(frozen=True)
class StaffAccount:
    staff_id: str
    name: str
    role: StaffRole
    active: bool


@dataclass(frozen=True)
class SignInResult:
    outcome: SignInOutcome
    account: StaffAccount | None  # only when outcome is OK
    attempts_left: int
    minutes_locked: int

    @property
    def ok(self) -> bool:
        return self.outcome is SignInOutcome.OK

    def message(self) -> tuple[str, str]:
        """What the sign-in screen says (zh, en); an unknown id reads like a bad password."""
        if self.outcome is SignInOutcome.OK:
            return "登录成功", "Signed in"
        if self.outcome is SignInOutcome.LOCKED:
            return (f"连续输错次数过多，账号已锁定，请{self.minutes_locked}分钟后再试或联系主管。",
                    f"Too many failed attempts: the account is locked for {self.minutes_locked} min; "
                    "try later or ask a supervisor.")
        return (f"工号或密码错误（还可尝试{self.attempts_left}次）。",
                f"Wrong staff id or password ({self.attempts_left} attempts left).")


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    staff_id: str
    role: str
    terminal_id: str
    action: str
    case_id: str
    detail: str
    outcome: str


@dataclass(frozen=True)
class Draft:
    draft_id: str
    staff_id: str
    member_id: str | None
    item_code: str
    body: dict[str, Any]
    saved_at: datetime


def _iso(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _parse(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


class StaffStore:
    """Staff, audit, drafts and case records of one counter terminal's local store."""

    def __init__(self, store: Store, terminal_id: str, policy: LockoutPolicy | None = None,
                 hasher: PasswordHasher | None = None) -> None:
        self.store = store
        self.terminal_id = terminal_id
        self.policy = policy or LockoutPolicy()
        self.hasher = hasher or PasswordHasher()  # argon2id with the library's current defaults

    # --- accounts --------------------------------------------------------------------------------

    def add_account(self, staff_id: str, name: str, role: StaffRole, password: str, *, by: str = "setup") -> None:
        check_staff_id(staff_id)
        check_new_password(password)
        if not name.strip():
            raise ValueError("姓名不能为空 / a name is required")
        digest = self.hasher.hash(password)
        with self.store.write() as s:
            if s.get(StaffRow, staff_id) is not None:
                raise ValueError(f"工号{staff_id}已存在 / staff id {staff_id} exists already")
            s.add(StaffRow(staff_id=staff_id, name=name.strip(), role=role.value, password_hash=digest, failures=0,
                           locked_until=None, active=True, created_at=utc_now()))
            self._audit(s, by, "setup", "staff.add", "", f"{staff_id} {role.value}", "ok")

    def account(self, staff_id: str) -> StaffAccount | None:
        with self.store.read() as s:
            row = s.get(StaffRow, staff_id)
            return None if row is None else StaffAccount(row.staff_id, row.name, StaffRole(row.role), row.active)

    def accounts(self) -> list[StaffAccount]:
        with self.store.read() as s:
            rows = s.scalars(select(StaffRow).order_by(StaffRow.staff_id)).all()
            return [StaffAccount(r.staff_id, r.name, StaffRole(r.role), r.active) for r in rows]

    def password_hashes(self) -> list[tuple[str, str]]:
        """(staff id, argon2 hash) of every active account: production mode checks them for demo passwords."""
        with self.store.read() as s:
            return [(r.staff_id, r.password_hash) for r in s.scalars(select(StaffRow).where(StaffRow.active))]

    def sign_in(self, staff_id: str, password: str, now: datetime | None = None) -> SignInResult:
        """Check a password under the lockout rule; every attempt lands in the audit trail."""
        when = now or datetime.now(UTC)
        with self.store.write() as s:
            row = s.get(StaffRow, staff_id)
            if row is None or not row.active:
                # still spend a hash's time, so an unknown id is not told apart by speed
                self._verify(self.hasher.hash("not-a-password"), password)
                self._audit(s, staff_id[:32] or "?", "", "sign_in", "", "unknown or disabled id", "refused")
                return SignInResult(SignInOutcome.UNKNOWN, None, self.policy.max_failures, 0)
            state = LoginState(row.failures, _parse(row.locked_until))
            password_ok = not state.locked(when) and self._verify(row.password_hash, password)
            outcome, new = after_attempt(state, password_ok, when, self.policy)
            row.failures = new.failures
            row.locked_until = None if new.locked_until is None else _iso(new.locked_until)
            if outcome is SignInOutcome.OK and self.hasher.check_needs_rehash(row.password_hash):
                row.password_hash = self.hasher.hash(password)
            self._audit(s, row.staff_id, row.role, "sign_in", "", "", outcome.value, at=when)
            account = StaffAccount(row.staff_id, row.name, StaffRole(row.role), row.active)
            return SignInResult(outcome, account if outcome is SignInOutcome.OK else None,
                                new.remaining(self.policy), new.minutes_left(when))

    def login_state(self, staff_id: str) -> LoginState:
        with self.store.read() as s:
            row = s.get(StaffRow, staff_id)
            return LoginState() if row is None else LoginState(row.failures, _parse(row.locked_until))

    def unlock(self, staff_id: str, by: StaffAccount) -> None:
        with self.store.write() as s:
            row = s.get(StaffRow, staff_id)
            if row is None:
                raise ValueError(f"没有工号{staff_id} / no staff id {staff_id}")
            row.failures, row.locked_until = 0, None
            self._audit(s, by.staff_id, by.role.value, "staff.unlock", "", staff_id, "ok")

    def _verify(self, digest: str, password: str) -> bool:
        try:
            return self.hasher.verify(digest, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    # --- audit trail -----------------------------------------------------------------------------

    def audit(self, actor: StaffAccount, action: str, *, case_id: str = "", detail: str = "",
              outcome: str = "ok") -> None:
        with self.store.write() as s:
            self._audit(s, actor.staff_id, actor.role.value, action, case_id, detail, outcome)

    def record(self, staff_id: str, role: str, action: str, *, outcome: str = "ok", detail: str = "",
               case_id: str = "") -> None:
        """An audit row for an event without a signed-in actor (a sign-in through the ledger)."""
        with self.store.write() as s:
            self._audit(s, staff_id[:32] or "?", role, action, case_id, detail, outcome)

    def unsent_audit(self, after_id: int, limit: int = 200) -> list[tuple[int, AuditEntry]]:
        """Audit rows after `after_id` (the last one sent to the ledger), oldest first."""
        query = select(AuditRow).where(AuditRow.id > after_id).order_by(AuditRow.id).limit(limit)
        with self.store.read() as s:
            return [(r.id, AuditEntry(datetime.fromisoformat(r.at), r.staff_id, r.role, r.terminal_id, r.action,
                                      r.case_id, r.detail, r.outcome)) for r in s.scalars(query).all()]

    def _audit(self, s: Session, staff_id: str, role: str, action: str, case_id: str, detail: str, outcome: str,
               at: datetime | None = None) -> None:
        s.add(AuditRow(at=_iso(at) if at else utc_now(), staff_id=staff_id, role=role, terminal_id=self.terminal_id,
                       action=action, case_id=case_id, detail=detail[:500], outcome=outcome))

    def audit_trail(self, *, case_id: str | None = None, staff_id: str | None = None,
                    since: datetime | None = None) -> list[AuditEntry]:
        query = select(AuditRow).order_by(AuditRow.id)
        if case_id is not None:
            query = query.where(AuditRow.case_id == case_id)
        if staff_id is not None:
            query = query.where(AuditRow.staff_id == staff_id)
        if since is not None:
            query = query.where(AuditRow.at >= _iso(since))
        with self.store.read() as s:
            return [AuditEntry(datetime.fromisoformat(r.at), r.staff_id, r.role, r.terminal_id, r.action, r.case_id,
                               r.detail, r.outcome) for r in s.scalars(query).all()]

    # --- drafts ----------------------------------------------------------------------------------

    def save_draft(self, draft_id: str, staff_id: str, member_id: str | None, item_code: str,
                   body: dict[str, Any]) -> None:
        text = json.dumps(body, ensure_ascii=False, sort_keys=True)
        with self.store.write() as s:
            row = s.get(DraftRow, draft_id)
            if row is None:
                s.add(DraftRow(draft_id=draft_id, staff_id=staff_id, member_id=member_id, item_code=item_code,
                               body=text, saved_at=utc_now()))
            else:
                row.member_id, row.item_code, row.body, row.saved_at = member_id, item_code, text, utc_now()

    def drafts(self, staff_id: str | None = None) -> list[Draft]:
        query = select(DraftRow).order_by(DraftRow.saved_at.desc())
        if staff_id is not None:
            query = query.where(DraftRow.staff_id == staff_id)
        with self.store.read() as s:
            return [Draft(r.draft_id, r.staff_id, r.member_id, r.item_code, json.loads(r.body),
                          datetime.fromisoformat(r.saved_at)) for r in s.scalars(query).all()]

    def drop_draft(self, draft_id: str) -> None:
        with self.store.write() as s:
            s.execute(delete(DraftRow).where(DraftRow.draft_id == draft_id))

    # --- the counter's case records --------------------------------------------------------------

    def put_case(self, case_id: str, body: dict[str, Any], parent_id: str | None = None) -> None:
        text = json.dumps(body, ensure_ascii=False, sort_keys=True)
        with self.store.write() as s:
            row = s.get(CaseRow, case_id)
            if row is None:
                s.add(CaseRow(case_id=case_id, parent_id=parent_id, body=text, updated_at=utc_now()))
            else:
                row.body, row.updated_at = text, utc_now()
                row.parent_id = parent_id if parent_id is not None else row.parent_id

    def case(self, case_id: str) -> dict[str, Any] | None:
        with self.store.read() as s:
            row = s.get(CaseRow, case_id)
            return None if row is None else dict(json.loads(row.body))

    def cases(self, *, parent_id: str | None = None) -> list[dict[str, Any]]:
        query = select(CaseRow).order_by(CaseRow.case_id)
        if parent_id is not None:
            query = query.where(CaseRow.parent_id == parent_id)
        with self.store.read() as s:
            return [dict(json.loads(r.body)) for r in s.scalars(query).all()]

    # --- the last copy of ledger lists -----------------------------------------------------------

    def cache_put(self, name: str, body: Any) -> None:
        text = json.dumps(body, ensure_ascii=False, sort_keys=True)
        with self.store.write() as s:
            row = s.get(CacheRow, name)
            if row is None:
                s.add(CacheRow(name=name, body=text, fetched_at=utc_now()))
            else:
                row.body, row.fetched_at = text, utc_now()

    def cache_get(self, name: str) -> tuple[Any, datetime] | None:
        """The cached body and when it was fetched, or None."""
        with self.store.read() as s:
            row = s.get(CacheRow, name)
            return None if row is None else (json.loads(row.body), datetime.fromisoformat(row.fetched_at))
