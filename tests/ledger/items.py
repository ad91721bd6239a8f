"""Builders of wire-format transaction items and pickers of seeded members for the ledger tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ledger.models import Account, Loan, Member
from protocol.sessions import PROOF_FIELD, PROOF_KINDS
from tests.ledger.memberproof import qr_proof

# The member's consent to the department look-ups, as a kiosk sends it with an application. The
# facts themselves come from the exchange (the simulator knows the same demo people as the seed).
AUTHORISED = {"method": "kiosk_confirm", "granted_at": "2026-12-01T08:00:00+00:00", "reference": "test"}
# What a forged payload claims: the ledger must never read it.
CLAIMS_NO_HOME_UNMARRIED = {
    "homes": {"property_ids": [], "source": "不动产登记"},
    "marriage": {"married": False, "spouse_id_number": "", "spouse_member_id": "", "source": "民政"},
}


_PROOFS: dict[str, dict[str, str]] = {}  # one proof per idempotency key: a resent item is the same item


def item(kind: str, payload: dict[str, Any], member_id: str | None = None, key: str | None = None,
         created_at: str | None = None, *, proof: bool = True) -> dict[str, Any]:
    """A wire item; a money-moving one carries the member's QR-token proof unless `proof=False`."""
    key = key or uuid.uuid4().hex
    if proof and kind in PROOF_KINDS and member_id and PROOF_FIELD not in payload:
        payload = {**payload, PROOF_FIELD: _PROOFS.setdefault(f"{key}/{member_id}", qr_proof(member_id))}
    return {"idempotency_key": key, "kind": kind, "member_id": member_id,
            "created_at": created_at or datetime.now(UTC).isoformat(), "payload": payload}


def rent(member_id: str, amount_fen: int, key: str | None = None, *, proof: bool = True,
         **extra: Any) -> dict[str, Any]:
    payload = {"withdrawal_type": "rent", "amount_fen": amount_fen, "application_no": f"TQ-{uuid.uuid4().hex[:8]}",
               "channel": "kiosk", "authorisation": AUTHORISED, **extra}
    return item("withdrawal.apply", payload, member_id, key, proof=proof)


def rating(score: int = 5, key: str | None = None) -> dict[str, Any]:
    return item("rating", {"score": score, "service_item": "租房提取", "channel": "kiosk"}, None, key)


def clean_members(sessions: sessionmaker[Session], *, loans: bool = False, limit: int = 10) -> list[Member]:
    """Members with a normal, unfrozen, unpledged account, a signed card, no home in the city (the registry
    the exchange simulator plays agrees with the seed) and (by default) no loan."""
    with sessions() as session:
        query = (select(Member).join(Account, Account.member_id == Member.member_id)
                 .where(Account.status_code == "01", Account.frozen.is_(False), Account.pledged.is_(False),
                        Member.cobranded_card != "", Member.owns_home_in_city.is_(False),
                        Account.balance_fen > 3_000_000))
        with_loan = select(Loan.member_id)
        query = query.where(Member.member_id.in_(with_loan) if loans else Member.member_id.not_in(with_loan))
        return list(session.scalars(query.order_by(Member.member_id).limit(limit)).all())


def balance(sessions: sessionmaker[Session], member_id: str) -> int:
    with sessions() as session:
        account = session.scalars(select(Account).where(Account.member_id == member_id)).one()
        return account.balance_fen


def tell(exchange_app: Any, id_number: str, topic: str, facts: dict[str, Any], status: str = "ok") -> None:
    """What the simulated department answers about one person from now on."""
    from domain.exchange_contract import Status

    exchange_app.state.sim.registry.overrides[(id_number, topic)] = (Status(status), facts)


def exchange_mode(exchange_app: Any, mode: str) -> None:
    from exchange.app import Mode

    exchange_app.state.sim.mode = Mode(mode)
DEMO_STAFF_PASSWORDS = {"clerk-01": "Clerk-2026", "clerk-02": "Clerk2-2026", "supervisor-01": "Super-2026",
                        "tech-01": "Tech-2026"}


def staff_sign_in(client: Any, username: str, password: str | None = None) -> dict[str, Any]:
    """Sign a demo staff member in at the client's counter (the ledger then accepts their actions)."""
    response = client.post("/v1/staff/sign-in",
                           {"username": username, "password": password or DEMO_STAFF_PASSWORDS[username]})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
