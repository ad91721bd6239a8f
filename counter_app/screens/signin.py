"""Sign-in: staff id and password, checked by the ledger's central staff accounts (argon2, lockout,
roles). When the centre is unreachable, only staff who signed in online at this counter recently can
sign in, against the offline verifier the counter kept (sync.staff_auth); the screen says so."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton

from counter_app.context import CounterContext
from counter_app.screens.base import Screen


class SignInScreen(Screen):
    key = "signin"
    signed_in = Signal(object)  # StaffAccount

    def __init__(self, ctx: CounterContext) -> None:
        super().__init__(ctx)
        form = QFormLayout()
        self.staff_label, self.password_label = QLabel(), QLabel()
        self.staff_id = QLineEdit(objectName="staff-id")
        self.password = QLineEdit(objectName="password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.staff_label, self.staff_id)
        form.addRow(self.password_label, self.password)
        for field in (self.staff_id, self.password):
            field.setMaximumWidth(360)
        self.layout_.addLayout(form)
        self.submit = QPushButton(objectName="sign-in")
        self.submit.setMaximumWidth(460)
        self.submit.setProperty("primary", True)
        self.submit.clicked.connect(self.attempt)
        self.password.returnPressed.connect(self.attempt)
        self.layout_.addWidget(self.submit)
        self.offline_note = QLabel(objectName="offline-note")
        self.offline_note.setWordWrap(True)
        self.offline_note.setMaximumWidth(640)
        self.layout_.addWidget(self.offline_note)
        self.layout_.addStretch(1)
        self.retranslate()

    def menu_title(self) -> str:
        return self.tr("Staff sign-in")

    def retranslate(self) -> None:
        super().retranslate()
        self.staff_label.setText(self.tr("Staff id"))
        self.password_label.setText(self.tr("Password"))
        self.submit.setText(self.tr("Sign in"))
        remote = getattr(self.ctx.desk, "remote", None)
        self.offline_note.setVisible(remote is not None)
        self.offline_note.setText(self.tr(
            "Accounts are kept by the centre. Without a connection, only staff who signed in online at this "
            "counter in the last 72 hours can sign in; the centre checks their role for every action later."))

    def attempt(self) -> None:
        staff_id, password = self.staff_id.text().strip(), self.password.text()
        if not staff_id or not password:
            self.inform(lambda: self.tr("Enter your staff id and password."), "error")
            return
        self.submit.setEnabled(False)
        self.ctx.ops.run(lambda: self.ctx.desk.sign_in(staff_id, password), self._done, self._failed)

    def _done(self, result: Any) -> None:  # SignInResult or sync.staff_auth.RemoteSignIn
        self.submit.setEnabled(True)
        self.password.clear()
        if result.ok:
            self.inform("")
            self.signed_in.emit(result.account)
            return
        self.inform(lambda: self.ctx.pick(*result.message()), "error")

    def _failed(self, exc: BaseException) -> None:
        self.submit.setEnabled(True)
        self.fail(exc)
