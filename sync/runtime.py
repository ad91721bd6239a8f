"""The one object an application creates: local store + outbox + ledger client + sync engine.

    runtime = SyncRuntime.from_config(config)
    runtime.start()
    receipt = runtime.enqueue("withdrawal.apply", payload, member_id=...)   # durable when it returns
    snapshot = runtime.account_snapshot(member_id)   # ledger when online, encrypted cache otherwise
    runtime.stop()
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from domain.account import AccountSnapshot
from infra.config import Config
from infra.logs import get_logger
from sync import errors
from sync.cache import DEFAULT_SNAPSHOT_TTL, ReferenceCache, SnapshotCache
from sync.client import LedgerClient
from sync.credentials import load_terminal_key
from sync.crypto import Cipher, load_or_create_key
from sync.engine import EngineSettings, SyncEngine
from sync.outbox import Outbox, Receipt
from sync.status import SyncStatus
from sync.store import Store, open_store

log = get_logger("sync")


def sender_lock_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".sender.lock")


class SyncRuntime:
    def __init__(self, store: Store, client: LedgerClient, terminal_id: str, *,
                 settings: EngineSettings | None = None, snapshot_ttl: timedelta = DEFAULT_SNAPSHOT_TTL,
                 key_path: Path | None = None) -> None:
        self.store = store
        self.client = client
        cipher = Cipher(load_or_create_key(key_path))  # one terminal key seals payloads and snapshots
        self.outbox = Outbox(store, terminal_id, cipher)
        self.references = ReferenceCache(store)
        self.snapshots = SnapshotCache(store, cipher, snapshot_ttl)
        self.engine = SyncEngine(self.outbox, client, lock_path=sender_lock_path(store.path), settings=settings,
                                 references=self.references)

    @classmethod
    def from_config(cls, config: Config, **kwargs: Any) -> SyncRuntime:
        """Open the store named by the configuration (migrating it) and build the client from [ledger]."""
        ledger = config.ledger
        client = LedgerClient(ledger.url, ledger.key_id, load_terminal_key(config), timeout_s=ledger.timeout_s,
                              verify_tls=ledger.verify_tls)
        settings = kwargs.pop("settings", None) or EngineSettings(interval_s=ledger.sync_interval_s)
        kwargs.setdefault("snapshot_ttl", timedelta(hours=ledger.snapshot_ttl_h))
        return cls(open_store(config.store_path()), client, config.terminal.id, settings=settings, **kwargs)

    def start(self) -> None:
        self.engine.start()

    def stop(self) -> None:
        self.engine.stop()
        self.client.close()
        self.store.close()

    # --- what screens call -----------------------------------------------------------------------

    def enqueue(self, kind: str, payload: Mapping[str, Any], *, member_id: str | None = None,
                provisional_decision: Mapping[str, Any] | None = None) -> Receipt:
        receipt = self.outbox.enqueue(kind, payload, member_id=member_id, provisional_decision=provisional_decision)
        self.engine.wake()
        return receipt

    @property
    def status(self) -> SyncStatus:
        return self.engine.status

    def subscribe(self, callback: Callable[[SyncStatus], None]) -> Callable[[], None]:
        return self.engine.board.subscribe(callback)

    def account_snapshot(self, member_id: str) -> AccountSnapshot:
        """The member's account: fresh from the ledger (and cached), else the cached copy marked
        `source="cache"` with its `as_of`; raises SnapshotUnavailable when neither exists."""
        try:
            text = self.client.snapshot(member_id)
        except (errors.LedgerUnavailable, errors.LedgerTimeout, errors.LedgerServerError) as exc:
            cached = self.snapshots.get(member_id)
            if cached is None:
                raise errors.SnapshotUnavailable(str(exc)) from exc
            return cached
        try:
            snapshot = AccountSnapshot.from_json(json.loads(text))
        except (ValueError, KeyError, TypeError) as exc:
            raise errors.ProtocolError(f"snapshot of a member does not decode: {exc}") from exc
        self.snapshots.put(snapshot)
        return snapshot

    # --- member sessions (protocol.sessions) ------------------------------------------------------------

    def send_now(self, key: str, timeout_s: float) -> Any:
        """Send one enqueued item at once and wait up to `timeout_s` for the ledger's answer (SyncEngine.send_now)."""
        return self.engine.send_now(key, timeout_s)

    def open_member_session(self, method: str, *, id_number: str = "", password: str = "", token: str = "") -> Any:
        """The ledger verifies the member and opens a session (protocol.sessions.Opened)."""
        return self.client.open_session(method, id_number=id_number, password=password, token=token)

    def session_snapshot(self, session_token: str, *, id_number: str = "") -> AccountSnapshot:
        """The session member's masked snapshot from the ledger, cached for offline viewing (also under the
        keyed reference of the ID number when the card or keypad gave one)."""
        text = self.client.session_snapshot(session_token)
        try:
            snapshot = AccountSnapshot.from_json(json.loads(text))
        except (ValueError, KeyError, TypeError) as exc:
            raise errors.ProtocolError(f"snapshot of a member does not decode: {exc}") from exc
        self.snapshots.put(snapshot, id_number=id_number)
        return snapshot

    def cached_snapshot(self, *, member_id: str = "", id_number: str = "") -> AccountSnapshot | None:
        """The cached (masked) copy by member id or by the ID number read from a card; None if none."""
        key = member_id or (self.snapshots.card_key(id_number) if id_number else "")
        return self.snapshots.get(key) if key else None

    def end_member_session(self, session_token: str) -> None:
        """End the session at the ledger; best effort (it expires by itself when the ledger is unreachable)."""
        try:
            self.client.end_session(session_token)
        except errors.LedgerError as exc:
            log.info("member session not ended at the ledger (it will expire): %s", exc)

    def reference(self, name: str) -> Any | None:
        """The cached reference data set `name` (pulled by the engine), or None before the first pull."""
        cached = self.references.get(name)
        return cached[0] if cached else None

