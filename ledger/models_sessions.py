"""Tables of member sessions, used QR tokens, per-terminal member reads and read alerts.

Own module on the shared `Base` (ledger.models) so the sessions stream merges without touching
the hub file; imported by ledger.sessions and by the migration environment.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ledger.models import Base, utcnow


class MemberSession(Base):
    """A short-lived member session: opened by the ledger after it verified the member itself."""

    __tablename__ = "member_sessions"

    session_id: Mapped[str] = mapped_column(String(40), primary_key=True)  # public: proofs name it
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)        # sha256 hex of the bearer token
    member_id: Mapped[str] = mapped_column(String(20), index=True)
    terminal_id: Mapped[str] = mapped_column(String(64), index=True)        # bound: another terminal is refused
    method: Mapped[str] = mapped_column(String(24))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    ended_at: Mapped[datetime | None] = mapped_column(default=None)


class MemberTokenUse(Base):
    """A member QR token the ledger accepted once (to open a session or as an item's proof): no replay."""

    __tablename__ = "member_token_uses"

    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    key_id: Mapped[str] = mapped_column(String(64))
    member_id: Mapped[str] = mapped_column(String(20))
    used_for: Mapped[str] = mapped_column(String(120))  # "session:<id>" or "item:<idempotency key>"
    used_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class MemberRead(Base):
    """One personal look-up by a terminal (rate limit and the distinct-members alert count these)."""

    __tablename__ = "member_reads"
    __table_args__ = (Index("ix_member_reads_terminal_at", "terminal_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    terminal_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(24))          # lookup | verify_password | session_open | snapshot …
    member_id: Mapped[str | None] = mapped_column(String(20), default=None)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class MemberReadAlert(Base):
    """A terminal read unusually many distinct members: for the fleet page and the operators."""

    __tablename__ = "member_read_alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    terminal_id: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    distinct_members: Mapped[int] = mapped_column(Integer)
    window_s: Mapped[int] = mapped_column(Integer)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    acknowledged: Mapped[bool] = mapped_column(default=False)
