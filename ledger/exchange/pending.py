"""Card signings (联名卡签约) waiting for the bank: asked again until the bank answers.

A `cobranded_card.sign` made while the exchange could not reach the bank is stored as an agreement
with status "pending_bank" and changes nothing. `confirm_pending_cards` (`hpf-ledger confirm-cards`,
run by a timer) asks the bank again for each: confirmed → the card becomes the member's payout card;
not the member's → the signing is refused; no answer → it stays pending for the next run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from domain.exchange_contract import Authorisation, Topic
from ledger.exchange.source import EvidenceSource, LookupContext
from ledger.models import Agreement, Member


@dataclass(frozen=True)
class PendingOutcome:
    signed: int
    refused: int
    still_pending: int


def confirm_pending_cards(sessions: sessionmaker[Session], source: EvidenceSource,
                          operator: str = "ledger-timer") -> PendingOutcome:
    counts: Counter[str] = Counter()
    with sessions() as session:
        pending = [(a.id, a.member_id, dict(a.detail)) for a in session.scalars(select(Agreement).where(
            Agreement.kind == "cobranded_card", Agreement.active.is_(True))).all()
            if a.detail.get("status") == "pending_bank"]
    for agreement_id, member_id, detail in pending:
        card = str(detail.get("card_number", ""))
        with sessions() as session:
            member = session.get(Member, member_id)
            id_number = member.id_number if member is not None else ""
        consent = Authorisation(**detail["authorisation"]) if isinstance(detail.get("authorisation"), dict) else None
        ctx = LookupContext(member_id, id_number, "cobranded_card.confirm", f"agreement-{agreement_id}", operator,
                            "staff", consent)
        evidence = source.gather(ctx, (Topic.BANK_ACCOUNT,), {Topic.BANK_ACCOUNT: {"card_number": card}})
        if evidence.card_owned is None:
            counts["still_pending"] += 1
            continue
        with sessions.begin() as session:
            agreement = session.get(Agreement, agreement_id, with_for_update=True)
            member = session.get(Member, member_id, with_for_update=True)
            if agreement is None or member is None or agreement.detail.get("status") != "pending_bank":
                continue  # another run got there first
            rest = {k: v for k, v in agreement.detail.items() if k not in ("card_number", "status")}
            if evidence.card_owned:
                member.cobranded_bank, member.cobranded_card = str(detail.get("bank", "")), card
                agreement.detail = {**rest, "status": "signed"}
                counts["signed"] += 1
            else:
                agreement.detail, agreement.active = {**rest, "status": "refused_by_bank"}, False
                counts["refused"] += 1
    return PendingOutcome(counts["signed"], counts["refused"], counts["still_pending"])
