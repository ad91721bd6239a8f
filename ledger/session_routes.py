"""HTTP routes of member sessions (protocol.sessions): open, end, and the member's own data through them.

`install(app)` is called once by ledger.app.create_app. Personal data leaves the ledger only here
(for kiosks) and only for the member of the session presented in `X-HPF-Member-Session`, masked.
"""

# No `from __future__ import annotations`: FastAPI reads the annotations of the routes made inside install().

from typing import Annotated, Any

from fastapi import FastAPI, Header, Request
from pydantic import BaseModel, Field

from ledger import sessions as ms
from ledger.errors import not_found
from ledger.settings import LedgerSettings
from ledger.snapshot import build_snapshot, schedule_json
from protocol.sessions import END_PATH, OPEN_PATH, SCHEDULE_PATH, SESSION_HEADER, SNAPSHOT_PATH


class OpenIn(BaseModel):
    method: str = Field(description="password | qr | card+password | card+qr")
    id_number: str = Field("", description="typed, or read from the ID card")
    password: str = ""
    token: str = Field("", description="the member app's QR token (HPF1.…)")
    data: dict[str, str] = Field(default_factory=dict,
                                 description="evidence of further authenticators, e.g. a face-match reference")


class OpenOut(BaseModel):
    session_id: str
    token: str = Field(description=f"bearer secret: send it in {SESSION_HEADER}")
    member_id: str
    method: str
    expires_at: str
    ttl_s: int


class Ended(BaseModel):
    ok: bool


def install(app: FastAPI) -> None:  # noqa: C901 - a flat list of small endpoints
    from ledger.app import ERRORS, Caller, _sessions

    SessionToken = Annotated[str | None, Header(alias=SESSION_HEADER, description="the member session token")]  # noqa: N806

    def settings_of(request: Request) -> LedgerSettings:
        settings: LedgerSettings = request.app.state.settings
        return settings

    def current(request: Request, caller: Any, token: str | None, kind: str) -> ms.Current:
        db = _sessions(request)
        cur = ms.resolve(db, token, caller.terminal_id)
        ms.record_read(db, caller.terminal_id, kind, cur.member_id, settings_of(request))
        return cur

    @app.post(OPEN_PATH, response_model=OpenOut, responses={**ERRORS, 429: ERRORS[400]})
    def open_session(body: OpenIn, caller: Caller, request: Request) -> dict[str, Any]:
        """Open a member session after the ledger verified the member (password, QR token, card + either)."""
        db, settings = _sessions(request), settings_of(request)
        read = ms.record_read(db, caller.terminal_id, "session_open", None, settings)
        evidence = ms.Evidence(body.method, body.id_number, body.password, body.token, body.data)
        opened = ms.open_session(db, caller.terminal_id, evidence, settings)
        ms.attach_member(db, read, opened.member_id, settings)
        return opened.to_json()

    @app.delete(END_PATH, response_model=Ended, responses=ERRORS)
    def end_session(caller: Caller, request: Request, token: SessionToken = None) -> dict[str, bool]:
        """End the session (the kiosk calls this on finish, idle wipe and card removal)."""
        db = _sessions(request)
        ms.end_session(db, ms.resolve(db, token, caller.terminal_id))
        return {"ok": True}

    @app.get(SNAPSHOT_PATH, responses={**ERRORS, 429: ERRORS[400]})
    def session_snapshot(caller: Caller, request: Request, token: SessionToken = None) -> dict[str, Any]:
        """The session member's account snapshot (domain.account.AccountSnapshot JSON), masked for kiosks."""
        cur = current(request, caller, token, "snapshot")
        with _sessions(request)() as session:
            snapshot = build_snapshot(session, cur.member_id)
        return ms.masked(snapshot).to_json()

    @app.get(SCHEDULE_PATH, responses={**ERRORS, 429: ERRORS[400]})
    def session_schedule(loan_id: str, caller: Caller, request: Request,
                         token: SessionToken = None) -> dict[str, Any]:
        """The repayment plan (还款计划) of one loan of the session member."""
        from ledger.models import Loan

        cur = current(request, caller, token, "schedule")
        with _sessions(request)() as session:
            loan = session.get(Loan, loan_id)
            if loan is None or loan.member_id != cur.member_id:
                raise not_found("没有这笔贷款。", "There is no such loan.", code="unknown_loan")
            return {"loan_id": loan_id, "periods": schedule_json(session, loan_id)}
