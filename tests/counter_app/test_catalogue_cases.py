"""Issue 11: every 最多跑一次 item of the catalogue through the ONE catalogue-driven counter path.

No screen per item: the checklist comes from the catalogue (an employer's agent first), an
incomplete intake gets the one-time notice with every missing material and the item's time limit,
a complete one is decided by the role the catalogue names; a clerk cannot approve a supervisor's
case. Domain + case-work level, no window (the Qt walk is test_catalogue_intake_qt.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher, profiles

from counter_app.casework import CaseDesk, LineState, Member
from counter_app.desk import Desk, DeskSettings
from domain.account import AccountSnapshot
from domain.catalogue import Audience, Decider, ServiceChannel, load_catalogue
from domain.evidence import SharedData
from domain.staff import PermissionDeniedError, StaffRole
from domain.withdrawals.policy import load_withdrawal_policy
from domain.workdays import WorkCalendar
from sync.staff_store import StaffStore
from sync.store import open_store
from tests.domain.withdrawal_builders import snapshot

CAT = load_catalogue()
ONE_TRIP = sorted(i.code for i in CAT.services() if i.channel is ServiceChannel.ONE_TRIP)
# 2026-11-20 10:00 Beijing, a Friday
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


@dataclass
class FakeRuntime:
    snap: AccountSnapshot
    sent: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def enqueue(self, kind: str, payload: dict[str, Any], *, member_id: str | None = None) -> None:
        self.sent.append((kind, payload))

    def account_snapshot(self, member_id: str) -> AccountSnapshot:
        return self.snap


class NoFacts:
    def facts_for(self, snapshot: AccountSnapshot) -> SharedData:
        return SharedData()


def _desk(tmp_path: Path) -> tuple[Desk, StaffStore, FakeRuntime]:
    snap = snapshot()
    runtime = FakeRuntime(snap)
    staff = StaffStore(open_store(tmp_path / "t.db"), "T1", hasher=PasswordHasher.from_parameters(profiles.CHEAPEST))
    staff.add_account("clerk-01", "王柜员", StaffRole.CLERK, "Clerk-2026")
    staff.add_account("sup-01", "李主管", StaffRole.SUPERVISOR, "Super-2026")
    desk = Desk(DeskSettings("T1", "大厅", "3"), staff, CAT, WorkCalendar(), load_withdrawal_policy(), runtime,
                clock=lambda: NOW)
    assert desk.sign_in("clerk-01", "Clerk-2026").ok
    return desk, staff, runtime


def test_sixteen_one_trip_items() -> None:
    assert len(ONE_TRIP) == 16


@pytest.mark.parametrize("code", ONE_TRIP)
def test_every_one_trip_item_through_the_generic_counter_path(tmp_path: Path, code: str) -> None:
    item = CAT.item(code)
    desk, staff, runtime = _desk(tmp_path)
    cases = CaseDesk(desk, NoFacts())
    snap = runtime.snap
    member = Member(snap.member.member_id, snap.member.id_number, "张三", snap, card_read=True)
    intake = cases.start(member, code)

    # 1. the checklist is the catalogue's (employer items: the agent's three first); the card was read
    lines = cases.checklist(intake)
    assert [line.material for line in lines] == list(CAT.counter_materials(item))
    if item.audience is Audience.EMPLOYER:
        assert [line.material for line in lines][:3] == ["agent_id_card", "uscc", "authorisation_letter"]
    assert lines[0].state is LineState.READ

    # 2. nothing else brought: one notice with every missing material and the time limit
    first = cases.decide(intake)
    assert first.kind == "notice" and first.notice is not None
    missing = {m.material for m in first.notice.missing}
    assert missing and missing <= set(CAT.counter_materials(item)) - {"id_card", "agent_id_card"}
    text = "\n".join(first.notice.lines())
    assert item.name in text and ("当场办结" if item.time_limit == 0 else f"{item.time_limit}个工作日") in text
    assert (staff.case(intake.case_id) or {})["status"] == "waiting_materials"

    # 3. back once with everything: the case goes to the role the catalogue names
    for line in cases.checklist(intake):
        if not line.satisfied:
            cases.mark_presented(intake, line.material)
    assert all(line.satisfied for line in cases.checklist(intake))
    second = cases.decide(intake)
    if item.withdrawal_type is None:
        assert second.kind == "routed"
        assignee = [p["data"]["assignee"] for k, p in runtime.sent
                    if k == "case.action" and p["action"] == "assign"]
        assert assignee == ["clerk" if item.decided_by is Decider.CLERK else "supervisor"]
        assert f"[catalogue.items.{code}]" in {r.clause for r in second.reasons}
    else:  # a withdrawal: its own rules decide (paper checked by a clerk never pays out instantly)
        assert second.kind in ("routed", "rejected"), (second.kind, second.headline_en)
        assert second.kind != "instant"

    # 4. decision by the right role: the clerk may not approve a supervisor's case; the supervisor may
    if second.kind == "routed" and item.decided_by is Decider.SUPERVISOR:
        with pytest.raises(PermissionDeniedError, match="may not approve"):
            cases.review(intake.case_id, True, "")
        desk.sign_out()
        assert desk.sign_in("sup-01", "Super-2026").ok
        record = cases.review(intake.case_id, True, "材料齐全，同意")
        assert record["status"] == "approved" and record["reviewed_by"] == "sup-01"
    deadline = CAT.deadline(code, NOW.date(), desk.calendar)
    assert deadline.due >= NOW.date()
