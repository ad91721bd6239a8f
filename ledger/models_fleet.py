"""The fleet's tables (issue 12): technicians' actions, alerts, and each terminal's device states.

The latest heartbeat stays on `Terminal.last_status` and the short history in `heartbeats`
(ledger.models); these tables add what the fleet page and the alerting need. Migration 0006_fleet.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ledger.models import Base, utcnow


class TechnicianActionRow(Base):
    """A technician's action on a terminal, as the terminal queued it (kind "technician.action"); the
    same action is appended to the audit chain (ledger.audit) in the same transaction."""

    __tablename__ = "technician_actions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    terminal_id: Mapped[str] = mapped_column(String(64), index=True)
    technician: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[datetime] = mapped_column(default=utcnow)  # when the terminal recorded it


class FleetAlert(Base):
    """One alert: raised when a rule's condition starts, cleared by itself when it ends; a
    technician acknowledges it (an acknowledged alert stays open until its condition ends)."""

    __tablename__ = "fleet_alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    terminal_id: Mapped[str] = mapped_column(String(64))
    rule: Mapped[str] = mapped_column(String(40))  # the rule's name in the configuration
    kind: Mapped[str] = mapped_column(String(40))  # silent | device_offline | paper | cover | outbox_age | disk | clock
    subject: Mapped[str] = mapped_column(String(64), default="")  # the device, or "" for the terminal
    message_zh: Mapped[str] = mapped_column(String(300), default="")
    message_en: Mapped[str] = mapped_column(String(300), default="")
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    cleared_at: Mapped[datetime | None] = mapped_column(default=None)
    acked_at: Mapped[datetime | None] = mapped_column(default=None)
    acked_by: Mapped[str] = mapped_column(String(64), default="")
    webhook_status: Mapped[str] = mapped_column(String(40), default="")  # "" | "sent 200" | "failed: ..."

    __table_args__ = (Index("ix_fleet_alerts_open", "terminal_id", "cleared_at"),)
