"""The day-end report (日终报表): per clerk and per business item, from the audit trail of one day.

Counted from the audit trail, so it reports what staff actually did on this terminal, refusals
included: tickets called, cases opened, one-time notices, instant approvals, cases routed,
approvals and rejections.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sync.staff_store import AuditEntry

BEIJING = timezone(timedelta(hours=8))

COLUMNS = ("calls", "opened", "notices", "instant", "routed", "approved", "rejected", "denied")
COLUMN_TEXT = {
    "calls": ("叫号", "Calls"), "opened": ("受理", "Opened"), "notices": ("告知书", "Notices"),
    "instant": ("秒批", "Instant"), "routed": ("转审批", "Routed"), "approved": ("批准", "Approved"),
    "rejected": ("退回", "Rejected"), "denied": ("越权拒绝", "Denied"),
}


@dataclass(frozen=True)
class DayReport:
    day: date
    per_clerk: dict[str, Counter[str]]
    per_item: dict[str, Counter[str]]

    def rows(self, table: str) -> list[tuple[str, list[int]]]:
        data = self.per_clerk if table == "clerk" else self.per_item
        return [(key, [data[key][c] for c in COLUMNS]) for key in sorted(data)]


def _column(entry: AuditEntry, outcome_of: dict[str, str]) -> str | None:
    if entry.outcome == "denied":
        return "denied"
    if entry.action in ("queue.call", "queue.recall"):
        return "calls"
    if entry.action == "case.open" or entry.action == "bundle.open":
        return "opened"
    if entry.action == "case.approve":
        return "approved"
    if entry.action == "case.reject":
        return "rejected"
    if entry.action == "case.decide":
        return {"notice": "notices", "instant": "instant", "routed": "routed"}.get(outcome_of.get(entry.case_id, ""))
    return None


def _decided_as(case: dict[str, Any]) -> str:
    if case.get("decided_by") == "rules":
        return "instant"
    if case.get("status") in ("routed", "approved", "rejected"):
        return "routed"
    return "notice" if case.get("missing") else ""


def day_report(day: date, entries: Iterable[AuditEntry], cases: Iterable[dict[str, Any]]) -> DayReport:
    """`cases` are the counter's case records: they say which item a case was and how it was decided."""
    item_of: dict[str, str] = {}
    outcome_of: dict[str, str] = {}
    for c in cases:
        item_of[c["case_id"]] = c.get("item_code", "")
        outcome_of[c["case_id"]] = _decided_as(c)
    per_clerk: dict[str, Counter[str]] = defaultdict(Counter)
    per_item: dict[str, Counter[str]] = defaultdict(Counter)
    for e in entries:
        if e.at.astimezone(BEIJING).date() != day or e.action == "sign_in":
            continue
        column = _column(e, outcome_of)
        if column is None:
            continue
        per_clerk[e.staff_id][column] += 1
        item = item_of.get(e.case_id)
        if item:
            per_item[item][column] += 1
    return DayReport(day, dict(per_clerk), dict(per_item))


def today_in_beijing(now: datetime) -> date:
    return now.astimezone(BEIJING).date()
