"""Second-hand house + loan in one window: one intake, linked sub-cases per department, one status."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem

from counter_app.bundle import STEPS, BundleStatus
from counter_app.casework import Member
from counter_app.context import CounterContext
from counter_app.fields import field_label
from counter_app.screens.base import Screen
from domain.masking import mask_id_number, mask_name
from domain.staff import Permission
from ui.status import chip_item
from ui.tables import fill_width, read_only_rows


class BundleScreen(Screen):
    key = "bundle"
    # Clerks open bundles and record other departments' steps; supervisors approve the loan step.
    permission = Permission.VIEW_WORKLIST

    def __init__(self, ctx: CounterContext) -> None:
        super().__init__(ctx)
        self.bundles = ctx.services.bundles
        self.member: Member | None = None
        self.parent_id = ""
        self.member_label = QLabel(objectName="bundle-member")
        self.layout_.addWidget(self.member_label)
        row = QHBoxLayout()
        self.property_id = QLineEdit(objectName="bundle-property")
        self.open_btn = QPushButton(objectName="open-bundle")
        self.open_btn.setProperty("primary", True)
        self.property_label = field_label(self.property_id)
        row.addWidget(self.property_label)
        row.addWidget(self.property_id, 1)
        row.addWidget(self.open_btn)
        self.layout_.addLayout(row)
        self.status = QLabel(objectName="bundle-status")
        self.status.setProperty("big", True)
        self.layout_.addWidget(self.status)
        self.table = QTableWidget(0, 4, objectName="sub-cases")
        self.table.verticalHeader().hide()
        read_only_rows(self.table)
        fill_width(self.table, stretch=(1, 2))
        self.layout_.addWidget(self.table, 1)
        row2 = QHBoxLayout()
        self.done_btn = QPushButton(objectName="step-done")
        self.print_btn = QPushButton(objectName="print-bundle")
        row2.addWidget(self.done_btn, 2)
        row2.addWidget(self.print_btn, 1)
        self.layout_.addLayout(row2)
        self.open_btn.clicked.connect(self.open_bundle)
        self.done_btn.clicked.connect(self.step_done)
        self.print_btn.clicked.connect(self.print_status)
        ctx.events.member_chosen.connect(self.set_member)
        self.retranslate()

    def menu_title(self) -> str:
        return self.tr("House + loan, one window")

    def retranslate(self) -> None:
        super().retranslate()
        self.property_label.setText(self.ctx.pick("不动产单元号/网签合同号", "Property unit / contract no."))
        self.property_id.setPlaceholderText(self.ctx.pick("如 140105001001GB…", "e.g. 140105001001GB…"))
        self.open_btn.setText(self.tr("Open one-window case"))
        self.done_btn.setText(self.tr("Mark the selected department's step done"))
        self.print_btn.setText(self.tr("Print the status for the member"))
        self.table.setHorizontalHeaderLabels([self.tr("Sub-case"), self.tr("Department"), self.tr("Step"),
                                              self.tr("Status")])
        self._show()

    def reset(self) -> None:
        super().reset()
        self.member, self.parent_id = None, ""
        self.property_id.clear()
        self._show()

    def load(self, parent_id: str) -> None:
        """Open a one-window case opened earlier at this counter (from the work list)."""
        record = self.ctx.desk.staff.case(parent_id)
        if record is None or not record.get("bundle"):
            self.inform(lambda: self.tr("This one-window case was opened at another counter."), "error")
            return
        self.member = Member(record["member_id"], record["id_number"], record["member_name"], None, False)
        self.parent_id = parent_id
        self.property_id.setText(record.get("property_id", ""))
        self.inform("")
        self._show()

    def set_member(self, member: Member) -> None:
        self.member = member
        self.parent_id = ""
        self._show()

    def open_bundle(self) -> None:
        if self.member is None:
            self.inform(lambda: self.tr("Identify the member on the intake screen first."), "error")
            return
        try:
            self.parent_id = self.bundles.open(self.member, self.property_id.text())
        except Exception as exc:
            self.fail(exc)
            return
        parent = self.parent_id
        self.inform(lambda: self.tr("One-window case %1 opened with %2 linked sub-cases.").replace(
            "%1", parent).replace("%2", str(len(STEPS))))
        self._show()
        self.ctx.events.cases_changed.emit()

    def step_done(self) -> None:
        row = self.table.currentRow()
        if not self.parent_id or row < 0:
            self.inform(lambda: self.tr("Choose a sub-case."), "error")
            return
        try:
            self.bundles.complete_step(self.parent_id, STEPS[row].key)
        except Exception as exc:
            self.fail(exc)
            return
        self._show()
        if self.bundles.status(self.parent_id).finished:
            self.ctx.events.service_finished.emit(self.parent_id, "second_hand_one_window")

    def _show(self) -> None:
        m = self.member
        self.member_label.setText(f"{mask_name(m.name)}  {mask_id_number(m.id_number)}" if m
                                  else self.tr("No member identified yet."))
        self.open_btn.setEnabled(m is not None and not self.parent_id)
        subs = self.bundles.sub_cases(self.parent_id) if self.parent_id else []
        self.table.setRowCount(len(subs))
        by_key = {s.key: s for s in STEPS}
        for row, sub in enumerate(subs):
            step = by_key[sub["step"]]
            done = sub.get("status") == "done"
            cells = (sub["case_id"], self.ctx.pick(step.department.value, step.department.en),
                     self.ctx.pick(step.zh, step.en), self.tr("done") if done else self.tr("in progress"))
            for col, text in enumerate(cells):
                self.table.setItem(row, col, chip_item(text, "ok" if done else "pending") if col == 3
                                   else QTableWidgetItem(text))
        self.done_btn.setEnabled(bool(subs))
        self.print_btn.setEnabled(bool(subs) and self.ctx.services.printer is not None)
        if self.parent_id:
            status: BundleStatus = self.bundles.status(self.parent_id)
            self.status.setText(f"{self.parent_id}: " + self.ctx.pick(*status.text()))
        else:
            self.status.setText("")

    def print_status(self) -> None:
        printer, member = self.ctx.services.printer, self.member
        if printer is None or member is None or not self.parent_id:
            return
        from counter_app.receipts import bundle_receipt

        desk, parent = self.ctx.desk, self.parent_id
        record = desk.staff.case(parent) or {}
        by_key = {s.key: s for s in STEPS}
        steps = [(by_key[c["step"]].zh, by_key[c["step"]].en, c.get("status") == "done")
                 for c in self.bundles.sub_cases(parent)]
        receipt = bundle_receipt(desk.settings.centre_name, desk.settings.hotline, parent,
                                 record.get("property_id", ""), member.name, member.id_number, steps,
                                 self.bundles.status(parent).text(), desk.clock())
        status = self.bundles.status(parent)
        desk.guard(Permission.PRINT, "print.bundle_status", case_id=parent)
        self.ctx.ops.run(lambda: printer.print_receipt(receipt, command_id=f"{parent}-{status.done}"),
                         lambda _r: self.inform(lambda: self.tr("Printed.")), self.fail, lane="print")
