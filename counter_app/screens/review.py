"""A supervisor's review: the reasons the rules gave and any fraud signals; approve or reject with
a comment. A clerk sees the case but the buttons say only a supervisor may decide."""

from __future__ import annotations

from datetime import timedelta, timezone
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton

from counter_app.context import CounterContext
from counter_app.screens.base import Screen
from counter_app.screens.worklist import status_text
from counter_app.worklist import case_details
from domain.masking import mask_name
from domain.money import format_yuan
from domain.staff import Permission, StaffRole, can

BEIJING = timezone(timedelta(hours=8))


class ReviewScreen(Screen):
    key = "review"
    permission = Permission.VIEW_WORKLIST

    def __init__(self, ctx: CounterContext) -> None:
        super().__init__(ctx)
        self.case: dict[str, Any] | None = None
        self.summary = QLabel(objectName="case-summary")
        self.summary.setWordWrap(True)
        self.reasons = QLabel(objectName="reasons")
        self.reasons.setWordWrap(True)
        self.fraud = QLabel(objectName="fraud")
        self.fraud.setWordWrap(True)
        self.attested = QLabel(objectName="attested")
        self.attested.setWordWrap(True)
        self.comment = QPlainTextEdit(objectName="comment")
        self.comment.setMaximumHeight(90)
        self.role_note = QLabel(objectName="role-note")
        self.history = QLabel(objectName="history")
        self.history.setWordWrap(True)
        row = QHBoxLayout()
        self.approve_btn = QPushButton(objectName="approve")
        self.approve_btn.setProperty("primary", True)
        self.reject_btn = QPushButton(objectName="reject")
        row.addWidget(self.approve_btn)
        row.addWidget(self.reject_btn)
        for w in (self.summary, self.reasons, self.attested, self.fraud, self.comment, self.role_note):
            self.layout_.addWidget(w)
        self.layout_.addLayout(row)
        self.layout_.addWidget(self.history)
        self.layout_.addStretch(1)
        self.approve_btn.clicked.connect(lambda: self.decide(True))
        self.reject_btn.clicked.connect(lambda: self.decide(False))
        self.retranslate()

    def menu_title(self) -> str:
        return self.tr("Review")

    def retranslate(self) -> None:
        super().retranslate()
        self.comment.setPlaceholderText(self.tr("Comment (required to reject)"))
        self.approve_btn.setText(self.tr("Approve"))
        self.reject_btn.setText(self.tr("Reject"))
        self._show()

    def enter(self) -> None:
        self._show()

    def reset(self) -> None:
        super().reset()
        self.case = None
        self.comment.clear()
        self._show()

    def load(self, case_id: str) -> None:
        self.ctx.ops.run(lambda: case_details(self.ctx.desk, case_id), self._loaded, self.fail)

    def _loaded(self, case: dict[str, Any]) -> None:
        self.case = case
        self.comment.clear()
        self.inform("")
        self._show()

    def _show(self) -> None:
        role = self.ctx.desk.role
        allowed = role is not None and can(role, Permission.APPROVE)
        c = self.case
        open_case = c is not None and c.get("status") in ("routed", "submitted", "accepted")
        self.approve_btn.setEnabled(allowed and open_case)
        self.reject_btn.setEnabled(allowed and open_case)
        self.role_note.setText("" if allowed or role is None else self.tr(
            "Only a supervisor may approve or reject; you are signed in as %1.").replace(
            "%1", self.ctx.pick(role.zh, role.value) if isinstance(role, StaffRole) else ""))
        if c is None:
            self.summary.setText(self.tr("Choose a case in the work list."))
            self.reasons.setText("")
            self.fraud.setText("")
            self.attested.setText("")
            self.history.setText("")
            return
        self.attested.setText(self._attested_text(c.get("attested") or {}))
        trail = self.ctx.desk.staff.audit_trail(case_id=c["case_id"])
        self.history.setText(self.tr("At this counter:") + "\n" + "\n".join(
            f"{e.at.astimezone(BEIJING):%m-%d %H:%M}  {e.staff_id}  {e.action}"
            + ("" if e.outcome == "ok" else f"  ({e.outcome})") for e in trail) if trail else "")
        cat = self.ctx.desk.catalogue
        item = cat.items.get(c.get("item_code", ""))
        name = self.ctx.pick(item.name, item.name_en) if item else c.get("item_code", "")
        who = mask_name(c.get("member_name", "")) or c.get("member_id", "")
        status = c.get("status", "")
        amount = f" · {format_yuan(Decimal(c['amount']))}" if c.get("amount") and c.get("withdrawal") else ""
        self.summary.setText(f"{c['case_id']} · {name} · {who} · {status_text(status, self.ctx.languages.is_chinese)}"
                             + amount + (f"\n{c['summary']}" if c.get("summary") else ""))
        reasons = [r for r in c.get("reasons", []) if not r.get("rule", "").startswith("fraud.")]
        self.reasons.setText(self.tr("Reasons:") + "\n" + "\n".join(
            "• " + self.ctx.pick(r["zh"], r["en"]) for r in reasons) if reasons else "")
        fraud = c.get("fraud", [])
        self.fraud.setProperty("warn", bool(fraud))
        self.fraud.style().unpolish(self.fraud)
        self.fraud.style().polish(self.fraud)
        self.fraud.setText(self.tr("Fraud signals:") + "\n" + "\n".join("⚠ " + f for f in fraud) if fraud
                           else self.tr("No fraud signals."))

    def _attested_text(self, attested: dict[str, Any]) -> str:
        """The clerk's attestations the supervisor approves with the case: figures, scan, who checked."""
        if not attested:
            return ""
        from domain.attestation import load_attestation_policy

        policy = load_attestation_policy()
        lines = [self.tr("Paper checked by the clerk (approving the case approves these figures):")]
        scan_word = self.tr("scan")
        for material, entry in attested.items():
            form = policy.form(material)
            m = self.ctx.desk.catalogue.materials.get(material)
            name = self.ctx.pick(m.name, m.name_en) if m else material
            labels = {f.name: self.ctx.pick(f.zh, f.en) for f in form.fields} if form else {}
            figures = "，".join(f"{labels.get(k, k)} {self._figure(v)}" for k, v in entry.get("figures", {}).items())
            who, scan = entry.get("clerk", ""), entry.get("scan_ref", "")
            lines.append(f"• {name}：{figures}（{who}，{scan_word} {scan}）")
        return "\n".join(lines)

    def _figure(self, value: Any) -> str:
        if value is True or value is False:
            return self.ctx.pick("是", "yes") if value else self.ctx.pick("否", "no")
        return str(value)

    def decide(self, approve: bool) -> None:
        if self.case is None:
            return
        case_id, comment, state = self.case["case_id"], self.comment.toPlainText(), self.case.get("ledger_status", "")
        # Off the GUI thread, in one commit; a clerk or an empty rejection comment: say why, change nothing.
        self.ctx.ops.run(lambda: self.ctx.services.cases.review(case_id, approve, comment, state),
                         lambda record: self._reviewed(approve, record), self.fail)

    def _reviewed(self, approve: bool, record: dict[str, Any]) -> None:
        if self.case is None:
            return
        self.case = {**self.case, **record, "status": "approved" if approve else "rejected"}
        self.inform(lambda: self.tr("Approved.") if approve else self.tr("Rejected."))
        self._show()
        self.ctx.events.cases_changed.emit()
