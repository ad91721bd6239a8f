"""The optimistic apply of a request: its common items in one pass, read set-based, written in bulk.

A terminal's backlog is mostly withdrawals, ratings, queue tickets and device reports (`FAST_KINDS`).
For a request of only those, `apply` does every check the item-by-item path does (the pure checks,
the member's proof with its once-only QR token, the rules re-decided on the ledger's own data and
the facts the ledger fetched, one queue ticket number per outlet and day) with:

- the request's members, accounts, snapshot rows (recent deposits, this year's deposit total, every
  withdrawal, the newest loan), used token nonces, member sessions and queue tickets read with one
  query each for the whole request, instead of a dozen queries per item;
- no savepoint per item: an item's rows are only queued once it is decided, so a refused item
  leaves nothing behind (its token is not burnt, as when its savepoint rolls back), and what a
  decision changes (the balance, the member's withdrawals, a ticket number, a nonce) is kept in
  memory for the items after it, in the order the terminal sent them;
- the rows written with one multi-row INSERT per table at the end (business rows first, whose ids
  the answers carry, then the transactions that claim the keys).

Anything else (an item that faults, a key another process claimed meanwhile: IntegrityError) raises
`RedoError`: the caller rolls the request's transaction back and applies it again item by item, each in
its own savepoint, so a faulting item is still rolled back alone and its neighbours commit.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import Connection, and_, bindparam, case, func, insert, or_, select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from domain import transactions as tx
from domain.account import AccountSnapshot, DepositRecord, WithdrawalRecord
from domain.member_token import MemberToken, TokenError
from domain.transactions import TransactionError
from domain.withdrawals.application import SUMMED_SUBTYPES
from infra.logs import get_logger
from ledger import rules
from ledger.db import insert_rows
from ledger.models import (
    Account,
    Deposit,
    DeviceReportRow,
    Loan,
    LoanPeriod,
    Member,
    QueueTicketRow,
    RatingRow,
    Transaction,
    Withdrawal,
)
from ledger.models_exchange import ExchangeLookup
from ledger.models_sessions import MemberSession, MemberTokenUse
from ledger.sessions import check_member_token, proof_required, verify_item_proof
from ledger.settings import CENTRE_TZ
from ledger.snapshot import (
    _COUNTED,
    _DEPOSIT_COLUMNS,
    _WITHDRAWAL_COLUMNS,
    RECENT_DEPOSITS,
    assemble_snapshot,
    deposit_record,
    withdrawal_record,
    yuan,
)
from protocol.sessions import PROOF_FIELD

if TYPE_CHECKING:
    from ledger.service import Stored, _Pending

log = get_logger("ledger")

FAST_KINDS = frozenset({"withdrawal.apply", "rating", "queue.ticket", "device.report"})
CHUNK = 500  # ids per IN (...) list


class RedoError(Exception):
    """The optimistic pass cannot finish this request: roll it back and apply it item by item."""


def applicable(items: Sequence[_Pending]) -> bool:
    """A request of the common kinds only, whose handlers are the ones this module mirrors (not replaced)."""
    return bool(items) and all(isinstance(p.item.kind, str) and p.item.kind in FAST_KINDS
                               and rules.HANDLERS.get(p.item.kind) is _MIRRORS[p.item.kind] for p in items)


def _chunks(values: Sequence[Any]) -> list[Sequence[Any]]:
    return [values[i:i + CHUNK] for i in range(0, len(values), CHUNK)]


@dataclass
class _Facts:
    """What the request's items read, loaded once; updated in memory as its items are decided."""

    year: int  # the centre's calendar year the deposit totals are of
    members: dict[str, Member] = field(default_factory=dict)
    accounts: dict[str, Account] = field(default_factory=dict)  # by member id
    deposits: dict[str, list[Any]] = field(default_factory=dict)  # account no -> newest RECENT_DEPOSITS
    deposited: dict[str, int] = field(default_factory=dict)  # account no -> fen deposited in `year`
    # member id -> the withdrawals the rules read one by one (`_history`), newest first; the rest are in `totals`
    withdrawals: dict[str, list[Any]] = field(default_factory=dict)
    # member id -> calendar year -> sub-type -> fen of counting withdrawals (pending, approved, paid), for every
    # year in `years`; kept in step as the request's items are decided
    totals: dict[str, dict[int, dict[str, int]]] = field(default_factory=dict)
    years: frozenset[int] = frozenset()
    loans: dict[str, Loan] = field(default_factory=dict)  # member id -> newest loan
    periods: dict[str, list[LoanPeriod]] = field(default_factory=dict)
    used_nonces: set[str] = field(default_factory=set)
    member_sessions: dict[str, MemberSession] = field(default_factory=dict)
    tickets: set[tuple[str, str, date]] = field(default_factory=set)
    records: dict[str, tuple[DepositRecord, ...]] = field(default_factory=dict)  # built once per account
    drawn: dict[str, tuple[WithdrawalRecord, ...]] = field(default_factory=dict)  # kept in step with withdrawals

    def snapshot(self, member: Member, account: Account, now: datetime) -> AccountSnapshot:
        if now.astimezone(CENTRE_TZ).year != self.year:
            raise RedoError("the year turned while the request was applied")
        loan = self.loans.get(member.member_id)
        deposits = self.deposits.get(account.account_no, [])
        withdrawals = self.withdrawals.get(member.member_id, [])
        records = self.records.get(account.account_no)
        if records is None:
            records = self.records[account.account_no] = tuple(
                _known_deposit((d.paid_on, d.kind, d.amount_fen, d.month)) for d in deposits)
        drawn = self.drawn.get(member.member_id)
        if drawn is None:
            drawn = self.drawn[member.member_id] = tuple(_known_withdrawal(tuple(w)) for w in withdrawals)
        withdrawn = sum(self.totals.get(member.member_id, {}).get(self.year, {}).values())
        return assemble_snapshot(member, account, deposits, self.deposited.get(account.account_no, 0), withdrawals,
                                 loan, self.periods.get(loan.loan_id, []) if loan else [], now, records=records,
                                 drawn=drawn, withdrawn_this_year=withdrawn)

    def add_total(self, member_id: str, year: int, subtype: str, fen: int) -> None:
        by_type = self.totals.setdefault(member_id, {}).setdefault(year, {})
        by_type[subtype] = by_type.get(subtype, 0) + fen

    def used(self, member_id: str, year: int) -> dict[str, Decimal]:
        """`WithdrawalApplication.used_this_year`: the member's counting withdrawals of `year` per sub-type."""
        if year not in self.years:
            raise RedoError(f"the totals of {year} were not read")
        return {subtype: yuan(fen) for subtype, fen in self.totals.get(member_id, {}).get(year, {}).items()}


# A withdrawal row as `_WITHDRAWAL_COLUMNS` reads it (the rows of the request's items are kept in this shape too).
class _Withdrawn(NamedTuple):
    applied_at: datetime
    reason_code: str
    amount_fen: int
    status: str
    payout_card: str
    application_no: str
    subtype: str
    property_id: str
    member_id: str


assert _Withdrawn._fields == tuple(c.key for c in _WITHDRAWAL_COLUMNS)


@functools.lru_cache(maxsize=1 << 16)
def _known_withdrawal(values: tuple[Any, ...]) -> WithdrawalRecord:
    """A withdrawal row's domain record: a pure function of the row's values, so a member's history is not
    rebuilt record by record for every request that reads it."""
    return withdrawal_record(_Withdrawn(*values))


class _Deposited(NamedTuple):
    paid_on: date
    kind: str
    amount_fen: int
    month: str


assert _Deposited._fields == tuple(c.key for c in _DEPOSIT_COLUMNS)


@functools.lru_cache(maxsize=1 << 14)
def _known_deposit(values: tuple[Any, ...]) -> DepositRecord:
    """A deposit row's domain record (as `_known_withdrawal`): a member's recent deposits are not rebuilt for
    every request that reads them."""
    return deposit_record(_Deposited(*values))


def _year_start(year: int) -> datetime:
    """The first instant of the centre's calendar `year`, in UTC (as the rows' applied_at)."""
    return datetime(year, 1, 1, tzinfo=CENTRE_TZ).astimezone(UTC)


@functools.cache
def _summed_codes(city: str) -> frozenset[str]:
    """Reason codes of the SUMMED_SUBTYPES that no other type of the city's policy uses (the once-per-property
    check compares a purchase rule's code with every counting withdrawal's)."""
    types = rules.withdrawal_policy(city).types.values()
    others = {t.code for t in types if t.subtype not in SUMMED_SUBTYPES}
    return frozenset(t.code for t in types if t.subtype in SUMMED_SUBTYPES) - others


def _history(session: Session, facts: _Facts, members: Sequence[str], city: str) -> None:
    """The withdrawals of `members` as the rules read them, in two statements that do not grow with a member's
    rent history in Python: per member, sub-type and status the newest date and each year's total (one pass
    over the covering index ix_withdrawals_member_totals), then the rows the rules read one by one. Those are
    all but the rows of SUMMED_SUBTYPES that only count towards a yearly total (`_Facts.totals`): every row of
    another sub-type, in flight (the in-flight limit), naming a property (once per property), with a reason
    code another type uses, the newest counting one of each sub-type (the frequency window) and the member's
    newest (the last business date)."""
    years = sorted(facts.years)
    sums = [func.sum(case((and_(Withdrawal.applied_at >= _year_start(y), Withdrawal.applied_at < _year_start(y + 1)),
                          Withdrawal.amount_fen), else_=0)) for y in years]
    newest: dict[tuple[str, str], datetime] = {}  # (member, sub-type) of counting rows, and (member, "\0") of all
    for member_id, subtype, status, last, *totals in session.execute(
            select(Withdrawal.member_id, Withdrawal.subtype, Withdrawal.status, func.max(Withdrawal.applied_at), *sums)
            .where(Withdrawal.member_id.in_(members))
            .group_by(Withdrawal.member_id, Withdrawal.subtype, Withdrawal.status)):
        last = _utc(last)
        keys = [(member_id, "\0")] + ([(member_id, subtype)] if status in _COUNTED else [])
        for key in keys:
            if key not in newest or last > newest[key]:
                newest[key] = last
        if status in _COUNTED:
            for year, total in zip(years, totals, strict=True):
                if total:
                    facts.add_total(member_id, year, subtype, int(total))
    # The newest rows by their dates alone: another member's row of the same instant comes too, a harmless extra
    # (the rules read a superset of these rows alike), and the statement stays one cached shape.
    wanted = or_(Withdrawal.subtype.not_in(sorted(SUMMED_SUBTYPES)), Withdrawal.status == "pending",
                 Withdrawal.property_id != "", Withdrawal.reason_code.not_in(sorted(_summed_codes(city))),
                 Withdrawal.applied_at.in_(sorted(set(newest.values()))))
    for w in session.execute(select(*_WITHDRAWAL_COLUMNS).where(Withdrawal.member_id.in_(members), wanted)
                             .order_by(Withdrawal.applied_at.desc())):
        facts.withdrawals.setdefault(w.member_id, []).append(w)


def _utc(value: Any) -> datetime:
    """MAX(applied_at) as the column's own type reads it (an aggregate's value is not converted on SQLite)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _token_text(p: _Pending, role: str) -> str | None:
    if not proof_required(str(p.item.kind), role) or not isinstance(p.item.payload, dict):
        return None
    proof = p.item.payload.get(PROOF_FIELD)
    if not isinstance(proof, dict) or (isinstance(proof.get("session_id"), str) and proof["session_id"]):
        return None
    text = proof.get("member_token")
    return text if isinstance(text, str) and text else None


def verify_tokens(items: Sequence[_Pending], role: str,
                  pause: Callable[[], None] | None = None) -> dict[int, MemberToken | TokenError]:
    """The items' member QR tokens checked (signature, key, validity at the item's creation): {item index: token
    or why not}. Pure CPU (an Ed25519 check, ~0.15 ms each), so a backlog batch does it before its transaction
    opens, holding no lock (on SQLite: not the one write lock), with `pause` between two (it gives way to an
    online request there). Replays (the tokens' nonces) are looked up in the transaction, with one query."""
    tokens: dict[int, MemberToken | TokenError] = {}
    for p in items:
        text = _token_text(p, role)
        if text is None:
            continue
        try:
            created = tx.parse_utc(p.item.created_at)
        except TransactionError:
            continue
        if pause is not None and tokens:
            pause()
        try:
            tokens[p.index] = check_member_token(text, created)
        except TokenError as exc:
            tokens[p.index] = exc
    return tokens


def _session_id(p: _Pending, role: str) -> str | None:
    if not proof_required(str(p.item.kind), role) or not isinstance(p.item.payload, dict):
        return None
    proof = p.item.payload.get(PROOF_FIELD)
    sid = proof.get("session_id") if isinstance(proof, dict) else None
    return sid if isinstance(sid, str) and sid else None


@functools.cache
def _recent_deposits() -> Any:
    """The newest RECENT_DEPOSITS deposits of each account in `:numbers`: built once (a subquery's columns cost a
    few ms of CPU to build, per request otherwise), bound per request with an expanding IN."""
    ranked = (select(*_DEPOSIT_COLUMNS, Deposit.account_no,
                     func.row_number().over(partition_by=Deposit.account_no,
                                            order_by=(Deposit.paid_on.desc(), Deposit.id.desc())).label("n"))
              .where(Deposit.account_no.in_(bindparam("numbers", expanding=True))).subquery())
    return select(ranked).where(ranked.c.n <= RECENT_DEPOSITS).order_by(ranked.c.account_no, ranked.c.n)


def _load(session: Session, items: Sequence[_Pending], role: str, tokens: Mapping[int, MemberToken | TokenError],
          now: datetime, city: str) -> _Facts:
    from ledger.service import _storable_member

    year = now.astimezone(CENTRE_TZ).year
    years = {year}  # and the years the withdrawals were made in (their caps): one, but for a New Year's backlog
    for p in items:
        if p.item.kind == "withdrawal.apply":
            try:
                years.add(tx.parse_utc(p.item.created_at).astimezone(CENTRE_TZ).year)
            except TransactionError:
                continue  # refused before its rules run
    facts = _Facts(year=year, years=frozenset(years))
    ids: list[str] = sorted({m for p in items if (m := _storable_member(p.item.member_id)) is not None})
    drawing: list[str] = sorted({m for p in items if p.item.kind == "withdrawal.apply"
                      and (m := _storable_member(p.item.member_id)) is not None})
    for chunk in _chunks(ids):
        facts.members.update((m.member_id, m) for m in session.scalars(select(Member).where(
            Member.member_id.in_(chunk))))
    for chunk in _chunks(drawing):
        accounts = list(session.scalars(select(Account).where(Account.member_id.in_(chunk))))
        facts.accounts.update((a.member_id, a) for a in accounts)
        numbers = [a.account_no for a in accounts]
        for row in session.execute(_recent_deposits(), {"numbers": numbers}):
            facts.deposits.setdefault(row.account_no, []).append(row)
        year = facts.year
        for account_no, total in session.execute(
                select(Deposit.account_no, func.coalesce(func.sum(Deposit.amount_fen), 0))
                .where(Deposit.account_no.in_(numbers), Deposit.paid_on >= date(year, 1, 1),
                       Deposit.paid_on < date(year + 1, 1, 1)).group_by(Deposit.account_no)):
            facts.deposited[account_no] = int(total or 0)
        _history(session, facts, chunk, city)
        for loan in session.scalars(select(Loan).where(Loan.member_id.in_(chunk))
                                    .order_by(Loan.start_date.desc())):
            facts.loans.setdefault(loan.member_id, loan)
    loan_ids = [loan.loan_id for loan in facts.loans.values()]
    for chunk in _chunks(loan_ids):
        for period in session.scalars(select(LoanPeriod).where(LoanPeriod.loan_id.in_(chunk))
                                      .order_by(LoanPeriod.loan_id, LoanPeriod.period)):
            facts.periods.setdefault(period.loan_id, []).append(period)
    nonces = sorted({t.nonce for t in tokens.values() if isinstance(t, MemberToken)})
    for chunk in _chunks(nonces):
        facts.used_nonces.update(session.scalars(select(MemberTokenUse.nonce).where(MemberTokenUse.nonce.in_(chunk))))
    sids = sorted({s for p in items if (s := _session_id(p, role)) is not None})
    for chunk in _chunks(sids):
        facts.member_sessions.update((s.session_id, s) for s in session.scalars(select(MemberSession).where(
            MemberSession.session_id.in_(chunk))))
    numbers_by_outlet: dict[str, set[str]] = {}
    for p in items:
        if p.item.kind == "queue.ticket" and isinstance(p.item.payload, dict):
            outlet, number = p.item.payload.get("outlet"), p.item.payload.get("ticket_no")
            if isinstance(outlet, str) and isinstance(number, str):
                numbers_by_outlet.setdefault(outlet, set()).add(number)
    for outlet, wanted in numbers_by_outlet.items():
        for chunk in _chunks(sorted(wanted)):
            facts.tickets.update((o, n, d) for o, n, d in session.execute(
                select(QueueTicketRow.outlet, QueueTicketRow.ticket_no, QueueTicketRow.issued_on).where(
                    QueueTicketRow.outlet == outlet, QueueTicketRow.ticket_no.in_(chunk))))
    return facts


class _Rows:
    """Rows queued per table, inserted in one statement each; `fill` puts an inserted row's id in an answer.

    A queue ticket's number is one per outlet and day, and another process may issue the same number while
    this request runs (its read of the tickets cannot see an uncommitted one). On PostgreSQL the tickets are
    inserted with ON CONFLICT DO NOTHING, in (outlet, day, number) order (two requests meeting on several
    numbers wait on them in the same order: no deadlock): PostgreSQL waits for the other transaction, and a
    number it took comes back as that item's `ticket_exists` refusal (`taken`) instead of an IntegrityError
    that would redo the whole request item by item."""

    def __init__(self) -> None:
        self.rows: dict[Any, list[dict[str, Any]]] = {}  # by model class
        self.fills: dict[Any, list[tuple[dict[str, Any], str] | None]] = {}
        self.owners: dict[int, Any] = {}  # id(a queued ticket's values) -> what the caller gets back if it is taken

    def add(self, model: Any, values: dict[str, Any], fill: tuple[dict[str, Any], str] | None = None,
            owner: Any = None) -> None:
        self.rows.setdefault(model, []).append(values)
        self.fills.setdefault(model, []).append(fill)
        if model is QueueTicketRow:
            self.owners[id(values)] = owner

    def write(self, session: Session) -> list[Any]:
        """Insert every queued row; the owners of the queue tickets another transaction took meanwhile."""
        conn = session.connection()
        taken: list[Any] = []
        for model, rows in self.rows.items():
            fills = self.fills[model]
            if any(f is not None for f in fills):
                for fill, values, new_id in zip(fills, rows, _new_ids(conn, model, len(rows)), strict=True):
                    values["id"] = new_id
                    if fill is not None:
                        fill[0][fill[1]] = new_id
            if model is QueueTicketRow and conn.dialect.name == "postgresql":
                taken += self._tickets(conn, rows)
            else:
                insert_rows(conn, model, rows)
        self.rows.clear()
        self.fills.clear()
        self.owners.clear()
        return taken

    def _tickets(self, conn: Connection, rows: list[dict[str, Any]]) -> list[Any]:
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        def number(values: dict[str, Any]) -> tuple[str, date, str]:
            return values["outlet"], values["issued_on"], values["ticket_no"]

        rows = sorted(rows, key=number)
        stmt = pg_insert(QueueTicketRow).on_conflict_do_nothing(
            index_elements=["outlet", "ticket_no", "issued_on"]).returning(QueueTicketRow.id)
        stored = set(conn.execute(stmt, rows).scalars())
        return [self.owners[id(values)] for values in rows if values["id"] not in stored]


def _new_ids(conn: Connection, model: Any, n: int) -> list[int]:
    """Ids for `n` new rows of `model`'s table, taken before one multi-row INSERT (so the answers can name them).

    PostgreSQL: from the column's own sequence, as its default would. SQLite: after the largest id, as SQLite
    itself numbers a rowid table (the ledger's tables have no AUTOINCREMENT), and no one else can take one
    meanwhile: the request's transaction holds the database's one write lock."""
    if conn.dialect.name == "postgresql":
        return list(conn.execute(text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) "
                                      "FROM generate_series(1, :n)"), {"t": model.__tablename__, "n": n}).scalars())
    if conn.dialect.name == "sqlite":
        top = int(conn.execute(select(func.coalesce(func.max(model.id), 0))).scalar_one())
        return list(range(top + 1, top + 1 + n))
    raise RedoError(f"no bulk ids on {conn.dialect.name}")


def apply(session: Session, terminal_id: str, role: str, items: Sequence[_Pending],
          claimed: dict[str, Stored], now: datetime | None, city: str, fraud_screening: bool,
          between: Callable[[int], bool], tokens: Mapping[int, MemberToken | TokenError] | None = None,
          ) -> tuple[dict[int, dict[str, Any]], dict[str, Stored], int]:
    """Apply the request's items in order inside the open transaction: ({index: answer}, rows stored, items done).

    `between(done)` runs between two items; True ends the request there (the caller commits what is done and
    goes on in a new transaction). `tokens` are the items' QR tokens as `verify_tokens` found them (verified
    here if not given). Raises RedoError when the request must be applied item by item instead."""
    from ledger.service import _answer_from, _storable_member, new_ledger_id

    try:
        if tokens is None:
            tokens = verify_tokens(items, role)
        facts = _load(session, items, role, tokens, now or datetime.now(UTC), city)
        out: dict[int, dict[str, Any]] = {}
        mine: dict[str, Stored] = {}
        writes = _Rows()
        transactions: list[dict[str, Any]] = []
        lookups: list[dict[str, Any]] = []
        token_uses: list[dict[str, Any]] = []
        done = 0
        for p in items:
            if done and between(done):
                break
            done += 1
            row = claimed.get(p.key) or mine.get(p.key)
            if row is not None:  # the same key twice in one request: the second gets the first's answer
                out[p.index] = _answer_from(row, p.digest, terminal_id)
                continue
            at = now or datetime.now(UTC)
            item, refusal, created_at = p.item, None, at
            payload: Any = None
            try:
                created_at = tx.parse_utc(item.created_at)
                tx.check_member(item.kind, item.member_id)
                payload = p.parsed if p.parsed is not None else tx.parse_payload(item.kind, item.payload)
            except TransactionError as exc:
                refusal = exc
            values: dict[str, Any] = dict(
                idempotency_key=p.key, ledger_id=new_ledger_id(at), terminal_id=terminal_id, kind=str(item.kind)[:32],
                member_id=_storable_member(item.member_id),
                payload=item.payload if isinstance(item.payload, dict) else {"_raw": item.payload},
                payload_hash=p.digest, status="accepted", reason=None, result={}, amount_fen=0,
                created_at=created_at, received_at=at, applied_at=None)
            if p.evidence is not None:
                lookups.extend(p.evidence.deferred)  # the cache uses behind this item, committed with it
            if refusal is None:
                ctx = rules.ItemContext(p.key, terminal_id, role, item.member_id, created_at, at, values["ledger_id"],
                                        city, fraud_screening, evidence=p.evidence)
                queued: list[tuple[Any, dict[str, Any], str | None]] = []
                try:
                    token = verify_item_proof(kind=str(item.kind), role=role, terminal_id=terminal_id,
                                              member_id=item.member_id, created_at=created_at,
                                              payload=item.payload, find_session=facts.member_sessions.get,
                                              verified=tokens.get(p.index),
                                              used=lambda t: t.nonce in facts.used_nonces)
                    applied = _HANDLERS[item.kind](session, ctx, payload, facts, queued, writes)
                except TransactionError as exc:
                    refusal = exc
                else:
                    for model, row_values, id_field in queued:
                        writes.add(model, row_values, (applied.result, id_field) if id_field else None, p)
                    _remember(facts, queued)
                    if token is not None:
                        facts.used_nonces.add(token.nonce)
                        token_uses.append(dict(nonce=token.nonce, key_id=token.key_id, member_id=token.member_id,
                                               used_for=f"item:{p.key}"[:120], used_at=at,
                                               expires_at=datetime.fromtimestamp(token.expires_at, UTC)))
                    values.update(result=applied.result, amount_fen=applied.amount_fen, applied_at=at)
            if refusal is not None:
                values.update(status="rejected", reason=refusal.as_reason())
                log.info("rejected %s (%s): %s", p.key, item.kind, refusal.code)
            transactions.append(values)
            mine[p.key] = StoredRow(p.key, terminal_id, p.digest, values)
            out[p.index] = stored_row_answer(values)
        taken = {p.key for p in writes.write(session)}  # business rows first: their ids go into the answers
        if taken:  # queue ticket numbers another process issued meanwhile: those items alone are refused, as
            # item by item they would be once that process commits (a token they carried is not burnt)
            for key in taken:
                row = mine[key]
                assert isinstance(row, StoredRow)
                row.values.update(status="rejected", reason=_ticket_taken().as_reason(), result={},
                                        amount_fen=0, applied_at=None)
                log.info("rejected %s (queue.ticket): ticket_exists", key)
            token_uses = [u for u in token_uses if u["used_for"] not in {f"item:{k}"[:120] for k in taken}]
            for p in items[:done]:  # the item and any second use of its key in this request
                if p.key in taken:
                    out[p.index] = _answer_from(mine[p.key], p.digest, terminal_id)
        if token_uses:
            insert_rows(session.connection(), MemberTokenUse, token_uses)
        if lookups:
            insert_rows(session.connection(), ExchangeLookup, lookups)
        if transactions:
            insert_rows(session.connection(), Transaction, transactions)
        session.flush()  # the balances, and any case a withdrawal opened for a clerk
        return out, mine, done
    except (OperationalError, RedoError):
        raise  # the database (the caller retries or answers 503)
    except IntegrityError as exc:  # e.g. another process claimed a key meanwhile: item by item sorts it out
        raise RedoError(f"integrity: {exc.orig}") from exc
    except Exception as exc:
        raise RedoError(repr(exc)) from exc


@dataclass(frozen=True)
class StoredRow:
    """What answers a second use of a key stored by this request (as a `Transaction` row would)."""

    idempotency_key: str
    terminal_id: str
    payload_hash: str
    values: dict[str, Any]

    @property
    def status(self) -> str:
        return str(self.values["status"])

    @property
    def ledger_id(self) -> str:
        return str(self.values["ledger_id"])

    @property
    def reason(self) -> dict[str, Any] | None:
        reason: dict[str, Any] | None = self.values["reason"]
        return reason

    @property
    def result(self) -> dict[str, Any]:
        result: dict[str, Any] = self.values["result"]
        return result


def stored_row_answer(values: dict[str, Any]) -> dict[str, Any]:
    """The answer of a transaction row (as `ledger.service.stored_result`), from its values. The result dict is
    the row's own, so ids filled in at the end reach the answer too."""
    return {"idempotency_key": values["idempotency_key"], "status": values["status"],
            "ledger_id": values["ledger_id"], "reason": values["reason"], "result": values["result"]}


def _remember(facts: _Facts, queued: list[tuple[Any, dict[str, Any], str | None]]) -> None:
    """What an accepted item wrote, for the items after it (their snapshots and ticket numbers)."""
    for model, values, _ in queued:
        if model is Withdrawal:
            member_id = values["member_id"]
            rows = facts.withdrawals.setdefault(member_id, [])
            new = _Withdrawn(**{name: values[name] for name in _Withdrawn._fields})
            if new.status in _COUNTED:
                year = new.applied_at.astimezone(CENTRE_TZ).year
                if year not in facts.years:
                    raise RedoError(f"a withdrawal of {year}, whose totals were not read")
                facts.add_total(member_id, year, new.subtype, new.amount_fen)
            drawn = facts.drawn.get(member_id)
            if not rows or new.applied_at >= rows[0].applied_at:  # the newest (as usual): put it first
                rows.insert(0, new)
                if drawn is not None:
                    facts.drawn[member_id] = (withdrawal_record(new), *drawn)
            else:
                rows.append(new)
                rows.sort(key=lambda w: w.applied_at, reverse=True)
                facts.drawn.pop(member_id, None)  # rebuilt on the member's next snapshot
        elif model is QueueTicketRow:
            facts.tickets.add((values["outlet"], values["ticket_no"], values["issued_on"]))


Queued = list[tuple[Any, dict[str, Any], str | None]]


def _member(facts: _Facts, member_id: str | None) -> Member:
    member = facts.members.get(member_id) if member_id else None
    if member is None:
        raise rules._refuse("unknown_member", "账务中心没有该缴存职工。", "The ledger has no such member.")
    return member


def _withdrawal(session: Session, ctx: rules.ItemContext, p: tx.WithdrawalApply, facts: _Facts, queued: Queued,
                writes: _Rows) -> rules.Applied:
    member = _member(facts, ctx.member_id)
    account = facts.accounts.get(member.member_id)
    if account is None:
        raise rules._refuse("no_account", "该职工没有住房公积金个人账户。", "The member has no provident fund account.")

    def store(values: dict[str, Any]) -> int | None:
        if ctx.fraud_screening:  # the next item's cross-member screen queries the withdrawals table: write it now
            _remember(facts, [(Withdrawal, values, None)])
            return int(session.connection().execute(insert(Withdrawal).returning(Withdrawal.id), values).scalar_one())
        queued.append((Withdrawal, values, "withdrawal_id"))  # written with the request's other rows
        return None

    return rules.decide_withdrawal(session, ctx, p, member, account,
                                   lambda: facts.snapshot(member, account, ctx.now), store,
                                   lambda year: facts.used(member.member_id, year))


def _rating(session: Session, ctx: rules.ItemContext, p: tx.Rating, facts: _Facts, queued: Queued,
            writes: _Rows) -> rules.Applied:
    if ctx.member_id:
        _member(facts, ctx.member_id)
    queued.append((RatingRow, dict(member_id=ctx.member_id, score=p.score, service_item=p.service_item,
                                   channel=p.channel, window=p.window, staff=p.staff, serial_no=p.serial_no,
                                   text=p.text, terminal_id=ctx.terminal_id, rated_at=ctx.created_at), "rating_id"))
    return rules.Applied({"rating_id": None})


def _device_report(session: Session, ctx: rules.ItemContext, p: tx.DeviceReport, facts: _Facts, queued: Queued,
                   writes: _Rows) -> rules.Applied:
    queued.append((DeviceReportRow, dict(terminal_id=ctx.terminal_id, device=p.device, status=p.status,
                                         detail=p.detail, reported_at=ctx.created_at), "report_id"))
    return rules.Applied({"report_id": None})


def _ticket_taken() -> TransactionError:
    return rules._refuse("ticket_exists", "该网点当天已有同号排队票。",
                         "This outlet already issued this ticket number today.")


def _queue_ticket(session: Session, ctx: rules.ItemContext, p: tx.QueueTicket, facts: _Facts, queued: Queued,
                  writes: _Rows) -> rules.Applied:
    issued_on = ctx.created_at.astimezone(CENTRE_TZ).date()
    if (p.outlet, p.ticket_no, issued_on) in facts.tickets:
        raise _ticket_taken()
    queued.append((QueueTicketRow, dict(outlet=p.outlet, ticket_no=p.ticket_no, issued_on=issued_on,
                                        business=p.business, member_id=ctx.member_id, priority=p.priority,
                                        status="waiting", window="", clerk="", issued_at=ctx.created_at,
                                        updated_at=ctx.now), "ticket_id"))
    return rules.Applied({"ticket_id": None, "ticket_no": p.ticket_no, "status": "waiting"})


# The handlers of ledger.rules these do the same checks as, on the facts read for the whole request.
_MIRRORS: dict[str, Callable[..., rules.Applied]] = {
    "withdrawal.apply": rules.withdrawal_apply, "rating": rules.rating, "device.report": rules.device_report,
    "queue.ticket": rules.queue_ticket,
}
_HANDLERS: dict[str, Callable[..., rules.Applied]] = {
    "withdrawal.apply": _withdrawal, "rating": _rating, "device.report": _device_report,
    "queue.ticket": _queue_ticket,
}
