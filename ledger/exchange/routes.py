"""The ledger's exchange wiring: `app.state.evidence`, and the facts a terminal may preview with.

    POST /v1/members/{member_id}/facts  {"withdrawal_type", "authorisation"}  ->  {"shared": SharedData JSON,
                                         "unavailable": [topics], "as_of"}

A terminal computes a provisional preview from these facts (the kiosk's 秒批 screen); the decision
that moves money is the ledger's own, made again on the facts it fetches for the application.
Every preview look-up is recorded like any other (purpose "preview.<type>").
"""


import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from domain import transactions as tx
from domain.exchange_contract import Topic
from domain.masking import mask_id_number
from domain.transactions import TransactionError
from domain.withdrawals import WithdrawalType
from ledger.errors import LedgerError, bad_request
from ledger.exchange.client import ExchangeClient, HttpPoster
from ledger.exchange.prefetch import WITHDRAWAL_TOPICS
from ledger.exchange.source import CentreEvidence, LookupContext
from ledger.models import Member
from ledger.settings import LedgerSettings


class FactsIn(BaseModel):
    withdrawal_type: str | None = None  # None: the counter's intake set (INTAKE_TOPICS)
    authorisation: dict[str, Any] | None = None


# What a counter's intake screen shows before the business is chosen: retirement, home and marriage.
INTAKE_TOPICS = (Topic.RETIREMENT, Topic.PROPERTY_OWNERSHIP, Topic.MARRIAGE)


def _masked(value: Any, key: str = "") -> Any:
    """A preview needs the facts, not other people's numbers: every ID number in it is masked."""
    if isinstance(value, dict):
        return {k: _masked(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v, key) for v in value]
    if isinstance(value, str) and "id_number" in key and value:
        return mask_id_number(value)
    return value


def _member_present(request: Request, caller: Any, member_id: str) -> None:
    """A member's department facts are personal data: a kiosk sees them only within that member's own
    session (opened by the ledger after it verified the member); a counter's clerk has the member in
    front of them. Either way the read counts against the terminal's look-up limits."""
    from ledger import sessions as member_sessions
    from protocol.sessions import SESSION_HEADER

    db, settings = request.app.state.sessions, request.app.state.settings
    if caller.role != "counter":
        current = member_sessions.resolve(db, request.headers.get(SESSION_HEADER), caller.terminal_id)
        if current.member_id != member_id:
            raise LedgerError(403, "session_other_member", "该会话不属于这位缴存职工，已拒绝。",
                              "This session belongs to another member and is refused.")
    member_sessions.record_read(db, caller.terminal_id, "facts", member_id, settings)


def install(app: FastAPI, authenticated: Callable[..., Any], http: HttpPoster | None = None) -> None:
    settings: LedgerSettings = app.state.settings
    app.state.evidence = CentreEvidence(app.state.sessions, ExchangeClient(settings.exchange, http), settings.exchange)
    caller_dep = Annotated[Any, Depends(authenticated)]

    @app.post("/v1/members/{member_id}/facts")
    async def facts(member_id: str, body: FactsIn, caller: caller_dep, request: Request) -> dict[str, Any]:
        """Department facts for a terminal's provisional preview (fetched and recorded by the ledger)."""
        try:
            wtype = WithdrawalType(body.withdrawal_type) if body.withdrawal_type else None
        except ValueError:
            raise bad_request("不支持的提取类型。", "Unknown withdrawal type.") from None
        try:
            authorisation = tx.parse_payload("withdrawal.apply", {
                "withdrawal_type": "rent", "amount_fen": None, "application_no": "preview", "channel": "kiosk",
                "authorisation": body.authorisation}).authorisation  # type: ignore[union-attr]
        except TransactionError as exc:
            raise bad_request(exc.zh, exc.en) from None
        _member_present(request, caller, member_id)
        with request.app.state.sessions() as session:
            member = session.get(Member, member_id)
            if member is None:
                raise LedgerError(404, "unknown_member", "账务中心没有该缴存职工。", "The ledger has no such member.")
            id_number = member.id_number
        purpose = f"preview.{wtype.value}" if wtype else "preview.intake"
        ctx = LookupContext(member_id, id_number, purpose, f"preview-{uuid.uuid4().hex}",
                            caller.terminal_id, "terminal", authorisation)
        topics = WITHDRAWAL_TOPICS.get(wtype, ()) if wtype else INTAKE_TOPICS
        evidence = await run_in_threadpool(request.app.state.evidence.gather, ctx, topics)
        return {"shared": _masked(evidence.shared.to_json()), "unavailable": sorted(evidence.unavailable),
                "authorised": evidence.authorised, "as_of": datetime.now(UTC).isoformat(timespec="seconds")}
