"""The table of the hall's help calls (issue 13): a kiosk's "call staff" button, for the counters.

A row says which terminal in which hall asked for help, when, why (one code of a fixed list) and
which window answered. It holds no personal data: no member, name, ID or card number.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ledger.models import Base, utcnow


class HelpCallRow(Base):
    __tablename__ = "help_calls"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    outlet: Mapped[str] = mapped_column(String(100), index=True)
    terminal_id: Mapped[str] = mapped_column(String(64), index=True)
    reason: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | answered
    called_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_by: Mapped[str] = mapped_column(String(20), default="")  # the window that came
    answered_at: Mapped[datetime | None] = mapped_column(default=None)
