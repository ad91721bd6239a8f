"""The loan topics asked by the ledger itself (issue 11): one fresh look-up per question, never cached.

`ask` sends one request through the ledger's exchange client (signatures, timeouts, retries) and
records it in `exchange_lookups` like every other look-up. The credit report is asked only with the
person's signed authorisation (`credit_authorisation`): without it `ask` refuses before anything is
sent, and the simulator (like the real exchange) refuses such a request too.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from domain.exchange_contract import TOPICS, Authorisation, LookupRequest, LookupResponse, Topic
from ledger.errors import LedgerError
from ledger.exchange.client import ExchangeUnavailableError
from ledger.exchange.source import CentreEvidence, LookupContext


class CreditAuthorisationMissingError(LedgerError):
    def __init__(self, who_zh: str, who_en: str) -> None:
        super().__init__(409, "credit_authorisation_missing",
                         f"没有{who_zh}签字的征信查询授权，账务中心不查询征信报告。",
                         f"There is no signed credit-report authorisation of {who_en}; the ledger does not ask "
                         f"for the credit report without it.")


def exchange_down(exc: ExchangeUnavailableError) -> LedgerError:
    return LedgerError(503, "exchange_unavailable", f"数据共享交换平台暂不可用：{exc.zh}。请稍后重试。",
                       f"The data-sharing exchange is unavailable: {exc.en}. Try again later.")


def credit_authorisation(stored: Mapping[str, Any] | None) -> Authorisation | None:
    """The signed authorisation kept at intake (or the spouse step), or None when it lacks a part."""
    if not stored or not str(stored.get("signature", "")).strip() or not str(stored.get("reference", "")).strip():
        return None
    return Authorisation(str(stored.get("method", "counter_form")), str(stored.get("granted_at", "")),
                         str(stored["reference"]), str(stored["signature"]))


def ask(evidence: CentreEvidence, ctx: LookupContext, topic: str,
        params: Mapping[str, str] | None = None) -> LookupResponse:
    """One verified answer (recorded), or ExchangeUnavailableError. Refuses a signed topic without a signature."""
    spec = TOPICS[topic]
    auth = ctx.authorisation
    if spec.signed_authorisation and (auth is None or not auth.signature or not auth.reference):
        raise CreditAuthorisationMissingError("本人", "the person")
    if auth is None:
        raise LedgerError(409, "authorisation_missing", "没有本人授权，不查询共享数据。",
                          "There is no authorisation of the person; nothing is looked up.")
    now = datetime.now(UTC)
    request = LookupRequest(topic, ctx.id_number, ctx.purpose, ctx.case_ref, uuid.uuid4().hex, auth,
                            evidence.settings.requester, ctx.operator, dict(params or {}))
    subject = ""
    try:
        answer = evidence.client.lookup(request)
    except ExchangeUnavailableError as exc:
        evidence._record(ctx, topic, subject, now, outcome=exc.kind, request_id=request.request_id,
                         detail=exc.en[:300])
        raise
    evidence._record(ctx, topic, subject, now, outcome=answer.status.value, request_id=request.request_id,
                     answer=answer)
    return answer


__all__ = ["CreditAuthorisationMissingError", "Topic", "ask", "credit_authorisation", "exchange_down"]
