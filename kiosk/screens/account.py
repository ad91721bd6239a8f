"""Account summary (我的账户): balance, status, deposit base and ratios, paid-up-to month.

From the card on the reader this screen opens by itself: the balance takes no touch at all.
"""

from __future__ import annotations

from typing import Any

from domain.account import AccountSnapshot
from domain.money import format_yuan
from kiosk.screens.member import MemberScreen
from ui.layouts import flow_row
from ui.widgets import button, label


class AccountScreen(MemberScreen):
    name = "account"

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.balance_name = label("", "body")
        self.balance = label("", "amount")
        self.balance.setObjectName("balance")
        self.root.addWidget(self.balance_name)
        self.root.addWidget(self.balance)
        self.root.addWidget(self.facts_card(7, landscape_columns=2))
        self.more: dict[str, Any] = {}
        for key in ("deposits", "withdrawal_history", "loan", "withdraw", "print"):
            b = button("", "primary" if key == "withdraw" else "secondary")
            b.setObjectName(f"goto-{key}")
            b.clicked.connect(lambda _=False, k=key: self.ctx.go(k))
            self.more[key] = b
        self.root.addWidget(flow_row(list(self.more.values())))
        self.root.addStretch(1)
        self.retranslate()

    def fill(self, snap: AccountSnapshot) -> None:
        a = snap.account
        self.balance.setText(format_yuan(a.balance))
        values = [
            a.status_label if self.ctx.languages.is_chinese else {"01": "Normal", "02": "Sealed"}.get(
                a.status_code, a.status_label),
            format_yuan(a.available),
            format_yuan(a.deposit_base),
            f"{a.unit_ratio}% + {a.personal_ratio}%",
            format_yuan(a.monthly_deposit),
            a.paid_up_to,
            a.employer_name,
        ]
        for (_n, v), text in zip(self._facts, values, strict=True):
            v.setText(text)
        self.more["loan"].setVisible(snap.loan is not None)

    def wipe(self) -> None:
        super().wipe()
        self.balance.setText("")

    def retranslate(self) -> None:
        self.title.setText(self.tr("My account"))
        self.balance_name.setText(self.tr("Balance"))
        names = [self.tr("Account status"), self.tr("Available to withdraw"), self.tr("Deposit base"),
                 self.tr("Deposit ratio (employer + you)"), self.tr("Monthly deposit"), self.tr("Paid up to"),
                 self.tr("Employer")]
        for (n, _v), text in zip(self._facts, names, strict=True):
            n.setText(text)
        texts = {"deposits": self.tr("My deposits"), "withdrawal_history": self.tr("My withdrawals"),
                 "loan": self.tr("My loan"), "withdraw": self.tr("Withdraw"), "print": self.tr("Print")}
        for key, b in self.more.items():
            b.setText(texts[key])
        if self.snapshot is not None:
            self.show_snapshot()

    def voice_prompt(self) -> str:  # never the balance: the hall hears what is spoken (kiosk/voice_prompts.py)
        return super().voice_prompt()
