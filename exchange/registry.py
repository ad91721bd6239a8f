"""What each simulated department knows about the demo people, per topic of the contract."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from domain.demo_people import DEFAULT_SEED, DemoPerson, demo_people
from domain.exchange_contract import LOAN_TOPICS, Status, Topic
from exchange.loans import MortgageDesk
from exchange.loans import answer as loan_answer

Answer = tuple[Status, dict[str, Any]]


def _number(text: str, lo: int, hi: int) -> int:
    """A stable number in [lo, hi] from a text (the same person gets the same figures every run)."""
    return lo + int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16) % (hi - lo + 1)


@dataclass
class DemoRegistry:
    people: dict[str, DemoPerson]
    overrides: dict[tuple[str, str], Answer] = field(default_factory=dict)  # (id number, topic) -> answer
    mortgages: MortgageDesk = field(default_factory=MortgageDesk)  # the registry's mortgage desk (loans)

    @classmethod
    def seeded(cls, members: int = 200, seed: int = DEFAULT_SEED) -> DemoRegistry:
        return cls({p.id_number: p for p in demo_people(members, seed)})

    def answer(self, topic: str, id_number: str, params: dict[str, str]) -> Answer:
        override = self.overrides.get((id_number, topic))
        if override is not None:
            return override
        if topic in LOAN_TOPICS:
            return loan_answer(self.people, self.mortgages, topic, id_number, params)
        person = self.people.get(id_number)
        if person is None:
            return Status.NO_RECORD, {}
        return _ANSWERS[topic](person, params)


def _retirement(p: DemoPerson, _params: dict[str, str]) -> Answer:
    on = p.retired_on
    return Status.OK, {"retired": p.retired, "retired_on": on.isoformat() if on else None}


def _employment(p: DemoPerson, _params: dict[str, str]) -> Answer:
    on = p.retired_on
    return Status.OK, {"employed": not p.retired, "employer": "" if p.retired else p.employer,
                       "ended_on": on.isoformat() if on else None}


def _ownership(p: DemoPerson, _params: dict[str, str]) -> Answer:
    if not p.owns_home_in_city:
        return Status.NO_RECORD, {}  # 无房: the registry holds nothing in the person's name
    return Status.OK, {"property_ids": [p.home_property_id]}


def _registration(p: DemoPerson, _params: dict[str, str]) -> Answer:
    if not p.owns_home_in_city:
        return Status.NO_RECORD, {}
    price = _number(p.id_number + "price", 60, 250) * 10_000
    dated = p.birth_date.replace(year=max(p.birth_date.year + 30, 2000)) + timedelta(days=1)
    return Status.OK, {"purchases": [{
        "property_id": p.home_property_id, "kind": "商品房", "buyer_id_numbers": [p.id_number],
        "price": str(price), "down_payment": str(price * 3 // 10), "loan_amount": str(price - price * 3 // 10),
        "dated": dated.isoformat(), "district": p.region_code}]}


def _marriage(p: DemoPerson, _params: dict[str, str]) -> Answer:
    return Status.OK, {"married": p.married, "spouse_id_number": ""}


def _household(p: DemoPerson, _params: dict[str, str]) -> Answer:
    return Status.OK, {"hukou_cancelled": False, "cancelled_on": None, "settled_abroad": False,
                       "deceased": False, "died_on": None, "children": _number(p.id_number + "kids", 0, 2),
                       "region_code": p.region_code}


def _deed_tax(p: DemoPerson, _params: dict[str, str]) -> Answer:
    if not p.owns_home_in_city:
        return Status.NO_RECORD, {}
    return Status.OK, {"records": [{"property_id": p.home_property_id, "paid": True}]}


def _medical(_p: DemoPerson, _params: dict[str, str]) -> Answer:
    return Status.NO_RECORD, {}  # no demo person has a settled serious illness


def _bank(p: DemoPerson, params: dict[str, str]) -> Answer:
    card = params.get("card_number", "")
    owned = bool(p.card) and card == p.card
    return Status.OK, {"owner_matches": owned, "card_last4": card[-4:], "bank": p.bank if owned else "",
                       "account_status": "normal" if owned else ""}


_ANSWERS: dict[str, Callable[[DemoPerson, dict[str, str]], Answer]] = {
    Topic.RETIREMENT: _retirement,
    Topic.EMPLOYMENT: _employment,
    Topic.PROPERTY_OWNERSHIP: _ownership,
    Topic.PROPERTY_REGISTRATION: _registration,
    Topic.MARRIAGE: _marriage,
    Topic.HOUSEHOLD: _household,
    Topic.DEED_TAX: _deed_tax,
    Topic.MEDICAL_SETTLEMENT: _medical,
    Topic.BANK_ACCOUNT: _bank,
}
