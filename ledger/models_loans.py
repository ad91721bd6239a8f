"""Tables of the loan application (issue 11, domain.loan_application): the application and its events.

`loan_applications` holds one application: its state, the request, the times the clock needs (review
start, the registry interval, disbursement) and `data`, the JSON of everything else the ledger fetched
or recorded (the notice, the intake checklist, the authorisations, the facts of the exchange, the review,
the decision, the signatures, the registration receipt, the disbursement). `loan_application_events`
is its history, one row per write, which also makes every write idempotent per terminal.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ledger.models import Base, utcnow


class LoanApplicationRow(Base):
    __tablename__ = "loan_applications"

    application_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.member_id"), index=True)
    state: Mapped[str] = mapped_column(String(24), index=True)
    channel: Mapped[str] = mapped_column(String(12))  # kiosk | counter
    terminal_id: Mapped[str] = mapped_column(String(64))  # where it was started
    intake_by: Mapped[str] = mapped_column(String(64), default="")
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    term_months: Mapped[int] = mapped_column(Integer)
    method_code: Mapped[str] = mapped_column(String(2))
    bank_part_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    bank_name: Mapped[str] = mapped_column(String(60), default="")
    purchase_contract_no: Mapped[str] = mapped_column(String(64))
    property_certificate_no: Mapped[str] = mapped_column(String(100), default="")
    property_address: Mapped[str] = mapped_column(String(200), default="")
    spouse_id_number: Mapped[str] = mapped_column(String(18), default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    review_started_at: Mapped[datetime | None] = mapped_column(default=None)
    registration_requested_at: Mapped[datetime | None] = mapped_column(default=None)
    registration_completed_at: Mapped[datetime | None] = mapped_column(default=None)
    disbursed_at: Mapped[datetime | None] = mapped_column(default=None)
    loan_id: Mapped[str | None] = mapped_column(String(24), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class LoanApplicationEvent(Base):
    __tablename__ = "loan_application_events"
    __table_args__ = (UniqueConstraint("terminal_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("loan_applications.application_id"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(12))
    from_state: Mapped[str] = mapped_column(String(24), default="")
    to_state: Mapped[str] = mapped_column(String(24), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    terminal_id: Mapped[str] = mapped_column(String(64))
    idempotency_key: Mapped[str | None] = mapped_column(String(100), default=None)
    request_sha256: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
