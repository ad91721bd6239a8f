"""`POST /v1/transactions`: apply a batch exactly once per idempotency key.

Each item runs in its own database transaction: claim the key by inserting the transaction
row (UNIQUE idempotency_key), re-check and apply the business rows in a savepoint, store the
outcome, commit. A second process racing on the same key blocks on the unique index until
the first commits, then gets IntegrityError and answers from the stored row; a different
payload under a stored key is a "conflict". Rejections are stored too, so a retry of a
refused item gets the same refusal and never a second decision.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from domain import transactions as tx
from domain.transactions import TransactionError
from infra.logs import get_logger
from ledger import staff_rules
from ledger.exchange.prefetch import prefetch
from ledger.exchange.source import Evidence, EvidenceSource
from ledger.models import Transaction
from ledger.rules import HANDLERS, Applied, ItemContext
from ledger.sessions import check_item_proof

log = get_logger("ledger")

DEADLOCK_RETRIES = 3


@dataclass(frozen=True)
class Item:
    idempotency_key: str
    kind: str
    member_id: str | None
    created_at: str
    payload: Any


def new_ledger_id(now: datetime) -> str:
    """`L20261127-<16 hex>`: sortable by day, unguessable, unique across ledger processes."""
    return f"L{now:%Y%m%d}-{secrets.token_hex(8)}"


def _result(key: str, status: str, ledger_id: str | None, reason: dict[str, str] | None,
            result: dict[str, Any] | None) -> dict[str, Any]:
    return {"idempotency_key": key, "status": status, "ledger_id": ledger_id, "reason": reason,
            "result": result or {}}


def stored_result(row: Transaction) -> dict[str, Any]:
    return _result(row.idempotency_key, row.status, row.ledger_id, row.reason, row.result)


def _conflict(key: str) -> dict[str, Any]:
    reason = TransactionError(
        "idempotency_conflict", "该幂等键已用于内容不同的另一笔业务，本笔未处理。",
        "This idempotency key was already used for a different transaction; this one was not applied.")
    return _result(key, "conflict", None, reason.as_reason(), None)


def _foreign(key: str) -> dict[str, Any]:
    reason = TransactionError(
        "idempotency_key_foreign", "该幂等键属于另一台终端，本笔未处理。",
        "This idempotency key belongs to another terminal; this item was not applied.")
    return _result(key, "conflict", None, reason.as_reason(), None)


def _answer_from(row: Transaction, digest: str, terminal_id: str) -> dict[str, Any]:
    """A stored key answers only the terminal that sent it: another terminal replaying it learns nothing."""
    if row.terminal_id != terminal_id:
        return _foreign(row.idempotency_key)
    return stored_result(row) if row.payload_hash == digest else _conflict(row.idempotency_key)


def process_batch(sessions: sessionmaker[Session], terminal_id: str, role: str, items: list[Item],
                  *, now: datetime | None = None, city: str = "taiyuan",
                  fraud_screening: bool = True, evidence: EvidenceSource | None = None) -> list[dict[str, Any]]:
    return [process_item(sessions, terminal_id, role, item, now=now, city=city, fraud_screening=fraud_screening,
                         evidence=evidence)
            for item in items]


def _has_lone_surrogate(value: Any, depth: int = 0) -> bool:
    """True if any text in the item cannot be UTF-8 (a lone surrogate from a JSON "\\ud800" escape)."""
    if depth > 64:
        return True
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k, depth + 1) or _has_lone_surrogate(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v, depth + 1) for v in value)
    return False


def _printable_key(key: object) -> str:
    return str(key).encode("utf-8", "replace").decode("utf-8")[:200]


def process_item(sessions: sessionmaker[Session], terminal_id: str, role: str, item: Item,
                 *, now: datetime | None = None, city: str = "taiyuan",
                 fraud_screening: bool = True, evidence: EvidenceSource | None = None) -> dict[str, Any]:
    """One item's answer. Whatever its content, a bad item is that item's rejection, never the batch's
    500: only the database being unavailable (OperationalError) fails the whole request (503)."""
    try:
        key = tx.check_idempotency_key(item.idempotency_key)
    except TransactionError as exc:  # nothing to store it under: answer, keep nothing
        return _result(_printable_key(item.idempotency_key), "rejected", None, exc.as_reason(), None)
    if _has_lone_surrogate([item.kind, item.member_id, item.created_at, item.payload]):
        reason = TransactionError("invalid_text", "业务内容含有无法编码的字符（孤立代理项），已拒绝。",
                                  "The item holds text that is not valid Unicode (a lone surrogate); refused.")
        return _result(key, "rejected", None, reason.as_reason(), None)
    try:
        return _process_item(sessions, terminal_id, role, key, item, now=now, city=city,
                             fraud_screening=fraud_screening, evidence=evidence)
    except OperationalError:
        raise  # the database: an outage, answered 503 for the whole batch
    except Exception:
        log.exception("item %s (%s) could not be processed; answered as its rejection", key, str(item.kind)[:32])
        reason = TransactionError("item_unprocessable", "中心无法处理这笔业务，请联系中心。",
                                  "The centre could not process this item; please contact the centre.")
        return _result(key, "rejected", None, reason.as_reason(), None)


def _process_item(sessions: sessionmaker[Session], terminal_id: str, role: str, key: str, item: Item,
                  *, now: datetime | None, city: str, fraud_screening: bool,
                  evidence: EvidenceSource | None) -> dict[str, Any]:
    digest = tx.payload_hash(item.kind, item.member_id, item.payload)
    # Department facts are fetched by the ledger itself, before the item's transaction (no lock is held
    # while the exchange answers); whatever facts the payload carries are never read.
    fetched = prefetch(sessions, evidence, terminal_id, key, item.kind, item.member_id, item.payload)
    for attempt in range(DEADLOCK_RETRIES + 1):
        try:
            return _apply_once(sessions, terminal_id, role, key, digest, item, now, city, fraud_screening, fetched)
        except IntegrityError:
            # Another process (or thread) claimed the key first and has committed: answer from its row.
            with sessions() as session:
                row = session.scalars(select(Transaction).where(Transaction.idempotency_key == key)).first()
            if row is not None:
                return _answer_from(row, digest, terminal_id)
            # Another constraint (e.g. one queue ticket number sent under two keys at once): the other
            # transaction has committed by now, so a second attempt sees it and decides properly.
            if attempt == DEADLOCK_RETRIES:
                raise
        except OperationalError as exc:
            if attempt == DEADLOCK_RETRIES or not _is_retryable(exc):
                raise
            log.info("retrying %s after a transient database error: %s", key, exc.orig)
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def _storable_member(member_id: object) -> str | None:
    """The member id if the column can hold it; a malformed one is refused anyway (the hash keeps it)."""
    if isinstance(member_id, str) and 0 < len(member_id) <= tx.MAX_MEMBER_ID:
        return member_id
    return None


def _is_retryable(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return "deadlock" in text or "could not serialize" in text or "database is locked" in text


def _apply_once(sessions: sessionmaker[Session], terminal_id: str, role: str, key: str, digest: str, item: Item,
                now: datetime | None, city: str, fraud_screening: bool, fetched: Evidence | None) -> dict[str, Any]:
    now = now or datetime.now(UTC)
    refusal: TransactionError | None = None
    created_at = now
    try:  # the pure checks first: a malformed item is stored as refused in a single INSERT
        created_at = tx.parse_utc(item.created_at)
        tx.check_member(item.kind, item.member_id)
        payload = tx.parse_payload(item.kind, item.payload)
    except TransactionError as exc:
        refusal = exc
    with sessions.begin() as session:
        # A key seen before is answered from storage inside the same transaction: one round for retries.
        existing = session.scalars(select(Transaction).where(Transaction.idempotency_key == key)).first()
        if existing is not None:
            return _answer_from(existing, digest, terminal_id)
        row = Transaction(idempotency_key=key, ledger_id=new_ledger_id(now), terminal_id=terminal_id,
                          kind=str(item.kind)[:32], member_id=_storable_member(item.member_id),
                          payload=item.payload if isinstance(item.payload, dict) else {"_raw": item.payload},
                          payload_hash=digest, status="accepted", created_at=created_at, received_at=now)
        if refusal is not None:
            row.status, row.reason = "rejected", refusal.as_reason()
        session.add(row)
        session.flush()  # claims the key now: a racing process blocks here, then fails once ours commits
        if fetched is not None:
            session.add_all(fetched.deferred_rows())  # the cache uses behind this item, in its own commit
        if refusal is None:
            ctx = ItemContext(key, terminal_id, role, item.member_id, created_at, now, row.ledger_id, city,
                              fraud_screening, evidence=fetched)
            try:
                with session.begin_nested():  # a refusal mid-way leaves no half-applied rows
                    check_item_proof(session, kind=item.kind, role=role, terminal_id=terminal_id,
                                     member_id=item.member_id, idempotency_key=key, created_at=created_at,
                                     payload=item.payload, now=now)
                    applied: Applied = HANDLERS[item.kind](session, ctx, payload)
            except TransactionError as exc:
                refusal = exc
                row.status, row.reason = "rejected", exc.as_reason()
            else:
                row.result, row.amount_fen, row.applied_at = applied.result, applied.amount_fen, now
        if refusal is not None:
            log.info("rejected %s (%s): %s", key, item.kind, refusal.code)
        staff_rules.audit_item(session, terminal_id=terminal_id, terminal_role=role, kind=str(item.kind),
                               payload=item.payload, created_at=created_at, refusal=refusal, result=row.result)
        return stored_result(row)
