"""A counter terminal process for the kill test: opens a case, then decides it (秒批 of a rent
withdrawal) and SIGKILLs itself right after the Nth local write of the decision (0: never).

    python -m tests.counter_app.decision_child <store.db> <N>

Prints the case id once the case is open (before the decision starts).
"""

from __future__ import annotations

import os
import signal
import sys
from datetime import UTC, datetime
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
from sync.outbox import Outbox
from sync.staff_store import StaffStore
from sync.store import open_store
from tests.domain.withdrawal_builders import NO_HOME, shared, snapshot


class Runtime:
    """What the desk calls, on the real outbox of the same store."""

    def __init__(self, outbox: Outbox, snap: AccountSnapshot) -> None:
        self.outbox, self.snap = outbox, snap

    def enqueue(self, kind: str, payload: dict[str, Any], *, member_id: str | None = None) -> Any:
        return self.outbox.enqueue(kind, payload, member_id=member_id)

    def account_snapshot(self, member_id: str) -> AccountSnapshot:
        return self.snap


class Facts:
    def facts_for(self, snapshot: AccountSnapshot) -> SharedData:
        return shared(homes=NO_HOME)


def main(path: str, kill_after: int) -> None:
    store = open_store(Path(path))
    outbox = Outbox(store, "T1")
    staff = StaffStore(store, "T1", hasher=PasswordHasher.from_parameters(profiles.CHEAPEST))
    staff.add_account("clerk-01", "王柜员", StaffRole.CLERK, "Clerk-2026")
    snap = snapshot()
    desk = Desk(DeskSettings("T1", "大厅", "3"), staff, load_catalogue(), WorkCalendar(), load_withdrawal_policy(),
                Runtime(outbox, snap), clock=lambda: datetime(2026, 11, 20, 2, 0, tzinfo=UTC))
    assert desk.sign_in("clerk-01", "Clerk-2026").ok
    cases = CaseDesk(desk, Facts())
    intake = cases.start(Member(snap.member.member_id, snap.member.id_number, "张三", snap, True), "withdraw_rent")
    print(intake.case_id, flush=True)

    writes = 0

    def counted(fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            nonlocal writes
            result = fn(*args, **kwargs)
            writes += 1
            if writes == kill_after:
                os.kill(os.getpid(), signal.SIGKILL)
            return result
        return wrapper

    outbox.enqueue = counted(outbox.enqueue)  # type: ignore[method-assign]
    staff.put_case = counted(staff.put_case)  # type: ignore[method-assign]
    staff.drop_draft = counted(staff.drop_draft)  # type: ignore[method-assign]
    result = cases.decide(intake)
    print(result.kind.value, writes, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
