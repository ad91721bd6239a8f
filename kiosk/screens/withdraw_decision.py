"""The rules' answer for one withdrawal type, and the member's confirmation.

The decision is a provisional preview: `domain.withdrawals.decide` on the session's snapshot and the
department facts the centre fetched (sync.centre_facts); the ledger decides again on its own fetch
when the application arrives. The screen shows the outcome (秒批 / approved / review / missing materials /
refused), the amount in figures and Chinese capitals, the card it will be paid to and every
reason. Confirming writes the application to the outbox in one durable commit, then the receipt
screen prints it. Missing materials lead to the one-time notice and a queue ticket.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QHBoxLayout

from domain.decision import Decision, Outcome, Verdict
from domain.evidence import NoSharedData
from domain.masking import mask_bank_card
from domain.money import chinese_capital, format_yuan
from domain.withdrawals import WithdrawalApplication, WithdrawalType, decide
from kiosk import applications, policies
from kiosk.outcomes import blocks_account
from kiosk.screens.member import MemberScreen
from kiosk.screens.waiting import DecisionWait
from kiosk.screens.withdraw import item_for, load_kiosk_catalogue
from ui.widgets import Banner, Card, button, label

_MARK = {Verdict.PASS: "✓", Verdict.REVIEW: "⚠", Verdict.MISSING: "✗", Verdict.REJECT: "✗"}


class WithdrawDecisionScreen(MemberScreen):
    name = "withdraw_decision"

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.catalogue = load_kiosk_catalogue(ctx.config.terminal.policy_city)
        self.policy = policies.withdrawal_policy(ctx.config.terminal.policy_city)
        self.wtype: WithdrawalType | None = None
        self.decision: Decision | None = None
        self._shared: Any = None
        self.banner = Banner("banner-warn")
        self.banner.setObjectName("decision-banner")
        self.root.addWidget(self.banner)
        card = Card()
        self.outcome = label("", "title")
        self.outcome.setObjectName("decision-outcome")
        self.amount = label("", "amount")
        self.amount.setObjectName("decision-amount")
        self.capital = label("", "body")
        self.payout = label("", "body")
        self.reasons = label("", "body")
        self.reasons.setObjectName("decision-reasons")
        for w in (self.outcome, self.amount, self.capital, self.payout, self.reasons):
            card.layout_.addWidget(w)
        self.root.addWidget(card)
        row = QHBoxLayout()
        self.confirm = button("", "primary")
        self.confirm.setObjectName("confirm-withdrawal")
        self.confirm.clicked.connect(self._submit)
        self.notice_button = button("", "primary")
        self.notice_button.setObjectName("one-time-notice")
        self.notice_button.clicked.connect(self._notice)
        row.addWidget(self.notice_button)
        row.addWidget(self.confirm)
        self.root.addLayout(row)
        self.wait = DecisionWait()
        self.root.addWidget(self.wait)
        self.root.addStretch(1)
        self.retranslate()

    def enter(self, **params: Any) -> None:
        super().enter(**params)
        if "wtype" in params:
            self.wtype = WithdrawalType(params["wtype"])
        self._clear_result()
        self._set_title()
        snap = self.snapshot
        if snap is None or self.wtype is None:
            return
        if self.policy is None:
            self.banner.show_text(self.tr("The withdrawal rules could not be loaded; please ask at a counter."))
            return
        if f"withdrawal.{self.wtype.value}" in self.ctx.session.services_used:
            # a second tap through "back" must not file the same application twice
            self.banner.show_text(self.tr("You have just applied for this withdrawal; it is being processed."))
            return
        self.outcome.setText(self.tr("Checking your eligibility…"))
        source = self.ctx.services.extras.get("shared_data") or NoSharedData()
        policy, wtype = self.policy, self.wtype
        today = datetime.now(UTC).astimezone(ZoneInfo(self.ctx.config.terminal.timezone)).date()
        opened = self.ctx.session.ledger_session  # the ledger shows a kiosk facts only within the member's session
        token = opened.token if opened is not None else None

        def work() -> tuple[Decision, Any]:
            # a provisional preview on the facts the centre fetched; the ledger decides again on its own fetch
            for_type = getattr(source, "facts_for_withdrawal", None)
            shared = for_type(snap, wtype.value, token) if for_type is not None else source.facts_for(snap)
            return decide(WithdrawalApplication(wtype, snap, shared, on=today), policy), shared

        self.ctx.ops.run(work, self._show_decision, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.outcome.setText("")
        zh, en = getattr(exc, "zh", None), getattr(exc, "en", None)
        self.banner.show_text(self.pick(zh, en) if zh and en else
                              self.tr("The rules could not be checked right now; please try again or ask at a "
                                      "counter."))

    def _show_decision(self, result: tuple[Decision, Any]) -> None:
        decision, self._shared = result
        self.decision = decision
        if decision.outcome is Outcome.REJECTED and self.ctx.window is not None \
                and self.ctx.window.current == self.name:  # issue 13: a refusal is a screen with its clause
            refused = next((r for r in decision.reasons if r.verdict is Verdict.REJECT), None)
            if refused is not None and blocks_account(decision):
                self.ctx.go("account-frozen", remember=False, zh=refused.zh, en=refused.en, clause=refused.clause)
            else:
                self.ctx.go("withdraw-refused", remember=False, decision=decision)
            return
        zh = self.ctx.languages.is_chinese
        titles = {Outcome.APPROVED: self.tr("Approved"), Outcome.REVIEW: self.tr("A clerk will check it"),
                  Outcome.MISSING_MATERIALS: self.tr("Materials are missing"),
                  Outcome.REJECTED: self.tr("Not possible")}
        title = titles[decision.outcome]
        if decision.instant:
            title = self.tr("Approved instantly")
        self.outcome.setText(title)
        payable = decision.outcome in (Outcome.APPROVED, Outcome.REVIEW) and decision.amount > 0
        self.amount.setVisible(payable)
        self.capital.setVisible(payable and zh)
        if payable:
            self.amount.setText(format_yuan(decision.amount))
            self.capital.setText(chinese_capital(decision.amount))
        card = self.snapshot.account.bank_account if self.snapshot is not None else ""
        paid_to = (self.tr("Paid to your card %1").replace("%1", mask_bank_card(card)) if payable and card
                   else "")
        closing = decision.closing_note  # a retirement withdrawal closes the account (销户): say so before confirming
        self.payout.setText("\n".join(t for t in (paid_to, self.pick(*closing) if closing else "") if t))
        lines = [f"{_MARK[r.verdict]} {r.zh if zh else r.en}" for r in decision.reasons]
        self.reasons.setText("\n".join(lines))
        self.confirm.setVisible(payable)
        self.notice_button.setVisible(decision.outcome is Outcome.MISSING_MATERIALS)
        if payable and not self.ctx.session.can_apply:  # identified by the ID card alone, offline
            self.banner.show_text(self.pick(applications.NEEDS_QR.zh, applications.NEEDS_QR.en), "banner-warn")

    def _submit(self) -> None:
        decision, snap, wtype = self.decision, self.snapshot, self.wtype
        if decision is None or snap is None or wtype is None or self.ctx.services.outbox is None:
            return
        self.confirm.setEnabled(False)
        if wtype is WithdrawalType.REPAY_HPF_LOAN and snap.loan is not None:
            # 冲还贷 is a signing, not a payout: the ledger deducts each instalment from now on
            kind = "loan_offset.sign"
            payload: dict[str, Any] = {"loan_id": snap.loan.contract_no, "mode": "monthly", "channel": "kiosk"}
        else:
            kind = "withdrawal.apply"
            # an application, never facts: the member's confirmation authorises the centre's look-ups
            payload = {"withdrawal_type": wtype.value, "amount_fen": int(decision.amount * 100), "channel": "kiosk",
                       "payout_card": snap.account.bank_account,
                       "authorisation": {"method": "kiosk_confirm",
                                         "granted_at": datetime.now(UTC).isoformat(timespec="seconds"),
                                         "reference": f"withdrawal.{wtype.value}"}}
        session, services = self.ctx.session, self.ctx.services
        if not session.can_apply:  # an ID card alone: it identifies, it does not authorize moving money
            self.confirm.setEnabled(True)
            self.banner.show_text(self.pick(applications.NEEDS_QR.zh, applications.NEEDS_QR.en), "banner-warn")
            return
        if "*" in str(payload.get("payout_card", "")):
            del payload["payout_card"]  # a kiosk sees the card masked: the centre pays to the card it has on file
        item = item_for(self.catalogue, wtype) if self.catalogue is not None else None
        business = (item.name, item.name_en) if item is not None else (wtype.value, wtype.value)
        wait_s = self.ctx.config.kiosk.decision_wait_s
        member_id = snap.member.member_id
        self.banner.clear_text()
        self.confirm.setVisible(False)  # the progress indicator takes its place until the answer
        self.wait.start(wait_s, self.tr("Saved. Sent to the centre: waiting for its decision…"))

        def work() -> applications.Submitted:
            return applications.submit(services, session, kind, payload, member_id=member_id, wait_s=wait_s,
                                       provisional_decision=decision.to_json())

        def saved(submitted: applications.Submitted) -> None:
            self.wait.stop()
            self.confirm.setEnabled(True)
            self.ctx.session.services_used.append(f"withdrawal.{wtype.value}")
            self.ctx.go("receipt", remember=False, outbox_receipt=submitted.receipt, business=business,
                        decision=decision, centre=submitted.decision)

        def failed(exc: BaseException) -> None:
            self.wait.stop()
            self.confirm.setEnabled(True)
            self.confirm.setVisible(True)
            zh, en = getattr(exc, "zh", None), getattr(exc, "en", None)
            self.banner.show_text(self.pick(zh, en) if zh and en else
                                  self.tr("The application could not be saved; nothing was sent. Please try "
                                          "again or ask at a counter."))

        self.ctx.ops.run(work, saved, failed)

    def _notice(self) -> None:
        if self.decision is not None and self.wtype is not None:
            self.ctx.go("notice", decision=self.decision, wtype=self.wtype)

    def _clear_result(self) -> None:
        self.decision = None
        self._shared = None
        self.banner.clear_text()
        for w in (self.outcome, self.amount, self.capital, self.payout, self.reasons):
            w.setText("")
        self.confirm.setVisible(False)
        self.notice_button.setVisible(False)

    def wipe(self) -> None:
        super().wipe()
        self.wait.stop()
        self._clear_result()
        self.wtype = None

    def _set_title(self) -> None:
        item = item_for(self.catalogue, self.wtype) if self.catalogue is not None and self.wtype else None
        self.title.setText((item.name if self.ctx.languages.is_chinese else item.name_en) if item
                           else self.tr("Withdrawal"))

    def retranslate(self) -> None:
        self._set_title()
        self.confirm.setText(self.tr("Confirm and submit"))
        self.notice_button.setText(self.tr("What to bring (one-time notice)"))
        if self.decision is not None:
            self._show_decision((self.decision, self._shared))
        if self.snapshot is not None:
            self.show_snapshot()

    def voice_prompt(self) -> str:
        return self.outcome.text() or super().voice_prompt()
