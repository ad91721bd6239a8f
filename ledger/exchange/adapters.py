"""One adapter per department topic: the exchange's `facts` as `domain.evidence` facts.

Each adapter takes a verified answer and returns the SharedData fields it fills (a "no record"
answer is a fact too: no home, not retired, not married …). The bank topic answers whether a card
belongs to the member; it fills no SharedData field (`card_owned`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from domain.evidence import (
    ChildrenFact,
    DeathFact,
    Department,
    EmploymentFact,
    HomeOwnershipFact,
    HukouFact,
    IllnessFact,
    MarriageFact,
    PurchaseFact,
    PurchaseKind,
    RetirementFact,
)
from domain.exchange_contract import TOPICS, LookupResponse, Status, Topic

Fields = dict[str, Any]


def _date(value: object) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def _source(answer: LookupResponse) -> Department:
    """The department the registry names for the topic (an answer cannot promote itself to another)."""
    return TOPICS[answer.topic].department


def retirement(answer: LookupResponse) -> Fields:
    f, ok = answer.facts, answer.status is Status.OK
    return {"retirement": RetirementFact(bool(ok and f.get("retired")), _date(f.get("retired_on")) if ok else None,
                                         _source(answer))}


def employment(answer: LookupResponse) -> Fields:
    f, ok = answer.facts, answer.status is Status.OK
    return {"employment": EmploymentFact(bool(ok and f.get("employed")), _date(f.get("ended_on")) if ok else None,
                                         _source(answer))}


def property_ownership(answer: LookupResponse) -> Fields:
    ids = tuple(str(i) for i in answer.facts.get("property_ids", ())) if answer.status is Status.OK else ()
    return {"homes": HomeOwnershipFact(ids, _source(answer))}


def property_registration(answer: LookupResponse) -> Fields:
    if answer.status is not Status.OK:
        return {"purchases": ()}
    purchases = tuple(PurchaseFact(
        property_id=str(p["property_id"]), kind=PurchaseKind(p["kind"]),
        buyer_id_numbers=tuple(p.get("buyer_id_numbers", ())), price=Decimal(str(p["price"])),
        down_payment=Decimal(str(p.get("down_payment", "0"))), loan_amount=Decimal(str(p.get("loan_amount", "0"))),
        dated=date.fromisoformat(p["dated"]), district=str(p.get("district", "")), source=_source(answer))
        for p in answer.facts.get("purchases", ()))
    return {"purchases": purchases}


def marriage(answer: LookupResponse) -> Fields:
    f, ok = answer.facts, answer.status is Status.OK
    return {"marriage": MarriageFact(bool(ok and f.get("married")), str(f.get("spouse_id_number", "")) if ok else "",
                                     "", _source(answer))}


def household(answer: LookupResponse) -> Fields:
    """公安: the household register also knows deaths and the children registered with the member."""
    if answer.status is not Status.OK:
        return {}
    f, src = answer.facts, _source(answer)
    return {"hukou": HukouFact(bool(f.get("hukou_cancelled")), _date(f.get("cancelled_on")),
                               bool(f.get("settled_abroad")), src),
            "death": DeathFact(bool(f.get("deceased")), _date(f.get("died_on")), src),
            "children": ChildrenFact(int(f.get("children", 0)), src)}


def deed_tax(answer: LookupResponse) -> Fields:
    """税务: which properties have deed tax paid; merged into the purchases by `merge`."""
    if answer.status is not Status.OK:
        return {"_deed_tax": {}}
    return {"_deed_tax": {str(r["property_id"]): bool(r["paid"]) for r in answer.facts.get("records", ())}}


def medical_settlement(answer: LookupResponse) -> Fields:
    if answer.status is not Status.OK or not answer.facts.get("settlements"):
        return {}
    s = answer.facts["settlements"][-1]  # the most recent settlement
    return {"illness": IllnessFact(str(s["patient_id_number"]), str(s.get("relation", "self")),
                                   bool(s["listed_illness"]), Decimal(str(s["out_of_pocket"])),
                                   date.fromisoformat(s["settled_on"]), _source(answer),
                                   _source(answer) if s.get("relation", "self") == "self" else None)}


def bank_account(answer: LookupResponse) -> Fields:
    return {"_card_owned": answer.status is Status.OK and bool(answer.facts.get("owner_matches"))}


ADAPTERS: dict[str, Callable[[LookupResponse], Fields]] = {
    Topic.RETIREMENT: retirement,
    Topic.EMPLOYMENT: employment,
    Topic.PROPERTY_OWNERSHIP: property_ownership,
    Topic.PROPERTY_REGISTRATION: property_registration,
    Topic.MARRIAGE: marriage,
    Topic.HOUSEHOLD: household,
    Topic.DEED_TAX: deed_tax,
    Topic.MEDICAL_SETTLEMENT: medical_settlement,
    Topic.BANK_ACCOUNT: bank_account,
}
