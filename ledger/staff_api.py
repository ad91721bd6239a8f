"""HTTP routes of central staff: sign-in at a counter (a session token bound to that terminal),
sign-out, who is signed in; and the periodic export of the audit chain's signed head.

`install(app)` is the one line ledger.app calls. Every route needs a signed request from a counter
(a kiosk credential signs no staff in); every sign-in attempt lands in the audit chain. No
`from __future__ import annotations` here: FastAPI must see the route signatures evaluated.
"""


import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Header, Request
from pydantic import BaseModel

from infra.logs import get_logger
from ledger import audit, staff
from ledger.errors import LedgerError
from protocol.staff import (
    STAFF_ACCOUNTS_PATH,
    STAFF_ME_PATH,
    STAFF_SESSION_HEADER,
    STAFF_SIGN_IN_PATH,
    STAFF_SIGN_OUT_PATH,
    STAFF_UNLOCK_PATH,
)

log = get_logger("ledger")


class SignInIn(BaseModel):
    username: str
    password: str


class UnlockIn(BaseModel):
    username: str


class StaffOut(BaseModel):
    username: str
    name: str
    roles: list[str]


class SignInOut(StaffOut):
    token: str
    expires_at: str
    offline_valid_hours: int


def _counter(caller: Any) -> None:
    if caller.role != "counter":
        raise LedgerError(403, "counter_only", "工作人员只能在柜面终端登录。",
                          "Staff sign in at counter terminals only.")


def _out(account: staff.StaffAccount) -> dict[str, Any]:
    return {"username": account.username, "name": account.name, "roles": sorted(account.roles)}


def _router() -> APIRouter:
    from ledger.app import ERRORS, Caller, _sessions

    router = APIRouter()

    @router.post(STAFF_SIGN_IN_PATH, response_model=SignInOut, responses=ERRORS)
    def sign_in(body: SignInIn, caller: Caller, request: Request) -> dict[str, Any]:
        _counter(caller)
        sessions = _sessions(request)
        username = body.username.strip()[:32]
        now = datetime.now(UTC)
        failure: staff.StaffAuthError | None = None
        with sessions.begin() as session:
            try:
                account = staff.verify_staff(session, username, body.password, now=now)
            except staff.StaffAuthError as exc:
                failure = exc
                audit.append(session, audit.current_key(), action="staff.sign_in", staff_id=username,
                             terminal_id=caller.terminal_id, outcome="denied",
                             details={"why": exc.outcome.value}, at=now)
            else:
                token, expires = staff.open_session(session, account, caller.terminal_id, now=now)
                audit.append(session, audit.current_key(), action="staff.sign_in", staff_id=username,
                             role=",".join(sorted(account.roles)), terminal_id=caller.terminal_id, at=now)
        if failure is not None:
            raise failure
        return {**_out(account), "token": token, "expires_at": expires.isoformat(),
                "offline_valid_hours": int(staff.OFFLINE_WINDOW.total_seconds() // 3600)}

    @router.post(STAFF_SIGN_OUT_PATH, responses=ERRORS)
    def sign_out(caller: Caller, request: Request,
                 token: Annotated[str | None, Header(alias=STAFF_SESSION_HEADER)] = None) -> dict[str, bool]:
        _counter(caller)
        with _sessions(request).begin() as session:
            account = staff.session_account(session, token or "", caller.terminal_id)
            staff.end_session(session, token or "")
            audit.append(session, audit.current_key(), action="staff.sign_out", staff_id=account.username,
                         role=",".join(sorted(account.roles)), terminal_id=caller.terminal_id)
        return {"ok": True}

    @router.get(STAFF_ME_PATH, response_model=StaffOut, responses=ERRORS)
    def me(caller: Caller, request: Request,
           token: Annotated[str | None, Header(alias=STAFF_SESSION_HEADER)] = None) -> dict[str, Any]:
        _counter(caller)
        with _sessions(request)() as session:
            return _out(staff.session_account(session, token or "", caller.terminal_id))

    @router.get(STAFF_ACCOUNTS_PATH, responses=ERRORS)
    def accounts(caller: Caller, request: Request,
                 token: Annotated[str | None, Header(alias=STAFF_SESSION_HEADER)] = None) -> dict[str, Any]:
        """The central accounts with their roles and lock state (a supervisor's or admin's session)."""
        _counter(caller)
        now = datetime.now(UTC)
        with _sessions(request)() as session:
            staff.require_role(staff.session_account(session, token or "", caller.terminal_id), "supervisor", "admin")
            rows = staff.account_states(session, now)
        return {"accounts": rows}

    @router.post(STAFF_UNLOCK_PATH, responses=ERRORS)
    def unlock(body: UnlockIn, caller: Caller, request: Request,
               token: Annotated[str | None, Header(alias=STAFF_SESSION_HEADER)] = None) -> dict[str, bool]:
        _counter(caller)
        with _sessions(request).begin() as session:
            me = staff.require_role(staff.session_account(session, token or "", caller.terminal_id),
                                    "supervisor", "admin")
            try:
                staff.unlock(session, body.username)
            except ValueError:
                raise LedgerError(404, "unknown_staff", "没有该工号。", "There is no such staff account.") from None
            audit.append(session, audit.current_key(), action="staff.unlock", staff_id=me.username,
                         role=",".join(sorted(me.roles)), terminal_id=caller.terminal_id, obj=body.username)
        return {"ok": True}

    return router


def _export_loop(app: FastAPI, every_s: float, directory: Path | None, stop: threading.Event) -> None:
    while not stop.wait(every_s):
        try:
            with app.state.sessions() as session:
                audit.export_head(session, audit.current_key(), directory)
        except Exception as exc:  # the next tick tries again; the ledger keeps serving
            log.error("audit head export failed: %s", exc)


def install(app: FastAPI) -> None:
    """Routes, the audit key, and (when `audit_head_every_s` > 0) a thread exporting signed heads."""
    settings = app.state.settings
    key = audit.load_key(getattr(settings, "audit_key_file", "") or None)
    audit.configure(key)
    app.include_router(_router())
    every = float(getattr(settings, "audit_head_every_s", 0) or 0)
    if every > 0:
        folder = getattr(settings, "audit_heads_dir", "") or None
        stop = threading.Event()
        app.state.audit_export_stop = stop
        threading.Thread(target=_export_loop, args=(app, every, Path(folder) if folder else None, stop),
                         name="audit-head-export", daemon=True).start()



