"""Tables of the hall (issue 11): certificates registered for verification.

A certificate row is what a terminal registered when it printed a certificate (outbox kind
`certificate.issue`): the code, the masked facts as printed and their SHA-256, who printed it and
until when it is valid. Verification reads it; nothing else changes it except a revocation.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ledger.models import Base, utcnow


class CertificateRow(Base):
    __tablename__ = "certificates"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)  # HPFC-XXXX-XXXX-XXXX-XXXX-C
    doc_type: Mapped[str] = mapped_column(String(16))
    member_id: Mapped[str | None] = mapped_column(String(20), default=None, index=True)
    terminal_id: Mapped[str] = mapped_column(String(64))
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    facts_sha256: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime]
    issued_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)


class QueueOfflineBlock(Base):
    """The offline ticket block of one terminal in one hall: its slot number (domain.hall_queue)."""

    __tablename__ = "queue_offline_blocks"
    __table_args__ = (UniqueConstraint("outlet", "slot"), UniqueConstraint("outlet", "terminal_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    outlet: Mapped[str] = mapped_column(String(100))
    terminal_id: Mapped[str] = mapped_column(String(64))
    slot: Mapped[int] = mapped_column(Integer)
    allotted_at: Mapped[datetime] = mapped_column(default=utcnow)
