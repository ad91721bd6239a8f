"""The counter's rules without a window: who is next in the queue, checklist ticks, deadlines,
the bundle's one status, the day-end report."""

from __future__ import annotations

from collections import Counter as Tally
from datetime import UTC, date, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from counter_app.bundle import STEPS, bundle_status
from counter_app.queueing import Ticket, announcement, next_ticket
from counter_app.report import day_report
from domain.catalogue import load_catalogue
from domain.evidence import Department, HomeOwnershipFact, RetirementFact, SharedData, departments_with_facts
from domain.workdays import WorkCalendar
from sync.staff_store import AuditEntry

CAT = load_catalogue()


def ticket(no: str, business: str = "withdrawal", *, priority: bool = False, status: str = "waiting",
           window: str = "", minute: int = 0) -> Ticket:
    return Ticket(no, business, priority, status, window, f"2026-11-27T01:{minute:02d}:00+00:00")


def test_transferred_to_me_then_priority_then_first_come() -> None:
    tickets = [ticket("A001", minute=1), ticket("A002", priority=True, minute=5),
               ticket("C001", "transfer", status="transferred", window="3", minute=9)]
    assert next_ticket(tickets, frozenset({"withdrawal"}), "3", CAT).ticket_no == "C001"
    assert next_ticket(tickets, frozenset({"withdrawal"}), "4", CAT).ticket_no == "A002"
    assert next_ticket(tickets[:1], frozenset({"loan"}), "4", CAT) is None
    assert ticket("B1", "loan_application").category(CAT) == "loan"
    assert ticket("X1", "nonsense").category(CAT) == "other"
    assert ticket("K1", "退休提取").category(CAT) == "withdrawal"  # kiosks write the item's name
    assert announcement("A012", "3") == ("请 A012 号到 3 号窗口办理", "Number A012, please go to window 3")


@given(st.lists(st.tuples(st.booleans(), st.integers(0, 59), st.sampled_from(["waiting", "called", "done"])),
                max_size=30))
def test_the_called_ticket_is_the_oldest_of_its_lane(rows: list[tuple[bool, int, str]]) -> None:
    tickets = [ticket(f"A{n:03d}", priority=p, status=s, minute=m) for n, (p, m, s) in enumerate(rows)]
    chosen = next_ticket(tickets, frozenset({"withdrawal"}), "1", CAT)
    waiting = [t for t in tickets if t.status == "waiting"]
    if not waiting:
        assert chosen is None
        return
    assert chosen is not None and chosen.status == "waiting"
    lane = [t for t in waiting if t.priority] or waiting
    assert chosen in lane and chosen.issued_at == min(t.issued_at for t in lane)


def test_only_shared_data_from_a_department_ticks_its_materials() -> None:
    shared = SharedData(retirement=RetirementFact(True, None, Department.HRSS),
                        homes=HomeOwnershipFact((), Department.APPLICANT))
    assert departments_with_facts(shared) == frozenset({Department.HRSS})  # paper is not shared data


def test_bundle_status_follows_the_first_unfinished_step() -> None:
    subs = [{"step": s.key, "status": "open"} for s in STEPS]
    assert bundle_status(subs).text()[0] == "办理中（0/4）：不动产转移登记"
    subs[0]["status"] = subs[2]["status"] = "done"
    status = bundle_status(subs)
    assert (status.done, status.current.key if status.current else "") == (2, "tax")
    for s in subs:
        s["status"] = "done"
    assert bundle_status(subs).finished and bundle_status(subs).text() == ("全部办结", "All done")


def test_deadlines_count_working_days_over_the_national_day_holiday() -> None:
    cal = WorkCalendar()
    due = CAT.deadline("transfer", date(2026, 9, 30), cal)  # 3 working days across 国庆
    assert due.due == date(2026, 10, 10)  # Oct 1-7 off; Saturday the 10th is an adjusted working day (调休)
    assert cal.sla(due, date(2026, 10, 9)).working_days_left == 1
    assert cal.sla(due, date(2026, 10, 12)).state.value == "overdue"


def entry(staff: str, action: str, case_id: str = "", outcome: str = "ok", hour: int = 2) -> AuditEntry:
    return AuditEntry(datetime(2026, 11, 27, hour, tzinfo=UTC), staff, "clerk", "T1", action, case_id, "", outcome)


def test_day_report_per_clerk_and_item() -> None:
    cases = [{"case_id": "C1", "item_code": "withdraw_retirement", "decided_by": "rules", "status": "approved"},
             {"case_id": "C2", "item_code": "withdraw_illness", "status": "waiting_materials",
              "missing": ["diagnosis"]},
             {"case_id": "C3", "item_code": "withdraw_retirement", "status": "routed"}]
    entries = [entry("clerk-01", "queue.call"), entry("clerk-01", "case.open", "C1"),
               entry("clerk-01", "case.decide", "C1"),
               entry("clerk-01", "case.open", "C2"), entry("clerk-01", "case.decide", "C2"),
               entry("clerk-02", "case.open", "C3"), entry("clerk-02", "case.decide", "C3"),
               entry("clerk-02", "case.approve", "C3", "denied"), entry("sup-01", "case.approve", "C3"),
               entry("clerk-01", "queue.call", hour=20)]  # 04:00 next day in Beijing: another day's report
    report = day_report(date(2026, 11, 27), entries, cases)
    assert report.per_clerk["clerk-01"] == Tally({"calls": 1, "opened": 2, "instant": 1, "notices": 1})
    assert report.per_clerk["clerk-02"] == Tally({"opened": 1, "routed": 1, "denied": 1})
    assert report.per_clerk["sup-01"] == Tally({"approved": 1})
    assert report.per_item["withdraw_retirement"]["opened"] == 2
    assert dict(report.rows("item"))["withdraw_illness"] == [0, 1, 1, 0, 0, 0, 0, 0]


def test_deadline_near_and_overdue_flags() -> None:
    from types import SimpleNamespace

    from counter_app.deadlines import deadline_of, item_for_ledger_case

    desk: Any = SimpleNamespace(catalogue=CAT, calendar=WorkCalendar())
    opened = date(2026, 11, 23)  # a Monday; withdrawals: 3 working days -> Thursday the 26th
    on_time = deadline_of(desk, "C1", "withdraw_rent", opened, date(2026, 11, 23))
    near = deadline_of(desk, "C1", "withdraw_rent", opened, date(2026, 11, 25))
    late = deadline_of(desk, "C1", "withdraw_rent", opened, date(2026, 11, 30))
    assert on_time is not None and not on_time.near and on_time.status.working_days_left == 3
    assert near is not None and near.near and not near.overdue
    assert late is not None and late.overdue and late.status.working_days_left == -2
    assert deadline_of(desk, "C1", "no_such_item", opened, opened) is None
    assert item_for_ledger_case(desk, "transfer_in") == "transfer"
    assert item_for_ledger_case(desk, "withdrawal_rent") == "withdraw_rent"
