"""A supervisor's review: the scanned materials (thumbnails, click to zoom) beside the member's key
facts, the reasons the rules gave and any fraud signals, the clerk's attestations, and the case's
audit trail in words; approve or reject with a comment. A clerk sees the case but the buttons say
only a supervisor may decide."""

from __future__ import annotations

from datetime import timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from counter_app.context import CounterContext
from counter_app.fields import field_label
from counter_app.screens.base import Screen
from counter_app.worklist import case_details
from domain.case_status import status_view
from domain.masking import mask_name
from domain.money import format_yuan
from domain.review_facts import Fact, key_facts
from domain.staff import Permission, StaffRole, can
from ui.audit_log import AuditLogTable
from ui.status import StatusChip
from ui.thumbnails import Thumbnail, ZoomDialog

BEIJING = timezone(timedelta(hours=8))
SCAN_TYPES = (".jpg", ".jpeg", ".png")
THUMB_COLUMNS = 3


def status_text(status: str, chinese: bool) -> str:
    return status_view(status).text(chinese)


class ReviewScreen(Screen):
    key = "review"
    permission = Permission.VIEW_WORKLIST

    def __init__(self, ctx: CounterContext) -> None:
        super().__init__(ctx)
        self.case: dict[str, Any] | None = None
        self.facts: list[Fact] = []
        self.scans: list[tuple[str, Path]] = []
        self.zoom: ZoomDialog | None = None
        self.zoomed = ""  # the material of the page open in the zoom (its caption follows a language switch)
        top = QHBoxLayout()
        self.summary = QLabel(objectName="case-summary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.status_chip = StatusChip()
        self.status_chip.setObjectName("case-status")
        top.addWidget(self.summary, 1)
        top.addWidget(self.status_chip)
        self.layout_.addLayout(top)

        body = QHBoxLayout()
        left = QVBoxLayout()
        self.facts_box = QGroupBox(objectName="member-facts")
        self.facts_form = QFormLayout(self.facts_box)
        left.addWidget(self.facts_box)
        self.reasons = QLabel(objectName="reasons")
        self.reasons.setWordWrap(True)
        self.fraud = QLabel(objectName="fraud")
        self.fraud.setWordWrap(True)
        self.attested = QLabel(objectName="attested")
        self.attested.setWordWrap(True)
        for w in (self.reasons, self.attested, self.fraud):
            left.addWidget(w)
        left.addStretch(1)
        body.addLayout(left, 2)
        self.scans_box = QGroupBox(objectName="scans")
        scans_layout = QVBoxLayout(self.scans_box)
        self.scans_note = QLabel(objectName="scans-note")
        self.scans_note.setWordWrap(True)
        scans_layout.addWidget(self.scans_note)
        self.thumbs_host = QWidget()
        self.thumbs = QGridLayout(self.thumbs_host)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.thumbs_host)
        scans_layout.addWidget(scroll, 1)
        body.addWidget(self.scans_box, 3)
        self.layout_.addLayout(body, 3)

        self.comment = QPlainTextEdit(objectName="comment")
        self.comment.setMaximumHeight(70)
        self.comment.setTabChangesFocus(True)  # keyboard: Tab leaves the comment, it does not type a tab
        self.comment_label = field_label(self.comment)
        self.layout_.addWidget(self.comment_label)
        self.layout_.addWidget(self.comment)
        self.role_note = QLabel(objectName="role-note")
        self.layout_.addWidget(self.role_note)
        row = QHBoxLayout()
        self.approve_btn = QPushButton(objectName="approve")
        self.approve_btn.setProperty("primary", True)
        self.reject_btn = QPushButton(objectName="reject")
        row.addWidget(self.approve_btn)
        row.addWidget(self.reject_btn)
        self.layout_.addLayout(row)
        self.history_label = QLabel(objectName="history-label")
        self.history_label.setProperty("field", True)
        self.layout_.addWidget(self.history_label)
        self.history = AuditLogTable()
        self.history.setMinimumHeight(120)
        self.layout_.addWidget(self.history, 1)
        self.approve_btn.clicked.connect(lambda: self.decide(True))
        self.reject_btn.clicked.connect(lambda: self.decide(False))
        self.retranslate()

    def menu_title(self) -> str:
        return self.tr("Review")

    def retranslate(self) -> None:
        super().retranslate()
        pick = self.ctx.pick
        self.comment_label.setText(pick("审批意见（退回时必填）", "Comment (required to reject)"))
        self.comment.setPlaceholderText(pick("如：原件核验无误", "e.g. originals checked"))
        self.facts_box.setTitle(pick("职工关键信息", "Member's key facts"))
        self.scans_box.setTitle(pick("扫描材料（点击放大）", "Scanned materials (click to zoom)"))
        self.history_label.setText(pick("本柜台操作记录", "At this counter"))
        self.approve_btn.setText(self.tr("Approve"))
        self.reject_btn.setText(self.tr("Reject"))
        if self.zoom is not None:  # a page open large: its own window, not under the window's retranslate
            self.zoom.set_caption(self._material_name(self.zoomed), self._zoom_hint())
        self._show()

    def enter(self) -> None:
        self._show()

    def reset(self) -> None:
        super().reset()
        self.case, self.facts, self.scans = None, [], []
        self.comment.clear()
        self._close_zoom()
        self._show()

    def load(self, case_id: str) -> None:
        self.ctx.ops.run(lambda: self._fetch(case_id), self._loaded, self.fail)

    def _fetch(self, case_id: str) -> tuple[dict[str, Any], list[Fact]]:
        """Off the GUI thread: the case, and the member's account (the ledger's, else the cache's)."""
        desk = self.ctx.desk
        case = case_details(desk, case_id)
        facts: list[Fact] = []
        member_id = case.get("member_id")
        if member_id:
            try:
                snapshot = desk.runtime.account_snapshot(member_id)
            except Exception:  # no account data at all: the review still shows the case, the facts say so
                snapshot = None
            if snapshot is not None:
                facts = key_facts(snapshot, desk.clock().astimezone(BEIJING).date())
        return case, facts

    def _loaded(self, loaded: tuple[dict[str, Any], list[Fact]]) -> None:
        self.case, self.facts = loaded
        self.comment.clear()
        self.inform("")
        self.scans = self._find_scans(self.case)
        self._show()

    def _find_scans(self, case: dict[str, Any]) -> list[tuple[str, Path]]:
        """The pages captured for the case at this counter: (material code, file), in checklist order."""
        found: dict[str, Path] = {}
        for material, path in (case.get("captured") or {}).items():
            if Path(path).suffix.lower() in SCAN_TYPES and Path(path).is_file():
                found[str(material)] = Path(path)
        folder = self.ctx.services.case_files / str(case.get("case_id", ""))
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.suffix.lower() in SCAN_TYPES and path.stem not in found:
                    found[path.stem] = path
        return list(found.items())

    def _material_name(self, code: str) -> str:
        m = self.ctx.desk.catalogue.materials.get(code)
        return self.ctx.pick(m.name, m.name_en) if m else code

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
        self._show_facts()
        self._show_scans()
        if c is None:
            self.summary.setText(self.tr("Choose a case in the work list."))
            self.status_chip.hide()
            for w in (self.reasons, self.fraud, self.attested):
                w.setText("")
            self.history.show_entries([], self.ctx.pick)
            return
        self.attested.setText(self._attested_text(c.get("attested") or {}))
        trail = self.ctx.desk.staff.audit_trail(case_id=c["case_id"])
        self.history.show_entries(trail, self.ctx.pick, self._detail)
        cat = self.ctx.desk.catalogue
        item = cat.items.get(c.get("item_code", ""))
        name = self.ctx.pick(item.name, item.name_en) if item else c.get("item_code", "")
        who = mask_name(c.get("member_name", "")) or c.get("member_id", "")
        status = c.get("status", "")
        view = status_view(status)
        self.status_chip.set_status(view.text(self.ctx.languages.is_chinese), view.tone)
        self.status_chip.show()
        amount = f" · {format_yuan(Decimal(c['amount']))}" if c.get("amount") and c.get("withdrawal") else ""
        self.summary.setText(f"{c['case_id']} · {name} · {who}" + amount
                             + (f"\n{c['summary']}" if c.get("summary") else ""))
        reasons = [r for r in c.get("reasons", []) if not r.get("rule", "").startswith("fraud.")]
        self.reasons.setText(self.tr("Reasons:") + "\n" + "\n".join(
            "• " + self.ctx.pick(r["zh"], r["en"]) for r in reasons) if reasons else "")
        fraud = c.get("fraud", [])
        self.fraud.setProperty("warn", bool(fraud))
        self.fraud.style().unpolish(self.fraud)
        self.fraud.style().polish(self.fraud)
        self.fraud.setText(self.tr("Fraud signals:") + "\n" + "\n".join("⚠ " + f for f in fraud) if fraud
                           else self.tr("No fraud signals."))

    def _show_facts(self) -> None:
        while self.facts_form.rowCount():
            self.facts_form.removeRow(0)
        if not self.facts:
            note = QLabel(self.ctx.pick("无账户数据（离线且本机无缓存）", "No account data (offline, nothing cached)")
                          if self.case is not None else "")
            self.facts_form.addRow(note)
            return
        for f in self.facts:
            value = QLabel(self.ctx.pick(f.value_zh, f.value_en))
            value.setObjectName(f"fact-{f.en.lower().replace(' ', '-')}")
            value.setProperty("warn", f.warn)
            if f.warn:
                value.setStyleSheet("font-weight: bold;")
            label = QLabel(self.ctx.pick(f.zh, f.en))
            label.setProperty("field", True)
            self.facts_form.addRow(label, value)

    def _show_scans(self) -> None:
        while self.thumbs.count():
            item = self.thumbs.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.thumb_buttons: list[Thumbnail] = []
        for n, (material, path) in enumerate(self.scans):
            thumb = Thumbnail(path, self._material_name(material))
            thumb.opened.connect(lambda _p, material=material, path=path: self.open_scan(material, path))
            self.thumbs.addWidget(thumb, n // THUMB_COLUMNS, n % THUMB_COLUMNS)
            thumb.show()  # now, not on the next event-loop turn (a parent already on screen)
            self.thumb_buttons.append(thumb)
        if self.case is None:
            self.scans_note.setText("")
        elif not self.scans:
            self.scans_note.setText(self.ctx.pick(
                "本柜台没有此案件的扫描件（在自助终端或其他柜台提交的材料请在中心系统查看）。",
                "No scans of this case at this counter (papers handed in at a kiosk or another counter are "
                "in the centre's system)."))
        else:
            self.scans_note.setText(self.ctx.pick(f"{len(self.scans)} 份扫描件", f"{len(self.scans)} scan(s)"))

    def open_scan(self, material: str, path: Path) -> None:
        self._close_zoom()
        self.zoomed = material
        self.zoom = ZoomDialog(path, self._material_name(material), self, self._zoom_hint())
        self.zoom.show()

    def _zoom_hint(self) -> str:
        return self.ctx.pick("按 Esc 或点击关闭", "Esc or a click closes it")

    def _close_zoom(self) -> None:
        if self.zoom is not None:
            self.zoom.close()
            self.zoom = None

    def _detail(self, entry: Any) -> str:
        """An audit row's detail in words: item and material codes by name."""
        d = str(entry.detail or "")
        cat = self.ctx.desk.catalogue
        if d in cat.items:
            return self.ctx.pick(cat.items[d].name, cat.items[d].name_en)
        if d in cat.materials:
            return self._material_name(d)
        return {"card": self.ctx.pick("读身份证", "ID card read"),
                "typed": self.ctx.pick("手工输入证件号", "ID number typed")}.get(d, d)

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
            figures = self.ctx.pick("，", ", ").join(f"{labels.get(k, k)} {self._figure(v)}"
                                                   for k, v in entry.get("figures", {}).items())
            who, scan = entry.get("clerk", ""), entry.get("scan_ref", "")
            lines.append(self.ctx.pick(f"• {name}：{figures}（{who}，{scan_word} {scan}）",
                                       f"• {name}: {figures} ({who}, {scan_word} {scan})"))
        return "\n".join(lines)

    def _figure(self, value: Any) -> str:
        if value is True or value is False:
            return self.ctx.pick("是", "yes") if value else self.ctx.pick("否", "no")
        return str(value)

    def decide(self, approve: bool) -> None:
        if self.case is None:
            return
        case_id, comment, state = self.case["case_id"], self.comment.toPlainText(), self.case.get("ledger_status", "")
        if not approve and not comment.strip():
            self.comment.setFocus()  # the refusal below says a comment is needed: the cursor is already there
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
