"""Local caches: members' account snapshots (encrypted, expiring) and reference data (with ETags)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.account import AccountSnapshot
from infra.logs import get_logger
from sync import models
from sync.crypto import Cipher
from sync.store import Store, utc_now

log = get_logger("sync")

DEFAULT_SNAPSHOT_TTL = timedelta(hours=24)


class SnapshotCache:
    """Account snapshots sealed with AES-GCM; a copy older than `ttl` (by its `as_of`) is not served."""

    def __init__(self, store: Store, cipher: Cipher, ttl: timedelta = DEFAULT_SNAPSHOT_TTL) -> None:
        self.store, self.cipher, self.ttl = store, cipher, ttl

    def put(self, snapshot: AccountSnapshot, *, id_number: str = "") -> None:
        """Cache under the member id and, given the member's ID number, under its keyed reference too (so
        an offline ID-card read finds it: `get(card_key(id_number))`); the number itself is not stored."""
        plaintext = json.dumps(snapshot.to_json(), ensure_ascii=False).encode("utf-8")
        owners = [snapshot.member.member_id] + ([self.card_key(id_number)] if id_number else [])
        with self.store.write() as session:
            for owner in owners:
                nonce, sealed = self.cipher.seal(owner, plaintext)
                session.merge(models.SnapshotCache(member_id=owner, as_of=snapshot.as_of.isoformat(),
                                                   fetched_at=utc_now(), nonce=nonce, ciphertext=sealed))

    def card_key(self, id_number: str) -> str:
        return "card:" + self.cipher.ref(id_number.strip().upper())

    def get(self, member_id: str, now: datetime | None = None) -> AccountSnapshot | None:
        """The cached snapshot marked `source="cache"`, or None when absent, expired or undecryptable."""
        with self.store.read() as session:
            row = session.get(models.SnapshotCache, member_id)
            if row is None:
                return None
            as_of, nonce, sealed = datetime.fromisoformat(row.as_of), row.nonce, row.ciphertext
        if (now or datetime.now(UTC)) - as_of > self.ttl:
            self.forget(member_id)
            return None
        plaintext = self.cipher.open(member_id, nonce, sealed)
        if plaintext is None:
            log.info("cached snapshot of a member could not be decrypted (key changed?); dropped")
            self.forget(member_id)
            return None
        return replace(AccountSnapshot.from_json(json.loads(plaintext)), source="cache")

    def forget(self, member_id: str) -> None:
        with self.store.write() as session:
            row = session.get(models.SnapshotCache, member_id)
            if row is not None:
                session.delete(row)

    def purge_expired(self, now: datetime | None = None) -> int:
        cutoff = ((now or datetime.now(UTC)) - self.ttl).isoformat()
        with self.store.write() as session:
            rows = session.query(models.SnapshotCache).filter(models.SnapshotCache.as_of < cutoff).all()
            for row in rows:
                session.delete(row)
            return len(rows)


class ReferenceCache:
    """The last copy of each reference data set and the ETag it came with."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def etag(self, name: str) -> str | None:
        with self.store.read() as session:
            row = session.get(models.ReferenceCache, name)
            return row.etag if row else None

    def put(self, name: str, body: Any, etag: str | None) -> None:
        with self.store.write() as session:
            session.merge(models.ReferenceCache(name=name, etag=etag, body=json.dumps(body, ensure_ascii=False),
                                                fetched_at=utc_now()))

    def touch(self, name: str) -> None:
        """The ledger said 304: our copy is current as of now."""
        with self.store.write() as session:
            row = session.get(models.ReferenceCache, name)
            if row is not None:
                row.fetched_at = utc_now()

    def get(self, name: str) -> tuple[Any, str] | None:
        """(data, fetched_at) of the cached copy, or None if never fetched."""
        with self.store.read() as session:
            row = session.get(models.ReferenceCache, name)
            return (json.loads(row.body), row.fetched_at) if row else None
