"""Settings of the ledger's exchange client (the integrator maps the TOML section [exchange] onto them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from domain.exchange_contract import DEMO_KEY_ID, DEMO_PUBLIC_KEY, Topic

DAY_S = 24 * 3600

# How old a fetched fact may be before it is stale and fetched again (seconds), per topic. A centre's
# own data-governance rule decides these; the defaults assume records that change rarely (retirement,
# marriage, household) may be a week old and everything that moves money or property is a day old.
DEFAULT_MAX_AGE_S: Mapping[str, int] = MappingProxyType({
    Topic.RETIREMENT: 7 * DAY_S,
    Topic.EMPLOYMENT: DAY_S,
    Topic.PROPERTY_OWNERSHIP: DAY_S,
    Topic.PROPERTY_REGISTRATION: DAY_S,
    Topic.MARRIAGE: 7 * DAY_S,
    Topic.HOUSEHOLD: 7 * DAY_S,
    Topic.DEED_TAX: DAY_S,
    Topic.MEDICAL_SETTLEMENT: DAY_S,
    Topic.BANK_ACCOUNT: DAY_S,
})


@dataclass(frozen=True)
class ExchangeSettings:
    url: str = "http://127.0.0.1:8770"         # the exchange's base URL (the simulator's default port)
    timeout_s: float = 3.0                     # per HTTP attempt
    retries: int = 2                           # further attempts after a timeout, refused connection or 5xx
    backoff_s: float = 0.2                     # first pause between attempts; doubles each time
    public_key: str = DEMO_PUBLIC_KEY          # base64 raw Ed25519 key the exchange signs with
    key_id: str = DEMO_KEY_ID                  # expected key id in the exchange's answers
    requester: str = "hpf-centre"              # the centre's system id, sent with every look-up
    # After a look-up timed out through all its attempts, further look-ups fail at once for this long
    # (their cases go to a clerk) instead of each waiting timeout_s × attempts: a hung exchange must not
    # stall a terminal's whole batch. 0 turns it off.
    timeout_pause_s: float = 30.0
    max_age_s: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_MAX_AGE_S))

    @property
    def uses_demo_key(self) -> bool:
        """True while the demo simulator's key is trusted: production mode must refuse it."""
        return self.public_key == DEMO_PUBLIC_KEY

    def max_age(self, topic: str) -> int:
        return int(self.max_age_s.get(topic, 0))
