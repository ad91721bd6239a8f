"""The ledger's HTTP API (wire protocol v1), a FastAPI app with its OpenAPI document at /openapi.json.

`create_app(url)` builds a stateless app over one database: any number of processes may
serve the same PostgreSQL. Every /v1 endpoint but health needs a signed request
(ledger.auth); every response carries X-HPF-Server-Time; every error is
`{"error": {"code", "zh", "en"}}`.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any, Literal
from urllib.parse import unquote

from fastapi import Depends, FastAPI, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, TypeAdapter, ValidationError
from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from domain.transactions import MAX_BATCH_ITEMS
from infra.logs import get_logger
from ledger import (
    auth,
    fleet,
    hall,
    help_calls,
    loan_routes,
    members,
    protocol_gate,
    reference,
    routes_credentials,
    service,
    session_routes,
    staff_api,
)
from ledger import sessions as member_sessions
from ledger.asgi import BodyLimit, ServerTimeHeader
from ledger.db import SQLITE_BUSY_TIMEOUT_MS, create_schema, make_engine, session_factory
from ledger.errors import INTERNAL, UNAVAILABLE, LedgerError, bad_request, not_found
from ledger.exchange import routes as exchange_routes
from ledger.exchange.client import HttpPoster
from ledger.models import Case, Heartbeat, QueueTicketRow, Terminal
from ledger.online import ONLINE, GiveWay, share_the_interpreter_briefly
from ledger.settings import CENTRE_TZ, LedgerSettings
from ledger.snapshot import build_snapshot, schedule_json

log = get_logger("ledger")

API_VERSION = "1"
MAX_BODY_BYTES = 8 * 1024 * 1024  # 200 items with their shared data fit many times over
NONCE_PURGE_EVERY_S = 60.0  # each process forgets expired nonces at most once a minute
HEARTBEAT_KEEP_DAYS = 30


# ---- request and response bodies (they make the OpenAPI document) ----

class ErrorBody(BaseModel):
    code: str
    zh: str
    en: str


class ErrorResponse(BaseModel):
    error: ErrorBody


class Health(BaseModel):
    status: Literal["ok"]
    time: str


class ItemIn(BaseModel):
    idempotency_key: str
    kind: str
    member_id: str | None = None
    created_at: str = Field(description="ISO 8601 UTC time the terminal created the transaction")
    payload: dict[str, Any]


class BatchIn(BaseModel):
    terminal_id: str
    items: list[ItemIn]


class ItemResult(BaseModel):
    idempotency_key: str
    status: Literal["accepted", "rejected", "conflict"]
    ledger_id: str | None
    reason: ErrorBody | None
    result: dict[str, Any]


class BatchOut(BaseModel):
    results: list[ItemResult]


class LookupIn(BaseModel):
    id_number: str


class PasswordIn(BaseModel):
    id_number: str
    password: str


class MemberRef(BaseModel):
    member_id: str


class HeartbeatIn(BaseModel):
    terminal_id: str
    status: dict[str, Any] = Field(default_factory=dict)


class Ok(BaseModel):
    ok: bool


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse}, 401: {"model": ErrorResponse}, 403: {"model": ErrorResponse},
    404: {"model": ErrorResponse}, 500: {"model": ErrorResponse}, 503: {"model": ErrorResponse},
}


def _sessions(request: Request) -> sessionmaker[Session]:
    sessions: sessionmaker[Session] = request.app.state.sessions
    return sessions


def _signed_paths(request: Request) -> tuple[str, ...]:
    """The spellings of the request's path a signature may cover: as sent (percent-encoded, canonical), and
    decoded, for clients that sign before their HTTP library quotes non-ASCII characters."""
    raw_path = request.scope.get("raw_path") or request.url.path.encode("utf-8")
    query = request.scope.get("query_string", b"").decode("latin-1")
    wire = raw_path.decode("latin-1") + (f"?{query}" if query else "")
    decoded = unquote(wire)
    return (wire,) if decoded == wire else (wire, decoded)


def _verify(app: FastAPI, sessions: Any, headers: Any, method: str, paths: tuple[str, ...],
            body: bytes) -> auth.Caller:
    """auth.verify, and once a minute this process's housekeeping (`_now_and_then`)."""
    caller = auth.verify(sessions, headers, method, paths, body)
    _now_and_then(app)
    return caller


def _check(app: FastAPI, sessions: Any, headers: Any, method: str, paths: tuple[str, ...],
           body: bytes) -> tuple[auth.Caller, auth.PendingNonce]:
    """auth.check (the nonce left to the caller's transaction), and the housekeeping as `_verify`."""
    checked = auth.check(sessions, headers, method, paths, body)
    _now_and_then(app)
    return checked


def _now_and_then(app: FastAPI) -> None:
    """Once a minute, this process's housekeeping on a thread of its own: its deletes (tens of ms on a busy
    database) delay no request, above all not a kiosk's online one."""
    state = app.state
    with state.housekeeping_lock:
        if time.monotonic() - state.nonces_purged_at <= NONCE_PURGE_EVERY_S:
            return
        state.nonces_purged_at = time.monotonic()
    threading.Thread(target=_housekeeping_logged, args=(state.sessions,), name="hpf-housekeeping",
                     daemon=True).start()


def _housekeeping_logged(sessions: sessionmaker[Session]) -> None:
    try:
        _housekeeping(sessions)
    except Exception as exc:  # the database is away: the next round (a minute later) tries again
        log.warning("housekeeping failed: %s", exc)


async def authenticated(request: Request) -> auth.Caller:
    """Dependency: the verified caller of a signed request (401 otherwise)."""
    body = await request.body()
    return await run_in_threadpool(_verify, request.app, _sessions(request), request.headers, request.method,
                                   _signed_paths(request), body)


Caller = Annotated[auth.Caller, Depends(authenticated)]


class _MarkOnline:
    """The sessions auth.check uses for a one-item request, and its online mark (held by `stack` until the request
    is answered).

    On PostgreSQL the mark begins once the key, signature and clock checks have passed (`mark`, before the
    request's first write: its nonce, in the decision's transaction): a request without a valid signature never
    marks online (it cannot make the drains pause). On SQLite every transaction begins IMMEDIATE (ledger.db), the
    key look-up included, and a backlog batch holds that one write lock for many items: the mark must come before
    the look-up, or the request would wait behind the batch's transaction until the busy timeout. There a
    request with well-formed signature headers is marked from its key look-up; one whose signature fails drops
    the mark with its 401, a few milliseconds later (a drain's pause is bounded by its GiveWay budget anyway).
    A request without the headers is refused before any database access, unmarked."""

    def __init__(self, sessions: sessionmaker[Session], stack: ExitStack, *, from_first_read: bool) -> None:
        self._sessions, self._stack, self._from_first_read = sessions, stack, from_first_read
        self.marked = False
        self._lock_checked = not from_first_read

    def mark(self) -> None:
        if not self.marked:
            self._stack.enter_context(ONLINE.online())
            self.marked = True

    def __call__(self) -> Session:
        if self._from_first_read:
            self.mark()
            if not self._lock_checked:
                self._lock_checked = True
                bind = self._sessions.kw.get("bind")
                if bind is not None:
                    _await_sqlite_write_lock(bind, service.GIVE_WAY_BUDGET_S)
        return self._sessions()


SQLITE_LOCK_POLL_S = 0.001


def _await_sqlite_write_lock(engine: Engine, limit_s: float,
                             pause: Callable[[float], None] = time.sleep) -> None:
    """SQLite: wait, asleep, until no transaction holds the write lock (at most `limit_s`), looking every
    millisecond. A marked online request's drain commits at its next item and pauses; SQLite's own busy handler
    would look again only after a growing back-off (1, 2, 5, 10, 15, 20, 25 ms ...), most of it after the lock
    is free. The request's own transactions then begin as usual (and wait in SQLite's handler if a writer got
    in between)."""
    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        assert isinstance(conn, sqlite3.Connection)
        conn.execute("PRAGMA busy_timeout=0")
        try:
            deadline = time.monotonic() + limit_s
            while True:
                try:
                    conn.execute("BEGIN IMMEDIATE")
                except sqlite3.OperationalError:
                    if time.monotonic() >= deadline:
                        return
                    pause(SQLITE_LOCK_POLL_S)
                    continue
                conn.execute("ROLLBACK")
                return
        finally:
            conn.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    finally:
        raw.close()


def _housekeeping(sessions: sessionmaker[Session]) -> None:
    """Forget expired nonces and heartbeats older than HEARTBEAT_KEEP_DAYS (the terminal row keeps the last)."""
    auth.purge_nonces(sessions)
    member_sessions.purge(sessions)  # used QR-token nonces past expiry, member sessions older than 30 days
    cutoff = datetime.now(UTC) - timedelta(days=HEARTBEAT_KEEP_DAYS)
    with sessions.begin() as session:
        session.execute(delete(Heartbeat).where(Heartbeat.at < cutoff))


def _counter_only(caller: auth.Caller) -> None:
    if caller.role != "counter":
        raise LedgerError(403, "counter_only", "只有柜面终端可以查看业务工作清单。",
                          "Only counter terminals may read the case work list.")


def _same_terminal(caller: auth.Caller, terminal_id: str) -> None:
    if terminal_id != caller.terminal_id:
        raise LedgerError(403, "terminal_mismatch", "请求中的终端编号与签名凭证不符。",
                          "The terminal id in the body does not match the signing credential.")


def _member_read_by_counter(caller: auth.Caller, request: Request, member_id: str) -> None:
    """Member data by member id is for counters (a clerk checked the member in person); a kiosk needs a session."""
    if caller.role != "counter":
        raise member_sessions.session_required()
    member_sessions.record_read(_sessions(request), caller.terminal_id, "member_by_id", member_id,
                                request.app.state.settings)


_BATCH_IN: TypeAdapter[BatchIn] = TypeAdapter(BatchIn)
_BATCH_OUT: TypeAdapter[BatchOut] = TypeAdapter(BatchOut)
# Backlog requests (more than one item) of one process in their CPU phase at once (signature, envelope checks,
# their drain, the answer): the rest wait asleep (a semaphore), out of the interpreter's way, so a kiosk's
# online request shares it with a few threads, not with every terminal's batch in flight. One more than the
# drain slots (ledger.service): a batch gets ready while another drains; the drains queue there anyway.
BACKLOG_ADMISSION = {"sqlite": service.SQLITE_DRAIN_SLOTS + 1, "other": service.DRAIN_SLOTS + 1}
# An admitted backlog request starts its database work (key, stored keys: round trips that queue with the
# online request's own) only when no online request is in flight, waiting at most this long for that, as its
# drain does before it starts (ledger.service `_backlog`).
BACKLOG_START_WAIT_S = service.GIVE_WAY_BUDGET_S / 4


def ingest(app: FastAPI, headers: Any, method: str, paths: tuple[str, ...], body: bytes) -> bytes:
    """POST /v1/transactions on a thread of its own: the body parsed and validated (400 as any malformed
    request), the signature checked, the items decided (ledger.service), the answer serialised (BatchOut).

    A one-item request is a kiosk's online application (`SyncEngine.send_now`: a person waits): it is marked
    online (ledger.online) once its signature is verified, before its first write (the nonce), until it is
    answered; backlog batches give way to it (from its key look-up on SQLite: `_MarkOnline`). A backlog request
    first waits for its `BACKLOG_ADMISSION`, then (at most BACKLOG_START_WAIT_S) for no online request in flight.

    The request's nonce is written first in the transaction that commits its decision (one durable commit, not
    two; alone if nothing new is decided): a replay is refused with 401 "replay" there, its transaction rolled
    back. A request refused before that (403, 400) wrote nothing and records no nonce (docs/security.md)."""
    try:
        raw = json.loads(body)
    except ValueError as exc:
        raise RequestValidationError([{"type": "json_invalid", "loc": ("body",), "msg": f"JSON decode error: {exc}",
                                       "input": {}}], body=body) from None
    try:
        batch = _BATCH_IN.validate_python(raw)
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        raise RequestValidationError(errors, body=raw) from None
    sessions: sessionmaker[Session] = app.state.sessions
    commit: Callable[[], None] = _nothing
    with ExitStack() as stack:
        if len(batch.items) == 1:
            if not app.state.sqlite:
                sessions, commit = _one_transaction(app.state.engine, stack)
            checked: Any = _MarkOnline(sessions, stack, from_first_read=app.state.sqlite)
        else:
            stack.enter_context(app.state.backlog_admission)
            GiveWay(BACKLOG_START_WAIT_S).pause()  # its signature check and look-ups after an online request
            checked = sessions
        caller, nonce = _check(app, checked, headers, method, paths, body)
        if isinstance(checked, _MarkOnline):
            checked.mark()  # signed and on time: online from here (on SQLite from its key look-up already)
        _same_terminal(caller, batch.terminal_id)
        if len(batch.items) > MAX_BATCH_ITEMS:
            raise bad_request(f"一批最多 {MAX_BATCH_ITEMS} 笔业务。", f"A batch holds at most {MAX_BATCH_ITEMS} items.",
                              code="batch_too_large")
        items = [service.Item(i.idempotency_key, i.kind, i.member_id, i.created_at, i.payload) for i in batch.items]
        settings: LedgerSettings = app.state.settings
        results = service.process_batch(sessions, caller.terminal_id, caller.role, items, city=settings.policy_city,
                                        fraud_screening=settings.fraud_screening, evidence=app.state.evidence,
                                        first_write=nonce.record)
        commit()
        return _BATCH_OUT.dump_json(_BATCH_OUT.validate_python({"results": results}))


def _nothing() -> None:
    return None


def _one_transaction(engine: Engine, stack: ExitStack) -> tuple[sessionmaker[Session], Callable[[], None]]:
    """PostgreSQL, a one-item (online) request: the sessions its check and decision use, all on ONE connection in
    ONE transaction (committed by the callable returned, after process_batch; rolled back with `stack` if the
    request fails), instead of a pooled connection, a pre-ping, a BEGIN and an end for each of its reads (the
    key, the stored keys, the members' facts) and one more for the decision: a dozen round trips fewer, each a
    wait for a database process on a busy host. Its reads take no locks (READ COMMITTED); its first write is
    the nonce, then the members' locks, as in a transaction of its own. A session that rolls back (a deadlock
    retried, the one pass redone item by item, a replay) rolls the transaction back (`rollback_only`); the
    next one begins and commits its own. The exchange's cache keeps its own sessions (a fetched answer is
    recorded at once, whatever the request does next)."""
    connection = stack.enter_context(engine.connect())
    outer = connection.begin()

    def commit() -> None:
        if outer.is_active:
            outer.commit()
    return sessionmaker(bind=connection, expire_on_commit=False, join_transaction_mode="rollback_only"), commit


def _openapi_with_batch_in(app: FastAPI) -> None:
    """The OpenAPI document names BatchIn (POST /v1/transactions reads its body itself, off the event loop)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = build()
            schemas = doc.setdefault("components", {}).setdefault("schemas", {})
            schema = BatchIn.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas.update(schema.pop("$defs", {}))
            schemas["BatchIn"] = schema
            app.openapi_schema = doc
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(url: str | None = None, *, engine: Engine | None = None,
               settings: LedgerSettings | None = None, create_tables: bool = True,
               exchange_http: HttpPoster | None = None) -> FastAPI:
    engine = engine or make_engine(url, pool_size=(settings or LedgerSettings()).db_pool_size)
    if create_tables:
        create_schema(engine)
    app = FastAPI(title="HPF Ledger", version=API_VERSION,
                  description="Central ledger of the Housing Provident Fund terminals (wire protocol v1).")
    share_the_interpreter_briefly()  # online first within the process too (ledger.online)
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    app.state.settings = settings or LedgerSettings()
    app.state.nonces_purged_at = time.monotonic()
    app.state.housekeeping_lock = threading.Lock()
    app.state.sqlite = engine.dialect.name == "sqlite"
    app.state.backlog_admission = threading.Semaphore(BACKLOG_ADMISSION["sqlite" if app.state.sqlite else "other"])
    service.prepare(app.state.settings.policy_city, fraud_screening=app.state.settings.fraud_screening)
    exchange_routes.install(app, authenticated, exchange_http)  # app.state.evidence and /v1/members/{id}/facts
    app.add_middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)
    app.add_middleware(ServerTimeHeader)
    protocol_gate.install(app)  # wire-protocol versions (infra/wire.py)
    _install_error_handlers(app)
    _routes(app)
    _openapi_with_batch_in(app)
    routes_credentials.install(app)
    session_routes.install(app)  # member sessions: open/end, the session member's snapshot and schedules
    staff_api.install(app)
    fleet.install(app)  # /fleet, /metrics and alerting (issue 12)
    hall.install(app, authenticated)  # issue 11: certificate verification, the hall queue (ledger/hall.py)
    loan_routes.install(app)  # issue 11: /v1/loan-applications (ledger/loan_routes.py)
    help_calls.install(app, authenticated)  # issue 13: a kiosk's "call staff" for the counters (ledger/help_calls.py)
    return app


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LedgerError)
    async def _ledger_error(_request: Request, exc: LedgerError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        err = bad_request(f"请求格式不正确：{where}。", f"Malformed request at {where}: {first.get('msg', '')}.")
        return JSONResponse(err.body(), status_code=400)

    @app.exception_handler(OperationalError)
    async def _db_down(_request: Request, exc: OperationalError) -> JSONResponse:
        log.error("database unavailable: %s", exc.orig)
        return JSONResponse(UNAVAILABLE.body(), status_code=503)

    @app.exception_handler(Exception)
    async def _internal(_request: Request, exc: Exception) -> JSONResponse:
        log.error("internal error: %r", exc, exc_info=exc)
        return JSONResponse(INTERNAL.body(), status_code=500)


def _routes(app: FastAPI) -> None:  # noqa: C901 - one flat list of small endpoints
    @app.get("/v1/health", response_model=Health)
    def health() -> dict[str, str]:
        return {"status": "ok", "time": datetime.now(UTC).isoformat(timespec="seconds")}

    @app.post("/v1/transactions", response_model=BatchOut, responses=ERRORS,
              openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                  "schema": {"$ref": "#/components/schemas/BatchIn"}}}}})
    async def transactions(request: Request) -> Response:
        """A batch of signed items (a terminal's backlog, or a kiosk's one online application): body BatchIn.

        The event loop only reads the bytes; parsing, validation, the signature check and the answer's
        serialisation run with the decision on one thread (`ingest`): the request makes one hop to a thread
        instead of three (signature, endpoint, answer), each of which waits for the CPU on a busy host."""
        body = await request.body()
        answer: bytes = await run_in_threadpool(ingest, request.app, request.headers, request.method,
                                                _signed_paths(request), body)
        return Response(answer, media_type="application/json")

    @app.post("/v1/members/lookup", response_model=MemberRef, responses=ERRORS)
    def lookup(body: LookupIn, caller: Caller, request: Request) -> dict[str, str]:
        """Counters only: a kiosk identifies a member by opening a member session (POST /v1/sessions)."""
        if caller.role != "counter":
            raise LedgerError(403, "counter_only", "按证件号码查询缴存职工仅限柜面终端；自助终端请由职工本人核验身份。",
                              "Looking a member up by ID number is for counter terminals; a kiosk has the member "
                              "verify themselves (a member session).")
        member_sessions.record_read(_sessions(request), caller.terminal_id, "lookup", None, request.app.state.settings)
        return {"member_id": members.lookup(_sessions(request), body.id_number)}

    @app.post("/v1/members/verify-password", response_model=MemberRef, responses=ERRORS)
    def verify_password(body: PasswordIn, caller: Caller, request: Request) -> dict[str, str]:
        member_sessions.record_read(_sessions(request), caller.terminal_id, "verify_password", None,
                                    request.app.state.settings)
        member_id = members.verify_password(_sessions(request), body.id_number, body.password,
                                            request.app.state.settings)
        return {"member_id": member_id}

    @app.get("/v1/members/{member_id}/snapshot", responses=ERRORS)
    def snapshot(member_id: str, caller: Caller, request: Request) -> dict[str, Any]:
        """JSON of domain.account.AccountSnapshot (counters; a kiosk uses GET /v1/session/snapshot)."""
        _member_read_by_counter(caller, request, member_id)
        with _sessions(request)() as session:
            return build_snapshot(session, member_id).to_json()

    @app.get("/v1/members/{member_id}/loans/{loan_id}/schedule", responses=ERRORS)
    def loan_schedule(member_id: str, loan_id: str, caller: Caller, request: Request) -> dict[str, Any]:
        """The repayment plan (还款计划) of one loan of the member (counters; kiosks use the session route)."""
        _member_read_by_counter(caller, request, member_id)
        from ledger.models import Loan

        with _sessions(request)() as session:
            loan = session.get(Loan, loan_id)
            if loan is None or loan.member_id != member_id:
                raise not_found("没有这笔贷款。", "There is no such loan.", code="unknown_loan")
            return {"loan_id": loan_id, "periods": schedule_json(session, loan_id)}

    @app.get("/v1/reference/{name}", responses={**ERRORS, 304: {"description": "Not modified"}})
    def reference_doc(name: str, _caller: Caller, request: Request,
                      if_none_match: Annotated[str | None, Header()] = None) -> Response:
        if name not in reference.NAMES:
            raise not_found(f"没有名为 {name} 的参考数据。", f"There is no reference document {name}.")
        body, etag = reference.document(name, request.app.state.settings.policy_city)
        if reference.etag_matches(if_none_match, etag):
            return Response(status_code=304, headers={"ETag": etag})
        return Response(body, media_type="application/json", headers={"ETag": etag})

    @app.post("/v1/terminals/heartbeat", response_model=Ok, responses=ERRORS)
    def heartbeat(body: HeartbeatIn, caller: Caller, request: Request) -> dict[str, bool]:
        _same_terminal(caller, body.terminal_id)
        started = time.perf_counter()
        now = datetime.now(UTC)
        if fleet.batching(request.app):  # written with others a moment later (issue 12)
            fleet.enqueue_heartbeat(request.app, caller.key_id, caller.terminal_id, body.status, now, started)
            return {"ok": True}
        with _sessions(request).begin() as session:
            terminal = session.scalars(select(Terminal).where(Terminal.terminal_id == caller.terminal_id)).first()
            if terminal is not None:
                terminal.last_heartbeat_at, terminal.last_status = now, body.status
            session.add(Heartbeat(terminal_id=caller.terminal_id, at=now, status=body.status))
            changed = fleet.on_heartbeat(session, request.app, caller.terminal_id, body.status, now)  # issue 12
        fleet.after_heartbeat(request.app, changed, started)  # webhooks, metrics, silent-terminal sweep
        return {"ok": True}

    @app.get("/v1/cases", responses=ERRORS)
    def cases(caller: Caller, request: Request, status: str | None = None,
              assignee: str | None = None) -> dict[str, Any]:
        """The counter work list (counter terminals only: cases carry members' personal data)."""
        _counter_only(caller)
        query = select(Case).order_by(Case.opened_at)
        if status:
            query = query.where(Case.status.in_(status.split(",")))
        if assignee:
            query = query.where(Case.assignee == assignee)
        with _sessions(request)() as session:
            return {"cases": [_case_json(c) for c in session.scalars(query.limit(500)).all()]}

    @app.get("/v1/cases/{case_id}", responses=ERRORS)
    def case_detail(case_id: str, caller: Caller, request: Request) -> dict[str, Any]:
        _counter_only(caller)
        with _sessions(request)() as session:
            case = session.get(Case, case_id)
            if case is None:
                raise not_found("没有该业务编号。", "There is no case with this id.", code="unknown_case")
            data = _case_json(case)
            data["events"] = [{"action": e.action, "actor": e.actor, "note": e.note, "data": e.data,
                               "at": e.at.isoformat()} for e in case.events]
            return data

    @app.get("/v1/queue", responses=ERRORS)
    def queue(_caller: Caller, request: Request, outlet: str, day: date | None = None) -> dict[str, Any]:
        day = day or datetime.now(CENTRE_TZ).date()
        with _sessions(request)() as session:
            rows = session.scalars(select(QueueTicketRow).where(
                QueueTicketRow.outlet == outlet, QueueTicketRow.issued_on == day)
                .order_by(QueueTicketRow.issued_at, QueueTicketRow.id)).all()
        tickets = [{"ticket_no": t.ticket_no, "business": t.business, "priority": t.priority, "status": t.status,
                    "window": t.window, "issued_at": t.issued_at.isoformat()} for t in rows]
        return {"outlet": outlet, "day": day.isoformat(), "waiting": sum(t.status == "waiting" for t in rows),
                "tickets": tickets}


def _case_json(case: Case) -> dict[str, Any]:
    return {"case_id": case.case_id, "member_id": case.member_id, "business_code": case.business_code,
            "status": case.status, "assignee": case.assignee, "channel": case.channel, "summary": case.summary,
            "opened_at": case.opened_at.isoformat(), "updated_at": case.updated_at.isoformat()}
