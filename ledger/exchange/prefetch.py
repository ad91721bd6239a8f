"""Which department facts an application needs, fetched before its database transaction opens.

`prefetch` runs in `ledger.service` for the kinds that need the exchange (withdrawals; card
signing's bank check). It reads the member's ID number and card on file, asks the evidence
source for the topics of the withdrawal type (plus the bank's ownership check of a payout card
that is not the card on file), and hands the `Evidence` to the handler in `ledger.rules`. An item
whose key the ledger has already answered is not looked up again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from domain import transactions as tx
from domain.exchange_contract import Topic
from domain.transactions import TransactionError
from domain.withdrawals import WithdrawalType
from ledger.exchange.source import Evidence, EvidenceSource, LookupContext, NoExchange
from ledger.models import Member, Transaction

_T = Topic
# The topics each withdrawal type's rules read (domain.withdrawals: which SharedData fields a type uses).
WITHDRAWAL_TOPICS: Mapping[WithdrawalType, tuple[str, ...]] = {
    WithdrawalType.RETIREMENT: (_T.RETIREMENT,),
    WithdrawalType.LEAVE_EMPLOYMENT: (_T.EMPLOYMENT, _T.HOUSEHOLD),
    WithdrawalType.RENT: (_T.PROPERTY_OWNERSHIP, _T.MARRIAGE),
    WithdrawalType.PROPERTY_FEE: (_T.PROPERTY_OWNERSHIP, _T.MARRIAGE),
    WithdrawalType.PURCHASE_ONLINE_CONTRACT: (_T.PROPERTY_REGISTRATION, _T.PROPERTY_OWNERSHIP, _T.MARRIAGE,
                                              _T.HOUSEHOLD),
    WithdrawalType.PURCHASE_CERTIFICATE_NEW: (_T.PROPERTY_REGISTRATION, _T.PROPERTY_OWNERSHIP, _T.MARRIAGE,
                                              _T.HOUSEHOLD, _T.DEED_TAX),
    WithdrawalType.PURCHASE_CERTIFICATE_SECOND_HAND: (_T.PROPERTY_REGISTRATION, _T.PROPERTY_OWNERSHIP, _T.MARRIAGE,
                                                      _T.HOUSEHOLD, _T.DEED_TAX),
    WithdrawalType.PURCHASE_CERTIFICATE_PUBLIC: (_T.PROPERTY_REGISTRATION, _T.PROPERTY_OWNERSHIP, _T.MARRIAGE,
                                                 _T.HOUSEHOLD, _T.DEED_TAX),
    WithdrawalType.REPAY_COMMERCIAL_LOAN: (_T.PROPERTY_REGISTRATION, _T.MARRIAGE),
    WithdrawalType.REPAY_HPF_LOAN: (),  # the fund's own loan: the ledger's own data
    WithdrawalType.ILLNESS: (_T.MEDICAL_SETTLEMENT, _T.MARRIAGE),
    WithdrawalType.SETTLE_ABROAD: (_T.HOUSEHOLD,),
    WithdrawalType.DEATH: (_T.HOUSEHOLD,),
}
EVIDENCE_KINDS = frozenset({"withdrawal.apply", "cobranded_card.sign"})


def _plan(payload: Any, card_on_file: str) -> tuple[str, tuple[str, ...], dict[str, dict[str, str]]]:
    """(purpose, topics, params) of one parsed payload."""
    if isinstance(payload, tx.WithdrawalApply):
        topics = WITHDRAWAL_TOPICS.get(payload.withdrawal_type, ())
        params: dict[str, dict[str, str]] = {}
        if payload.payout_card and payload.payout_card != card_on_file:
            topics = (*topics, Topic.BANK_ACCOUNT)
            params[Topic.BANK_ACCOUNT] = {"card_number": payload.payout_card}
        return f"withdrawal.{payload.withdrawal_type.value}", topics, params
    assert isinstance(payload, tx.CobrandedCardSign)
    return "cobranded_card.sign", (Topic.BANK_ACCOUNT,), {Topic.BANK_ACCOUNT: {"card_number": payload.card_number}}


def prefetch(sessions: sessionmaker[Session], source: EvidenceSource | None, terminal_id: str, key: str,
             kind: str, member_id: object, payload: object, *, known_new: bool = False) -> Evidence | None:
    """The evidence for one item, or None when it needs none (or will be refused or answered from storage).

    `known_new`: the caller has already looked the key up (one query for its whole batch) and found nothing."""
    if kind not in EVIDENCE_KINDS or not isinstance(member_id, str):
        return None
    try:
        parsed = tx.parse_payload(kind, payload)
    except TransactionError:
        return None  # refused by the pure checks: nothing to look up
    with sessions() as session:
        if not known_new and session.scalar(
                select(Transaction.id).where(Transaction.idempotency_key == key)) is not None:
            return None
        member = session.get(Member, member_id)
        if member is None:
            return None
        id_number, card_on_file = member.id_number, member.cobranded_card
    purpose, topics, params = _plan(parsed, card_on_file)
    authorisation = getattr(parsed, "authorisation", None)
    ctx = LookupContext(member_id, id_number, purpose, key, terminal_id, "terminal", authorisation)
    return (source or NoExchange()).gather(ctx, topics, params, defer_cache_records=True)


@dataclass(frozen=True)
class Wanted:
    """One item of a batch that may need department facts."""

    key: str
    kind: str
    member_id: object
    payload: object


def prefetch_batch(sessions: sessionmaker[Session], source: EvidenceSource | None, terminal_id: str,
                   wanted: Sequence[Wanted], between: Callable[[], None] | None = None,
                   parsed_out: dict[int, Any] | None = None) -> list[Evidence | None | BaseException]:
    """`prefetch(..., known_new=True)` of every item of a batch, in order: one query for their members, and the
    exchange's cache read once for all of them (`CentreEvidence.gather_many`) instead of once per item. An
    item whose look-up crashed gets its exception in its place (the caller answers that item alone).
    `parsed_out` receives the payloads parsed on the way, by index (the caller need not parse them again)."""
    out: list[Evidence | None | BaseException] = [None] * len(wanted)
    parsed: dict[int, Any] = {}
    for index, w in enumerate(wanted):
        if w.kind in EVIDENCE_KINDS and isinstance(w.member_id, str):
            try:
                parsed[index] = tx.parse_payload(w.kind, w.payload)
            except TransactionError:
                continue  # refused by the pure checks: nothing to look up
            except Exception as exc:
                out[index] = exc
    if parsed_out is not None:
        parsed_out.update(parsed)
    if not parsed:
        return out
    ids = list({str(wanted[i].member_id) for i in parsed})
    known: dict[str, tuple[str, str]] = {}
    with sessions() as session:
        for start in range(0, len(ids), 500):
            for member_id, id_number, card in session.execute(
                    select(Member.member_id, Member.id_number, Member.cobranded_card)
                    .where(Member.member_id.in_(ids[start:start + 500]))):
                known[member_id] = (id_number, card)
    requests: list[tuple[int, LookupContext, tuple[str, ...], dict[str, dict[str, str]]]] = []
    for index, payload in parsed.items():
        w = wanted[index]
        member = known.get(str(w.member_id))
        if member is None:
            continue
        purpose, topics, params = _plan(payload, member[1])
        ctx = LookupContext(str(w.member_id), member[0], purpose, w.key, terminal_id, "terminal",
                            getattr(payload, "authorisation", None))
        requests.append((index, ctx, topics, params))
    src = source or NoExchange()
    many = getattr(src, "gather_many", None)
    if many is not None:
        try:
            for (index, *_), evidence in zip(requests, many([r[1:] for r in requests], between), strict=True):
                out[index] = evidence
            return out
        except OperationalError:
            raise
        except Exception:  # noqa: S110 - one look-up crashed: ask one by one, so only that item fails
            pass
    for index, ctx, topics, params in requests:
        if between is not None:
            between()
        try:
            out[index] = src.gather(ctx, topics, params, defer_cache_records=True)
        except OperationalError:
            raise
        except Exception as exc:
            out[index] = exc
    return out
