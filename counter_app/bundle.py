"""The one-window second-hand house + loan service (二手房交易与公积金贷款“一窗办理”, BRIEF §6).

One intake opens a parent case and one linked sub-case per department involved: property
registration (不动产登记), deed tax (税务), the HPF loan (公积金中心) and the trustee bank's
mortgage registration (银行). Each department's step is marked done at this window as its system
reports it; the member follows ONE status: the bundle is finished when every step is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from counter_app.casework import Member, new_case_id
from counter_app.desk import Desk
from domain.evidence import Department
from domain.staff import Permission

BUNDLE_ITEM = "second_hand_one_window"


@dataclass(frozen=True)
class Step:
    key: str
    department: Department
    zh: str
    en: str
    # Recording another department's result is intake work; deciding our own loan is a supervisor's.
    permission: Permission = Permission.INTAKE


# The order is the order the work happens in: transfer registration and tax, then the loan and mortgage.
STEPS = (
    Step("registry", Department.PROPERTY_REGISTRY, "不动产转移登记", "property transfer registration"),
    Step("tax", Department.TAX, "契税缴纳", "deed tax"),
    Step("hpf_loan", Department.FUND_CENTRE, "公积金贷款审批", "HPF loan approval", Permission.APPROVE),
    Step("mortgage", Department.BANK, "抵押登记与放款", "mortgage registration and payout"),
)


@dataclass(frozen=True)
class BundleStatus:
    done: int
    total: int
    current: Step | None  # the first step not yet done

    @property
    def finished(self) -> bool:
        return self.done == self.total

    def text(self) -> tuple[str, str]:
        if self.finished:
            return "全部办结", "All done"
        assert self.current is not None
        return (f"办理中（{self.done}/{self.total}）：{self.current.zh}",
                f"In progress ({self.done}/{self.total}): {self.current.en}")


def bundle_status(sub_cases: list[dict[str, Any]]) -> BundleStatus:
    by_step = {c["step"]: c for c in sub_cases}
    done = sum(1 for s in STEPS if by_step.get(s.key, {}).get("status") == "done")
    current = next((s for s in STEPS if by_step.get(s.key, {}).get("status") != "done"), None)
    return BundleStatus(done, len(STEPS), current)


class BundleDesk:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def open(self, member: Member, property_id: str) -> str:
        """The parent case and its linked sub-cases; returns the parent id the member tracks."""
        if not property_id.strip():
            raise ValueError("请填写不动产单元号或网签合同号 / enter the property unit or contract number")
        parent = new_case_id("YC", self.desk.clock())
        self.desk.guard(Permission.INTAKE, "bundle.open", case_id=parent, detail=property_id)
        now = self.desk.clock().isoformat()
        self._open_case(parent, member.member_id, BUNDLE_ITEM, f"二手房一窗办理 {property_id}",
                        {"property_id": property_id, "sub_cases": [f"{parent}-{s.key}" for s in STEPS]})
        self.desk.staff.put_case(parent, {"case_id": parent, "item_code": BUNDLE_ITEM, "member_id": member.member_id,
                                          "member_name": member.name, "id_number": member.id_number,
                                          "status": "open", "property_id": property_id, "opened_at": now,
                                          "opened_by": self.desk.me.staff_id, "bundle": True})
        for step in STEPS:
            sub = f"{parent}-{step.key}"
            self._open_case(sub, member.member_id, f"{BUNDLE_ITEM}.{step.key}", step.zh,
                            {"parent": parent, "department": step.department.value})
            self.desk.staff.put_case(sub, {"case_id": sub, "parent": parent, "step": step.key, "status": "open",
                                           "department": step.department.value, "opened_at": now}, parent_id=parent)
        return parent

    def _open_case(self, case_id: str, member_id: str, item_code: str, note: str, data: dict[str, Any]) -> None:
        """Opened, submitted and accepted in one go: the one-window intake is the acceptance."""
        self.desk.case_action(case_id, "open", member_id=member_id, item_code=item_code, note=note, data=data)
        self.desk.case_action(case_id, "submit", member_id=member_id)
        self.desk.case_action(case_id, "accept", member_id=member_id)

    def sub_cases(self, parent: str) -> list[dict[str, Any]]:
        order = {s.key: n for n, s in enumerate(STEPS)}
        return sorted(self.desk.staff.cases(parent_id=parent), key=lambda c: order.get(c.get("step", ""), 99))

    def status(self, parent: str) -> BundleStatus:
        return bundle_status(self.sub_cases(parent))

    def complete_step(self, parent: str, step_key: str, note: str = "") -> BundleStatus:
        sub = f"{parent}-{step_key}"
        record = self.desk.staff.case(sub)
        step = next((s for s in STEPS if s.key == step_key), None)
        if record is None or step is None:
            raise KeyError(f"没有子件 {sub} / no sub-case {sub}")
        self.desk.guard(step.permission, "bundle.step_done", case_id=sub, detail=note)
        parent_record = self.desk.staff.case(parent) or {}
        member_id = parent_record.get("member_id")
        self.desk.case_action(sub, "comment", member_id=member_id, note=note or "done", data={"step_done": step_key})
        record.update(status="done", done_by=self.desk.me.staff_id, done_at=self.desk.clock().isoformat())
        self.desk.staff.put_case(sub, record, parent_id=parent)
        status = self.status(parent)
        if status.finished:
            parent_record.update(status="done")
            self.desk.staff.put_case(parent, parent_record)
            self.desk.case_action(parent, "comment", member_id=member_id, note="全部办结", data={"bundle": "done"})
        return status
