"""Deadlines of counter and ledger cases in working days (official holidays and 调休 counted), and
which catalogue item a ledger case is, so its time limit can be looked up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from counter_app.desk import Desk
from domain.workdays import SlaState, SlaStatus


@dataclass(frozen=True)
class Deadline:
    case_id: str
    status: SlaStatus
    near: bool  # due today or one working day left

    @property
    def overdue(self) -> bool:
        return self.status.state is SlaState.OVERDUE


def deadline_of(desk: Desk, case_id: str, item_code: str, opened: date, today: date) -> Deadline | None:
    try:
        item = desk.catalogue.item(item_code)
    except KeyError:
        return None
    due = desk.calendar.add_working_days(opened, item.time_limit)
    sla = desk.calendar.sla(due, today)
    near = sla.state is SlaState.DUE_TODAY or (sla.state is SlaState.ON_TIME and sla.working_days_left <= 1)
    return Deadline(case_id, sla, near)


def item_for_ledger_case(desk: Desk, business_code: str) -> str:
    """The catalogue item of a ledger case (older ledgers wrote `withdrawal_<type>`; transfers carry
    their direction, `transfer_in` / `transfer_out`)."""
    if business_code in desk.catalogue.items:
        return business_code
    if business_code.startswith("withdrawal_"):
        candidate = "withdraw_" + business_code.removeprefix("withdrawal_")
        if candidate in desk.catalogue.items:
            return candidate
    if business_code.startswith("transfer_") and "transfer" in desk.catalogue.items:  # transfer_in / transfer_out
        return "transfer"
    return business_code
