"""The demo's stand-in for the social-insurance and property-registry data links.

The demo seed gives each fictitious member a retirement flag and a home-ownership flag; this
adapter reads them from the ledger database and reports them as the departments would (人社 /
不动产登记), so the kiosk and counter demos and their end-to-end tests can show an instant
approval (秒批). Nothing here is used by a real terminal.
"""

from __future__ import annotations

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from domain.account import AccountSnapshot
from domain.evidence import Department, HomeOwnershipFact, RetirementFact, SharedData
from ledger.models import Member


class DemoSharedData:
    def __init__(self, ledger_db_url: str) -> None:
        self._engine = create_engine(ledger_db_url)

    def facts_for(self, snapshot: AccountSnapshot) -> SharedData:
        with Session(self._engine) as s:
            member = s.scalar(select(Member).where(Member.member_id == snapshot.member.member_id))
            if member is None:
                return SharedData()
            retired, owns_home = member.retired, member.owns_home_in_city
        retirement = RetirementFact(retired=retired, retired_on=None, source=Department.HRSS)
        # the seed only knows "owns a home"; the demo registry names that home after the member
        homes = HomeOwnershipFact(property_ids=(f"DEMO-{snapshot.member.member_id}",) if owns_home else (),
                                  source=Department.PROPERTY_REGISTRY)
        return SharedData(retirement=retirement, homes=homes)

    def close(self) -> None:
        self._engine.dispose()
