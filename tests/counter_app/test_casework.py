"""Case work without a window: fraud signals route a case to a supervisor with the numbers that raised them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher, profiles

from counter_app.casework import CaseDesk, Member
from counter_app.desk import Desk, DeskSettings
from domain.account import AccountSnapshot
from domain.catalogue import load_catalogue
from domain.evidence import SharedData
from domain.staff import StaffRole
from domain.withdrawals.policy import load_withdrawal_policy
from domain.workdays import WorkCalendar
from sync.staff_store import StaffStore
from sync.store import open_store
from tests.domain.withdrawal_builders import NO_HOME, account, deposits, shared, snapshot


@dataclass
class FakeRuntime:
    """Only what the desk calls: enqueue (recorded) and the member's snapshot."""

    snap: AccountSnapshot
    sent: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def enqueue(self, kind: str, payload: dict[str, Any], *, member_id: str | None = None) -> None:
        self.sent.append((kind, payload))

    def account_snapshot(self, member_id: str) -> AccountSnapshot:
        return self.snap


class Facts:
    def __init__(self, data: SharedData) -> None:
        self.data = data

    def facts_for(self, snapshot: AccountSnapshot) -> SharedData:
        return self.data


def test_a_rent_claim_three_months_after_the_first_deposit_goes_to_a_supervisor(tmp_path: Path) -> None:
    new_account = snapshot(account(opened_on=date(2026, 8, 1), balance=account().balance),
                           deps=deposits(4, upto="2026-10"))
    runtime = FakeRuntime(new_account)
    staff = StaffStore(open_store(tmp_path / "t.db"), "T1", hasher=PasswordHasher.from_parameters(profiles.CHEAPEST))
    staff.add_account("clerk-01", "王柜员", StaffRole.CLERK, "Clerk-2026")
    desk = Desk(DeskSettings("T1", "大厅", "3"), staff, load_catalogue(), WorkCalendar(), load_withdrawal_policy(),
                runtime, clock=lambda: datetime(2026, 11, 20, 2, 0, tzinfo=UTC))
    assert desk.sign_in("clerk-01", "Clerk-2026").ok
    cases = CaseDesk(desk, Facts(shared(homes=NO_HOME)))
    member = Member(new_account.member.member_id, new_account.member.id_number, "张三", new_account, True)
    intake = cases.start(member, "withdraw_rent")
    result = cases.decide(intake)
    fraud = [r for r in result.reasons if r.rule.startswith("fraud.")]
    assert [r.rule for r in fraud] == ["fraud.soon_after_deposits"], [r.zh for r in result.reasons]
    assert result.kind == "routed" and fraud[0].zh.startswith("首次缴存于")
    record = staff.case(intake.case_id) or {}
    assert record["status"] == "routed" and record["fraud"] == [fraud[0].zh]
    assert "withdrawal" in record  # kept for the supervisor's approval; nothing paid yet
    assert [k for k, _p in runtime.sent].count("withdrawal.apply") == 0
    actions = [p["action"] for k, p in runtime.sent if k == "case.action"]
    assert actions == ["open", "submit", "accept", "assign"]
