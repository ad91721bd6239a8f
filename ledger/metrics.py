"""Counters for the centre's monitoring, exposed on /metrics (Prometheus text format) by ledger.fleet.

Other parts of the ledger increment these directly, e.g. the exchange client::

    from ledger.metrics import EXCHANGE_LOOKUPS, EXCHANGE_FAILURES
    EXCHANGE_LOOKUPS.labels(source="provincial").inc()
    EXCHANGE_FAILURES.labels(source="provincial", reason="timeout").inc()

Gauges that describe the fleet (terminals by state, open alerts, outbox backlog) are computed
from the database at scrape time (ledger.fleet). Every name starts with `hpf_`.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

HEARTBEATS = Counter("hpf_heartbeats", "Heartbeats received from terminals", registry=REGISTRY)
INGEST_SECONDS = Histogram("hpf_heartbeat_ingest_seconds", "Time to store one heartbeat and evaluate its alerts",
                           buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0),
                           registry=REGISTRY)
EXCHANGE_LOOKUPS = Counter("hpf_exchange_lookups", "Look-ups at the provincial data-sharing exchange",
                           ["source"], registry=REGISTRY)
EXCHANGE_FAILURES = Counter("hpf_exchange_failures", "Failed look-ups at the data-sharing exchange",
                            ["source", "reason"], registry=REGISTRY)
