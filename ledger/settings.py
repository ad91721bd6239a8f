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
