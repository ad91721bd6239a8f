"""Staff accounts (supervisor): who may sign in, who is locked out; unlock (and, for a counter
without central staff, add). With central staff the list and the unlock are the ledger's; accounts
are added and roles granted at the centre (`hpf-ledger staff`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem

from counter_app.context import CounterContext
from counter_app.fields import labelled
from counter_app.screens.base import Screen, fit_columns
from domain.staff import Permission, StaffRole
from ui.tables import fill_width, read_only_rows


class StaffScreen(Screen):
    key = "staff"
    permission = Permission.MANAGE_STAFF

    def __init__(self, ctx: CounterContext) -> None:
        super().__init__(ctx)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("staff-table")
        self.table.verticalHeader().hide()
        read_only_rows(self.table)
        fill_width(self.table, stretch=(1,))
        self.layout_.addWidget(self.table, 1)
        self.unlock_btn = QPushButton()
        self.unlock_btn.setObjectName("unlock")
        self.layout_.addWidget(self.unlock_btn)
        row = QHBoxLayout()
        self.new_id, self.new_name, self.new_password = QLineEdit(), QLineEdit(), QLineEdit()
        self.new_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_role = QComboBox()
        self.add_btn = QPushButton()
        self.add_btn.setObjectName("add-staff")
        self.new_role.setObjectName("new-role")
        self.field_labels = []
        for w in (self.new_id, self.new_name, self.new_role, self.new_password):
            label, column = labelled(w)
            self.field_labels.append(label)
            row.addLayout(column, 1)
        row.addWidget(self.add_btn, 0, Qt.AlignmentFlag.AlignBottom)
        self.layout_.addLayout(row)
        self.unlock_btn.clicked.connect(self.unlock)
        self.add_btn.clicked.connect(self.add)
        self.retranslate()

    def menu_title(self) -> str:
        return self.tr("Staff accounts")

    def retranslate(self) -> None:
        super().retranslate()
        self.unlock_btn.setText(self.tr("Unlock the selected account"))
        self.add_btn.setText(self.tr("Add account"))
        for label, text in zip(self.field_labels, (self.tr("Staff id"), self.tr("Name"),
                                                   self.ctx.pick("角色", "Role"), self.tr("Initial password")),
                               strict=True):
            label.setText(text)
        self.new_role.clear()
        for role in StaffRole:
            self.new_role.addItem(self.ctx.pick(role.zh, role.value), role)
        self.table.setHorizontalHeaderLabels([self.tr("Staff id"), self.tr("Name"), self.tr("Role"),
                                              self.tr("Sign-in")])
        self._show()

    def enter(self) -> None:
        if self.central:
            self.inform(lambda: self.tr("Accounts and roles are managed at the centre (hpf-ledger staff)."))
        self._show()

    @property
    def central(self) -> bool:
        return getattr(self.ctx.desk, "remote", None) is not None

    def _show(self) -> None:
        for w in (self.new_id, self.new_name, self.new_role, self.new_password, self.add_btn):
            w.setEnabled(not self.central)
        if self.central:
            self.add_btn.setToolTip(self.tr("Accounts and roles are managed at the centre (hpf-ledger staff)."))
            self._show_central()
            return
        staff = self.ctx.desk.staff
        accounts = staff.accounts()
        now = datetime.now(UTC)
        self.table.setRowCount(len(accounts))
        for row, a in enumerate(accounts):
            state = staff.login_state(a.staff_id)
            if state.locked(now):
                sign_in = self.tr("locked, %1 min left").replace("%1", str(state.minutes_left(now)))
            elif state.failures:
                sign_in = self.tr("%n failed attempt(s)", "", state.failures)
            else:
                sign_in = self.tr("normal")
            for col, text in enumerate((a.staff_id, a.name, self.ctx.pick(a.role.zh, a.role.value), sign_in)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        fit_columns(self.table)

    def _show_central(self) -> None:
        desk = self.ctx.desk
        if not desk.session_token:
            self.table.setRowCount(0)
            self.inform(lambda: self.tr("Signed in offline: the centre's accounts can be managed only online."),
                        "error")
            return
        client = desk.runtime.client
        self.ctx.ops.run(lambda: client.staff_accounts(desk.session_token), self._central_rows, self.fail)

    def _central_rows(self, accounts: list[dict[str, Any]]) -> None:
        self.table.setRowCount(len(accounts))
        for row, a in enumerate(accounts):
            known = [StaffRole(r) for r in a.get("roles", []) if r in {x.value for x in StaffRole}]
            roles = "、".join(self.ctx.pick(r.zh, r.value) for r in known) or "—"
            if not a.get("active", True):
                sign_in = self.tr("disabled")
            elif a.get("minutes_locked"):
                sign_in = self.tr("locked, %1 min left").replace("%1", str(a["minutes_locked"]))
            elif a.get("failures"):
                sign_in = self.tr("%n failed attempt(s)", "", a["failures"])
            else:
                sign_in = self.tr("normal")
            for col, text in enumerate((a["username"], a["name"], roles, sign_in)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        fit_columns(self.table)

    def unlock(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        staff_id = self.table.item(row, 0).text()
        if self.central:
            desk = self.ctx.desk
            try:
                desk.guard(Permission.MANAGE_STAFF, "staff.unlock", detail=staff_id)
                desk.runtime.client.staff_unlock(desk.session_token, staff_id)
            except Exception as exc:
                self.fail(exc)
                return
            self.inform(lambda: self.tr("%1 unlocked.").replace("%1", staff_id))
            self._show()
            return
        try:
            me = self.ctx.desk.guard(Permission.MANAGE_STAFF, "staff.unlock", detail=staff_id)
            self.ctx.desk.staff.unlock(staff_id, me)
        except Exception as exc:
            self.fail(exc)
            return
        self.inform(lambda: self.tr("%1 unlocked.").replace("%1", staff_id))
        self._show()

    def add(self) -> None:
        staff_id, name, password = self.new_id.text().strip(), self.new_name.text().strip(), self.new_password.text()
        role = self.new_role.currentData()
        try:
            me = self.ctx.desk.guard(Permission.MANAGE_STAFF, "staff.add", detail=f"{staff_id} {role}")
            self.ctx.desk.staff.add_account(staff_id, name, role, password, by=me.staff_id)
        except Exception as exc:  # a bad id or a weak password: the message says which
            self.fail(exc)
            return
        self.new_password.clear()
        self.inform(lambda: self.tr("%1 added.").replace("%1", staff_id))
        self._show()
