"""One queue for the hall (issue 11): the ledger issues and hands out every ticket.

    POST /v1/queue/tickets            kiosk or counter: {"outlet", "business", "priority"}
                                      -> {"ticket_no", "line", "priority", "ahead", "issued_at"}
    POST /v1/queue/call-next          counter: {"outlet", "window", "lines"} -> {"ticket": {...} | null}
    POST /v1/queue/tickets/{no}/call  counter: {"outlet", "window"} -> the ticket, or 409 when another
                                      window has it (exactly one window calls a ticket)
    POST /v1/queue/offline-block      kiosk or counter: {"outlet"} -> {"slot", "prefix", "first", "last"}

A call is one conditional UPDATE (status waiting -> called, or transferred to this window), so of
two windows calling the same ticket exactly one wins, on SQLite and PostgreSQL alike. Offline
terminals number from their block and send `queue.ticket` / `queue.event` through the outbox as
before (ledger.rules); those numbers cannot collide (domain.hall_queue).
"""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from pydantic import BaseModel, Field
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.catalogue import Catalogue, load_catalogue
from domain.hall_queue import (
    LINE_LETTERS,
    MAX_OFFLINE,
    MAX_SLOTS,
    OFFLINE_PREFIX,
    Waiting,
    ahead_of,
    line_of,
    next_for,
    online_number,
)
from ledger.errors import LedgerError, bad_request
from ledger.models import QueueTicketRow
from ledger.models_hall import QueueOfflineBlock
from ledger.settings import CENTRE_TZ

_catalogues: dict[str, Catalogue] = {}


def _catalogue(city: str) -> Catalogue:
    if city not in _catalogues:
        _catalogues[city] = load_catalogue(city)
    return _catalogues[city]


class TicketIn(BaseModel):
    outlet: str = Field(min_length=1, max_length=100)
    business: str = Field(min_length=1, max_length=60)
    priority: bool = False


class CallNextIn(BaseModel):
    outlet: str = Field(min_length=1, max_length=100)
    window: str = Field(min_length=1, max_length=20)
    lines: list[str] = Field(default_factory=lambda: sorted(set(LINE_LETTERS)), max_length=20)
    clerk: str = Field(default="", max_length=64)


class CallIn(BaseModel):
    outlet: str = Field(min_length=1, max_length=100)
    window: str = Field(min_length=1, max_length=20)
    clerk: str = Field(default="", max_length=64)


class BlockIn(BaseModel):
    outlet: str = Field(min_length=1, max_length=100)


def _waiting(session: Session, outlet: str, day: Any, city: str) -> list[tuple[QueueTicketRow, Waiting]]:
    rows = session.scalars(select(QueueTicketRow).where(
        QueueTicketRow.outlet == outlet, QueueTicketRow.issued_on == day, QueueTicketRow.status == "waiting")).all()
    cat = _catalogue(city)
    return [(r, Waiting(r.ticket_no, line_of(r.business, cat), r.priority, r.issued_at.isoformat())) for r in rows]


def _json(row: QueueTicketRow, line: str, ahead: int | None = None) -> dict[str, Any]:
    out = {"ticket_no": row.ticket_no, "line": line, "business": row.business, "priority": row.priority,
           "status": row.status, "window": row.window, "issued_at": row.issued_at.isoformat()}
    if ahead is not None:
        out["ahead"] = ahead
    return out


def issue(session: Session, outlet: str, business: str, priority: bool, *, city: str, now: datetime,
          member_id: str | None = None) -> dict[str, Any]:
    """A new ticket numbered by the ledger in its hall's line of the day (retried on a lost race)."""
    day = now.astimezone(CENTRE_TZ).date()
    line = line_of(business, _catalogue(city))
    letter = LINE_LETTERS[line]
    for _attempt in range(5):
        count = session.scalar(select(func.count()).select_from(QueueTicketRow).where(
            QueueTicketRow.outlet == outlet, QueueTicketRow.issued_on == day,
            QueueTicketRow.ticket_no.like(f"{letter}%"))) or 0
        try:
            number = online_number(line, count + 1)
        except ValueError as exc:
            zh, _, en = str(exc).partition(" / ")
            raise LedgerError(409, "line_full", zh, en) from None
        row = QueueTicketRow(outlet=outlet, ticket_no=number, issued_on=day, business=business, member_id=member_id,
                             priority=priority, status="waiting", issued_at=now, updated_at=now)
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:
            continue  # another terminal took this number in the meantime: count again
        me = Waiting(row.ticket_no, line, priority, row.issued_at.isoformat())
        ahead = ahead_of(me, [w for _r, w in _waiting(session, outlet, day, city)])
        return _json(row, line, ahead)
    raise LedgerError(503, "queue_busy", "取号繁忙，请重试。", "The queue is busy; please try again.")


def _claim(session: Session, row: QueueTicketRow, window: str, clerk: str, now: datetime) -> bool:
    """waiting (or transferred to this window) -> called by this window; False if another got there first."""
    result = session.execute(update(QueueTicketRow).where(
        QueueTicketRow.id == row.id,
        (QueueTicketRow.status == "waiting")
        | ((QueueTicketRow.status == "transferred") & (QueueTicketRow.window == window)))
        .values(status="called", window=window, clerk=clerk, updated_at=now)
        .execution_options(synchronize_session=False))
    won = bool(getattr(result, "rowcount", 0) == 1)
    if won:
        session.refresh(row)
    return won


def call_next(session: Session, body: CallNextIn, *, city: str, now: datetime) -> dict[str, Any] | None:
    day = now.astimezone(CENTRE_TZ).date()
    mine = session.scalars(select(QueueTicketRow).where(
        QueueTicketRow.outlet == body.outlet, QueueTicketRow.issued_on == day,
        QueueTicketRow.status == "transferred", QueueTicketRow.window == body.window)
        .order_by(QueueTicketRow.issued_at)).first()
    if mine is not None and _claim(session, mine, body.window, body.clerk, now):
        return _json(mine, line_of(mine.business, _catalogue(city)))
    for _attempt in range(20):
        waiting = _waiting(session, body.outlet, day, city)
        pick = next_for([w for _r, w in waiting], body.lines)
        if pick is None:
            return None
        row = next(r for r, w in waiting if w.ticket_no == pick.ticket_no)
        if _claim(session, row, body.window, body.clerk, now):
            return _json(row, pick.line)
    raise LedgerError(503, "queue_busy", "叫号繁忙，请重试。", "The queue is busy; please try again.")


def call(session: Session, ticket_no: str, body: CallIn, *, city: str, now: datetime) -> dict[str, Any]:
    day = now.astimezone(CENTRE_TZ).date()
    row = session.scalars(select(QueueTicketRow).where(
        QueueTicketRow.outlet == body.outlet, QueueTicketRow.issued_on == day,
        QueueTicketRow.ticket_no == ticket_no)).first()
    if row is None:
        raise LedgerError(404, "unknown_ticket", "今天没有该排队号。", "There is no such ticket today.")
    if not _claim(session, row, body.window, body.clerk, now):
        session.refresh(row)
        raise LedgerError(409, "ticket_taken", f"{ticket_no}号已由{row.window or '其他'}号窗口叫号或已办结。",
                          f"Ticket {ticket_no} was already called by window {row.window or 'another'} or is finished.")
    return _json(row, line_of(row.business, _catalogue(city)))


def offline_block(session: Session, outlet: str, terminal_id: str) -> dict[str, Any]:
    block = session.scalars(select(QueueOfflineBlock).where(
        QueueOfflineBlock.outlet == outlet, QueueOfflineBlock.terminal_id == terminal_id)).first()
    if block is None:
        used = set(session.scalars(select(QueueOfflineBlock.slot).where(QueueOfflineBlock.outlet == outlet)).all())
        free = next((s for s in range(1, MAX_SLOTS + 1) if s not in used), None)
        if free is None:
            raise LedgerError(409, "no_slot", "本网点离线号段已分配完。",
                              "Every offline block of this hall is allotted.")
        block = QueueOfflineBlock(outlet=outlet, terminal_id=terminal_id, slot=free)
        session.add(block)
        session.flush()
    prefix = f"{OFFLINE_PREFIX}{block.slot:02d}"
    return {"outlet": outlet, "slot": block.slot, "prefix": prefix, "first": f"{prefix}01",
            "last": f"{prefix}{MAX_OFFLINE:02d}"}


def install(app: FastAPI, authenticated: Callable[..., Any]) -> None:
    router = APIRouter()
    caller_dep = Annotated[Any, Depends(authenticated)]

    def counter_only(caller: Any) -> None:
        if caller.role != "counter":
            raise LedgerError(403, "counter_only", "只有柜面终端可以叫号。", "Only counter terminals call tickets.")

    @router.post("/v1/queue/tickets")
    def take_ticket(body: TicketIn, caller: caller_dep, request: Request) -> dict[str, Any]:
        """取号: a ticket numbered by the ledger for its hall, line and day, with the people ahead."""
        city = request.app.state.settings.policy_city
        with request.app.state.sessions.begin() as session:
            return issue(session, body.outlet, body.business, body.priority, city=city, now=datetime.now(CENTRE_TZ))

    @router.post("/v1/queue/call-next")
    def call_next_ticket(body: CallNextIn, caller: caller_dep, request: Request) -> dict[str, Any]:
        """叫号: this window's next ticket, claimed by it alone (null when nobody waits)."""
        counter_only(caller)
        unknown = set(body.lines) - set(LINE_LETTERS)
        if unknown:
            raise bad_request(f"未知的业务线：{sorted(unknown)}。", f"Unknown business lines: {sorted(unknown)}.")
        city = request.app.state.settings.policy_city
        with request.app.state.sessions.begin() as session:
            return {"ticket": call_next(session, body, city=city, now=datetime.now(CENTRE_TZ))}

    @router.post("/v1/queue/tickets/{ticket_no}/call")
    def call_ticket(ticket_no: str, body: CallIn, caller: caller_dep, request: Request) -> dict[str, Any]:
        """Call one named ticket; 409 if another window has it."""
        counter_only(caller)
        city = request.app.state.settings.policy_city
        with request.app.state.sessions.begin() as session:
            return call(session, ticket_no[:20], body, city=city, now=datetime.now(CENTRE_TZ))

    @router.post("/v1/queue/offline-block")
    def block(body: BlockIn, caller: caller_dep, request: Request) -> dict[str, Any]:
        """This terminal's offline ticket block in the hall (the same block every day)."""
        with request.app.state.sessions.begin() as session:
            return offline_block(session, body.outlet, caller.terminal_id)

    app.include_router(router)
