"""My loan: balance, status, repayment day, amount due this period, periods left, overdue detail,
and the repayment plan of the remaining periods (computed by domain.calculator)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout

from domain.account import AccountSnapshot
from domain.calculator import InvalidLoanInput, RepaymentMethod, repayment_schedule
from domain.money import format_yuan
from kiosk.screens.member import MemberScreen, clear_table, fill_table, make_table
from ui.layouts import OrientationBox
from ui.paging import PagedTable
from ui.widgets import Banner, button, label

_STATUS_EN = {"审批中": "Under review", "待放款": "Awaiting payout", "正常": "Normal", "逾期": "Overdue",
              "结清": "Settled"}


class LoanScreen(MemberScreen):
    name = "loan"

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.none_note = label("", "body")
        self.root.addWidget(self.none_note)
        # no loan: the way to one (the loan limit check, where an application starts), not a blank screen
        self.precheck_button = button("", "primary")
        self.precheck_button.setObjectName("loan-precheck")
        self.precheck_button.setMinimumHeight(72)
        self.precheck_button.clicked.connect(lambda: self.ctx.go("precheck"))
        self.precheck_button.hide()
        offer = QHBoxLayout()
        offer.addWidget(self.precheck_button, 1)  # half the width: a large target, plainly a button
        offer.addStretch(1)
        self.root.addLayout(offer)
        self.overdue = Banner("banner-warn")
        self.overdue.setObjectName("overdue-banner")
        self.root.addWidget(self.overdue)
        # the loan's facts beside its repayment plan (portrait: above it), the plan paged to the room left
        box = OrientationBox()
        self.facts = self.facts_card(9, paged=True)  # nine rows: more than elderly mode's landscape room
        box.box.addWidget(self.facts, 1)
        right = self.plan_card = self.facts_card(0)
        right.setObjectName("repayment-plan-card")
        self.plan_title = label("", "key")
        self.plan = make_table(5)
        self.plan.setObjectName("repayment-plan")
        right.layout_.addWidget(self.plan_title)
        right.layout_.addWidget(PagedTable(self.plan), 1)
        box.box.addWidget(right, 1)
        self.root.addWidget(box, 1)
        self.retranslate()

    def fill(self, snap: AccountSnapshot) -> None:
        loan = snap.loan
        self.none_note.setVisible(loan is None)
        self.precheck_button.setVisible(loan is None)
        self.facts.setVisible(loan is not None)
        if loan is None:
            self.overdue.clear_text()
            clear_table(self.plan)
            self.plan_card.hide()  # no loan, no plan: not an empty table across the screen
            return
        zh = self.ctx.languages.is_chinese
        method = RepaymentMethod(loan.method_code) if loan.method_code in ("10", "20") else None
        values = [loan.contract_no, format_yuan(loan.amount), format_yuan(loan.balance),
                  loan.status.value if zh else _STATUS_EN.get(loan.status.value, loan.status.value),
                  (method.zh if zh else method.en) if method else loan.method_code,
                  f"{loan.rate_percent}%",
                  self.tr("Day %1 of each month").replace("%1", str(loan.repayment_day)),
                  f"{format_yuan(loan.due_total)} · " + self.tr("%n period(s) left", "", loan.periods_left),
                  loan.next_due_on.isoformat() if loan.next_due_on else "—"]
        for (_n, v), text in zip(self._facts, values, strict=True):
            v.setText(text)
        if loan.overdue_total > 0:
            self.overdue.show_text(self.tr("Overdue: principal %1, interest %2, penalty interest %3, total %4")
                                   .replace("%1", format_yuan(loan.overdue_principal))
                                   .replace("%2", format_yuan(loan.overdue_interest))
                                   .replace("%3", format_yuan(loan.overdue_penalty))
                                   .replace("%4", format_yuan(loan.overdue_total)))
        else:
            self.overdue.clear_text()
        rows: list[tuple[str, ...]] = []
        if method is not None and loan.periods_left > 0 and loan.balance > 0:
            try:
                schedule = repayment_schedule(loan.balance, loan.rate_percent, loan.periods_left, method)
            except InvalidLoanInput:
                schedule = []
            rows = [(str(loan.periods_paid + r.period), format_yuan(r.payment), format_yuan(r.principal),
                     format_yuan(r.interest), format_yuan(r.balance)) for r in schedule]
        fill_table(self.plan, self._headers(), rows)
        self.plan_card.setVisible(bool(rows))  # nothing left to repay (or no plan yet): the facts take the width

    def enter(self, **params: Any) -> None:
        super().enter(**params)
        self._applications()  # a loan application on its way (kiosk.loan_applying), asked once per visit

    def _applications(self) -> None:
        from kiosk.loan_applying import my_applications, progress_lines

        session = self.ctx.session
        if session.ledger_session is None:
            return

        def shown(views: list[Any]) -> None:
            lines = progress_lines(views, self.ctx.languages.is_chinese)
            if lines and session is self.ctx.session and session.active:
                base = self.tr("You have no housing provident fund loan.") if self.snapshot and \
                    self.snapshot.loan is None else ""
                self.none_note.setText("\n".join(x for x in (base, self.ctx.languages.pick(
                    "您的贷款申请：", "Your loan application:")) if x) + "\n" + "\n".join(lines))
                self.none_note.setVisible(True)
                self.precheck_button.hide()  # an application on its way: not a second one

        self.ctx.ops.run(lambda: my_applications(self.ctx.services, session), shown, lambda _exc: None)

    def _headers(self) -> list[str]:
        return [self.tr("Period"), self.tr("Payment"), self.tr("Principal"), self.tr("Interest"),
                self.tr("Balance after")]

    def wipe(self) -> None:
        super().wipe()
        self.overdue.clear_text()
        clear_table(self.plan)
        self.precheck_button.hide()

    def retranslate(self) -> None:
        self.title.setText(self.tr("My loan"))
        self.none_note.setText(self.tr("You have no housing provident fund loan."))
        self.plan_title.setText(self.tr("Repayment plan (illustrative, from today's balance)"))
        self.precheck_button.setText(self.pick("测算可贷额度", "Check how much I could borrow"))
        names = [self.tr("Contract no."), self.tr("Loan amount"), self.tr("Balance"), self.tr("Status"),
                 self.tr("Repayment method"), self.tr("Rate"), self.tr("Repayment day"),
                 self.tr("Due this period"), self.ctx.languages.pick("下次还款日", "Next due date")]
        for (n, _v), text in zip(self._facts, names, strict=True):
            n.setText(text)
        self.plan.setHorizontalHeaderLabels(self._headers())
        if self.snapshot is not None:
            self.show_snapshot()
