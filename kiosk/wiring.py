"""Build the kiosk's services from the terminal configuration (production and demo alike).

Each part is built independently: a part whose module or device can't be set up is left out
(logged), and the screens that need it show themselves as unavailable.
"""

from __future__ import annotations

from infra.config import Config
from infra.logs import get_logger
from kiosk.services import Services
from sync.client import LedgerClient

log = get_logger("kiosk")


def services_from_config(config: Config) -> Services:
    services = Services(config)
    lc = config.ledger
    services.ledger = LedgerClient(lc.url, lc.key_id, lc.secret, timeout_s=lc.timeout_s, verify_tls=lc.verify_tls)
    return services
