"""Ledger service settings: the knobs an operator may turn, with their defaults."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

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
    # Heartbeats are written in batches every this many seconds (0: each at once). Batching turns ~33
    # commits a second from 1,000 terminals into one; a crash loses at most this much heartbeat history.
    heartbeat_batch_s: float = 0.0
