"""Ledger service settings: the knobs an operator may turn, with their defaults."""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from ledger.exchange.settings import ExchangeSettings

CENTRE_TZ = ZoneInfo("Asia/Shanghai")  # business days (queue tickets, dates on records) are Beijing days


@dataclass(frozen=True)
class LedgerSettings:
    policy_city: str = "taiyuan"
    # Query-password attempts: after `password_max_failures` wrong answers the member is locked out for
    # `password_lockout_s`; the counter resets on success. A centre's own rule may differ: set it here.
    password_max_failures: int = 5
    password_lockout_s: int = 15 * 60
    # Cross-member fraud signals (domain.fraud) on every withdrawal: they send it to a clerk, never refuse it.
    fraud_screening: bool = True
    # The data-sharing exchange the ledger fetches department facts from (ledger.exchange.settings).
    exchange: ExchangeSettings = field(default_factory=ExchangeSettings)
    # Member sessions (ledger.sessions): lifetime of a session the ledger opened after verifying the member.
    session_ttl_s: int = 10 * 60
    # Personal look-ups (lookup, verify-password, session opening, snapshot, schedule) one terminal may make
    # per minute before it is answered 429; a kiosk serves one member at a time, a few calls each.
    member_reads_per_minute: int = 30
    # Alert (log record + member_read_alerts row) when one terminal reads this many distinct members within
    # the window: a lobby kiosk serves perhaps 20 people an hour, so 40 distinct members is unusual.
    distinct_members_alert: int = 40
    distinct_members_window_s: int = 60 * 60
    # Audit chain (ledger.audit): the Ed25519 key file that signs entries and heads ("" = the demo key,
    # refused in production), where signed heads are exported outside the database ("" = <data>/audit-heads)
    # and how often (seconds; 0 = only by `hpf-ledger audit export-head`, e.g. from a timer).
    audit_key_file: str = ""
    audit_heads_dir: str = ""
    audit_head_every_s: float = 0.0
    # Heartbeats are written in batches every this many seconds (0: each at once). Batching turns ~33
    # commits a second from 1,000 terminals into one; a crash loses at most this much heartbeat history.
    heartbeat_batch_s: float = 0.0
    # PostgreSQL connections each ledger process keeps (ledger.db.make_engine): one per request thread that
    # may hold a transaction at once. A centre's total is workers x this; keep it under max_connections (or
    # PgBouncer's pool). SQLite ignores it.
    db_pool_size: int = 16
