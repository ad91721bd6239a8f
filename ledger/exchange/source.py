"""The centre's SharedDataSource: facts fetched from the exchange, cached per topic, every use recorded.

`CentreEvidence.gather` is called by the ledger before it opens the database transaction of an
item (no row is locked while the exchange is asked). For each topic it reuses the newest answer
younger than the topic's age limit (`ExchangeSettings.max_age_s`), else asks the exchange; every
use is a row of `exchange_lookups`, committed on its own. A topic the exchange could not answer
is listed in `Evidence.unavailable`: the rules route such a case to a clerk and never decide it on
stale facts. Without the member's authorisation nothing is asked at all.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from domain.evidence import Department, SharedData
from domain.exchange_contract import Authorisation, LookupRequest, LookupResponse, Status, canonical
from ledger.exchange.adapters import ADAPTERS
from ledger.exchange.client import ExchangeClient, ExchangeUnavailableError
from ledger.exchange.settings import ExchangeSettings
from ledger.models_exchange import ExchangeLookup


@dataclass(frozen=True)
class LookupContext:
    """Who asks, why, for which case, and the member's authorisation (None: the member gave none)."""

    member_id: str
    id_number: str
    purpose: str
    case_ref: str
    operator: str
    operator_kind: str = "terminal"  # terminal | staff
    authorisation: Authorisation | None = None


@dataclass(frozen=True)
class Evidence:
    shared: SharedData = field(default_factory=SharedData)
    unavailable: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # topic -> (zh, en)
    card_owned: bool | None = None  # bank check of a payout card; None when not asked or not answered
    authorised: bool = True
    # Cache uses not yet written (gather(..., defer_cache_records=True)): the caller adds them to the
    # item's own transaction, so a fresh answer costs no commit of its own (ledger.service).
    deferred: tuple[dict[str, Any], ...] = ()

    def deferred_rows(self) -> list[ExchangeLookup]:
        return [ExchangeLookup(**row) for row in self.deferred]

    @property
    def complete(self) -> bool:
        return not self.unavailable

    def unavailable_reason(self) -> tuple[str, str]:
        zh = "；".join(f"{t}：{r[0]}" for t, r in self.unavailable.items())
        en = "; ".join(f"{t}: {r[1]}" for t, r in self.unavailable.items())
        return zh, en


class EvidenceSource(Protocol):
    def gather(self, ctx: LookupContext, topics: Sequence[str],
               params: Mapping[str, Mapping[str, str]] | None = None, *,
               defer_cache_records: bool = False) -> Evidence: ...


class NoExchange:
    """No exchange configured: every topic is unavailable (cases go to a clerk)."""

    def gather(self, ctx: LookupContext, topics: Sequence[str],
               params: Mapping[str, Mapping[str, str]] | None = None, *,
               defer_cache_records: bool = False) -> Evidence:
        reason = ("未配置数据共享交换平台", "no data-sharing exchange is configured")
        return Evidence(unavailable={t: reason for t in topics}, authorised=ctx.authorisation is not None)


Fields = dict[str, Any]


class _Answer(NamedTuple):
    """A recorded answer of the exchange, as the cache serves it (the columns of `_ANSWER_COLUMNS`)."""

    request_id: str
    outcome: str
    facts: dict[str, Any]
    source: str
    as_of: datetime | None
    signature: str


_ANSWER_COLUMNS = (ExchangeLookup.request_id, ExchangeLookup.outcome, ExchangeLookup.facts, ExchangeLookup.source,
                   ExchangeLookup.as_of, ExchangeLookup.signature)


class _Served:
    """What a batch's look-ups built from the cache, reused by its later items of the same member (usually a
    few per request): per cached row (kept alive here, so its id() is not reused) its answer and adapted
    fields, and per combination of cached rows the SharedData and bank check they make. Each item still gets
    its own record of every cache use (`_record`): only the building of identical facts is shared."""

    __slots__ = ("answers", "evidence")

    def __init__(self) -> None:
        self.answers: dict[int, tuple[_Answer, LookupResponse, Fields]] = {}
        self.evidence: dict[tuple[int, ...], tuple[SharedData, bool | None]] = {}


def _subject(params: Mapping[str, str]) -> str:
    return hashlib.sha256(canonical(dict(params))).hexdigest()[:32] if params else ""


class CentreEvidence:
    def __init__(self, sessions: sessionmaker[Session], client: ExchangeClient, settings: ExchangeSettings,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.sessions, self.client, self.settings, self.clock = sessions, client, settings, clock

    def gather(self, ctx: LookupContext, topics: Sequence[str],
               params: Mapping[str, Mapping[str, str]] | None = None, *,
               defer_cache_records: bool = False) -> Evidence:
        if ctx.authorisation is None:
            return Evidence(authorised=False)
        wanted = list(dict.fromkeys(topics))
        return self._gather(ctx, wanted, params, defer_cache_records,
                            self._fresh_answers([ctx.member_id], wanted, self.clock()).get(ctx.member_id, {}))

    def gather_many(self, requests: Sequence[tuple[LookupContext, Sequence[str], Mapping[str, Mapping[str, str]]]],
                    between: Callable[[], None] | None = None) -> list[Evidence]:
        """`gather(..., defer_cache_records=True)` of many look-ups (a batch of the ledger's ingest): the cache
        is read with ONE query for all their members (`between` runs before each look-up); an answer fetched
        for one look-up serves the later ones of the same member and topic, as it would if they were gathered
        one after another."""
        wanted = [list(dict.fromkeys(topics)) for _, topics, _ in requests]
        members = list(dict.fromkeys(ctx.member_id for ctx, _, _ in requests if ctx.authorisation is not None))
        topics_all = list(dict.fromkeys(t for w in wanted for t in w))
        fresh = self._fresh_answers(members, topics_all, self.clock()) if members else {}
        served = _Served()
        out = []
        for (ctx, _, params), topics in zip(requests, wanted, strict=True):
            if between is not None:
                between()  # e.g. give way to an online request (ledger.service.GiveWay)
            if ctx.authorisation is None:
                out.append(Evidence(authorised=False))
                continue
            out.append(self._gather(ctx, topics, params, True, fresh.setdefault(ctx.member_id, {}), served))
        return out

    def _gather(self, ctx: LookupContext, wanted: list[str], params: Mapping[str, Mapping[str, str]] | None,
                defer_cache_records: bool, fresh: dict[tuple[str, str], _Answer],
                served: _Served | None = None) -> Evidence:
        served = served if served is not None else _Served()
        fields: dict[str, Any] = {}
        unavailable: dict[str, tuple[str, str]] = {}
        deferred: list[dict[str, Any]] | None = [] if defer_cache_records else None
        used: list[int] = []  # the cached rows that served this item, when every topic was served from the cache
        for topic in wanted:
            topic_params = dict((params or {}).get(topic, {}))
            try:
                answer, adapted, row_id = self._answer(ctx, topic, topic_params, deferred, fresh, served)
            except ExchangeUnavailableError as exc:
                unavailable[topic] = (exc.zh, exc.en)
                continue
            used.append(row_id)
            fields.update(adapted)
        key = tuple(used) if len(used) == len(wanted) and 0 not in used else None
        if key is not None and key in served.evidence:  # the same cached answers as an earlier item of the batch
            same, owned = served.evidence[key]
            return Evidence(same, unavailable, owned, deferred=tuple(deferred or ()))
        deed_tax: dict[str, bool] = fields.pop("_deed_tax", {})
        card_owned: bool | None = fields.pop("_card_owned", None)
        shared = SharedData(**fields)
        if deed_tax and shared.purchases:  # 税务's deed-tax records complete the registry's purchases
            shared = replace(shared, purchases=tuple(
                replace(p, deed_tax_paid=deed_tax[p.property_id], deed_tax_source=Department.TAX)
                if p.property_id in deed_tax else p for p in shared.purchases))
        if key is not None:
            served.evidence[key] = (shared, card_owned)
        return Evidence(shared, unavailable, card_owned, deferred=tuple(deferred or ()))

    def _answer(self, ctx: LookupContext, topic: str, params: dict[str, str],
                deferred: list[dict[str, Any]] | None, fresh: dict[tuple[str, str], _Answer],
                served: _Served) -> tuple[LookupResponse, Fields, int]:
        """The answer, its adapted SharedData fields, and id() of the cached row that served it (0: asked now)."""
        now = self.clock()
        subject = _subject(params)
        cached = self._cached(ctx, topic, subject, now, deferred, fresh, served)
        if cached is not None:
            return cached
        request = LookupRequest(topic, ctx.id_number, ctx.purpose, ctx.case_ref, uuid.uuid4().hex,
                                ctx.authorisation or Authorisation("none", ""), self.settings.requester,
                                ctx.operator, params)
        try:
            answer = self.client.lookup(request)
        except ExchangeUnavailableError as exc:
            self._record(ctx, topic, subject, now, outcome=exc.kind, request_id=request.request_id,
                         detail=exc.en[:300])
            raise
        row = self._record(ctx, topic, subject, now, outcome=answer.status.value, request_id=request.request_id,
                           answer=answer)
        if (self.settings.max_age(topic) > 0 and answer.status in (Status.OK, Status.NO_RECORD)
                and answer.as_of >= now - timedelta(seconds=self.settings.max_age(topic))):
            fresh[(topic, subject)] = _Answer(row["request_id"], row["outcome"], row["facts"], row["source"],
                                              row["as_of"], row["signature"])  # serves the member's later look-ups
        return answer, ADAPTERS[topic](answer), 0

    def _fresh_answers(self, member_ids: Sequence[str], topics: Sequence[str],
                       now: datetime) -> dict[str, dict[tuple[str, str], _Answer]]:
        """The newest answer younger than its topic's age limit, per member and (topic, subject): one query (of the
        columns an answer needs, as plain rows: no ORM object per recorded answer)."""
        cacheable = [t for t in topics if self.settings.max_age(t) > 0]
        if not cacheable:
            return {}
        oldest = now - timedelta(seconds=max(self.settings.max_age(t) for t in cacheable))
        found: dict[str, dict[tuple[str, str], _Answer]] = {}
        with self.sessions() as session:
            for start in range(0, len(member_ids), 500):
                rows = session.execute(select(
                    ExchangeLookup.member_id, ExchangeLookup.topic, ExchangeLookup.subject, *_ANSWER_COLUMNS).where(
                    ExchangeLookup.member_id.in_(member_ids[start:start + 500]),
                    ExchangeLookup.topic.in_(cacheable), ExchangeLookup.from_cache.is_(False),
                    ExchangeLookup.outcome.in_((Status.OK.value, Status.NO_RECORD.value)),
                    ExchangeLookup.as_of >= oldest)
                    .order_by(ExchangeLookup.at.desc(), ExchangeLookup.id.desc())).all()
                for member_id, topic, subject, *answer in rows:
                    row = _Answer(*answer)
                    if row.as_of is not None and row.as_of >= now - timedelta(seconds=self.settings.max_age(topic)):
                        found.setdefault(member_id, {}).setdefault((topic, subject), row)
        return found

    def _cached(self, ctx: LookupContext, topic: str, subject: str, now: datetime,
                deferred: list[dict[str, Any]] | None, fresh: Mapping[tuple[str, str], _Answer],
                served: _Served) -> tuple[LookupResponse, Fields, int] | None:
        row = fresh.get((topic, subject))
        if row is None or row.as_of is None:
            return None
        known = served.answers.get(id(row))
        if known is None or known[0] is not row or known[1].id_number != ctx.id_number:
            answer = LookupResponse(row.request_id, topic, ctx.id_number, Status(row.outcome), dict(row.facts),
                                    row.source, row.as_of, row.signature)
            known = served.answers[id(row)] = (row, answer, ADAPTERS[topic](answer))
        _, answer, adapted = known
        self._record(ctx, topic, subject, now, outcome=row.outcome, request_id=row.request_id, answer=answer,
                     from_cache=True, deferred=deferred)
        return answer, adapted, id(row)

    def _record(self, ctx: LookupContext, topic: str, subject: str, at: datetime, *, outcome: str,
                request_id: str, answer: LookupResponse | None = None, from_cache: bool = False,
                detail: str = "", deferred: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        row = dict(
            at=at, member_id=ctx.member_id, topic=topic, subject=subject, purpose=ctx.purpose[:80],
            case_ref=ctx.case_ref[:100], operator=ctx.operator[:64], operator_kind=ctx.operator_kind,
            authorisation=ctx.authorisation.to_json() if ctx.authorisation else {}, outcome=outcome,
            from_cache=from_cache, request_id=request_id, facts=answer.facts if answer else {},
            source=answer.source[:40] if answer else "", as_of=answer.as_of if answer else None,
            signature=answer.signature if answer else "", detail=detail)
        if deferred is not None:  # a cache use: written with the item it serves
            deferred.append(row)
            return row
        with self.sessions.begin() as session:  # a real look-up: recorded at once, whatever happens next
            session.add(ExchangeLookup(**row))
        return row

