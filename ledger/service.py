"""`POST /v1/transactions`: apply a batch exactly once per idempotency key.

One request is one database transaction (one durable commit). A request of the common kinds is applied
optimistically in one pass (`ledger.batch`: read set-based, written with one INSERT per table, no savepoint
per item); anything else, and any such request that meets a fault, is applied item by item, with a
savepoint per item: claim the key by inserting the transaction row (UNIQUE idempotency_key), re-check and
apply the business rows in a nested savepoint, store the outcome. A refused item keeps its stored
refusal; an item that faults is rolled back alone; its neighbours commit either way. The keys the ledger
has already answered are found with one query per request and answered from storage. A second
process racing on the same key blocks on the unique index until the first commits, then gets
IntegrityError (inside the item's savepoint) and answers from the stored row; a different
payload under a stored key is a "conflict". Rejections are stored too, so a retry of a refused
item gets the same refusal and never a second decision. The request's members are locked in
member-id order before any item runs (PostgreSQL), so concurrent requests cannot deadlock on them,
and items apply in the order the terminal sent them.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from domain import transactions as tx
from domain.transactions import TransactionError
from infra.logs import get_logger
from ledger import rules, staff_rules
from ledger.exchange.prefetch import EVIDENCE_KINDS, Wanted, prefetch_batch
from ledger.exchange.source import Evidence, EvidenceSource
from ledger.models import Account, Member, Transaction
from ledger.online import ONLINE, GiveWay
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
    return f"L{now:%Y%m%d}-{_random_hex16()}"


class _RandomHex(threading.local):
    """16 hex digits of the OS's CSPRNG at a time, drawn 64 ids' worth per system call (a request of 200 items
    names 200 ledger ids). Per thread, and dropped in a forked child (whose parent may hold the same bytes)."""

    def __init__(self) -> None:
        self.pid = 0
        self.left: list[str] = []

    def take(self) -> str:
        if not self.left or self.pid != os.getpid():
            self.pid = os.getpid()
            text = secrets.token_hex(8 * 64)
            self.left = [text[i:i + 16] for i in range(0, len(text), 16)]
        return self.left.pop()


_RANDOM = _RandomHex()


def _random_hex16() -> str:
    return _RANDOM.take()


def _result(key: str, status: str, ledger_id: str | None, reason: dict[str, str] | None,
            result: dict[str, Any] | None) -> dict[str, Any]:
    return {"idempotency_key": key, "status": status, "ledger_id": ledger_id, "reason": reason,
            "result": result or {}}


class Stored(Protocol):
    """A stored answer to a key: its `Transaction` row, or what ledger.batch holds of one it stored."""

    @property
    def idempotency_key(self) -> str: ...
    @property
    def terminal_id(self) -> str: ...
    @property
    def payload_hash(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def ledger_id(self) -> str: ...
    @property
    def reason(self) -> dict[str, Any] | None: ...
    @property
    def result(self) -> dict[str, Any]: ...


def stored_result(row: Stored) -> dict[str, Any]:
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


def _answer_from(row: Stored, digest: str, terminal_id: str) -> dict[str, Any]:
    """A stored key answers only the terminal that sent it: another terminal replaying it learns nothing."""
    if row.terminal_id != terminal_id:
        return _foreign(row.idempotency_key)
    return stored_result(row) if row.payload_hash == digest else _conflict(row.idempotency_key)


# Kinds whose handlers lock the member's account (or member row) FOR UPDATE. A request locks all of its
# members up front in member-id order, so two ledger processes (or threads) cannot deadlock on them.
LOCKING_KINDS = frozenset({"withdrawal.apply", "loan_offset.sign", "transfer.apply", "cobranded_card.sign"})


# Backlog batches (more than one item) a ledger process applies at once, on threads of their own. The others
# wait asleep, so an online request (the kiosk's send_now: one item, a person waiting) never shares the
# process's interpreter with more than this many drains. (A lower OS priority for these threads was tried
# and dropped: on a busy host it starved the drains behind every other process, and retried batches queued
# behind abandoned ones until the terminals' timeouts expired.)
DRAIN_SLOTS = 2
# SQLite has one write lock: a second drain thread would only wait for it inside SQLite's busy handler (asleep
# in C, where it cannot see an online request), and take it before the online request when the first drain
# commits to give way. One drain at a time per process there.
SQLITE_DRAIN_SLOTS = 1
GIVE_WAY_BUDGET_S = 2.0  # how long one backlog batch may pause in all for online requests (OnlineFirst)
_pools: dict[bool, ThreadPoolExecutor] = {}
_pool_lock = threading.Lock()


def _background(sessions: sessionmaker[Session]) -> ThreadPoolExecutor:
    """The drain slots of this process for the database of `sessions`."""
    bind = sessions.kw.get("bind")
    sqlite = bind is not None and bind.dialect.name == "sqlite"
    with _pool_lock:
        pool = _pools.get(sqlite)
        if pool is None:
            pool = _pools[sqlite] = ThreadPoolExecutor(SQLITE_DRAIN_SLOTS if sqlite else DRAIN_SLOTS,
                                                       thread_name_prefix="hpf-ingest",
                                                       initializer=_drain_priority)
        return pool


# The drain slots' threads run this much nicer than the process (Linux: niceness is per thread): when the
# host's CPUs are all busy, the kernel runs a request thread that a person waits for (a kiosk's online
# application, a counter's look-up) before a backlog drain. An idle CPU still runs the drain at full speed.
DRAIN_NICE = 5


def _drain_priority() -> None:
    if not hasattr(os, "setpriority"):
        return
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + DRAIN_NICE))
    except OSError as exc:  # not permitted here: the drain runs at the process's priority
        log.warning("drain threads keep the process priority: %s", exc)


@dataclass
class _Pending:
    """An item that passed the pure envelope checks and whose key the ledger has not answered yet."""
    index: int
    key: str
    item: Item
    digest: str
    evidence: Evidence | None = None
    parsed: Any = None  # the payload parsed (tx.parse_payload) on the way to its facts, if it was


class _FirstWrite:
    """What the caller asked to write first (the request's nonce, ledger.auth.PendingNonce.record) in each
    transaction that may commit the request's decision, until one of them has committed; alone, in a
    transaction of its own, if none did (nothing new to decide). Without one, nothing."""

    def __init__(self, write: Callable[[Session], None] | None) -> None:
        self._write = write

    def __call__(self, session: Session) -> None:
        if self._write is not None:
            self._write(session)

    def committed(self) -> None:
        self._write = None

    def finish(self, sessions: sessionmaker[Session]) -> None:
        if self._write is not None:
            with sessions.begin() as session:
                self._write(session)
            self._write = None


def process_batch(sessions: sessionmaker[Session], terminal_id: str, role: str, items: list[Item],
                  *, now: datetime | None = None, city: str = "taiyuan",
                  fraud_screening: bool = True, evidence: EvidenceSource | None = None,
                  first_write: Callable[[Session], None] | None = None) -> list[dict[str, Any]]:
    """The answers to one request, in item order:

    1. The pure envelope checks: an unusable key or text is answered at once and nothing is stored.
    2. One query for every key of the batch the ledger has stored already: those are answered from storage
       (a terminal's retry of a batch it got no answer for costs this one query).
    3. The department facts of the rest, from the exchange, before any transaction opens.
    4. ONE database transaction: the members locked in id order, then the items, in one optimistic pass
       (ledger.batch) or each in its own savepoint, so a refused or faulting item is rolled back alone and its
       neighbours still commit (one commit per request).

    Steps 3 and 4 of a backlog batch (more than one item) run on one of the DRAIN_SLOTS background threads
    and give way between items to online requests (one item: a person at a kiosk waits for the decision),
    which run at once on the request's own thread.

    `first_write(session)` (ledger.app: the request's nonce) is the first write of step 4's transaction, so it
    commits with the decision; if step 4 has nothing to do, it commits alone after step 3. What it raises
    (the nonce's 401 "replay") rolls that transaction back and leaves this call."""
    first = _FirstWrite(first_write)
    answers: list[dict[str, Any] | None] = [None] * len(items)
    pending: list[_Pending] = []
    for index, item in enumerate(items):
        try:
            key = tx.check_idempotency_key(item.idempotency_key)
        except TransactionError as exc:  # nothing to store it under: answer, keep nothing
            answers[index] = _result(_printable_key(item.idempotency_key), "rejected", None, exc.as_reason(), None)
            continue
        if _has_lone_surrogate([item.kind, item.member_id, item.created_at, item.payload]):
            reason = TransactionError("invalid_text", "业务内容含有无法编码的字符（孤立代理项），已拒绝。",
                                      "The item holds text that is not valid Unicode (a lone surrogate); refused.")
            answers[index] = _result(key, "rejected", None, reason.as_reason(), None)
            continue
        try:
            digest = tx.payload_hash(item.kind, item.member_id, item.payload)
        except Exception:
            answers[index] = _unprocessable(key, item)
            continue
        pending.append(_Pending(index, key, item, digest))
    fresh: list[_Pending] = []
    if pending:
        stored = _stored_rows(sessions, [p.key for p in pending])
        for p in pending:
            row = stored.get(p.key)
            if row is not None:
                answers[p.index] = _answer_from(row, p.digest, terminal_id)
            else:
                fresh.append(p)
    if fresh and len(items) > 1:
        decided = _background(sessions).submit(_backlog, sessions, terminal_id, role, fresh, now, city,
                                               fraud_screening, evidence, GiveWay(GIVE_WAY_BUDGET_S), first).result()
    elif fresh:
        with ONLINE.online():
            decided = _decide(sessions, terminal_id, role, fresh, now, city, fraud_screening, evidence, None, first)
    else:
        decided = {}
    first.finish(sessions)
    for index, answer in decided.items():
        answers[index] = answer
    assert all(a is not None for a in answers)
    return [a for a in answers if a is not None]


def _decide(sessions: sessionmaker[Session], terminal_id: str, role: str, fresh: list[_Pending],
            now: datetime | None, city: str, fraud_screening: bool, evidence: EvidenceSource | None,
            give_way: GiveWay | None, first: _FirstWrite) -> dict[int, dict[str, Any]]:
    """Steps 3 and 4 for the items the ledger has not answered before: {item index: answer}."""
    out: dict[int, dict[str, Any]] = {}
    if give_way is not None and any(p.item.kind in EVIDENCE_KINDS for p in fresh):
        give_way.pause()  # a backlog batch: an online request first
    parsed: dict[int, Any] = {}
    found = prefetch_batch(sessions, evidence, terminal_id,
                           [Wanted(p.key, p.item.kind, p.item.member_id, p.item.payload) for p in fresh],
                           give_way.pause if give_way is not None else None, parsed)
    ok = []
    for n, (p, ev) in enumerate(zip(fresh, found, strict=True)):
        p.parsed = parsed.get(n)
        if isinstance(ev, BaseException):  # that item's look-up crashed: it alone is answered as unprocessable
            out[p.index] = _unprocessable(p.key, p.item)
        else:
            p.evidence = ev
            ok.append(p)
    fresh = ok
    if fresh:
        out.update(_apply_batch(sessions, terminal_id, role, fresh, now, city, fraud_screening, give_way, first))
    return out


def prepare(city: str, *, fraud_screening: bool = True) -> None:
    """What a ledger process does once before its first request: the city's policy tables compiled, the batch
    apply loaded. A policy that fails here fails again, with its error, on the first request that needs it."""
    from ledger import batch  # noqa: F401 - imported now rather than inside the first request

    try:
        rules.compile_policies(city, fraud_screening=fraud_screening)
    except Exception:
        log.exception("the policy tables of %s could not be compiled at start", city)


def _backlog(sessions: sessionmaker[Session], terminal_id: str, role: str, fresh: list[_Pending],
             now: datetime | None, city: str, fraud_screening: bool, evidence: EvidenceSource | None,
             give_way: GiveWay, first: _FirstWrite) -> dict[int, dict[str, Any]]:
    """A backlog batch on its drain slot: it starts when no online request is in flight (waiting at most a
    quarter of GIVE_WAY_BUDGET_S for that), then gives way between items within its own budget (`_decide`).
    At most 1.25 x the budget in all: well inside a terminal's read timeout (5 s by default)."""
    GiveWay(GIVE_WAY_BUDGET_S / 4).pause()
    return _decide(sessions, terminal_id, role, fresh, now, city, fraud_screening, evidence, give_way, first)


def process_item(sessions: sessionmaker[Session], terminal_id: str, role: str, item: Item,
                 *, now: datetime | None = None, city: str = "taiyuan",
                 fraud_screening: bool = True, evidence: EvidenceSource | None = None) -> dict[str, Any]:
    """One item's answer (a batch of one). Whatever its content, a bad item is that item's rejection, never the
    batch's 500: only the database being unavailable (OperationalError) fails the whole request (503)."""
    return process_batch(sessions, terminal_id, role, [item], now=now, city=city, fraud_screening=fraud_screening,
                         evidence=evidence)[0]


def _unprocessable(key: str, item: Item) -> dict[str, Any]:
    log.exception("item %s (%s) could not be processed; answered as its rejection", key, str(item.kind)[:32])
    reason = TransactionError("item_unprocessable", "中心无法处理这笔业务，请联系中心。",
                              "The centre could not process this item; please contact the centre.")
    return _result(key, "rejected", None, reason.as_reason(), None)


def _stored_rows(sessions: sessionmaker[Session], keys: list[str]) -> dict[str, Transaction]:
    """The stored transactions of these keys: one query for the whole batch (set-based, not one per item)."""
    found: dict[str, Transaction] = {}
    unique = list(dict.fromkeys(keys))
    with sessions() as session:
        for start in range(0, len(unique), 500):
            chunk = unique[start:start + 500]
            for row in session.scalars(select(Transaction).where(Transaction.idempotency_key.in_(chunk))):
                found[row.idempotency_key] = row
    return found


def _apply_batch(sessions: sessionmaker[Session], terminal_id: str, role: str, fresh: list[_Pending],
                 now: datetime | None, city: str, fraud_screening: bool,
                 give_way: GiveWay | None, first: _FirstWrite) -> dict[int, dict[str, Any]]:
    """The whole request in one transaction, retried after a deadlock or a busy database.

    A backlog batch gives way to online requests in this process between two items (`ONLINE`): on
    PostgreSQL it pauses holding its own members' locks; on SQLite, whose one write lock the online
    request needs, it first commits the items it has applied and goes on in a new transaction."""
    from ledger import batch

    out: dict[int, dict[str, Any]] = {}
    claimed: dict[str, Stored] = {}
    # The QR tokens' signatures before any transaction (no lock held), giving way between two.
    tokens = batch.verify_tokens(fresh, role, give_way.pause if give_way is not None else None) \
        if batch.applicable(fresh) else None
    remaining = fresh
    while remaining:
        for attempt in range(DEADLOCK_RETRIES + 1):
            try:
                answers, done = _apply_segment(sessions, terminal_id, role, remaining, claimed, now, city,
                                               fraud_screening, give_way, first, tokens)
                break
            except OperationalError as exc:
                if attempt == DEADLOCK_RETRIES or not _is_retryable(exc):
                    raise
                log.warning("retrying a batch of %d after a transient database error: %s", len(remaining), exc.orig)
                time.sleep(0.05 * (attempt + 1))
        out.update(answers)
        remaining = remaining[done:]
        if remaining and give_way is not None:
            give_way.pause()
    return out


def _apply_segment(sessions: sessionmaker[Session], terminal_id: str, role: str, items: list[_Pending],
                   claimed: dict[str, Stored], now: datetime | None, city: str, fraud_screening: bool,
                   give_way: GiveWay | None, first: _FirstWrite,
                   tokens: Mapping[int, Any] | None = None) -> tuple[dict[int, dict[str, Any]], int]:
    """Apply items in one transaction until done (or, on SQLite, until an online request waits).

    A request of the common kinds is first applied optimistically (ledger.batch: no savepoint per item,
    read and written set-based); if that meets a fault it is rolled back and applied item by item here.
    Each transaction writes `first` before anything else (before the members' locks)."""
    from ledger import batch

    if batch.applicable(items):
        try:
            with sessions.begin() as session:
                first(session)
                _lock_members(session, items)
                answers, stored, count = batch.apply(session, terminal_id, role, items, claimed, now, city,
                                                     fraud_screening, _between(session, give_way), tokens)
            first.committed()
            claimed.update(stored)
            return answers, count
        except batch.RedoError as exc:
            log.warning("applying a request of %d item by item: %s", len(items), exc)
    out: dict[int, dict[str, Any]] = {}
    mine: dict[str, Stored] = {}
    done = 0
    with sessions.begin() as session:
        first(session)
        between = _between(session, give_way)
        _lock_members(session, items)
        for p in items:
            if done and between(done):
                break  # commit these, let the online request have the write lock, go on after it
            row = claimed.get(p.key) or mine.get(p.key)
            if row is not None:  # the same key twice in one request: the second gets the first's answer
                out[p.index] = _answer_from(row, p.digest, terminal_id)
            else:
                out[p.index], row = _apply_item(session, terminal_id, role, p, now, city, fraud_screening)
                if row is not None:
                    mine[p.key] = row
            done += 1
    first.committed()
    claimed.update(mine)  # committed: a retry of a later segment may answer from them
    return out, done


def _between(session: Session, give_way: GiveWay | None) -> Callable[[int], bool]:
    """The check between two items of a backlog batch: True to end the transaction there (SQLite: an online
    request waits for the one write lock), or a pause holding this batch's locks (PostgreSQL)."""
    sqlite = session.get_bind().dialect.name == "sqlite"

    def between(done: int) -> bool:
        if give_way is not None and done and give_way.left > 0 and ONLINE.busy():
            if sqlite:
                return True
            give_way.pause()
        return False
    return between


def _lock_members(session: Session, fresh: list[_Pending]) -> None:
    """Lock the accounts and member rows the request's handlers will lock, in member-id order (PostgreSQL).

    Every request takes its row locks in the same order, so two ledger processes applying batches that share
    members queue behind each other instead of deadlocking. SQLite needs none: BEGIN IMMEDIATE has already
    taken the database's single write lock."""
    if session.get_bind().dialect.name == "sqlite":
        return
    ids = sorted({m for p in fresh if p.item.kind in LOCKING_KINDS
                  and (m := _storable_member(p.item.member_id)) is not None})
    if not ids:
        return
    session.execute(select(Account.account_no).where(Account.member_id.in_(ids))
                    .order_by(Account.member_id).with_for_update())
    session.execute(select(Member.member_id).where(Member.member_id.in_(ids))
                    .order_by(Member.member_id).with_for_update())


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


def _storable_member(member_id: object) -> str | None:
    """The member id if the column can hold it; a malformed one is refused anyway (the hash keeps it)."""
    if isinstance(member_id, str) and 0 < len(member_id) <= tx.MAX_MEMBER_ID:
        return member_id
    return None


def _is_retryable(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return "deadlock" in text or "could not serialize" in text or "database is locked" in text


def _apply_item(session: Session, terminal_id: str, role: str, p: _Pending, now: datetime | None, city: str,
                fraud_screening: bool) -> tuple[dict[str, Any], Transaction | None]:
    """One item inside the request's transaction, in its own savepoint: (answer, the row it stored or None)."""
    for attempt in range(DEADLOCK_RETRIES + 1):
        try:
            with session.begin_nested():  # the item's savepoint: whatever goes wrong undoes this item only
                row = _apply_in_savepoint(session, terminal_id, role, p, now or datetime.now(UTC), city,
                                          fraud_screening)
            return stored_result(row), row
        except IntegrityError:
            # Another process claimed the key after our look-up and has committed: answer from its row.
            theirs = session.scalars(select(Transaction).where(Transaction.idempotency_key == p.key)).first()
            if theirs is not None:
                return _answer_from(theirs, p.digest, terminal_id), theirs
            # Another constraint (e.g. one queue ticket number sent under two keys at once): the other
            # transaction has committed by now, so a second attempt sees it and decides properly.
            if attempt == DEADLOCK_RETRIES:
                return _unprocessable(p.key, p.item), None
        except OperationalError:
            raise  # the database: an outage (503 for the whole request) or a deadlock (the request is retried)
        except Exception:
            return _unprocessable(p.key, p.item), None
    raise AssertionError("unreachable")


def _apply_in_savepoint(session: Session, terminal_id: str, role: str, p: _Pending, now: datetime, city: str,
                        fraud_screening: bool) -> Transaction:
    item, key = p.item, p.key
    refusal: TransactionError | None = None
    created_at = now
    try:  # the pure checks first: a malformed item is stored as refused in a single INSERT
        created_at = tx.parse_utc(item.created_at)
        tx.check_member(item.kind, item.member_id)
        payload = tx.parse_payload(item.kind, item.payload)
    except TransactionError as exc:
        refusal = exc
    row = Transaction(idempotency_key=key, ledger_id=new_ledger_id(now), terminal_id=terminal_id,
                      kind=str(item.kind)[:32], member_id=_storable_member(item.member_id),
                      payload=item.payload if isinstance(item.payload, dict) else {"_raw": item.payload},
                      payload_hash=p.digest, status="accepted", created_at=created_at, received_at=now)
    if refusal is not None:
        row.status, row.reason = "rejected", refusal.as_reason()
    session.add(row)
    session.flush()  # claims the key now: a racing process blocks here, then fails once ours commits
    if p.evidence is not None:
        session.add_all(p.evidence.deferred_rows())  # the cache uses behind this item, committed with it
    if refusal is None:
        ctx = ItemContext(key, terminal_id, role, item.member_id, created_at, now, row.ledger_id, city,
                          fraud_screening, evidence=p.evidence)
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
    session.flush()
    return row
