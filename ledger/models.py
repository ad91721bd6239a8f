"""The ledger's tables (SQLAlchemy 2 declarative).

Money is integer fen (BigInteger), rates are Decimal stored as text (exact on SQLite too),
times are UTC (stored naive, returned aware). `transactions.idempotency_key` is UNIQUE: it is
what keeps several ledger processes over one database exactly-once.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the ledger: store UTC with a time zone")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class DecimalText(TypeDecorator[Decimal]):
    """A Decimal kept as its exact text (SQLite has no exact decimal type)."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        return None if value is None else str(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, Decimal: DecimalText}  # noqa: RUF012


class Member(Base):
    __tablename__ = "members"

    member_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(40))
    sex: Mapped[str] = mapped_column(String(1))  # GB/T 2261.1: 1 male, 2 female (the ID number's 17th digit)
    birth_date: Mapped[date] = mapped_column(Date)
    phone: Mapped[str] = mapped_column(String(20), index=True)  # indexed for the shared-phone fraud signal
    region_code: Mapped[str] = mapped_column(String(6))
    employer: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    failed_password_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)
    cobranded_bank: Mapped[str] = mapped_column(String(60), default="")
    cobranded_card: Mapped[str] = mapped_column(String(19), default="", index=True)
    owns_home_in_city: Mapped[bool] = mapped_column(Boolean, default=False)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    account: Mapped[Account] = relationship(back_populates="member", uselist=False)


class Account(Base):
    __tablename__ = "accounts"

    account_no: Mapped[str] = mapped_column(String(20), primary_key=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.member_id"), unique=True)
    status_code: Mapped[str] = mapped_column(String(2))  # 个人账户状态 grzhzt: 01 正常 / 02 封存 (domain.account)
    frozen: Mapped[bool] = mapped_column(Boolean, default=False)
    frozen_amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    employer_account: Mapped[str] = mapped_column(String(20), default="")
    district: Mapped[str] = mapped_column(String(6), default="")  # deposit location, for district tiers
    balance_fen: Mapped[int] = mapped_column(BigInteger)
    base_salary_fen: Mapped[int] = mapped_column(BigInteger)
    employee_rate: Mapped[Decimal] = mapped_column()
    employer_rate: Mapped[Decimal] = mapped_column()
    monthly_deposit_fen: Mapped[int] = mapped_column(BigInteger)
    opened_on: Mapped[date] = mapped_column(Date)
    last_deposit_month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    pledged: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    member: Mapped[Member] = relationship(back_populates="account")


class Deposit(Base):
    __tablename__ = "deposits"
    __table_args__ = (Index("ix_deposits_account_month", "account_no", "month"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_no: Mapped[str] = mapped_column(ForeignKey("accounts.account_no"))
    month: Mapped[str] = mapped_column(String(7))
    kind: Mapped[str] = mapped_column(String(12))  # regular (汇缴) | back_pay (补缴)
    employee_fen: Mapped[int] = mapped_column(BigInteger)
    employer_fen: Mapped[int] = mapped_column(BigInteger)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    paid_on: Mapped[date] = mapped_column(Date)


class Withdrawal(Base):
    __tablename__ = "withdrawals"
    __table_args__ = (Index("ix_withdrawals_member_applied", "member_id", "applied_at"),
                      Index("ix_withdrawals_property", "property_id"),
                      # covers the batch apply's per member, sub-type and status totals (ledger.batch._history)
                      Index("ix_withdrawals_member_totals", "member_id", "subtype", "status", "applied_at",
                            "amount_fen"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.member_id"))
    account_no: Mapped[str] = mapped_column(ForeignKey("accounts.account_no"))
    reason_code: Mapped[str] = mapped_column(String(2))  # JGJ/T 320 withdrawal reason 01-09, 99
    subtype: Mapped[str] = mapped_column(String(40), default="")  # city sub-type, e.g. "rent"
    property_id: Mapped[str] = mapped_column(String(64), default="")  # for once-per-property rules
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(12))  # pending | approved | paid | rejected | cancelled
    application_no: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(12))
    payout_card: Mapped[str] = mapped_column(String(19), default="")
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    idempotency_key: Mapped[str | None] = mapped_column(String(100), default=None)
    case_id: Mapped[str | None] = mapped_column(String(64), default=None)


class Loan(Base):
    __tablename__ = "loans"

    loan_id: Mapped[str] = mapped_column(String(24), primary_key=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.member_id"), index=True)
    principal_fen: Mapped[int] = mapped_column(BigInteger)
    balance_fen: Mapped[int] = mapped_column(BigInteger)
    annual_rate: Mapped[Decimal] = mapped_column()  # percent, e.g. 2.60
    term_months: Mapped[int] = mapped_column(Integer)
    method_code: Mapped[str] = mapped_column(String(2))  # 10 等额本息 | 20 等额本金 (domain.account)
    start_date: Mapped[date] = mapped_column(Date)
    repayment_day: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))  # normal | overdue | settled
    offset_mode: Mapped[str] = mapped_column(String(12), default="")  # 冲还贷 signed: monthly | yearly | one_off

    schedule: Mapped[list[LoanPeriod]] = relationship(order_by="LoanPeriod.period", back_populates="loan")


class LoanPeriod(Base):
    __tablename__ = "loan_schedules"
    __table_args__ = (UniqueConstraint("loan_id", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    loan_id: Mapped[str] = mapped_column(ForeignKey("loans.loan_id"))
    period: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[date] = mapped_column(Date)
    principal_fen: Mapped[int] = mapped_column(BigInteger)
    interest_fen: Mapped[int] = mapped_column(BigInteger)
    paid_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    paid_on: Mapped[date | None] = mapped_column(Date, default=None)
    penalty_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # 罚息 accrued on an overdue period
    status: Mapped[str] = mapped_column(String(10))  # paid | due | overdue | future

    loan: Mapped[Loan] = relationship(back_populates="schedule")


class Agreement(Base):
    """Signed agreements: co-branded card (联名卡) and loan offset (冲还贷)."""

    __tablename__ = "agreements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("members.member_id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # cobranded_card | loan_offset
    detail: Mapped[dict[str, Any]] = mapped_column()
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
    idempotency_key: Mapped[str | None] = mapped_column(String(100), default=None)


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_status_assignee", "status", "assignee"),)

    case_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[str | None] = mapped_column(ForeignKey("members.member_id"), default=None)
    business_code: Mapped[str] = mapped_column(String(64), default="")  # catalogue item code
    status: Mapped[str] = mapped_column(String(20))  # domain.cases.CaseState value (draft, submitted, ...)
    assignee: Mapped[str] = mapped_column(String(64), default="")
    channel: Mapped[str] = mapped_column(String(12), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    events: Mapped[list[CaseEvent]] = relationship(order_by="CaseEvent.id", back_populates="case")


class CaseEvent(Base):
    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.case_id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(12), default="")  # domain.cases.Role of the actor
    from_state: Mapped[str] = mapped_column(String(20), default="")
    to_state: Mapped[str] = mapped_column(String(20), default="")  # "" for events that keep the state
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    idempotency_key: Mapped[str | None] = mapped_column(String(100), default=None)

    case: Mapped[Case] = relationship(back_populates="events")


class QueueTicketRow(Base):
    __tablename__ = "queue_tickets"
    __table_args__ = (UniqueConstraint("outlet", "ticket_no", "issued_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    outlet: Mapped[str] = mapped_column(String(100), index=True)
    ticket_no: Mapped[str] = mapped_column(String(20))
    issued_on: Mapped[date] = mapped_column(Date)
    business: Mapped[str] = mapped_column(String(60))
    member_id: Mapped[str | None] = mapped_column(String(20), default=None)
    priority: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(12))  # waiting | called | serving | done | no_show | ...
    window: Mapped[str] = mapped_column(String(20), default="")
    clerk: Mapped[str] = mapped_column(String(64), default="")
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class RatingRow(Base):
    __tablename__ = "ratings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    member_id: Mapped[str | None] = mapped_column(String(20), default=None)
    score: Mapped[int] = mapped_column(Integer)
    service_item: Mapped[str] = mapped_column(String(100))
    channel: Mapped[str] = mapped_column(String(12))
    window: Mapped[str] = mapped_column(String(20), default="")
    staff: Mapped[str] = mapped_column(String(64), default="")
    serial_no: Mapped[str] = mapped_column(String(64), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    terminal_id: Mapped[str] = mapped_column(String(64))
    rated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Terminal(Base):
    __tablename__ = "terminals"

    key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    terminal_id: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(12))  # kiosk | counter
    outlet: Mapped[str] = mapped_column(String(100), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_heartbeat_at: Mapped[datetime | None] = mapped_column(default=None)
    last_status: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Heartbeat(Base):
    __tablename__ = "heartbeats"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    terminal_id: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[dict[str, Any]] = mapped_column(default=dict)


class DeviceReportRow(Base):
    __tablename__ = "device_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    terminal_id: Mapped[str] = mapped_column(String(64), index=True)
    device: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    reported_at: Mapped[datetime] = mapped_column(default=utcnow)


class Transaction(Base):
    __tablename__ = "transactions"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                    autoincrement=True)
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    ledger_id: Mapped[str] = mapped_column(String(32), unique=True)
    terminal_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    member_id: Mapped[str | None] = mapped_column(String(20), default=None, index=True)
    payload: Mapped[dict[str, Any]] = mapped_column()
    payload_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(10))  # accepted | rejected
    reason: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # money moved, for reconciliation
    created_at: Mapped[datetime] = mapped_column()  # on the terminal
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    applied_at: Mapped[datetime | None] = mapped_column(default=None)


class Nonce(Base):
    __tablename__ = "nonces"

    key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(32), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


# Tables of other modules on the same Base, imported so Base.metadata holds them (alembic, create_all).
# Tables declared in their own modules on the same Base (imported here so the metadata is complete).
# The hall's tables (issue 11: certificates).
import ledger.models_hall  # noqa: E402, F401
from ledger import models_credentials as _models_credentials  # noqa: E402, F401
from ledger import models_exchange as _models_exchange  # noqa: E402,F401
from ledger import models_help as _models_help  # noqa: E402,F401 - issue 13: help calls
from ledger import models_loans as _models_loans  # noqa: E402,F401 - the loan applications (issue 11)

# Tables in their own modules on the same Base, imported here so Base.metadata is whole wherever it is used.
from ledger import models_sessions as _models_sessions  # noqa: E402,F401
