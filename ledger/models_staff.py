"""The ledger's tables for central staff, their role history, staff sessions, the audit chain and
clerk attestations of paper evidence (migration 0005_staff_audit). Same `Base` as ledger.models."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ledger.models import Base, utcnow


class StaffAccountRow(Base):
    """A staff account: argon2 password hash and the sign-in lockout state. Roles live in grants."""

    __tablename__ = "staff_accounts"

    username: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(Text)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)  # seeded by seed-demo with a published password
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class StaffRoleGrantRow(Base):
    """One role held by one account over [valid_from, valid_to); valid_to None = still held."""

    __tablename__ = "staff_role_grants"
    __table_args__ = (Index("ix_staff_role_grants_user_role", "username", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(ForeignKey("staff_accounts.username"))
    role: Mapped[str] = mapped_column(String(16))  # clerk | supervisor | technician | admin
    valid_from: Mapped[datetime] = mapped_column()
    valid_to: Mapped[datetime | None] = mapped_column(default=None)
    granted_by: Mapped[str] = mapped_column(String(64), default="")
    revoked_by: Mapped[str] = mapped_column(String(64), default="")


class StaffSessionRow(Base):
    """A staff sign-in at one terminal: the token is kept only as its SHA-256."""

    __tablename__ = "staff_sessions"
    __table_args__ = (Index("ix_staff_sessions_user_terminal", "username", "terminal_id"),)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(ForeignKey("staff_accounts.username"))
    terminal_id: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column()
    expires_at: Mapped[datetime] = mapped_column()
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class AuditEntryRow(Base):
    """One entry of the append-only audit chain: entry_hash = H(prev_hash, fields), signed."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                     autoincrement=False)
    at: Mapped[datetime] = mapped_column()
    staff_id: Mapped[str] = mapped_column(String(64), default="")
    role: Mapped[str] = mapped_column(String(16), default="")
    terminal_id: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(64))
    object: Mapped[str] = mapped_column(String(100), default="")
    outcome: Mapped[str] = mapped_column(String(16), default="ok")  # ok | denied | refused | failed
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(32))
    signature: Mapped[str] = mapped_column(String(128))  # Ed25519 over entry_hash, hex


class AuditChainRow(Base):
    """The single row every appender locks (FOR UPDATE) so one chain grows one entry at a time.
    Not trusted by `audit verify`: it only serialises writers."""

    __tablename__ = "audit_chain"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), default=0)
    head_hash: Mapped[str] = mapped_column(String(64))


class AttestationRow(Base):
    """A clerk's attestation of one paper material: the figures read from the paper, the scan, and
    the supervisor who approved it. Only an approved attestation becomes a fact (柜员核验)."""

    __tablename__ = "attestations"
    __table_args__ = (Index("ix_attestations_case", "case_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(String(64))
    member_id: Mapped[str] = mapped_column(String(20), index=True)
    material: Mapped[str] = mapped_column(String(40))
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    scan_ref: Mapped[str] = mapped_column(String(200))
    clerk: Mapped[str] = mapped_column(String(32))
    terminal_id: Mapped[str] = mapped_column(String(64))
    attested_at: Mapped[datetime] = mapped_column()
    status: Mapped[str] = mapped_column(String(12), default="attested")  # attested | approved | rejected
    approved_by: Mapped[str] = mapped_column(String(32), default="")
    approved_at: Mapped[datetime | None] = mapped_column(default=None)
    idempotency_key: Mapped[str | None] = mapped_column(String(100), default=None)
