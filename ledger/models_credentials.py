"""Terminal credentials (issue 10): public signing keys and one-time enrolment codes.

The ledger stores only public keys: a copy of its database signs nothing. An enrolment code is
kept as its SHA-256 (the code is 128 random bits, so the hash is as good as the code is secret).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ledger.models import Base, utcnow


class TerminalKey(Base):
    __tablename__ = "terminal_keys"

    key_id: Mapped[str] = mapped_column(String(64), primary_key=True)  # X-HPF-Key
    terminal_id: Mapped[str] = mapped_column(String(64), index=True)
    public_key: Mapped[str] = mapped_column(String(64))  # base64 of the 32 raw Ed25519 bytes
    status: Mapped[str] = mapped_column(String(10), default="active")  # active | revoked | rotated
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class EnrolmentCode(Base):
    __tablename__ = "enrolment_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    terminal_id: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    key_id: Mapped[str | None] = mapped_column(String(64), default=None)  # the key enrolled with it
