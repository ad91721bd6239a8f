"""Where the counter gets facts from other departments (人社, 不动产, 民政 …) and what they prove.

A checklist line is ticked by shared data only when a fact actually arrived from the material's
department (`Material.shared_by`) by data sharing; the line then says which department proved it.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Protocol

from domain.account import AccountSnapshot
from domain.evidence import Department, SharedData


class SharedDataSource(Protocol):
    def facts_for(self, snapshot: AccountSnapshot) -> SharedData: ...


class NoSharedData:
    """No department is connected: the member brings every paper (the truth on such a terminal)."""

    def facts_for(self, snapshot: AccountSnapshot) -> SharedData:
        return SharedData()


def departments_with_facts(shared: SharedData) -> frozenset[Department]:
    """The departments that sent at least one fact by data sharing (paper and clerk checks excluded)."""
    found: set[Department] = set()
    for f in fields(shared):
        value = getattr(shared, f.name)
        for fact in value if isinstance(value, tuple) else (value,):
            source = getattr(fact, "source", None)
            if isinstance(source, Department) and source.is_shared_data:
                found.add(source)
    return frozenset(found)


class DemoSharedData:
    """The demo's stand-in for the departments: reads the seeded ledger's retirement and home flags."""

    def __init__(self, ledger_db_url: str) -> None:
        from sqlalchemy import create_engine

        self._engine = create_engine(ledger_db_url)

    def facts_for(self, snapshot: AccountSnapshot) -> SharedData:
        from sqlalchemy import select
        from sqlalchemy.orm import Session

        from domain.evidence import HomeOwnershipFact, RetirementFact
        from ledger.models import Member

        with Session(self._engine) as s:
            member = s.scalar(select(Member).where(Member.member_id == snapshot.member.member_id))
            if member is None:
                return SharedData()
            retired, owns = member.retired, member.owns_home_in_city
        homes = HomeOwnershipFact(property_ids=(f"DEMO-{snapshot.member.member_id}",) if owns else (),
                                  source=Department.PROPERTY_REGISTRY)
        return SharedData(retirement=RetirementFact(retired=retired, retired_on=None, source=Department.HRSS),
                          homes=homes)

    def close(self) -> None:
        self._engine.dispose()
