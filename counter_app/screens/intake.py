"""Case intake: identify the member (ID card or typed number), choose the business item, work the
materials checklist (shared data ticks what it proves and says so), capture papers with the
document camera, save or resume a draft, then let the rules decide."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
)

from counter_app.casework import DeskResult, Intake, LineState, Member, ResultKind
from counter_app.context import CounterContext
from counter_app.fields import field_label
from counter_app.screens.attest import AttestationForm
from counter_app.screens.base import Screen
from domain.catalogue import Category, Channel
from domain.masking import mask_id_number, mask_name
from domain.notice import notice_rows
from domain.staff import Permission
from sync.errors import NotFound
from ui.status import ResultPanel
from ui.tables import fill_width

SHARED_BG, MISSING_BG = QColor("#dff3e4"), QColor("#fde8c4")
# The result panel's colour per outcome (domain.case_status.Tone names).
RESULT_TONE = {ResultKind.INSTANT: "ok", ResultKind.ROUTED: "pending", ResultKind.NOTICE: "warn",
               ResultKind.REJECTED: "danger"}


class IntakeScreen(Screen):
    key = "intake"
    permission = Permission.INTAKE

    def __init__(self, ctx: CounterContext) -> None:
        super().__init__(ctx)
        self.cases = ctx.services.cases
        self.intake: Intake | None = None
        self.member: Member | None = None
        self.result: DeskResult | None = None
        row = QHBoxLayout()
        self.read_card = QPushButton(objectName="read-card")
        self.id_number = QLineEdit(objectName="id-number")
        self.id_number.setMaxLength(18)
        self.find_btn = QPushButton(objectName="find-member")
        self.id_label = field_label(self.id_number)
        for w in (self.read_card, self.id_label, self.id_number, self.find_btn):
            row.addWidget(w)
        self.layout_.addLayout(row)
        member_row = QHBoxLayout()
        self.member_label = QLabel(objectName="member")
        self.certificate_btn = QPushButton(objectName="certificate")
        member_row.addWidget(self.member_label, 1)
        member_row.addWidget(self.certificate_btn)
        self.layout_.addLayout(member_row)
        row2 = QHBoxLayout()
        self.item = QComboBox(objectName="item")
        self.property_id = QLineEdit(objectName="property-id")
        self.start = QPushButton(objectName="start")
        self.item_label, self.property_label = field_label(self.item), field_label(self.property_id)
        row2.addWidget(self.item_label)
        row2.addWidget(self.item, 2)
        row2.addWidget(self.property_label)
        row2.addWidget(self.property_id, 1)
        row2.addWidget(self.start)
        self.layout_.addLayout(row2)
        row3 = QHBoxLayout()
        self.drafts = QComboBox(objectName="drafts")
        self.resume_btn = QPushButton(objectName="resume")
        self.case_number = QLineEdit(objectName="case-number")
        self.resume_number_btn = QPushButton(objectName="resume-number")
        self.drafts_label, self.case_number_label = field_label(self.drafts), field_label(self.case_number)
        row3.addWidget(self.drafts_label)
        row3.addWidget(self.drafts, 2)
        row3.addWidget(self.resume_btn)
        row3.addWidget(self.case_number_label)
        row3.addWidget(self.case_number, 1)
        row3.addWidget(self.resume_number_btn)
        self.layout_.addLayout(row3)
        self.table = QTableWidget(0, 3, objectName="checklist")
        self.table.verticalHeader().hide()
        fill_width(self.table, stretch=(0, 2))
        self.layout_.addWidget(self.table, 1)
        self.attest_form = AttestationForm(ctx, self.attest)
        self.layout_.addWidget(self.attest_form)
        self.table.currentCellChanged.connect(lambda *_: self._show_attestation())
        # Space ticks (or unticks) the current line whichever column the cursor is in (keyboard intake)
        tick = QShortcut(QKeySequence(Qt.Key.Key_Space), self.table, context=Qt.ShortcutContext.WidgetShortcut)
        tick.activated.connect(self._tick_current)
        row4 = QHBoxLayout()
        self.capture_btn = QPushButton(objectName="capture")
        self.save_btn = QPushButton(objectName="save-draft")
        self.decide_btn = QPushButton(objectName="decide")
        self.decide_btn.setProperty("primary", True)
        for w in (self.capture_btn, self.save_btn, self.decide_btn):
            row4.addWidget(w)
        self.layout_.addLayout(row4)
        self.outcome = ResultPanel()  # the decision in its colour: icon, headline, next step, reasons
        self.layout_.addWidget(self.outcome)
        row5 = QHBoxLayout()
        self.print_btn = QPushButton(objectName="print-receipt")
        self.pdf_btn = QPushButton(objectName="save-pdf")
        row5.addWidget(self.print_btn)
        row5.addWidget(self.pdf_btn)
        self.layout_.addLayout(row5)
        self.read_card.clicked.connect(self.read_id_card)
        self.find_btn.clicked.connect(self.find_typed)
        self.id_number.returnPressed.connect(self.find_typed)
        self.start.clicked.connect(self.start_case)
        self.resume_btn.clicked.connect(self.resume_draft)
        self.resume_number_btn.clicked.connect(self.resume_number)
        self.case_number.returnPressed.connect(self.resume_number)
        self.table.itemChanged.connect(self._ticked)
        self.capture_btn.clicked.connect(self.capture)
        self.save_btn.clicked.connect(self.save_draft)
        self.decide_btn.clicked.connect(self.decide)
        self.print_btn.clicked.connect(self.print_receipt)
        self.pdf_btn.clicked.connect(self.save_pdf)
        self.certificate_btn.clicked.connect(self.certificate)
        self.retranslate()

    def menu_title(self) -> str:
        return self.tr("Case intake")

    def retranslate(self) -> None:
        super().retranslate()
        self.read_card.setText(self.tr("Read ID card"))
        pick = self.ctx.pick
        self.id_label.setText(pick("身份证号", "ID number"))
        self.id_number.setPlaceholderText(self.tr("or type the ID number"))
        self.item_label.setText(pick("业务事项", "Business item"))
        self.property_label.setText(pick("不动产单元号/合同号", "Property / contract no."))
        self.drafts_label.setText(pick("我的草稿", "My drafts"))
        self.case_number_label.setText(pick("告知书/案件编号", "Notice / case no."))
        self.find_btn.setText(self.tr("Find member"))
        self.property_id.setPlaceholderText(pick("如有", "if any"))
        self.start.setText(self.tr("Start case"))
        self.resume_btn.setText(self.tr("Resume draft"))
        self.case_number.setPlaceholderText(pick("如 CT-20261206-…", "e.g. CT-20261206-…"))
        self.resume_number_btn.setText(self.tr("Continue this case"))
        self.capture_btn.setText(self.tr("Capture selected with the document camera"))
        self.save_btn.setText(self.tr("Save draft"))
        self.decide_btn.setText(self.tr("Decide"))
        self.print_btn.setText(self.tr("Print receipt"))
        self.pdf_btn.setText(self.tr("A4 / PDF"))
        self.certificate_btn.setText(self.tr("Deposit certificate (A4 / PDF)"))
        self.table.setHorizontalHeaderLabels([self.tr("Material"), self.tr("Presented"), self.tr("Status")])
        current = self.item.currentData()
        self.item.clear()
        for it in self.ctx.desk.catalogue.for_channel(Channel.COUNTER):
            if it.category is not Category.TOOL:
                self.item.addItem(self.ctx.pick(it.name, it.name_en), it.code)
        if current:
            self.item.setCurrentIndex(max(0, self.item.findData(current)))
        self._show_member()
        self._show_checklist()
        self._show_result()

    def enter(self) -> None:
        self._load_drafts()
        self._update_buttons()

    def reset(self) -> None:
        super().reset()
        self.member, self.intake, self.result = None, None, None
        self.id_number.clear()
        self.case_number.clear()
        self.property_id.clear()
        self.drafts.clear()
        self._show_member()
        self._show_checklist()
        self._show_result()
        self._update_buttons()

    # --- member ----------------------------------------------------------------------------------

    def read_id_card(self) -> None:
        reader = self.ctx.services.id_reader
        if reader is None:
            self.inform(lambda: self.tr("No ID card reader is connected: type the ID number."), "error")
            return
        self.inform(lambda: self.tr("Put the ID card on the reader…"))
        self.ctx.ops.run(lambda: reader.read_card(5.0), self._card, self.fail, lane="device")

    def _card(self, record: Any) -> None:
        if record is None:
            self.inform(lambda: self.tr("No card was read. Try again or type the ID number."), "error")
            return
        self.use_card(record.id_number, record.name)

    def use_card(self, id_number: str, name: str) -> None:
        """A card was read (by the reader or a test): look the member up."""
        self._lookup(id_number, name, card_read=True)

    def find_typed(self) -> None:
        from domain.identity import parse_id_number

        text = self.id_number.text().strip().upper()
        try:
            parse_id_number(text)
        except ValueError as exc:
            self.fail(exc)  # InvalidIdNumber says why, in both languages
            return
        self._lookup(text, "", card_read=False)

    def _lookup(self, id_number: str, name: str, *, card_read: bool) -> None:
        self.member, self.intake, self.result = None, None, None  # a new card: the last member is gone
        self._show_member()
        self._show_checklist()
        self._show_result()
        self._update_buttons()
        self.inform(lambda: self.tr("Looking the member up…"))
        self.ctx.ops.run(lambda: self.cases.find_member(id_number, name, card_read=card_read), self._found,
                         self._not_found)

    def _found(self, member: Member) -> None:
        self.member, self.intake, self.result = member, None, None
        self.inform("")
        self.ctx.events.member_chosen.emit(member)
        self._show_member()
        self._show_checklist()
        self._show_result()
        self._update_buttons()
        self.item.setFocus()  # keyboard: the item next (arrows), then F8 starts the case

    def _not_found(self, exc: BaseException) -> None:
        if isinstance(exc, NotFound):
            self.inform(lambda: self.tr("No member with this ID number."), "error")
        else:
            self.fail(exc)

    def _show_member(self) -> None:
        m = self.member
        if m is None:
            self.member_label.setText(self.tr("No member identified yet."))
            return
        how = self.tr("ID card read") if m.card_read else self.tr("ID number typed")
        text = f"{mask_name(m.name)}  {mask_id_number(m.id_number)}  ({how})"
        if m.snapshot is not None and m.snapshot.source == "cache":
            text += "  " + self.tr("Account data from the local cache, as of %1 (offline)").replace(
                "%1", m.snapshot.as_of.astimezone().strftime("%m-%d %H:%M"))
        self.member_label.setText(text)

    # --- case ------------------------------------------------------------------------------------

    def start_case(self) -> None:
        if self.member is None:
            self.inform(lambda: self.tr("Identify the member first."), "error")
            return
        try:
            self.intake = self.cases.start(self.member, self.item.currentData())
            self.intake.property_id = self.property_id.text().strip()
        except Exception as exc:
            self.fail(exc)
            return
        self.result = None
        case_id = self.intake.case_id
        self.inform(lambda: self.tr("Case %1 opened.").replace("%1", case_id))
        self._show_checklist()
        self._show_result()
        self._update_buttons()
        self.ctx.events.case_started.emit(self.intake)
        self.ctx.events.cases_changed.emit()
        self.table.setFocus()  # keyboard: arrows and Space tick what the member hands over, F9 decides
        if self.table.rowCount():
            self.table.setCurrentCell(0, 1)

    def _show_checklist(self) -> None:
        self.table.blockSignals(True)
        notice = self.result.notice if self.result is not None else None
        lines = self.cases.checklist(self.intake, notice) if self.intake else []
        self.table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            name = QTableWidgetItem(self.ctx.pick(line.name, line.name_en))
            name.setData(Qt.ItemDataRole.UserRole, line.material)
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            tick = QTableWidgetItem()
            fixed = line.state in (LineState.SHARED, LineState.READ, LineState.CAPTURED, LineState.ATTESTED)
            tick.setFlags(Qt.ItemFlag.ItemIsEnabled | (Qt.ItemFlag.NoItemFlags if fixed
                                                        else Qt.ItemFlag.ItemIsUserCheckable))
            tick.setCheckState(Qt.CheckState.Checked if line.satisfied else Qt.CheckState.Unchecked)
            note = QTableWidgetItem(self.ctx.pick(*line.note()))
            note.setFlags(note.flags() & ~Qt.ItemFlag.ItemIsEditable)
            color = SHARED_BG if line.state is LineState.SHARED else MISSING_BG if not line.satisfied else None
            for col, item in enumerate((name, tick, note)):
                if color is not None:
                    item.setBackground(color)
                self.table.setItem(row, col, item)
        self.table.blockSignals(False)
        self._show_attestation()

    def _tick_current(self) -> None:
        row = self.table.currentRow()
        tick = self.table.item(row, 1) if row >= 0 else None
        if tick is None or not tick.flags() & Qt.ItemFlag.ItemIsUserCheckable:
            return
        checked = tick.checkState() == Qt.CheckState.Checked
        tick.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)  # _ticked records it
        self.table.setCurrentCell(row, 1)

    def _ticked(self, item: QTableWidgetItem) -> None:
        if self.intake is None or item.column() != 1:
            return
        material = self.table.item(item.row(), 0).data(Qt.ItemDataRole.UserRole)
        try:
            self.cases.mark_presented(self.intake, material, item.checkState() == Qt.CheckState.Checked)
        except Exception as exc:
            self.fail(exc)
        self._show_checklist()

    def _selected_material(self) -> tuple[str | None, tuple[str, str]]:
        row = self.table.currentRow()
        if self.intake is None or row < 0 or self.table.item(row, 0) is None:
            return None, ("", "")
        material = self.table.item(row, 0).data(Qt.ItemDataRole.UserRole)
        m = self.ctx.desk.catalogue.material(material)
        return material, (m.name, m.name_en)

    def _show_attestation(self) -> None:
        material, name = self._selected_material()
        if material is None or self.result is not None or material not in self._paper_lines():
            self.attest_form.show_for(None, name)
            return
        assert self.intake is not None
        captured = self.intake.captured.get(material, "")
        self.attest_form.show_for(material, name, scan_ref=captured.rsplit("/", 1)[-1] if captured else "",
                                  done=self.intake.attested.get(material))

    def _paper_lines(self) -> set[str]:
        """Materials not proved by shared data or the card: the ones a clerk may attest."""
        lines = self.cases.checklist(self.intake) if self.intake else []
        return {line.material for line in lines if line.state not in (LineState.SHARED, LineState.READ)}

    def attest(self, material: str, figures: dict[str, Any], scan_ref: str) -> None:
        if self.intake is None:
            return
        try:
            self.cases.attest(self.intake, material, figures, scan_ref)
        except Exception as exc:  # a bad figure or no scan: the message names it
            self.fail(exc)
            return
        names = self.ctx.desk.catalogue.material(material)
        self.inform(lambda: self.tr("Attestation of %1 recorded; a supervisor approves it with the case.").replace(
            "%1", self.ctx.pick(names.name, names.name_en)))
        self._show_checklist()
        self._show_attestation()

    def capture(self) -> None:
        camera = self.ctx.services.camera
        row = self.table.currentRow()
        if self.intake is None or row < 0:
            self.inform(lambda: self.tr("Choose the material to capture in the list."), "error")
            return
        if camera is None:
            self.inform(lambda: self.tr("No document camera is connected."), "error")
            return
        material = self.table.item(row, 0).data(Qt.ItemDataRole.UserRole)
        folder = self.ctx.services.case_files / self.intake.case_id
        intake = self.intake

        def shoot() -> str:
            from hardware.camera.output import save_jpeg

            page = camera.capture_page()
            return str(save_jpeg(page.image, folder / f"{material}.jpg"))

        def saved(path: str) -> None:
            self.cases.capture(intake, material, path)
            self.inform(lambda: self.tr("Captured into the case file."))
            self._show_checklist()

        self.ctx.ops.run(shoot, saved, self.fail)

    def save_draft(self) -> None:
        if self.intake is None:
            return
        try:
            self.cases.save_draft(self.intake)
        except Exception as exc:
            self.fail(exc)
            return
        self.inform(lambda: self.tr("Draft saved; resume it any time from the list above."))
        self._load_drafts()

    def _load_drafts(self) -> None:
        self.drafts.clear()
        if self.ctx.desk.account is None:
            return
        for d in self.ctx.desk.staff.drafts(self.ctx.desk.me.staff_id):
            self.drafts.addItem(f"{d.draft_id} · {mask_name(d.body.get('name', ''))} · {d.item_code}", d.body)
        self.resume_btn.setEnabled(self.drafts.count() > 0)

    def resume_draft(self) -> None:
        body = self.drafts.currentData()
        if not body:
            return
        self.ctx.ops.run(lambda: self.cases.resume(body), self._resumed, self.fail)

    def resume_number(self) -> None:
        number = self.case_number.text().strip()
        if not number:
            return
        self.ctx.ops.run(lambda: self.cases.resume_by_number(number), self._resumed, self.fail)

    def _resumed(self, intake: Intake) -> None:
        self.intake, self.member, self.result = intake, intake.member, None
        self.item.setCurrentIndex(max(0, self.item.findData(intake.item_code)))
        self.property_id.setText(intake.property_id)
        self.inform(lambda: self.tr("Draft %1 resumed.").replace("%1", intake.case_id))
        self.ctx.events.member_chosen.emit(intake.member)
        self.ctx.events.case_started.emit(intake)
        self._show_member()
        self._show_checklist()
        self._show_result()
        self._update_buttons()

    def decide(self) -> None:
        if self.intake is None:
            return
        self.intake.property_id = self.property_id.text().strip() or self.intake.property_id
        intake = self.intake
        self.decide_btn.setEnabled(False)  # one decision per click: it runs off the GUI thread, in one commit
        self.ctx.ops.run(lambda: self.cases.decide(intake), lambda result: self._decided(intake, result),
                         self._not_decided)

    def _not_decided(self, exc: BaseException) -> None:
        self._update_buttons()
        self.fail(exc)

    def _decided(self, intake: Intake, result: DeskResult) -> None:
        self.result = result
        self.inform("")  # the result panel says what happened; "case opened" would be stale
        self._show_result()
        self._update_buttons()
        self.ctx.events.cases_changed.emit()
        if result.kind is not ResultKind.NOTICE:  # served: the member rates it (a notice means "come back")
            self.ctx.events.service_finished.emit(intake.case_id, intake.item_code)

    def _show_result(self) -> None:
        r = self.result
        if r is None:
            self.outcome.clear()
            return
        lines = []
        for reason in r.reasons:
            if reason.verdict.name != "PASS":
                lines.append("• " + self.ctx.pick(reason.zh, reason.en))
        if r.notice is not None:  # the notice's own rows (domain.notice.notice_rows), as on paper
            lines += [row.text(self.ctx.languages.is_chinese) for row in notice_rows(r.notice)]
        self.outcome.show_result(RESULT_TONE[r.kind], self.ctx.pick(r.zh, r.en), self.ctx.pick(r.next_zh, r.next_en),
                                 lines)

    def _update_buttons(self) -> None:
        has_case = self.intake is not None
        self.start.setEnabled(self.member is not None)
        self.certificate_btn.setEnabled(self.member is not None and self.member.snapshot is not None)
        for w in (self.capture_btn, self.save_btn, self.decide_btn):
            w.setEnabled(has_case and self.result is None)
        self.print_btn.setEnabled(self.result is not None)
        self.pdf_btn.setEnabled(self.result is not None)

    # --- printing --------------------------------------------------------------------------------

    def print_receipt(self) -> None:
        if self.result is None or self.intake is None:
            return
        printer = self.ctx.services.printer
        if printer is None:
            self.inform(lambda: self.tr("No receipt printer: use A4 / PDF."), "error")
            return
        from counter_app.receipts import case_receipt, notice_receipt

        desk, intake, result = self.ctx.desk, self.intake, self.result
        item = desk.catalogue.item(intake.item_code)
        if result.notice is not None:
            receipt = notice_receipt(desk.settings.centre_name, result.notice)
        else:
            receipt = case_receipt(desk.settings.centre_name, desk.settings.hotline, intake.case_id, item.name,
                                   item.name_en, intake.member.name, intake.member.id_number, result,
                                   desk.settings.window, desk.me.staff_id, desk.clock(),
                                   bank_card=intake.member.snapshot.account.bank_account
                                   if intake.member.snapshot is not None else "")
        desk.guard(Permission.PRINT, "print.receipt", case_id=intake.case_id)
        self.ctx.ops.run(lambda: printer.print_receipt(receipt, command_id=f"{intake.case_id}-{result.kind}"),
                         lambda _: self.inform(lambda: self.tr("Printed.")), self.fail, lane="print")

    def save_pdf(self) -> None:
        if self.result is None or self.intake is None:
            return
        from counter_app import a4

        desk, intake, result = self.ctx.desk, self.intake, self.result
        if result.notice is not None:
            html = a4.notice_html(desk.settings.centre_name, result.notice)
            name = f"{intake.case_id}-notice.pdf"
        else:
            rows = [(self.ctx.pick(r.zh, r.en),) for r in result.reasons if r.verdict.name != "PASS"]
            html = a4.table_html(f"案件摘要 Case summary {intake.case_id}", desk.settings.centre_name,
                                 [self.ctx.pick(result.zh, result.en)], rows or [("—",)],
                                 self.ctx.pick(result.next_zh, result.next_en))
            name = f"{intake.case_id}-summary.pdf"
        desk.guard(Permission.PRINT, "print.a4", case_id=intake.case_id, detail=name)
        html = self._with_code(html, intake, result)
        path = a4.write_pdf(html, self.ctx.services.case_files / intake.case_id / name, name)
        printed = a4.print_a4(html)
        self.ctx.extras["last_pdf"] = path
        self.inform(lambda: self.tr("PDF saved: %1").replace("%1", str(path))
                    + ("" if printed else " " + self.tr("(no A4 printer configured)")))

    def _with_code(self, html: str, intake: Any, result: Any) -> str:
        """Every A4 document carries a code and QR the centre can verify (registered through the outbox)."""
        from counter_app import a4
        from domain.certificates import DocType, new_code, registration, verify_url
        from domain.masking import mask_name

        desk = self.ctx.desk
        item = desk.catalogue.item(intake.item_code)
        facts: dict[str, str | int] = {
            "case_id": intake.case_id, "item": item.name, "name": mask_name(intake.member.name),
            "status": result.zh[:200], "issued_at": desk.clock().astimezone(a4.BEIJING).strftime("%Y-%m-%d %H:%M"),
            "terminal": desk.settings.terminal_id}
        code = new_code()
        kind = DocType.NOTICE if result.notice is not None else DocType.CASE
        desk.enqueue("certificate.issue", registration(code, facts, kind), intake.member.member_id)
        block = a4.verification_html(code, verify_url(self.ctx.services.config.terminal.policy_city))
        return html.replace("</body>", block + "</body>", 1)

    def certificate(self) -> None:
        """缴存证明 on A4: the account as the ledger (or, offline, the cache) last said, with its date."""
        member = self.member
        if member is None or member.snapshot is None:
            return
        from counter_app import a4

        desk = self.ctx.desk
        now = desk.clock()
        desk.guard(Permission.PRINT, "print.deposit_certificate", detail=member.member_id)
        from domain.certificates import deposit_facts, new_code, registration, verify_url

        code = new_code()
        facts = deposit_facts(member.snapshot, terminal_id=desk.settings.terminal_id,
                              issued_at=now.astimezone(a4.BEIJING))
        desk.enqueue("certificate.issue", registration(code, facts), member.member_id)  # verifiable once synced
        html = a4.certificate_html(desk.settings.centre_name, member.snapshot, now, code,
                                   verify_url(self.ctx.services.config.terminal.policy_city))
        name = f"certificate-{member.member_id}-{now:%Y%m%d%H%M%S}.pdf"
        path = a4.write_pdf(html, self.ctx.services.case_files / "certificates" / name, name)
        printed = a4.print_a4(html)
        self.ctx.extras["last_pdf"] = path
        self.inform(lambda: self.tr("PDF saved: %1").replace("%1", str(path))
                    + ("" if printed else " " + self.tr("(no A4 printer configured)")))
