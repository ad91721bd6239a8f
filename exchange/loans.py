"""The loan topics of the exchange simulator: 征信, 网签合同, 不动产 by certificate or address, and the
mortgage registration (a write answered with a receipt, registered later by `MortgageDesk`)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from domain import demo_loans
from domain.demo_people import DemoPerson
from domain.exchange_contract import Status, Topic

Answer = tuple[Status, dict[str, Any]]


@dataclass
class Mortgage:
    receipt_no: str
    id_number: str
    certificate_no: str
    loan_amount_fen: int
    contract_no: str
    requested_at: float
    polls: int = 0
    registered_at: str = ""


@dataclass
class MortgageDesk:
    """The registry's mortgage desk: a request gets a receipt at once; it is registered once `delay_s` has
    passed since the request (when a delay is set), else at the `complete_on_poll`-th status poll (0 = never
    by polls), or whenever an admin completes it (POST /admin/mortgages/{receipt}/complete)."""

    delay_s: float = 0.0
    complete_on_poll: int = 1
    clock: Callable[[], float] = time.monotonic
    items: dict[str, Mortgage] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def request(self, id_number: str, params: dict[str, str]) -> Answer:
        with self._lock:
            # the same mortgage asked twice (a retry) keeps its one receipt
            for m in self.items.values():
                if (m.id_number, m.certificate_no, m.contract_no) == (
                        id_number, params["certificate_no"], params["contract_no"]):
                    return Status.OK, self._facts(m)
            receipt = f"DY{len(self.items) + 1:08d}"
            try:
                amount = int(params["loan_amount_fen"])
            except ValueError:
                return Status.NO_RECORD, {"refused": "loan_amount_fen is not a number"}
            m = Mortgage(receipt, id_number, params["certificate_no"], amount, params["contract_no"], self.clock())
            self.items[receipt] = m
            return Status.OK, self._facts(m)

    def status(self, id_number: str, receipt_no: str) -> Answer:
        with self._lock:
            m = self.items.get(receipt_no)
            if m is None or m.id_number != id_number:
                return Status.NO_RECORD, {}
            m.polls += 1
            if self.delay_s > 0:
                due = self.clock() - m.requested_at >= self.delay_s
            else:
                due = bool(self.complete_on_poll) and m.polls >= self.complete_on_poll
            if not m.registered_at and due:
                m.registered_at = datetime.now(UTC).isoformat(timespec="seconds")
            return Status.OK, self._facts(m)

    def complete(self, receipt_no: str) -> bool:
        with self._lock:
            m = self.items.get(receipt_no)
            if m is None:
                return False
            m.registered_at = m.registered_at or datetime.now(UTC).isoformat(timespec="seconds")
            return True

    @staticmethod
    def _facts(m: Mortgage) -> dict[str, Any]:
        registered = bool(m.registered_at)
        return {"receipt_no": m.receipt_no, "status": "registered" if registered else "pending",
                "certificate_no": m.certificate_no, "loan_amount_fen": m.loan_amount_fen,
                "registered_at": m.registered_at or None,
                "registration_no": f"晋(2026)太原市不动产证明第{m.receipt_no[2:]}号" if registered else ""}


def _by_contract(people: dict[str, DemoPerson], contract_no: str) -> tuple[DemoPerson, bool] | None:
    if not contract_no.startswith(demo_loans.CONTRACT_PREFIX):
        return None
    mortgaged = contract_no.endswith(demo_loans.MORTGAGED_SUFFIX)
    member_id = contract_no[len(demo_loans.CONTRACT_PREFIX):].removesuffix(demo_loans.MORTGAGED_SUFFIX)
    person = next((p for p in people.values() if p.member_id == member_id), None)
    return (person, mortgaged) if person is not None else None


def answer(people: dict[str, DemoPerson], desk: MortgageDesk, topic: str, id_number: str,
           params: dict[str, str]) -> Answer:
    """An answer of a loan topic (the caller has applied the admin overrides already)."""
    if topic == Topic.CREDIT_REPORT:
        person = people.get(id_number)
        return (Status.OK, demo_loans.credit_report(person)) if person else (Status.NO_RECORD, {})
    if topic == Topic.PURCHASE_CONTRACT:
        found = _by_contract(people, params.get("contract_no", ""))
        if found is None or found[0].id_number != id_number:
            return Status.NO_RECORD, {}  # no such contract, or the asker is not its buyer
        return Status.OK, demo_loans.purchase_contract(found[0], mortgaged=found[1])
    if topic == Topic.PROPERTY:
        wanted = (params.get("certificate_no", ""), params.get("address", ""))
        for person in people.values():
            for mortgaged in (False, True):
                home = demo_loans.home_for(person, mortgaged=mortgaged)
                if home.certificate_no == wanted[0] or (wanted[1] and home.address == wanted[1]):
                    return Status.OK, demo_loans.property_record(person, mortgaged=mortgaged)
        return Status.NO_RECORD, {}
    if topic == Topic.MORTGAGE_REGISTRATION:
        return desk.request(id_number, params)
    if topic == Topic.MORTGAGE_STATUS:
        return desk.status(id_number, params.get("receipt_no", ""))
    raise KeyError(topic)
