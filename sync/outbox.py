"""The outbox: every transaction is written with its business row in one durable commit.

`enqueue` returns only after SQLite's FULL commit, so whatever it returns may be printed on a
receipt. The idempotency key (uuid4) is fixed at that moment and never changes, which is what
makes at-least-once delivery exactly-once at the ledger.

States of an item:
  pending       waiting to be sent (also after a network failure: it is simply sent again)
  in_flight     part of the batch being sent right now (set back to pending on the next start)
  acknowledged  the ledger accepted it (terminal)
  rejected      the ledger's rule re-check refused it; parked with the ledger's reason for a clerk
  parked        set aside for a clerk: a key conflict, or the ledger kept refusing the request itself
Rejected and parked items never block the items behind them and are never sent again unless a
clerk puts a parked item back in the queue.

Payloads carry personal data (bank card numbers, shared-data answers), so with a `Cipher` they
are stored sealed (AES-GCM, the idempotency key as associated data) and opened only to be sent.
"""

from __future__ import annotations

import base64
import functools
import json
import sqlite3
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, func, select, update
from sqlalchemy.exc import DBAPIError

from infra.logs import get_logger
from sync import models
from sync.client import ItemResult, Reason
from sync.crypto import Cipher
from sync.store import Store, StoreError, utc_now

log = get_logger("sync")

PENDING, IN_FLIGHT, ACKNOWLEDGED, REJECTED, PARKED = "pending", "in_flight", "acknowledged", "rejected", "parked"
STATES = (PENDING, IN_FLIGHT, ACKNOWLEDGED, REJECTED, PARKED)
FOR_CLERK = (REJECTED, PARKED)

APPLICATION_KINDS = ("withdrawal.apply", "loan_offset.sign", "transfer.apply", "cobranded_card.sign")
KINDS = (*APPLICATION_KINDS, "case.action", "queue.ticket", "queue.event", "rating", "device.report", "staff.audit",
         "technician.action", "certificate.issue")
# Kinds whose payload carries the application number printed on the receipt.
NUMBERED_KINDS = ("withdrawal.apply",)


class OutboxError(ValueError):
    """A transaction that cannot be queued (unknown kind, payload not JSON); nothing was written."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.en, self.zh = en, zh


@dataclass(frozen=True)
class Receipt:
    """What the UI prints after `enqueue`: the item is durably stored when this exists."""

    seq: int
    idempotency_key: str
    kind: str
    member_id: str | None
    created_at: str
    application_no: str | None


@dataclass(frozen=True)
class Item:
    """An outbox item as the sender and the clerk's list see it."""

    seq: int
    idempotency_key: str
    kind: str
    member_id: str | None
    created_at: str
    payload: str
    state: str
    attempts: int
    ledger_id: str | None = None
    reason: Reason | None = None
    result: str | None = None  # the ledger's result JSON once answered

    def wire(self) -> dict[str, Any]:
        """The item as protocol v1 sends it."""
        return {"idempotency_key": self.idempotency_key, "kind": self.kind, "member_id": self.member_id,
                "created_at": self.created_at, "payload": json.loads(self.payload)}


@dataclass(frozen=True)
class Counts:
    pending: int
    in_flight: int
    acknowledged: int
    rejected: int
    parked: int
    oldest_pending_at: str | None

    @property
    def unsent(self) -> int:
        return self.pending + self.in_flight


CONFLICT = Reason("conflict", "中心系统已有同一幂等键的不同业务。",
                  "The ledger holds a different transaction under the same idempotency key.")
_OUTBOX = cast(Table, models.OutboxItem.__table__)
_ITEM_COLUMNS = tuple(_OUTBOX.c[name] for name in (
    "seq", "idempotency_key", "kind", "member_id", "created_at", "payload", "state", "attempts", "ledger_id",
    "reason_code", "reason_zh", "reason_en", "result"))  # what `Outbox._item` reads

SEALED_PREFIX = "aesgcm:"
UNREADABLE = Reason("payload_unreadable", "本机加密的业务数据无法解密（密钥文件丢失或损坏），请联系技术人员。",
                    "The stored transaction cannot be decrypted (key file lost or damaged); please call a technician.")


class PayloadUnreadableError(Exception):
    pass


class Outbox:
    def __init__(self, store: Store, terminal_id: str, cipher: Cipher | None = None) -> None:
        self.store = store
        self.terminal_id = terminal_id
        self.cipher = cipher
        self._next_seq = 0  # this process's guess of the next sequence number (0: not known yet)

    def _seal(self, key: str, text: str) -> str:
        if self.cipher is None:
            return text
        nonce, sealed = self.cipher.seal(key, text.encode("utf-8"))
        return SEALED_PREFIX + base64.b64encode(nonce + sealed).decode("ascii")

    def _open(self, key: str, stored: str) -> str:
        if not stored.startswith(SEALED_PREFIX):
            return stored
        blob = base64.b64decode(stored[len(SEALED_PREFIX):])
        plain = self.cipher.open(key, blob[:12], blob[12:]) if self.cipher else None
        if plain is None:
            raise PayloadUnreadableError(key)
        return plain.decode("utf-8")

    def _item(self, row: models.OutboxItem | Row[Any], *, must_open: bool = False) -> Item:
        reason = Reason(row.reason_code, row.reason_zh or "", row.reason_en or "") if row.reason_code else None
        try:
            payload = self._open(row.idempotency_key, row.payload)
        except PayloadUnreadableError:
            if must_open:
                raise
            payload = "null"
        return Item(row.seq, row.idempotency_key, row.kind, row.member_id, row.created_at, payload, row.state,
                    row.attempts, row.ledger_id, reason, row.result)

    # --- writing ---------------------------------------------------------------------------------

    def enqueue(self, kind: str, payload: Mapping[str, Any], *, member_id: str | None = None,
                provisional_decision: Mapping[str, Any] | None = None) -> Receipt:
        """Store the transaction and its business row in one durable commit; return the receipt facts."""
        if kind not in KINDS:
            raise OutboxError(f"unknown transaction kind {kind!r}", f"未知的业务类型 {kind!r}")
        key = str(uuid.uuid4())
        created = utc_now()
        try:
            return self._insert(kind, dict(payload), key, created, member_id, provisional_decision)
        except sqlite3.IntegrityError as exc:  # e.g. an application number given twice: nothing was written
            raise OutboxError(f"not stored, it clashes with an earlier transaction: {exc}",
                              "未保存：与已有业务重复（如申请编号重复）") from exc
        except sqlite3.Error as exc:  # disk full, file damaged …: nothing was written, so no receipt may print
            raise StoreError(f"{self.store.path}: the transaction was not stored: {exc}") from exc
        except DBAPIError as exc:  # the same, met while opening the connection
            raise StoreError(f"{self.store.path}: the transaction was not stored: {exc.orig}") from exc

    def _insert(self, kind: str, payload: dict[str, Any], key: str, created: str, member_id: str | None,
                provisional_decision: Mapping[str, Any] | None) -> Receipt:
        """Number, seal and build both rows first; the transaction then only checks the number and writes.

        The sequence number (part of the application number, so of the sealed payload) is predicted
        from this process's last write. If another process wrote in between, the rows are built again
        inside the transaction with the real number: rare, and still one commit.
        """
        decision = _json(provisional_decision) if provisional_decision is not None else None
        seq = self._next_seq
        rows = self._rows(kind, payload, key, created, member_id, decision, seq) if seq else None
        with self.store.write_raw() as conn:
            actual = (conn.execute(_MAX_SEQ).fetchone()[0] or 0) + 1
            if rows is None or actual != seq:
                seq, rows = actual, self._rows(kind, payload, key, created, member_id, decision, actual)
            item, (business_sql, business) = rows
            conn.execute(_INSERT_ITEM, item)
            conn.execute(business_sql, business)
        self._next_seq = seq + 1
        return Receipt(seq, key, kind, member_id, created, item["application_no"])

    def _rows(self, kind: str, payload: dict[str, Any], key: str, created: str, member_id: str | None,
              decision: str | None, seq: int) -> tuple[dict[str, Any], tuple[str, dict[str, Any]]]:
        body = dict(payload)
        application_no = None
        if kind in APPLICATION_KINDS:
            application_no = str(body.get("application_no") or self._application_no(seq, created))
            if kind in NUMBERED_KINDS:
                body["application_no"] = application_no
        text = self._seal(key, _json(body))
        item = {"seq": seq, "idempotency_key": key, "kind": kind, "member_id": member_id, "created_at": created,
                "payload": text, "application_no": application_no}
        model, values = _business_row(kind, member_id, body, text, application_no, decision)
        return item, (_insert_sql(model.__tablename__, values), {**values, "outbox_seq": seq, "created_at": created})

    def _application_no(self, seq: int, created: str) -> str:
        # Terminal id + UTC date + outbox sequence: unique per terminal as outbox rows are never deleted.
        return f"{self.terminal_id}-{created[:10].replace('-', '')}-{seq:06d}"

    # --- sending ---------------------------------------------------------------------------------

    def recover_in_flight(self) -> int:
        """Put items a dead sender left in flight back in the queue (call while holding the sender lock)."""
        with self.store.write() as session:
            result = session.execute(update(models.OutboxItem).where(models.OutboxItem.state == IN_FLIGHT)
                                     .values(state=PENDING))
            return int(getattr(result, "rowcount", 0) or 0)

    def claim(self, limit: int) -> list[Item]:
        """The oldest pending items in creation order, marked in flight (one SELECT, one UPDATE)."""
        table = _OUTBOX
        with self.store.write_connection() as conn:
            rows = conn.execute(select(*_ITEM_COLUMNS).where(table.c.state == PENDING)
                                .order_by(table.c.seq).limit(limit)).all()
            now = utc_now()
            items, unreadable = [], []
            for row in rows:
                try:
                    items.append(self._item(row, must_open=True))
                except PayloadUnreadableError:  # never blocks the queue: set aside for a technician
                    unreadable.append(row.seq)
                    log.warning("outbox item %s parked: its payload cannot be decrypted", row.seq)
            if unreadable:
                conn.execute(update(table).where(table.c.seq.in_(unreadable)).values(
                    state=PARKED, reason_code=UNREADABLE.code, reason_zh=UNREADABLE.zh, reason_en=UNREADABLE.en))
            if items:
                conn.execute(update(table).where(table.c.seq.in_([i.seq for i in items]))
                             .values(state=IN_FLIGHT, last_attempt_at=now))
            return [replace(i, state=IN_FLIGHT) for i in items]

    def claim_key(self, key: str) -> Item | None:
        """The one item with this key, marked in flight, if it is still pending (for "send this item now")."""
        with self.store.write() as session:
            row = session.scalar(select(models.OutboxItem).where(models.OutboxItem.idempotency_key == key,
                                                                 models.OutboxItem.state == PENDING))
            if row is None:
                return None
            try:
                item = self._item(row, must_open=True)
            except PayloadUnreadableError:
                return None  # the ordinary round parks it with the reason
            row.state, row.last_attempt_at = IN_FLIGHT, utc_now()
            return replace(item, state=IN_FLIGHT)

    def record(self, results: Sequence[ItemResult]) -> None:
        """Store the ledger's answers for a batch in one commit (one UPDATE statement per shape of answer)."""
        now = utc_now()
        answered: list[dict[str, Any]] = []
        with_reason: list[dict[str, Any]] = []
        for r in results:
            values = {"k": r.idempotency_key, "ledger_id": r.ledger_id, "result": _json(r.result),
                      "last_attempt_at": now, "state": {"accepted": ACKNOWLEDGED, "rejected": REJECTED}.get(r.status,
                                                                                                        PARKED)}
            reason = r.reason or (CONFLICT if r.status == "conflict" else None)
            if reason is None:
                answered.append(values)
            else:
                with_reason.append({**values, "reason_code": reason.code, "reason_zh": reason.zh,
                                    "reason_en": reason.en})
        table = _OUTBOX
        by_key = update(table).where(table.c.idempotency_key == bindparam("k"))
        with self.store.write_connection() as conn:
            if answered:
                conn.execute(by_key.values(ledger_id=bindparam("ledger_id"), result=bindparam("result"),
                                           last_attempt_at=bindparam("last_attempt_at"), state=bindparam("state")),
                             answered)
            if with_reason:
                conn.execute(by_key.values(ledger_id=bindparam("ledger_id"), result=bindparam("result"),
                                           last_attempt_at=bindparam("last_attempt_at"), state=bindparam("state"),
                                           reason_code=bindparam("reason_code"), reason_zh=bindparam("reason_zh"),
                                           reason_en=bindparam("reason_en")), with_reason)

    def release(self, items: Sequence[Item]) -> None:
        """The batch was not answered: back to pending, to be sent again with the same keys."""
        self._set_state([i.seq for i in items], PENDING, IN_FLIGHT)

    def fail(self, items: Sequence[Item], max_attempts: int, reason: Reason) -> list[Item]:
        """The ledger answered the batch with a server fault: count it; park items that used up their tries.

        Only answers from the ledger count, never network failures: a terminal offline for a week
        must still deliver everything afterwards. Returns the items parked now.
        """
        parked: list[Item] = []
        with self.store.write() as session:
            for item in items:
                row = session.get(models.OutboxItem, item.seq)
                if row is None or row.state != IN_FLIGHT:
                    continue
                row.attempts += 1
                row.state = PENDING
                if row.attempts >= max_attempts:
                    row.state = PARKED
                    row.reason_code, row.reason_zh, row.reason_en = reason.code, reason.zh, reason.en
                    parked.append(self._item(row))
        return parked

    def park(self, item: Item, reason: Reason) -> None:
        with self.store.write() as session:
            row = session.get(models.OutboxItem, item.seq)
            if row is not None:
                row.state = PARKED
                row.reason_code, row.reason_zh, row.reason_en = reason.code, reason.zh, reason.en

    def _set_state(self, seqs: Sequence[int], state: str, only_from: str) -> None:
        with self.store.write() as session:
            session.execute(update(models.OutboxItem)
                            .where(models.OutboxItem.seq.in_(list(seqs)), models.OutboxItem.state == only_from)
                            .values(state=state))

    # --- the clerk's side ------------------------------------------------------------------------

    def for_clerk(self, *, include_resolved: bool = False) -> list[Item]:
        """Rejected and parked items, oldest first, with the ledger's reason."""
        query = select(models.OutboxItem).where(models.OutboxItem.state.in_(FOR_CLERK))
        if not include_resolved:
            query = query.where(models.OutboxItem.resolved_at.is_(None))
        with self.store.read() as session:
            return [self._item(r) for r in session.scalars(query.order_by(models.OutboxItem.seq))]

    def clerk_count(self) -> int:
        """How many rejected or parked items no clerk has resolved yet."""
        with self.store.read() as session:
            return int(session.scalar(select(func.count()).select_from(models.OutboxItem).where(
                models.OutboxItem.state.in_(FOR_CLERK), models.OutboxItem.resolved_at.is_(None))) or 0)

    def resolve(self, seq: int, clerk: str, *, requeue: bool = False) -> None:
        """A clerk has dealt with a rejected/parked item; `requeue` sends a parked item again."""
        with self.store.write() as session:
            row = session.get(models.OutboxItem, seq)
            if row is None or row.state not in FOR_CLERK or row.resolved_at is not None:
                raise OutboxError(f"outbox item {seq} is not waiting for a clerk", f"第 {seq} 笔业务无需柜员处理")
            if requeue and row.state != PARKED:
                raise OutboxError("a rejected item would be rejected again; it cannot be re-sent",
                                  "被拒绝的业务重发仍会被拒绝，不能重发")
            row.resolved_at, row.resolved_by = utc_now(), clerk
            if requeue:
                row.state, row.attempts, row.resolved_at = PENDING, 0, None

    # --- reading ---------------------------------------------------------------------------------

    def counts(self) -> Counts:
        with self.store.read() as session:
            by_state: dict[str, int] = {state: n for state, n in session.execute(
                select(models.OutboxItem.state, func.count()).group_by(models.OutboxItem.state))}
            oldest = session.scalar(select(func.min(models.OutboxItem.created_at))
                                    .where(models.OutboxItem.state.in_((PENDING, IN_FLIGHT))))
        n = {s: int(by_state.get(s, 0)) for s in STATES}
        return Counts(n[PENDING], n[IN_FLIGHT], n[ACKNOWLEDGED], n[REJECTED], n[PARKED], oldest)

    def get(self, key: str) -> Item | None:
        with self.store.read() as session:
            row = session.scalar(select(models.OutboxItem).where(models.OutboxItem.idempotency_key == key))
            return self._item(row) if row else None

    def items(self, state: str | None = None) -> list[Item]:
        query = select(models.OutboxItem).order_by(models.OutboxItem.seq)
        if state:
            query = query.where(models.OutboxItem.state == state)
        with self.store.read() as session:
            return [self._item(r) for r in session.scalars(query)]


def age_seconds(iso: str | None, now: datetime | None = None) -> float | None:
    if iso is None:
        return None
    return ((now or datetime.now(UTC)) - datetime.fromisoformat(iso)).total_seconds()


def _json(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    except (TypeError, ValueError) as exc:
        raise OutboxError(f"payload is not plain JSON data: {exc}", "业务数据格式不正确") from exc


_MAX_SEQ = "SELECT max(seq) FROM outbox"
_INSERT_ITEM = ("INSERT INTO outbox (seq, idempotency_key, kind, member_id, created_at, payload, state, attempts) "
                f"VALUES (:seq, :idempotency_key, :kind, :member_id, :created_at, :payload, '{PENDING}', 0)")


@functools.lru_cache(maxsize=64)
def _insert_sql_for(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"


def _insert_sql(table: str, values: Mapping[str, Any]) -> str:
    return _insert_sql_for(table, (*values, "outbox_seq", "created_at"))


def _business_row(kind: str, member_id: str | None, body: Mapping[str, Any], text: str, application_no: str | None,
                  decision: str | None) -> tuple[type[models.Base], dict[str, Any]]:
    """The business table a kind belongs to and its row's own columns (outbox_seq, created_at added by the caller)."""
    if kind in APPLICATION_KINDS:
        amount = body.get("amount_fen")
        return models.Application, {
            "application_no": application_no, "kind": kind, "member_id": member_id,
            "amount_fen": amount if isinstance(amount, int) and not isinstance(amount, bool) else None,
            "provisional_decision": decision}
    if kind in ("queue.ticket", "queue.event"):
        ticket = body.get("ticket_no")
        return models.QueueTicket, {"kind": kind, "ticket_no": str(ticket) if ticket else None,
                                    "member_id": member_id, "payload": text}
    if kind == "rating":
        return models.Rating, {"member_id": member_id, "payload": text}
    if kind == "case.action":
        case_id = body.get("case_id")
        return models.CaseAction, {"case_id": str(case_id) if case_id else None, "member_id": member_id,
                                   "payload": text}
    return models.DeviceReport, {"payload": text}
