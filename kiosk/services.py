"""What the kiosk's screens may call: the ledger client, the outbox, the sync engine, devices.

Each part is optional: a terminal (or a test) without a printer, or before a service is
wired, simply leaves it `None`, and the screens that need it show themselves as unavailable
with a note instead of pretending to work. `available()` is the one place that decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from infra.config import Config


@dataclass
class Services:
    """The kiosk's services; the ones not configured stay None."""
    config: Config
    sync: Any = None          # sync.runtime.SyncRuntime: store, outbox, engine, snapshots, client
    ledger: Any = None        # sync ledger client (health; member sessions go through `snapshots`)
    snapshots: Any = None     # sync runtime: member sessions, the session snapshot, the encrypted cache offline
    outbox: Any = None        # sync outbox: durable enqueue of transactions
    engine: Any = None        # sync engine: status + subscribe
    devices: Any = None       # hardware manager
    id_reader: Any = None
    scanner: Any = None
    printer: Any = None
    token_verifier: Any = None  # offline verifier of the member app's QR token
    extras: dict[str, Any] = field(default_factory=dict)

    def close(self) -> None:
        """Stop what was started: the sync engine, devices, the ledger connection."""
        starting = self.extras.get("starting")  # kiosk.app's start-up after the first frame
        if starting is not None:
            starting.join(10.0)
        opened = self.extras.pop("opened_sync", None)  # opened by it but never attached (closed first)
        if opened is not None:
            opened.stop()
        for loop in self.extras.get("loops", []):
            loop.stop()
        parts = [self.sync] if self.sync is not None else [self.engine, self.ledger]
        shared = self.extras.get("shared_data")
        for part in [self.id_reader, self.scanner, self.printer, self.devices, *parts, shared]:
            stop = getattr(part, "stop", None) or getattr(part, "close", None)
            if callable(stop):
                stop()

    def can_identify(self) -> bool:
        return self.ledger is not None or self.snapshots is not None

    def can_apply(self) -> bool:
        return self.outbox is not None

    def can_print(self) -> bool:
        return self.printer is not None
