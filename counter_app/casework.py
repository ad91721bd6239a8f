"""Case work at the counter: intake, checklist, one-time notice, decision, supervisor review, bundles.

A counter case is a record in the local store (so it survives offline and restarts) plus
`case.action` transactions to the ledger through the outbox. Withdrawals are decided by
`domain.withdrawals` on the member's snapshot and shared data: an instant approval (秒批) sends
the `withdrawal.apply` at once (the ledger re-checks and pays); anything a person must look at —
paper checked at the counter, a review reason, a fraud signal — is routed to a supervisor, and
the withdrawal is only sent when the supervisor approves.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select

from counter_app.desk import Desk
from domain.account import AccountSnapshot
from domain.attestation import build_fact, check_figures, load_attestation_policy, with_attested
from domain.catalogue import BusinessItem, Decider
from domain.decision import Decision, Outcome, Reason, Verdict
from domain.evidence import Department, SharedData, departments_with_facts
from domain.fraud import Population, load_fraud_policy, screen
from domain.labels import counted
from domain.money import format_yuan
from domain.notice import (
    OneTimeNotice,
    checklist_missing,
    notice_for_checklist,
    notice_for_decision,
    notice_rows,
)
from domain.staff import Permission
from domain.withdrawals.application import WithdrawalApplication
from domain.withdrawals.engine import decide
from sync import errors, models
from sync.unit import in_one_commit

BEIJING = timezone(timedelta(hours=8))


class LineState(enum.StrEnum):
    SHARED = "shared"  # proved by a department's shared data
    READ = "read"  # the ID card, read by the reader
    PRESENTED = "presented"  # original shown, checked by the clerk
    CAPTURED = "captured"  # photographed into the case file
    ATTESTED = "attested"  # figures recorded by the clerk (柜员核验), approved by a supervisor with the case
    MISSING = "missing"
    NOT_REQUIRED = "not_required"  # on the list, but the rules' notice does not ask for it (issue 13)


@dataclass(frozen=True)
class ChecklistLine:
    material: str
    name: str
    name_en: str
    state: LineState
    source: Department | None = None

    @property
    def satisfied(self) -> bool:
        return self.state is not LineState.MISSING

    def note(self) -> tuple[str, str]:
        if self.state is LineState.SHARED and self.source is not None:
            return (f"已由{self.source.value}共享数据证明，无需提交",
                    f"proved by {self.source.en} records through data sharing; no paper needed")
        return {
            LineState.READ: ("已读取身份证", "read from the ID card"),
            LineState.PRESENTED: ("原件已核验", "original checked by the clerk"),
            LineState.CAPTURED: ("已拍照存档", "captured into the case file"),
            LineState.ATTESTED: ("柜员已录入核验，待主管审批", "attested by the clerk; a supervisor approves it"),
            LineState.MISSING: ("尚缺", "still missing"),
            LineState.NOT_REQUIRED: ("本次规则审核不需要", "not needed for this decision"),
            LineState.SHARED: ("共享数据", "shared data"),
        }[self.state]


@dataclass(frozen=True)
class Member:
    member_id: str
    id_number: str
    name: str
    snapshot: AccountSnapshot | None
    card_read: bool  # identified by the ID card reader (not typed in)


@dataclass
class Intake:
    """One intake in progress; its `to_json` is the draft saved in the local store."""

    case_id: str
    item_code: str
    member: Member
    shared: SharedData = field(default_factory=SharedData)
    presented: set[str] = field(default_factory=set)
    captured: dict[str, str] = field(default_factory=dict)  # material -> file path
    property_id: str = ""
    # material -> {"figures": {...}, "scan_ref": "...", "clerk": staff id}: the clerk's attestation
    attested: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "item_code": self.item_code, "member_id": self.member.member_id,
                "id_number": self.member.id_number, "name": self.member.name, "card_read": self.member.card_read,
                "presented": sorted(self.presented), "captured": dict(self.captured), "property_id": self.property_id,
                "attested": dict(self.attested)}


class ResultKind(enum.StrEnum):
    INSTANT = "instant"  # 秒批 on shared data
    ROUTED = "routed"  # to a supervisor, with the reasons
    NOTICE = "notice"  # one-time notice of what is missing
    REJECTED = "rejected"  # the rules refuse it


@dataclass(frozen=True)
class DeskResult:
    """What the decision step did, for the screen and the receipt."""

    kind: ResultKind
    zh: str
    en: str
    next_zh: str
    next_en: str
    decision: Decision | None = None
    notice: OneTimeNotice | None = None
    reasons: tuple[Reason, ...] = ()


def paper_facts(shared: SharedData, attested: dict[str, dict[str, Any]]) -> SharedData:
    """Shared data plus the facts of the clerk's attestations (source 柜员核验, so never 秒批): the
    counter's own preview of what the ledger will decide once a supervisor approves them. The
    ledger builds the same facts from the attestations it recorded (ledger.attestation)."""
    policy = load_attestation_policy()
    facts = []
    for material, entry in attested.items():
        form = policy.form(material)
        if form is not None:
            facts.append(build_fact(form.fact, entry["figures"]))
    return with_attested(shared, facts)


class NotAttestedError(ValueError):
    """A paper material the rules need was ticked but its figures were not recorded."""

    def __init__(self, names_zh: list[str], names_en: list[str]) -> None:
        super().__init__(f"请先录入纸质材料的核验信息：{'、'.join(names_zh)} / "
                         f"record the figures of the paper first: {', '.join(names_en)}")


def _why_a_person(decision: Decision) -> tuple[Reason, ...]:
    """Why an approvable decision is not 秒批: the facts a person supplied, named for the supervisor."""
    paper = sorted({r.source.value for r in decision.reasons if r.source is not None and not r.source.is_shared_data})
    if decision.outcome is not Outcome.APPROVED or not paper:
        return ()
    return (Reason(Verdict.REVIEW, "counter.paper_evidence",
                   f"部分条件依据纸质材料（{'、'.join(paper)}）而非共享数据，需主管审批",
                   "some conditions rest on paper documents, not shared data: a supervisor approves",
                   "秒批 only on shared data (BRIEF §6)"),)


def cached_member_id(runtime: Any, id_number: str) -> str | None:
    """Offline identification from the encrypted snapshot cache (no ID number is stored in clear:
    each cached snapshot is opened and compared)."""
    with runtime.store.read() as s:
        member_ids = s.scalars(select(models.SnapshotCache.member_id)).all()
    for member_id in member_ids:
        snapshot = runtime.snapshots.get(member_id)
        if snapshot is not None and snapshot.member.id_number == id_number:
            return str(member_id)
    return None


def new_case_id(prefix: str, now: datetime) -> str:
    return f"{prefix}-{now.astimezone(BEIJING):%Y%m%d}-{uuid.uuid4().hex[:8].upper()}"


class CaseDesk:
    def __init__(self, desk: Desk, shared_source: Any) -> None:
        self.desk = desk
        self.shared_source = shared_source

    # --- intake ----------------------------------------------------------------------------------

    def find_member(self, id_number: str, name: str = "", *, card_read: bool) -> Member:
        """The member behind an ID number (ledger lookup) with the account snapshot (cache offline)."""
        self.desk.guard(Permission.INTAKE, "member.lookup", detail="card" if card_read else "typed")
        try:
            member_id = self.desk.runtime.client.lookup_member(id_number)
        except (errors.LedgerUnavailable, errors.LedgerTimeout, errors.LedgerServerError):
            cached = cached_member_id(self.desk.runtime, id_number)
            if cached is None:
                raise
            member_id = cached  # offline: a member this terminal served recently (the snapshot says "cache")
        snapshot = self.desk.runtime.account_snapshot(member_id)
        return Member(member_id, id_number, name or snapshot.member.name, snapshot, card_read)

    def start(self, member: Member, item_code: str) -> Intake:
        item = self.desk.catalogue.item(item_code)
        case_id = new_case_id("CT", self.desk.clock())
        self.desk.guard(Permission.INTAKE, "case.open", case_id=case_id, detail=item.code)
        shared = self.shared_source.facts_for(member.snapshot) if member.snapshot is not None else SharedData()
        intake = Intake(case_id, item.code, member, shared)
        self.desk.case_action(case_id, "open", member_id=member.member_id, item_code=item.code, note=item.name)
        self._save(intake, "open", item)
        return intake

    def checklist(self, intake: Intake, notice: OneTimeNotice | None = None) -> list[ChecklistLine]:
        """The materials and their state; with the notice issued for this intake, its missing lines are
        exactly the notice's rows (domain.notice.checklist_missing): what the rules don't ask for is
        marked so, and what they ask beyond the catalogue's list is added."""
        lines = self._checklist(intake)
        if notice is None:
            return lines
        not_needed, extra = checklist_missing(notice, [line.material for line in lines if not line.satisfied])
        lines = [replace(line, state=LineState.NOT_REQUIRED) if line.material in not_needed else line
                 for line in lines]
        rows = {row.material: row for row in notice_rows(notice)}
        return lines + [ChecklistLine(code, rows[code].name, rows[code].name_en, LineState.MISSING) for code in extra]

    def _checklist(self, intake: Intake) -> list[ChecklistLine]:
        item = self.desk.catalogue.item(intake.item_code)
        proved = departments_with_facts(intake.shared)
        lines = []
        for code in self.desk.catalogue.counter_materials(item):
            m = self.desk.catalogue.material(code)
            if code in ("id_card", "agent_id_card") and intake.member.card_read:
                state, source = LineState.READ, None
            elif m.shared_by is not None and m.shared_by in proved:
                state, source = LineState.SHARED, m.shared_by
            elif code in intake.attested:
                state, source = LineState.ATTESTED, None
            elif code in intake.captured:
                state, source = LineState.CAPTURED, None
            elif code in intake.presented:
                state, source = LineState.PRESENTED, None
            else:
                state, source = LineState.MISSING, None
            lines.append(ChecklistLine(code, m.name, m.name_en, state, source))
        return lines

    def mark_presented(self, intake: Intake, material: str, present: bool = True) -> None:
        self.desk.guard(Permission.INTAKE, "material.presented" if present else "material.withdrawn",
                        case_id=intake.case_id, detail=material)
        (intake.presented.add if present else intake.presented.discard)(material)

    def attest(self, intake: Intake, material: str, figures: dict[str, Any], scan_ref: str) -> dict[str, Any]:
        """The clerk's attestation of one paper material: the figures read from it and the scan. It
        becomes a fact only at the ledger, and only once a supervisor approves the case."""
        clean = check_figures(load_attestation_policy(), material, figures, scan_ref)
        me = self.desk.guard(Permission.INTAKE, "material.attested", case_id=intake.case_id, detail=material)
        entry = {"figures": clean, "scan_ref": scan_ref.strip(), "clerk": me.staff_id}
        self.desk.case_action(intake.case_id, "add_material", member_id=intake.member.member_id,
                              data={"material": material,
                                    "attestation": {"figures": clean, "scan_ref": scan_ref.strip()}})
        intake.attested[material] = entry
        intake.presented.add(material)
        return entry

    def capture(self, intake: Intake, material: str, path: str) -> None:
        self.desk.guard(Permission.INTAKE, "material.captured", case_id=intake.case_id, detail=material)
        intake.captured[material] = path
        self.desk.case_action(intake.case_id, "add_material", member_id=intake.member.member_id,
                              data={"material": material, "file": path.rsplit("/", 1)[-1]})

    def save_draft(self, intake: Intake) -> None:
        me = self.desk.guard(Permission.INTAKE, "draft.save", case_id=intake.case_id)
        self.desk.staff.save_draft(intake.case_id, me.staff_id, intake.member.member_id, intake.item_code,
                                   intake.to_json())

    def resume_by_number(self, case_id: str) -> Intake:
        """The member is back with the one-time notice (its number is the case id): this counter's
        draft if it has one, else the case as the ledger knows it (opened at another counter)."""
        case_id = case_id.strip().upper()
        draft = next((d for d in self.desk.staff.drafts() if d.draft_id == case_id), None)
        if draft is not None:
            return self.resume(draft.body)
        self.desk.guard(Permission.INTAKE, "case.resume", case_id=case_id)
        case = self.desk.runtime.client.case(case_id)
        if case.get("status") not in ("draft", "needs_materials"):
            raise ValueError(f"案件{case_id}当前状态为{case.get('status')}，无需续办 / "
                             f"case {case_id} is {case.get('status')}; nothing to continue")
        snapshot = self.desk.runtime.account_snapshot(case["member_id"])
        member = Member(case["member_id"], snapshot.member.id_number, snapshot.member.name, snapshot, False)
        return Intake(case_id, case["business_code"], member, self.shared_source.facts_for(snapshot))

    def resume(self, draft_body: dict[str, Any]) -> Intake:
        case_id = str(draft_body["case_id"])
        self.desk.guard(Permission.INTAKE, "draft.resume", case_id=case_id)
        snapshot = self.desk.runtime.account_snapshot(draft_body["member_id"])
        member = Member(draft_body["member_id"], draft_body["id_number"], draft_body["name"], snapshot,
                        bool(draft_body["card_read"]))
        shared = self.shared_source.facts_for(snapshot)
        return Intake(case_id, draft_body["item_code"], member, shared, set(draft_body["presented"]),
                      dict(draft_body["captured"]), draft_body.get("property_id", ""),
                      dict(draft_body.get("attested", {})))

    # --- decision --------------------------------------------------------------------------------

    def decide(self, intake: Intake) -> DeskResult:
        """Apply the rules: notice when something is missing, 秒批 when shared data proves all, else route."""
        item = self.desk.catalogue.item(intake.item_code)
        me = self.desk.guard(Permission.SUBMIT_DECISION, "case.decide", case_id=intake.case_id, detail=item.code)
        return in_one_commit(self.desk.staff.store, lambda: self._decide(intake, item, me))  # all or nothing

    def _decide(self, intake: Intake, item: BusinessItem, me: Any) -> DeskResult:
        lines = self.checklist(intake)
        if item.withdrawal_type is not None and intake.member.snapshot is not None:
            decision = self._withdrawal_decision(intake, item)
            if decision.outcome is Outcome.REJECTED:
                return self._reject_by_rules(intake, item, decision)
            if decision.outcome is Outcome.MISSING_MATERIALS:
                self._require_attested(intake, decision.missing_materials)
                still = [c for c in decision.missing_materials if c not in intake.presented | set(intake.captured)]
                if still:
                    return self._notice(intake, item, notice_for_decision(
                        decision, item, self.desk.catalogue, member_name=intake.member.name,
                        member_id_number=intake.member.id_number, notice_no=intake.case_id, issued_by=me.staff_id,
                        issued_at=self.desk.clock()))
            if decision.instant:
                return self._instant(intake, item, decision)
            return self._route(intake, item, decision, (*decision.reasons, *_why_a_person(decision)))
        missing = [line for line in lines if not line.satisfied]
        if missing:
            have = [line.material for line in lines if line.satisfied]
            return self._notice(intake, item, notice_for_checklist(
                item, self.desk.catalogue, have, member_name=intake.member.name,
                member_id_number=intake.member.id_number, notice_no=intake.case_id, issued_by=me.staff_id,
                issued_at=self.desk.clock()))
        who_zh, who_en = ("经办柜员", "a clerk") if item.decided_by is Decider.CLERK else ("主管", "a supervisor")
        reason = Reason(Verdict.REVIEW, "counter.no_rule", f"本业务无自动审批规则，材料齐全，由{who_zh}审批",
                        f"no automatic rule for this item; the materials are complete and {who_en} decides",
                        f"[catalogue.items.{item.code}]")
        return self._route(intake, item, None, (reason,))

    def _require_attested(self, intake: Intake, missing: tuple[str, ...] | list[str]) -> None:
        """Ticked paper that the rules need must carry its figures: the ledger takes nothing else."""
        policy = load_attestation_policy()
        unattested = [c for c in missing if c in intake.presented | set(intake.captured)
                      and policy.form(c) is not None and c not in intake.attested]
        if unattested:
            names = [self.desk.catalogue.material(c) for c in unattested]
            raise NotAttestedError([m.name for m in names], [m.name_en for m in names])

    def _withdrawal_decision(self, intake: Intake, item: BusinessItem) -> Decision:
        assert item.withdrawal_type is not None and intake.member.snapshot is not None
        today = self.desk.clock().astimezone(BEIJING).date()
        facts = paper_facts(intake.shared, intake.attested)
        app = WithdrawalApplication(item.withdrawal_type, intake.member.snapshot, facts, today,
                                    property_id=intake.property_id)
        # The counter sees one member, not the population: velocity from the member's own records.
        recent = tuple(datetime.combine(r.on, datetime.min.time(), BEIJING)
                       for r in intake.member.snapshot.withdrawals)
        signals = screen(app, Population(recent_applications=recent), load_fraud_policy(), self.desk.clock())
        return decide(app, self.desk.withdrawal_policy, flags=[s.to_reason() for s in signals])

    def _instant(self, intake: Intake, item: BusinessItem, decision: Decision) -> DeskResult:
        assert item.withdrawal_type is not None
        self._send_withdrawal(intake, item, decision)
        member_id = intake.member.member_id
        self._submit(intake)
        self.desk.case_action(intake.case_id, "accept", member_id=member_id)
        self.desk.case_action(intake.case_id, "approve", member_id=member_id, note="秒批：规则依共享数据准予",
                              data={"rules": [r.rule for r in decision.reasons], "instant": True})
        self._save(intake, "approved", item, decision=decision, by="rules")
        self.desk.staff.drop_draft(intake.case_id)
        amount = format_yuan(decision.amount)
        return DeskResult(ResultKind.INSTANT, f"秒批：准予提取 {amount}", f"Instant approval: {amount}",
                          "款项将转入本人联名卡，中心核验后到账，结果以短信为准。",
                          "The money goes to your co-branded card after the centre's check; the text message "
                          "is final.", decision=decision, reasons=decision.reasons)

    def _submit(self, intake: Intake) -> None:
        """Submit the application: from the draft, or again after 补正 (needs materials)."""
        self.desk.case_action(intake.case_id, "submit", member_id=intake.member.member_id)

    def _send_withdrawal(self, intake: Intake, item: BusinessItem, decision: Decision) -> None:
        assert item.withdrawal_type is not None
        # An application, never facts: the ledger fetches the departments' facts itself with the member's
        # authorisation (signed on the counter's application form). Paper the clerk checked is not a fact
        # the ledger takes from a payload (a clerk attestation is its own, staff-signed transaction).
        payload = {"withdrawal_type": item.withdrawal_type.value, "amount_fen": None,
                   "application_no": intake.case_id, "channel": "counter", "property_id": intake.property_id,
                   "authorisation": {"method": "counter_form", "granted_at": self.desk.clock().isoformat(),
                                     "reference": intake.case_id}}
        self.desk.enqueue("withdrawal.apply", payload, intake.member.member_id)

    def _route(self, intake: Intake, item: BusinessItem, decision: Decision | None,
               reasons: tuple[Reason, ...]) -> DeskResult:
        member_id = intake.member.member_id
        self._submit(intake)
        self.desk.case_action(intake.case_id, "accept", member_id=member_id)
        assignee = "clerk" if item.decided_by is Decider.CLERK and decision is None else "supervisor"
        self.desk.case_action(intake.case_id, "assign", member_id=member_id, data={"assignee": assignee},
                              note="；".join(r.zh for r in reasons if r.verdict is not Verdict.PASS)[:400])
        self._save(intake, "routed", item, decision=decision, reasons=reasons)
        self.desk.staff.drop_draft(intake.case_id)
        limit_zh = "当日办结" if item.time_limit == 0 else f"办理时限{item.time_limit}个工作日"
        limit_en = "done today" if item.time_limit == 0 else f"time limit {item.time_limit} working days"
        who_zh, who_en = ("经办柜员", "a clerk") if assignee == "clerk" else ("主管", "a supervisor")
        return DeskResult(ResultKind.ROUTED, f"已转{who_zh}审批", f"Sent to {who_en} for approval",
                          f"{who_zh}审批后短信通知结果，{limit_zh}。",
                          f"{who_en[0].upper()}{who_en[1:]} decides and you get a text message; {limit_en}.",
                          decision=decision, reasons=reasons)

    def _notice(self, intake: Intake, item: BusinessItem, notice: OneTimeNotice) -> DeskResult:
        self._submit(intake)
        self.desk.case_action(intake.case_id, "request_materials", member_id=intake.member.member_id,
                              note=f"一次性告知书 {notice.notice_no}",
                              data={"missing": [m.material for m in notice.missing]})
        self._save(intake, "waiting_materials", item, notice=notice)
        self.desk.staff.save_draft(intake.case_id, self.desk.me.staff_id, intake.member.member_id, item.code,
                                   intake.to_json())
        return DeskResult(ResultKind.NOTICE, f"材料不全：尚缺{len(notice.missing)}项，已出具一次性告知书",
                        f"Incomplete: {counted(len(notice.missing), 'item')} missing; one-time notice issued",
                        "请按告知书一次补齐材料，凭告知书编号回来续办，无需重新排队取号。",
                        "Bring everything on the notice once; come back with its number, no new ticket needed.",
                        notice=notice)

    def _reject_by_rules(self, intake: Intake, item: BusinessItem, decision: Decision) -> DeskResult:
        reasons = decision.having(Verdict.REJECT)
        self._submit(intake)
        self.desk.case_action(intake.case_id, "reject", member_id=intake.member.member_id,
                              note="；".join(r.zh for r in reasons)[:400])
        self._save(intake, "refused_by_rules", item, decision=decision, reasons=reasons)
        told = [r for r in reasons if not r.internal]  # the member's words: no fraud signal
        return DeskResult(ResultKind.REJECTED, "不符合提取条件", "Not eligible", "；".join(r.zh for r in told),
                        "; ".join(r.en for r in told), decision=decision, reasons=reasons)

    # --- supervisor ------------------------------------------------------------------------------

    def review(self, case_id: str, approve: bool, comment: str, ledger_state: str = "") -> dict[str, Any]:
        """A supervisor's decision on a routed case, opened at this counter or at a kiosk."""
        action = "approve" if approve else "reject"
        if not approve and not comment.strip():
            raise ValueError("退回必须填写原因 / a rejection needs a comment")
        self.desk.guard(Permission.APPROVE, f"case.{action}", case_id=case_id, detail=comment[:200])
        return in_one_commit(self.desk.staff.store, lambda: self._review(case_id, approve, comment, ledger_state))

    def _review(self, case_id: str, approve: bool, comment: str, ledger_state: str) -> dict[str, Any]:
        action = "approve" if approve else "reject"
        record = self.desk.staff.case(case_id) or {"case_id": case_id, "origin": "ledger"}
        member_id = record.get("member_id")
        if ledger_state == "submitted":  # a kiosk application: accepted by the supervisor who decides it
            self.desk.case_action(case_id, "accept", member_id=member_id)
        self.desk.case_action(case_id, action, member_id=member_id, note=comment)
        if approve and record.get("withdrawal"):  # a counter withdrawal: the money moves only now
            self.desk.enqueue("withdrawal.apply", {**record["withdrawal"], "channel": "counter"}, member_id)
        record.update(status="approved" if approve else "rejected", reviewed_by=self.desk.me.staff_id,
                      review_comment=comment, reviewed_at=self.desk.clock().isoformat())
        self.desk.staff.put_case(case_id, record)
        return record

    # --- records ---------------------------------------------------------------------------------

    def _save(self, intake: Intake, status: str, item: BusinessItem, *, decision: Decision | None = None,
              notice: OneTimeNotice | None = None, reasons: tuple[Reason, ...] = (), by: str = "") -> dict[str, Any]:
        now = self.desk.clock()
        old = self.desk.staff.case(intake.case_id) or {}
        record: dict[str, Any] = {
            **old, "case_id": intake.case_id, "item_code": item.code, "member_id": intake.member.member_id,
            "member_name": intake.member.name, "id_number": intake.member.id_number, "status": status,
            "opened_by": old.get("opened_by", self.desk.me.staff_id),
            "opened_at": old.get("opened_at", now.isoformat()),
            "updated_at": now.isoformat(), "decided_by": by or old.get("decided_by", ""),
            "reasons": [{"verdict": r.verdict.name.lower(), "zh": r.zh, "en": r.en, "rule": r.rule}
                        for r in reasons if r.verdict is not Verdict.PASS],
            "fraud": [r.zh for r in reasons if r.rule.startswith("fraud.")],
            "missing": [m.material for m in notice.missing] if notice else old.get("missing", []),
            "captured": dict(intake.captured),
            "attested": dict(intake.attested),
        }
        if decision is not None:
            record["outcome"] = decision.outcome.value
            record["instant"] = decision.instant
            record["amount"] = str(decision.amount)
        if status == "routed" and item.withdrawal_type is not None:
            record["withdrawal"] = {"withdrawal_type": item.withdrawal_type.value, "amount_fen": None,
                                    "application_no": intake.case_id, "property_id": intake.property_id,
                                    "authorisation": {"method": "counter_form",
                                                      "granted_at": self.desk.clock().isoformat(),
                                                      "reference": intake.case_id}}
        self.desk.staff.put_case(intake.case_id, record)
        return record
