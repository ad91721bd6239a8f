"""The hall's help calls (issue 13): a kiosk's "call staff / 呼叫工作人员" reaches the counters.

    POST /v1/help-calls                     kiosk: {"outlet", "reason"} -> the call {"call_id", ...}
    GET  /v1/help-calls?outlet=…            counter: today's open calls of that hall, oldest first
    POST /v1/help-calls/{call_id}/answer    counter: {"window"} -> the call, now answered

Only an enrolled kiosk may call (the request is signed like every /v1 request; a counter gets 403).
The hall is the one the ledger enrolled the terminal in when it has one, not what the body claims.
A call carries no personal data: the body allows the hall and a reason code from a fixed list and
nothing else. A kiosk that already has an open call gets that call back (a second tap is not a
second call), and at most `MAX_CALLS_PER_HOUR` calls per terminal are taken (429 beyond).
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ledger.errors import LedgerError, not_found
from ledger.models import Terminal
from ledger.models_help import HelpCallRow
from ledger.settings import CENTRE_TZ

MAX_CALLS_PER_HOUR = 6
Reason = Literal["general", "identify", "card_reader", "printer", "withdrawal", "queue", "other"]


class HelpCallIn(BaseModel):
    model_config = ConfigDict(extra="forbid")  # nothing personal can ride along

    outlet: str = Field(min_length=1, max_length=100)
    reason: Reason = "general"


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    window: str = Field(min_length=1, max_length=20)


def _json(row: HelpCallRow) -> dict[str, Any]:
    return {"call_id": row.id, "outlet": row.outlet, "terminal_id": row.terminal_id, "reason": row.reason,
            "status": row.status, "called_at": row.called_at.replace(tzinfo=UTC).isoformat(timespec="seconds"),
            "answered_by": row.answered_by}


def _day_start(now: datetime) -> datetime:
    local = now.astimezone(CENTRE_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    return local.astimezone(UTC)


def place_call(session: Session, terminal_id: str, outlet: str, reason: str, now: datetime) -> dict[str, Any]:
    enrolled = session.scalars(select(Terminal.outlet).where(Terminal.terminal_id == terminal_id)).first()
    hall = enrolled or outlet
    open_call = session.scalars(select(HelpCallRow).where(
        HelpCallRow.terminal_id == terminal_id, HelpCallRow.status == "open",
        HelpCallRow.called_at >= _day_start(now))).first()
    if open_call is not None:
        return {**_json(open_call), "repeated": True}
    recent = session.scalar(select(func.count()).select_from(HelpCallRow).where(
        HelpCallRow.terminal_id == terminal_id, HelpCallRow.called_at >= now - timedelta(hours=1))) or 0
    if recent >= MAX_CALLS_PER_HOUR:
        raise LedgerError(429, "rate_limited", "呼叫过于频繁，请拨打大厅服务电话或到柜台咨询。",
                          "Too many calls from this terminal; please phone the hall's help number or ask at a "
                          "counter.")
    row = HelpCallRow(outlet=hall, terminal_id=terminal_id, reason=reason, status="open", called_at=now,
                      answered_by="")
    session.add(row)
    session.flush()
    return {**_json(row), "repeated": False}


def open_calls(session: Session, outlet: str, now: datetime) -> list[dict[str, Any]]:
    rows = session.scalars(select(HelpCallRow).where(
        HelpCallRow.outlet == outlet, HelpCallRow.status == "open", HelpCallRow.called_at >= _day_start(now))
        .order_by(HelpCallRow.called_at, HelpCallRow.id)).all()
    return [_json(r) for r in rows]


def answer(session: Session, call_id: int, window: str, now: datetime) -> dict[str, Any]:
    row = session.get(HelpCallRow, call_id)
    if row is None:
        raise not_found("没有该呼叫。", "There is no such help call.", code="unknown_help_call")
    session.execute(update(HelpCallRow).where(HelpCallRow.id == call_id, HelpCallRow.status == "open")
                    .values(status="answered", answered_by=window, answered_at=now)
                    .execution_options(synchronize_session=False))
    session.refresh(row)
    return _json(row)


def install(app: FastAPI, authenticated: Callable[..., Any]) -> None:
    router = APIRouter()
    caller_dep = Annotated[Any, Depends(authenticated)]

    def role(caller: Any, wanted: str) -> None:
        if caller.role != wanted:
            zh, en = (("只有自助终端可以呼叫工作人员。", "Only kiosks call staff.") if wanted == "kiosk" else
                      ("只有柜面终端可以查看和应答呼叫。", "Only counter terminals read and answer help calls."))
            raise LedgerError(403, f"{wanted}_only", zh, en)

    @router.post("/v1/help-calls")
    def call_staff(body: HelpCallIn, caller: caller_dep, request: Request) -> dict[str, Any]:
        """呼叫工作人员: the counters of this kiosk's hall see the call on their work list."""
        role(caller, "kiosk")
        with request.app.state.sessions.begin() as session:
            return place_call(session, caller.terminal_id, body.outlet, body.reason, datetime.now(UTC))

    @router.get("/v1/help-calls")
    def list_calls(outlet: str, caller: caller_dep, request: Request) -> dict[str, Any]:
        role(caller, "counter")
        with request.app.state.sessions.begin() as session:
            return {"calls": open_calls(session, outlet[:100], datetime.now(UTC))}

    @router.post("/v1/help-calls/{call_id}/answer")
    def answer_call(call_id: int, body: AnswerIn, caller: caller_dep, request: Request) -> dict[str, Any]:
        role(caller, "counter")
        with request.app.state.sessions.begin() as session:
            return answer(session, call_id, body.window, datetime.now(UTC))

    app.include_router(router)
