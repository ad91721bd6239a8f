"""The counter's work list: the ledger's open cases (kiosk applications that need a person
included) merged with this counter's own records not yet delivered, each with its deadline in
working days. Offline, the last copy from the ledger is used and said to be stale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from counter_app.deadlines import Deadline, deadline_of, item_for_ledger_case
from counter_app.desk import Desk
from infra.logs import get_logger

log = get_logger("counter")
BEIJING = timezone(timedelta(hours=8))
OPEN_STATUSES = "submitted,accepted,needs_materials"
CACHE_NAME = "worklist"


@dataclass(frozen=True)
class WorkItem:
    case_id: str
    item_code: str
    member_id: str
    member_name: str
    status: str
    channel: str  # kiosk | counter
    summary: str
    opened: date
    deadline: Deadline | None
    on_ledger: bool  # False: recorded here, not yet delivered

    @property
    def needs_supervisor(self) -> bool:
        return self.status in ("submitted", "accepted", "routed")


@dataclass(frozen=True)
class WorkList:
    items: list[WorkItem]
    fetched_at: datetime | None
    stale: bool
    loan_alerts: tuple[int, int] = (0, 0)  # loan applications on working day 3/4, late (counter_app.loan_desk)


def _date(iso: str) -> date:
    return datetime.fromisoformat(iso).astimezone(BEIJING).date()


def load_worklist(desk: Desk, today: date | None = None) -> WorkList:
    today = today or desk.clock().astimezone(BEIJING).date()
    stale = False
    try:
        data: Any = desk.runtime.client.cases(status=OPEN_STATUSES)
        desk.staff.cache_put(CACHE_NAME, data)
        fetched: datetime | None = datetime.now(BEIJING)
    except Exception as exc:  # offline or the ledger failing: the last copy, marked stale
        log.info("work list from the local copy: %s", exc)
        cached = desk.staff.cache_get(CACHE_NAME)
        data, fetched = (cached if cached else ({"cases": []}, None))
        stale = True
    items: dict[str, WorkItem] = {}
    for c in data.get("cases", []):
        if "." in c.get("business_code", ""):  # bundle sub-cases show on the bundle screen
            continue
        item = item_for_ledger_case(desk, c.get("business_code", ""))
        opened = _date(c["opened_at"])
        local = desk.staff.case(c["case_id"]) or {}
        items[c["case_id"]] = WorkItem(c["case_id"], item, c.get("member_id") or "", local.get("member_name", ""),
                                       local.get("status") or c["status"], c.get("channel", ""),
                                       c.get("summary", ""), opened,
                                       deadline_of(desk, c["case_id"], item, opened, today), True)
    for rec in desk.staff.cases():
        if rec.get("parent") or rec["case_id"] in items or rec.get("status") not in (
                "open", "routed", "waiting_materials"):
            continue
        opened = _date(rec["opened_at"])
        items[rec["case_id"]] = WorkItem(rec["case_id"], rec.get("item_code", ""), rec.get("member_id", ""),
                                         rec.get("member_name", ""), rec["status"], "counter",
                                         "；".join(r["zh"] for r in rec.get("reasons", [])), opened,
                                         deadline_of(desk, rec["case_id"], rec.get("item_code", ""), opened, today),
                                         False)
    ordered = sorted(items.values(), key=lambda w: (w.deadline.status.deadline.due if w.deadline else date.max,
                                                    w.case_id))
    from counter_app.loan_desk import loan_alerts

    return WorkList(ordered, fetched, stale, loan_alerts(desk) if not stale else (0, 0))


def case_details(desk: Desk, case_id: str) -> dict[str, Any]:
    """What the review screen shows: the counter's own record, else the ledger's case with events."""
    local = desk.staff.case(case_id)
    if local is not None:
        return local
    data: dict[str, Any] = desk.runtime.client.case(case_id)
    reasons: list[dict[str, str]] = []
    attested: dict[str, Any] = {}
    for event in data.get("events", []):
        paper = (event.get("data") or {}).get("attestation")
        if event.get("action") == "add_material" and isinstance(paper, dict):
            attested[str(event["data"].get("material"))] = {**paper, "clerk": event.get("actor", "")}
        decision = (event.get("data") or {}).get("decision")
        if decision:
            reasons = [{"zh": r["zh"], "en": r["en"], "rule": r["rule"]} for r in decision.get("reasons", [])
                       if r.get("verdict") not in (0, "PASS", "pass")]
    return {"case_id": case_id, "item_code": item_for_ledger_case(desk, data.get("business_code", "")),
            "member_id": data.get("member_id"), "status": data.get("status"), "ledger_status": data.get("status"),
            "summary": data.get("summary", ""),
            "channel": data.get("channel", ""), "reasons": reasons,
            "fraud": [r["zh"] for r in reasons if r.get("rule", "").startswith("fraud.")], "attested": attested}


# --- the hall's help calls (issue 13): a kiosk's "call staff", through the ledger (ledger/help_calls.py) ---

HELP_REASONS = {"general": ("需要帮助", "needs help"), "identify": ("身份核验", "identification"),
                "card_reader": ("读卡", "ID card reader"), "printer": ("打印", "printer"),
                "withdrawal": ("提取", "withdrawal"), "queue": ("取号", "queue ticket"), "other": ("其他", "other")}


@dataclass(frozen=True)
class HelpCall:
    call_id: int
    terminal_id: str
    reason: str
    called_at: datetime

    def text(self, chinese: bool) -> str:
        zh, en = HELP_REASONS.get(self.reason, HELP_REASONS["general"])
        at = self.called_at.astimezone(BEIJING).strftime("%H:%M")
        return (f"🔔 {at} 自助终端 {self.terminal_id} 呼叫工作人员（{zh}）" if chinese
                else f"🔔 {at} kiosk {self.terminal_id} calls for staff ({en})")


def load_help_calls(desk: Desk) -> list[HelpCall]:
    """Today's open help calls of this counter's hall; none when the ledger can't be reached."""
    from sync.help_calls import open_help_calls

    try:
        raw = open_help_calls(desk.runtime.client, desk.settings.outlet)
    except Exception as exc:  # offline: the kiosk shows the hall's help number instead
        log.info("help calls not loaded: %s", exc)
        return []
    return [HelpCall(int(c["call_id"]), str(c.get("terminal_id", "")), str(c.get("reason", "general")),
                     datetime.fromisoformat(str(c["called_at"]))) for c in raw]


def answer_help_call(desk: Desk, call_id: int) -> None:
    from sync.help_calls import answer_help_call as answer

    answer(desk.runtime.client, call_id, desk.settings.window)
