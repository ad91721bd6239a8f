"""The local store's tables (SQLAlchemy 2 declarative models).

The schema itself is created and upgraded by the Alembic migrations in `sync/migrations/`;
these models are how the code reads and writes it. Times are stored as UTC ISO-8601 text so
the file reads the same on every platform and in a hex dump; money is integer fen.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class OutboxItem(Base):
    """One transaction waiting for (or done with) delivery to the ledger.

    `seq` is the delivery order: the sender always takes the oldest pending items first and the
    ledger applies a batch in the order given, so items of one member arrive in creation order.
    """

    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    member_id: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[str] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON, exactly the bytes the ledger will see
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_attempt_at: Mapped[str | None] = mapped_column(String(40))
    ledger_id: Mapped[str | None] = mapped_column(String(64))
    result: Mapped[str | None] = mapped_column(Text)  # JSON of the ledger's result
    reason_code: Mapped[str | None] = mapped_column(String(64))
    reason_zh: Mapped[str | None] = mapped_column(Text)
    reason_en: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[str | None] = mapped_column(String(40))
    resolved_by: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_outbox_state_seq", "state", "seq"),)


class Application(Base):
    """A member's application made at this terminal (withdrawal, loan offset, transfer, card signing)."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_no: Mapped[str] = mapped_column(String(48), unique=True)
    outbox_seq: Mapped[int] = mapped_column(ForeignKey("outbox.seq"))
    kind: Mapped[str] = mapped_column(String(40))
    member_id: Mapped[str | None] = mapped_column(String(40))
    amount_fen: Mapped[int | None] = mapped_column(Integer)
    provisional_decision: Mapped[str | None] = mapped_column(Text)  # JSON of the terminal's own rule check
    created_at: Mapped[str] = mapped_column(String(40))


class QueueTicket(Base):
    __tablename__ = "queue_tickets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    outbox_seq: Mapped[int] = mapped_column(ForeignKey("outbox.seq"))
    kind: Mapped[str] = mapped_column(String(40))  # queue.ticket or queue.event
    ticket_no: Mapped[str | None] = mapped_column(String(32))
    member_id: Mapped[str | None] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(40))


class Rating(Base):
    __tablename__ = "ratings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    outbox_seq: Mapped[int] = mapped_column(ForeignKey("outbox.seq"))
    member_id: Mapped[str | None] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(40))


class CaseAction(Base):
    __tablename__ = "case_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    outbox_seq: Mapped[int] = mapped_column(ForeignKey("outbox.seq"))
    case_id: Mapped[str | None] = mapped_column(String(48))
    member_id: Mapped[str | None] = mapped_column(String(40))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(40))


class DeviceReport(Base):
    __tablename__ = "device_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    outbox_seq: Mapped[int] = mapped_column(ForeignKey("outbox.seq"))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(40))


class SnapshotCache(Base):
    """A member's account snapshot, encrypted (AES-GCM, the member id as associated data)."""

    __tablename__ = "snapshot_cache"

    member_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    as_of: Mapped[str] = mapped_column(String(40))
    fetched_at: Mapped[str] = mapped_column(String(40))
    nonce: Mapped[bytes] = mapped_column(LargeBinary)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)


class ReferenceCache(Base):
    """Reference data (policy, rates, catalogue, holidays, outlets) with the ETag it came with."""

    __tablename__ = "reference_cache"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    etag: Mapped[str | None] = mapped_column(String(128))
    body: Mapped[str] = mapped_column(Text)
    fetched_at: Mapped[str] = mapped_column(String(40))


class SyncState(Base):
    """Small key/value facts that must survive a restart (last success, last error …)."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
