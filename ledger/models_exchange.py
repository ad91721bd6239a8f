"""The record of every look-up at the data-sharing exchange (and the cache the ledger reads it as).

One row per topic per use: who asked (terminal or staff), why (purpose), for which case
(idempotency key), with which authorisation of the member, what came back and when. A row
whose answer is younger than its topic's age limit serves later look-ups as the cache; those
uses get their own row with `from_cache` set, so the record lists every use of the facts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ledger.models import Base


class ExchangeLookup(Base):
    __tablename__ = "exchange_lookups"
    __table_args__ = (Index("ix_exchange_lookups_cache", "member_id", "topic", "subject", "at"),
                      # the fetched answers apart from the recorded cache uses (ledger.exchange.source._fresh_answers)
                      Index("ix_exchange_lookups_fresh", "member_id", "from_cache", "topic"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]                                     # when the ledger asked (or used the cache)
    member_id: Mapped[str] = mapped_column(String(20))
    topic: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(64), default="")  # hash of the topic's params (a card number)
    purpose: Mapped[str] = mapped_column(String(80))
    case_ref: Mapped[str] = mapped_column(String(100), index=True)  # idempotency key or case id
    operator: Mapped[str] = mapped_column(String(64))        # terminal id or staff id
    operator_kind: Mapped[str] = mapped_column(String(16))   # terminal | staff
    authorisation: Mapped[dict[str, Any]]
    outcome: Mapped[str] = mapped_column(String(20))         # ok | no_record | timeout | unavailable | bad_answer
    from_cache: Mapped[bool] = mapped_column(Boolean, default=False)
    request_id: Mapped[str] = mapped_column(String(64), default="")
    facts: Mapped[dict[str, Any]]
    source: Mapped[str] = mapped_column(String(40), default="")
    as_of: Mapped[datetime | None]
    signature: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str] = mapped_column(String(300), default="")
