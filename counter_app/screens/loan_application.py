"""The loan-application workspace (个人住房公积金贷款): one screen for the whole case path at the counter.

Open an application (by number, from the work list below, or new for a member) and work it in order:
intake with the materials checklist and the document camera, the spouse (co-borrower: ID card, consent,
credit authorisation), the ledger's review (limits, the credit reports' summary, the property), the
supervisor's approval or refusal with reasons (with the scanned materials and the key facts in view),
the contract signed by the borrower and the spouse, the mortgage registration (request, receipt,
completion), and the disbursement. The clock (working day n of 5, registry time excluded) is on top;
applications on day 3/4 and late ones stand out in the work list. Early repayment with its quote and
冲还贷 signing are on the last tab.

Everything is decided by the ledger (`counter_app.loan_desk` → `sync.loan_applications`); the screen
shows what it answers, each answer as a coloured result line: what happened and what comes next.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app.context import CounterContext
from counter_app.loan_desk import LoanDesk, LoanRow, evidence_path, yuan_to_fen
from counter_app.screens.base import Screen, fit_columns
from domain.masking import mask_name
from domain.money import Money, format_yuan
from domain.staff import Permission

WARN_BG, LATE_BG, SUPPLIED_BG, MISSING_BG = QColor("#fde8c4"), QColor("#f6d8d6"), QColor("#dff3e4"), QColor("#fde8c4")
RESULT_STYLE = {
    "ok": "background:#dff3e4; border-left:6px solid #2e7d32;",
    "wait": "background:#e3eefb; border-left:6px solid #1565c0;",
    "refused": "background:#f6d8d6; border-left:6px solid #c62828;",
}
STATE_EN = {
    "draft": "draft",
    "submitted": "submitted",
    "accepted": "taken in",
    "under_review": "under review",
    "reviewed": "reviewed",
    "approved": "approved",
    "refused": "refused",
    "contract_signed": "contract signed",
    "registration_requested": "at the registry",
    "registered": "mortgage registered",
    "disbursed": "paid out",
}
ICON = {"ok": "✔", "wait": "→", "refused": "✖"}


def _yuan(fen: int) -> str:
    return format_yuan(Money(fen))


class LoanApplicationScreen(Screen):
    key = "loan_application"
    permission = Permission.VIEW_WORKLIST

    def __init__(self, ctx: CounterContext) -> None:
        super().__init__(ctx)
        self.loans = LoanDesk(ctx.desk)
        self.view: Any = None
        self.refs: dict[str, str] = {}  # material -> evidence reference, taken at this intake
        self._texts: list[tuple[Any, str, str]] = []
        # --- open or start
        top = QHBoxLayout()
        self.app_id = QLineEdit(objectName="loan-app-id")
        self.open_btn = self._button("loan-open", "打开申请", "Open application")
        self.refresh_btn = self._button("loan-refresh", "刷新", "Refresh")
        top.addWidget(self._label("申请编号", "Application no.", self.app_id))
        top.addWidget(self.app_id, 1)
        top.addWidget(self.open_btn)
        top.addWidget(self.refresh_btn)
        self.layout_.addLayout(top)
        new = QHBoxLayout()
        self.member_id = QLineEdit(objectName="loan-member-id")
        self.amount = QLineEdit(objectName="loan-amount")
        self.term = QComboBox(objectName="loan-term")
        for months in (60, 120, 180, 240, 300, 360):
            self.term.addItem(str(months), months)
        self.term.setCurrentIndex(3)
        self.contract = QLineEdit(objectName="loan-contract")
        self.create_btn = self._button("loan-create", "新建申请", "New application")
        for zh, en, w in (
            ("职工账号", "Member no.", self.member_id),
            ("金额(元)", "Amount (yuan)", self.amount),
            ("期限(月)", "Term (months)", self.term),
            ("网签合同号", "Purchase contract", self.contract),
        ):
            new.addWidget(self._label(zh, en, w))
            new.addWidget(w, 1)
        new.addWidget(self.create_btn)
        self.layout_.addLayout(new)
        # --- the application's state and clock
        self.state = QLabel(objectName="loan-state")
        self.state.setWordWrap(True)
        self.state.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.clock = QLabel(objectName="loan-clock")
        self.clock.setWordWrap(True)
        self.layout_.addWidget(self.state)
        self.layout_.addWidget(self.clock)
        self.tabs = QTabWidget(objectName="loan-tabs")
        self.layout_.addWidget(self.tabs, 1)
        self._intake_tab()
        self._spouse_tab()
        self._review_tab()
        self._decision_tab()
        self._contract_tab()
        self._early_tab()
        self._worklist_tab()
        self.result = QLabel(objectName="loan-result")
        self.result.setWordWrap(True)
        self.result.hide()
        self.layout_.addWidget(self.result)
        self.open_btn.clicked.connect(self.open_typed)
        self.app_id.returnPressed.connect(self.open_typed)
        self.refresh_btn.clicked.connect(self.refresh)
        self.create_btn.clicked.connect(self.create)
        self.retranslate()

    # --- construction helpers ------------------------------------------------------------------

    def _label(self, zh: str, en: str, field: QWidget | None = None) -> QLabel:
        """A visible caption; with `field`, its buddy (a click or Alt+letter moves there)."""
        lab = QLabel()
        if field is not None:
            lab.setBuddy(field)
            lab.setProperty("field", True)
        self._texts.append((lab, zh, en))
        return lab

    def _button(self, name: str, zh: str, en: str, primary: bool = False) -> QPushButton:
        b = QPushButton(objectName=name)
        if primary:
            b.setProperty("primary", True)
        self._texts.append((b, zh, en))
        return b

    def _tab(self, zh: str, en: str) -> QVBoxLayout:
        page = QWidget()
        lay = QVBoxLayout(page)
        self.tabs.addTab(page, "")
        self._texts.append((("tab", self.tabs.count() - 1), zh, en))
        return lay

    def _intake_tab(self) -> None:
        lay = self._tab("受理与材料", "Intake and materials")
        self.checklist = QTableWidget(0, 3, objectName="loan-checklist")
        self.checklist.verticalHeader().hide()
        self.checklist.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.checklist.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        lay.addWidget(self.checklist, 1)
        row = QHBoxLayout()
        self.capture_btn = self._button(
            "loan-capture", "高拍仪拍摄所选材料", "Capture selected with the document camera"
        )
        self.evidence_ref = QLineEdit(objectName="loan-evidence-ref")
        self.record_ref_btn = self._button("loan-record-ref", "记录凭证号", "Record reference")
        row.addWidget(self.capture_btn)
        row.addWidget(self._label("或凭证号", "or reference", self.evidence_ref))
        row.addWidget(self.evidence_ref, 1)
        row.addWidget(self.record_ref_btn)
        lay.addLayout(row)
        form = QHBoxLayout()
        self.auth_ref = QLineEdit(objectName="loan-auth-ref")
        self.auth_sig = QLineEdit(objectName="loan-auth-sig")
        form.addWidget(self._label("征信授权书(拍摄凭证)", "Credit authorisation (scan ref.)", self.auth_ref))
        form.addWidget(self.auth_ref, 1)
        form.addWidget(self._label("本人签字凭证", "Signature ref.", self.auth_sig))
        form.addWidget(self.auth_sig, 1)
        self.intake_btn = self._button("loan-intake", "受理", "Take in", primary=True)
        form.addWidget(self.intake_btn)
        lay.addLayout(form)
        self.capture_btn.clicked.connect(self.capture)
        self.record_ref_btn.clicked.connect(self.record_reference)
        self.intake_btn.clicked.connect(self.intake)

    def _spouse_tab(self) -> None:
        lay = self._tab("配偶（共同借款人）", "Spouse (co-borrower)")
        self.spouse_state = QLabel(objectName="loan-spouse-state")
        self.spouse_state.setWordWrap(True)
        lay.addWidget(self.spouse_state)
        form = QFormLayout()
        self.spouse_id = QLineEdit(objectName="loan-spouse-id")
        self.spouse_id.setMaxLength(18)
        self.spouse_read_btn = self._button("loan-spouse-card", "读配偶身份证", "Read the spouse's ID card")
        self.spouse_id_ref = QLineEdit(objectName="loan-spouse-id-ref")
        self.spouse_consent = QCheckBox(objectName="loan-spouse-consent")
        self._texts.append((self.spouse_consent, "配偶同意作为共同借款人", "The spouse consents as co-borrower"))
        self.spouse_auth = QLineEdit(objectName="loan-spouse-auth")
        self.spouse_sig = QLineEdit(objectName="loan-spouse-sig")
        form.addRow(self._label("配偶身份证号", "Spouse's ID number", self.spouse_id), self.spouse_id)
        form.addRow(self._label("", ""), self.spouse_read_btn)
        form.addRow(self._label("身份证读卡凭证", "ID card evidence ref.", self.spouse_id_ref), self.spouse_id_ref)
        form.addRow(self._label("同意", "Consent", self.spouse_consent), self.spouse_consent)
        form.addRow(self._label("配偶征信授权书凭证", "Spouse's credit authorisation ref.", self.spouse_auth),
                    self.spouse_auth)
        form.addRow(self._label("配偶签字凭证", "Spouse's signature ref.", self.spouse_sig), self.spouse_sig)
        lay.addLayout(form)
        self.spouse_btn = self._button("loan-spouse-save", "登记配偶", "Record the spouse", primary=True)
        lay.addWidget(self.spouse_btn)
        lay.addStretch(1)
        self.spouse_read_btn.clicked.connect(self.read_spouse_card)
        self.spouse_btn.clicked.connect(self.save_spouse)

    def _review_tab(self) -> None:
        lay = self._tab("审查", "Review")
        self.review_btn = self._button("loan-review", "开始审批计时并审查", "Start the clock and review", primary=True)
        lay.addWidget(self.review_btn)
        self.review_text = QPlainTextEdit(objectName="loan-review-text")
        self.review_text.setReadOnly(True)
        lay.addWidget(self.review_text, 1)
        self.review_btn.clicked.connect(self.run_review)

    def _decision_tab(self) -> None:
        lay = self._tab("主管审批", "Supervisor decision")
        body = QHBoxLayout()
        self.thumbs = QListWidget(objectName="loan-materials")
        self.thumbs.setViewMode(QListWidget.ViewMode.IconMode)
        self.thumbs.setIconSize(QSize(180, 240))
        self.thumbs.setGridSize(QSize(220, 300))
        self.thumbs.setWordWrap(True)
        self.thumbs.setMinimumWidth(360)
        body.addWidget(self.thumbs, 1)
        self.key_facts = QPlainTextEdit(objectName="loan-key-facts")
        self.key_facts.setReadOnly(True)
        body.addWidget(self.key_facts, 1)
        lay.addLayout(body, 1)
        form = QHBoxLayout()
        self.approve_amount = QLineEdit(objectName="loan-approve-amount")
        self.reasons = QLineEdit(objectName="loan-reasons")
        form.addWidget(self._label("批准金额(元，空=审查额度)", "Amount (yuan; empty = reviewed)", self.approve_amount))
        form.addWidget(self.approve_amount)
        form.addWidget(self._label("理由", "Reasons", self.reasons))
        form.addWidget(self.reasons, 2)
        lay.addLayout(form)
        row = QHBoxLayout()
        self.approve_btn = self._button("loan-approve", "批准", "Approve", primary=True)
        self.refuse_btn = self._button("loan-refuse", "不予批准", "Refuse")
        row.addWidget(self.approve_btn)
        row.addWidget(self.refuse_btn)
        lay.addLayout(row)
        self.approve_btn.clicked.connect(lambda: self.decide(True))
        self.refuse_btn.clicked.connect(lambda: self.decide(False))

    def _contract_tab(self) -> None:
        lay = self._tab("签约·抵押·放款", "Contract · mortgage · payout")
        self.contract_state = QLabel(objectName="loan-contract-state")
        self.contract_state.setWordWrap(True)
        lay.addWidget(self.contract_state)
        sig = QHBoxLayout()
        self.signature_ref = QLineEdit(objectName="loan-signature-ref")
        self.borrower_sign_btn = self._button("loan-sign-borrower", "借款人签约", "Borrower signs")
        self.spouse_sign_btn = self._button("loan-sign-spouse", "配偶签约", "Spouse signs")
        sig.addWidget(self._label("签字凭证", "Signature ref.", self.signature_ref))
        sig.addWidget(self.signature_ref, 1)
        sig.addWidget(self.borrower_sign_btn)
        sig.addWidget(self.spouse_sign_btn)
        lay.addLayout(sig)
        reg = QHBoxLayout()
        self.register_btn = self._button("loan-register", "申请不动产抵押登记", "Request the mortgage registration")
        self.poll_btn = self._button("loan-poll", "查询登记结果", "Check the registration")
        self.disburse_btn = self._button("loan-disburse", "放款", "Disburse", primary=True)
        for b in (self.register_btn, self.poll_btn, self.disburse_btn):
            reg.addWidget(b)
        lay.addLayout(reg)
        lay.addStretch(1)
        self.borrower_sign_btn.clicked.connect(lambda: self.sign("borrower"))
        self.spouse_sign_btn.clicked.connect(lambda: self.sign("spouse"))
        self.register_btn.clicked.connect(lambda: self._act(lambda a: self.loans.request_registration(a)))
        self.poll_btn.clicked.connect(lambda: self._act(lambda a: self.loans.poll_registration(a)))
        self.disburse_btn.clicked.connect(lambda: self._act(lambda a: self.loans.disburse(a)))

    def _early_tab(self) -> None:
        lay = self._tab("提前还款·冲还贷", "Early repayment · offset")
        form = QHBoxLayout()
        self.loan_id = QLineEdit(objectName="loan-id")
        self.early_amount = QLineEdit(objectName="early-amount")
        self.early_option = QComboBox(objectName="early-option")
        self.early_option.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.offset_mode = QComboBox(objectName="offset-mode")
        form.addWidget(self._label("贷款合同号", "Loan no.", self.loan_id))
        form.addWidget(self.loan_id, 1)
        form.addWidget(self._label("金额(元，空=全部)", "Amount (yuan; empty = all)", self.early_amount))
        form.addWidget(self.early_amount, 1)
        form.addWidget(self._label("还款后", "Afterwards", self.early_option))
        form.addWidget(self.early_option)
        lay.addLayout(form)
        row = QHBoxLayout()
        self.quote_btn = self._button("early-quote", "试算", "Quote")
        self.early_btn = self._button("early-apply", "申请提前还款", "Apply for early repayment", primary=True)
        self.offset_btn = self._button("offset-sign", "冲还贷签约", "Sign the offset agreement")
        row.addWidget(self.quote_btn)
        row.addWidget(self.early_btn)
        row.addWidget(self._label("冲还贷方式", "Offset mode", self.offset_mode))
        row.addWidget(self.offset_mode)
        row.addWidget(self.offset_btn)
        lay.addLayout(row)
        self.quote_text = QLabel(objectName="early-quote-text")
        self.quote_text.setWordWrap(True)
        lay.addWidget(self.quote_text)
        lay.addStretch(1)
        self.quote_btn.clicked.connect(self.quote)
        self.early_btn.clicked.connect(self.apply_early)
        self.offset_btn.clicked.connect(self.sign_offset)

    def _worklist_tab(self) -> None:
        lay = self._tab("贷款待办", "Loan work list")
        self.worklist = QTableWidget(0, 5, objectName="loan-worklist")
        self.worklist.verticalHeader().hide()
        self.worklist.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.worklist.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.worklist.doubleClicked.connect(lambda _i: self._open_row())
        lay.addWidget(self.worklist, 1)
        self.rows: list[LoanRow] = []

    # --- language ------------------------------------------------------------------------------

    def menu_title(self) -> str:
        return self.ctx.pick("贷款申请", "Loan applications")

    def retranslate(self) -> None:
        super().retranslate()
        for target, zh, en in self._texts:
            text = self.ctx.pick(zh, en)
            if isinstance(target, tuple):
                self.tabs.setTabText(target[1], text)
            else:
                target.setText(text)
        self.app_id.setPlaceholderText("LA-…")
        option = self.early_option.currentData()
        self.early_option.clear()
        self.early_option.addItem(self.ctx.pick("缩短期限", "Shorter term"), "shorten_term")
        self.early_option.addItem(self.ctx.pick("减少月供", "Lower payment"), "lower_payment")
        self.early_option.setCurrentIndex(max(0, self.early_option.findData(option)))
        mode = self.offset_mode.currentData()
        self.offset_mode.clear()
        for code, zh, en in (
            ("monthly", "按月冲还", "monthly"),
            ("yearly", "按年冲还", "yearly"),
            ("one_off", "一次性冲还", "one-off"),
        ):
            self.offset_mode.addItem(self.ctx.pick(zh, en), code)
        self.offset_mode.setCurrentIndex(max(0, self.offset_mode.findData(mode)))
        self.checklist.setHorizontalHeaderLabels(
            [self.ctx.pick(*t) for t in (("材料", "Material"), ("状态", "Status"), ("凭证", "Evidence"))]
        )
        self.worklist.setHorizontalHeaderLabels(
            [
                self.ctx.pick(*t)
                for t in (
                    ("申请编号", "Application"),
                    ("申请人", "Applicant"),
                    ("状态", "State"),
                    ("金额", "Amount"),
                    ("计时", "Clock"),
                )
            ]
        )
        self._show()
        self._show_worklist()
        self._show_quote()
        last = getattr(self, "_last_result", None)
        if last is not None and self.result.isVisible():
            self._result(*last)

    # --- lifecycle -----------------------------------------------------------------------------

    def enter(self) -> None:
        self.load_worklist()

    def reset(self) -> None:
        super().reset()
        self.view, self.refs, self.rows = None, {}, []
        for w in (
            self.app_id,
            self.member_id,
            self.amount,
            self.contract,
            self.evidence_ref,
            self.auth_ref,
            self.auth_sig,
            self.spouse_id,
            self.spouse_id_ref,
            self.spouse_auth,
            self.spouse_sig,
            self.approve_amount,
            self.reasons,
            self.signature_ref,
            self.loan_id,
            self.early_amount,
        ):
            w.clear()
        self.spouse_consent.setChecked(False)
        self._quote = None
        self.quote_text.clear()
        self.result.hide()
        self._show()
        self._show_worklist()

    # --- running a call --------------------------------------------------------------------------

    def _run(self, call: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self.ctx.ops.run(call, done, self._failed)

    def _failed(self, exc: BaseException) -> None:
        zh = getattr(exc, "zh", "") or getattr(exc, "message_zh", "")
        en = getattr(exc, "en", "") or getattr(exc, "message_en", "")
        self._result("refused", lambda: self.ctx.pick(zh, en) if zh and en else str(exc))

    def _result(self, kind: str, text: str | Callable[[], str]) -> None:
        self._last_result = (kind, text)
        self.result.setStyleSheet(RESULT_STYLE[kind] + " padding: 8px; font-size: 12pt;")
        self.result.setText(f"{ICON[kind]} {text() if callable(text) else text}")
        self.result.show()

    def _act(self, call: Callable[[str], Any]) -> None:
        if self.view is None:
            self._result("refused", self.ctx.pick("请先打开一个申请。", "Open an application first."))
            return
        aid = self.view.application_id

        def refused(exc: BaseException) -> None:
            self._failed(exc)  # say why, then show the application as the ledger now has it
            self.ctx.ops.run(lambda: self.loans.get(aid), self._reloaded, lambda _e: None)

        self.ctx.ops.run(lambda: call(aid), self._loaded, refused)

    def _reloaded(self, view: Any) -> None:
        self.view = view
        self._show()

    def _loaded(self, view: Any) -> None:
        self.view = view
        self.app_id.setText(view.application_id)
        self._show()
        self.tabs.setCurrentIndex(self._tab_for(view))
        self._result("refused" if view.state == "refused" else "ok", lambda: self._next_step(view))
        self.ctx.events.cases_changed.emit()

    @staticmethod
    def _tab_for(v: Any) -> int:
        """The tab of the next step: intake, spouse, review, decision, contract/registration/payout, early."""
        spouse = v.spouse
        if v.state == "accepted":
            done = spouse is None or not spouse.required or (spouse.identity_verified and spouse.consented)
            return 2 if done else 1
        return {
            "submitted": 0,
            "under_review": 2,
            "reviewed": 3,
            "refused": 2,
            "approved": 4,
            "contract_signed": 4,
            "registration_requested": 4,
            "registered": 4,
            "disbursed": 5,
        }.get(v.state, 0)

    def _next_step(self, v: Any) -> str:
        steps = {
            "submitted": ("已登记。下一步：核对材料并受理。", "Registered. Next: check the materials and take it in."),
            "accepted": (
                "已受理。下一步：已婚的登记配偶，然后开始审查（计时开始）。",
                "Taken in. Next: the spouse if married, then start the review (the clock starts).",
            ),
            "under_review": ("审查中。", "Under review."),
            "reviewed": ("审查完成。下一步：主管审批。", "Reviewed. Next: a supervisor decides."),
            "approved": (
                "已批准。下一步：借款人（及配偶）签订借款合同。",
                "Approved. Next: the borrower (and spouse) sign the contract.",
            ),
            "refused": (
                "不予批准，理由已记录并告知申请人。",
                "Refused; the reasons are recorded and told to the applicant.",
            ),
            "contract_signed": (
                "合同已签订。下一步：申请不动产抵押登记。",
                "Contract signed. Next: request the mortgage registration.",
            ),
            "registration_requested": (
                "抵押登记已提交登记机构，计时暂停。下一步：查询登记结果。",
                "Sent to the registry; the clock pauses. Next: check the registration.",
            ),
            "registered": ("抵押登记已完成。下一步：放款。", "Mortgage registered. Next: disburse."),
            "disbursed": (
                "已放款至售房人账户，贷款及还款计划已生成。",
                "Paid to the seller's account; the loan and its schedule exist.",
            ),
        }
        zh, en = steps.get(v.state, (v.state_zh or v.state, v.state))
        return self.ctx.pick(f"{v.application_id}：{zh}", f"{v.application_id}: {en}")

    # --- actions -------------------------------------------------------------------------------

    def open_typed(self) -> None:
        aid = self.app_id.text().strip()
        if aid:
            self.open(aid)

    def open(self, application_id: str) -> None:
        self.refs = {}
        self._run(lambda: self.loans.get(application_id), self._loaded)

    def refresh(self) -> None:
        if self.view is not None:
            self.open(self.view.application_id)
        self.load_worklist()

    def create(self) -> None:
        fen = yuan_to_fen(self.amount.text())
        member, contract = self.member_id.text().strip(), self.contract.text().strip()
        if fen is None or not member or not contract:
            self._result(
                "refused",
                self.ctx.pick(
                    "请填写职工账号、金额（元）和网签合同号。",
                    "Fill in the member no., the amount (yuan) and the contract no.",
                ),
            )
            return
        term = int(self.term.currentData())
        self.refs = {}
        self._run(
            lambda: self.loans.create(member_id=member, amount_fen=fen, term_months=term, contract_no=contract),
            self._loaded,
        )

    def _selected_material(self) -> str | None:
        row = self.checklist.currentRow()
        item = self.checklist.item(row, 0) if row >= 0 else None
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def record_reference(self) -> None:
        material, ref = self._selected_material(), self.evidence_ref.text().strip()
        if material is None or not ref:
            self._result(
                "refused",
                self.ctx.pick(
                    "请在清单中选择材料并填写凭证号。", "Choose a material in the list and type its reference."
                ),
            )
            return
        self.refs[material] = ref
        self.evidence_ref.clear()
        self._show_checklist()

    def capture(self) -> None:
        camera, material = self.ctx.services.camera, self._selected_material()
        if self.view is None or material is None:
            self._result("refused", self.ctx.pick("请在清单中选择要拍摄的材料。", "Choose the material to capture."))
            return
        if camera is None:
            self._result(
                "refused",
                self.ctx.pick("未连接高拍仪：请录入凭证号。", "No document camera is connected: type the reference."),
            )
            return
        reference = f"{self.view.application_id}/{material}.jpg"
        target = self.ctx.services.case_files / reference

        def shoot() -> str:
            from hardware.camera.output import save_jpeg

            save_jpeg(camera.capture_page().image, target)
            return reference

        def saved(ref: str) -> None:
            self.refs[material] = ref
            self._show_checklist()
            self._result("ok", self.ctx.pick("已拍摄存入案卷。", "Captured into the case file."))

        self._run(shoot, saved)

    def intake(self) -> None:
        refs = dict(self.refs)
        auth, sig = self.auth_ref.text().strip(), self.auth_sig.text().strip()
        if auth:
            refs.setdefault("credit_authorisation", auth)
        self._act(lambda a: self.loans.intake(a, refs, auth, sig))

    def read_spouse_card(self) -> None:
        reader = self.ctx.services.id_reader
        if reader is None:
            self._result(
                "refused",
                self.ctx.pick(
                    "未连接身份证读卡器：请输入身份证号。", "No ID card reader is connected: type the ID number."
                ),
            )
            return

        def read(record: Any) -> None:
            if record is not None:
                self.spouse_id.setText(record.id_number)
                self.spouse_id_ref.setText(f"IDCARD-{record.id_number[-4:]}")

        self._run(lambda: reader.read_card(5.0), read)

    def save_spouse(self) -> None:
        number, ref = self.spouse_id.text().strip().upper(), self.spouse_id_ref.text().strip()
        consent, auth, sig = (
            self.spouse_consent.isChecked(),
            self.spouse_auth.text().strip(),
            self.spouse_sig.text().strip(),
        )
        self._act(
            lambda a: self.loans.spouse(
                a, id_number=number, id_ref=ref, consent=consent, auth_ref=auth, signature_ref=sig
            )
        )

    def run_review(self) -> None:
        self._act(lambda a: self.loans.review(a))

    def decide(self, approve: bool) -> None:
        text = self.approve_amount.text().strip()
        fen = yuan_to_fen(text) if text else None
        if text and fen is None:
            self._result(
                "refused", self.ctx.pick("批准金额应为元，例如 500000。", "Give the amount in yuan, e.g. 500000.")
            )
            return
        reasons = [r.strip() for r in self.reasons.text().replace("；", ";").split(";") if r.strip()]
        if not approve and not reasons:
            self._result("refused", self.ctx.pick("不予批准须写明理由。", "A refusal needs its reasons."))
            return
        self._act(lambda a: self.loans.decide(a, approve=approve, amount_fen=fen, reasons=reasons))

    def sign(self, party: str) -> None:
        ref = self.signature_ref.text().strip() or f"SIG-{party}"
        self._act(lambda a: self.loans.sign(a, party, ref))

    def _early_input(self) -> tuple[str, int | None, str] | None:
        loan, text = self.loan_id.text().strip(), self.early_amount.text().strip()
        fen = yuan_to_fen(text) if text else None
        if not loan or (text and fen is None):
            self._result(
                "refused",
                self.ctx.pick(
                    "请填写贷款合同号和金额（元，空为全部结清）。",
                    "Fill in the loan no. and the amount (yuan; empty repays all).",
                ),
            )
            return None
        return loan, fen, str(self.early_option.currentData())

    def quote(self) -> None:
        got = self._early_input()
        if got is not None:
            self._run(lambda: self.loans.quote(*got), self._quoted)

    def _quoted(self, q: Any) -> None:
        self._quote = q
        self._show_quote()
        self._result(
            "wait",
            lambda: self.ctx.pick("试算结果仅供参考，以申请受理为准。", "A quote only; the application decides."),
        )

    def _show_quote(self) -> None:
        q = getattr(self, "_quote", None)
        if q is None:
            self.quote_text.clear()
            return
        self.quote_text.setText(
            "\n".join(
                (
                    self.ctx.pick(q.summary_zh, q.summary_en),
                    self.ctx.pick(
                        f"本次应付 {_yuan(q.pay_now_fen)}（其中违约金 {_yuan(q.penalty_fen)}），还款后余额 "
                        f"{_yuan(q.balance_after_fen)}，剩余 {q.months_after} 期，月供 {_yuan(q.payment_after_fen)}",
                        f"Pay now {_yuan(q.pay_now_fen)} (penalty {_yuan(q.penalty_fen)}); balance after "
                        f"{_yuan(q.balance_after_fen)}, {q.months_after} months left, payment "
                        f"{_yuan(q.payment_after_fen)}",
                    ),
                )
            )
        )

    def apply_early(self) -> None:
        got = self._early_input()
        if got is not None:
            self._run(lambda: self.loans.apply_early(*got), self._case_done)

    def sign_offset(self) -> None:
        loan = self.loan_id.text().strip()
        if not loan:
            self._result("refused", self.ctx.pick("请填写贷款合同号。", "Fill in the loan no."))
            return
        mode = str(self.offset_mode.currentData())
        self._run(lambda: self.loans.sign_offset(loan, mode), self._case_done)

    def _case_done(self, case: Any) -> None:
        self._result("ok", self.ctx.pick(f"案件 {case.case_id}：{case.zh}", f"Case {case.case_id}: {case.en}"))
        self.ctx.events.cases_changed.emit()

    # --- work list -----------------------------------------------------------------------------

    def load_worklist(self) -> None:
        if not getattr(self.ctx.desk, "session_token", ""):
            return

        def shown(rows: list[LoanRow]) -> None:
            self.rows = rows
            self._show_worklist()

        self.ctx.ops.run(self.loans.work_list, shown, lambda _exc: None)

    def _show_worklist(self) -> None:
        self.worklist.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            cells = (
                row.application_id,
                mask_name(row.member_name),
                self.ctx.pick(row.state_zh or row.state, STATE_EN.get(row.state, row.state)),
                _yuan(row.amount_fen),
                self.ctx.pick(row.clock.zh, row.clock.en),
            )
            colour = LATE_BG if row.flag == "late" else WARN_BG if row.flag == "warning" else None
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if colour is not None:
                    item.setBackground(colour)
                self.worklist.setItem(r, c, item)
        fit_columns(self.worklist)

    def _open_row(self) -> None:
        r = self.worklist.currentRow()
        if 0 <= r < len(self.rows):
            self.open(self.rows[r].application_id)
            self.tabs.setCurrentIndex(0)

    # --- showing the application --------------------------------------------------------------

    def _show(self) -> None:
        v = self.view
        if v is None:
            self.state.setText(self.ctx.pick("未打开申请。", "No application open."))
            self.clock.setText("")
            self.clock.setStyleSheet("")
        else:
            self.state.setText(
                self.ctx.pick(
                    f"{v.application_id} · {mask_name(v.member_name)} · {v.state_zh or v.state} · {_yuan(v.amount_fen)}"
                    f" · {v.term_months}个月 · 合同 {v.purchase_contract_no}",
                    f"{v.application_id} · {mask_name(v.member_name)} · {STATE_EN.get(v.state, v.state)}"
                    f" · {_yuan(v.amount_fen)} · {v.term_months} months · contract {v.purchase_contract_no}",
                )
            )
            c = v.clock
            self.clock.setText(self.ctx.pick(c.zh, c.en))
            self.clock.setStyleSheet(
                "background:#f6d8d6; padding:4px;"
                if c.late
                else "background:#fde8c4; padding:4px;"
                if c.warning
                else "padding:4px;"
            )
        self._show_checklist()
        self._show_spouse()
        self._show_review()
        self._show_contract()
        self._update_buttons()

    def _show_checklist(self) -> None:
        v = self.view
        lines: list[tuple[str, str, str, str, QColor | None]] = []
        if v is not None:
            have = {**v.checklist, **self.refs}
            for m in v.notice.missing:
                ref = have.get(m.material, "")
                lines.append(
                    (
                        m.material,
                        self.ctx.pick(m.name, m.name_en),
                        self.ctx.pick("已收", "received") if ref else self.ctx.pick("尚缺", "missing"),
                        ref,
                        None if ref else MISSING_BG,
                    )
                )
            for m in v.notice.supplied:
                lines.append(
                    (
                        m.material,
                        self.ctx.pick(m.name, m.name_en),
                        self.ctx.pick(f"{m.supplied_by}共享，无需提交", f"shared by {m.supplied_by}: no paper"),
                        "",
                        SUPPLIED_BG,
                    )
                )
        self.checklist.setRowCount(len(lines))
        for r, (code, name, status, ref, colour) in enumerate(lines):
            for c, text in enumerate((name, status, ref)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, code)
                if colour is not None:
                    item.setBackground(colour)
                self.checklist.setItem(r, c, item)
        fit_columns(self.checklist)

    def _show_spouse(self) -> None:
        s = getattr(self.view, "spouse", None)
        if s is None or not s.required:
            self.spouse_state.setText(self.ctx.pick("未婚或无需配偶参与。", "Unmarried: no spouse takes part."))
            return
        yes, no = self.ctx.pick("✔", "✔"), self.ctx.pick("✖", "✖")
        self.spouse_state.setText(
            self.ctx.pick(
                f"配偶 {s.name_masked} {s.id_number_masked}：身份核验{yes if s.identity_verified else no} · 同意"
                f"{yes if s.consented else no} · 征信授权{yes if s.credit_authorised else no} · 签约"
                f"{yes if s.signed else no}",
                f"Spouse {s.name_masked} {s.id_number_masked}: identity {yes if s.identity_verified else no} · consent "
                f"{yes if s.consented else no} · credit authorisation {yes if s.credit_authorised else no} · signed "
                f"{yes if s.signed else no}",
            )
        )

    def _review_lines(self) -> list[str]:
        v = self.view
        r = getattr(v, "review", None)
        if r is None:
            return [self.ctx.pick("尚未审查。", "Not reviewed yet.")]
        pick = self.ctx.pick
        out = [
            pick(
                "结论：" + ("符合条件" if r.eligible else "不符合条件"),
                "Result: " + ("eligible" if r.eligible else "not eligible"),
            ),
            pick(
                f"申请 {_yuan(r.requested_fen)} · 可贷上限 {_yuan(r.max_amount_fen)}",
                f"Asked {_yuan(r.requested_fen)} · limit {_yuan(r.max_amount_fen)}",
            ),
            pick(f"限制因素：{r.limiting_zh}", f"Limiting factor: {r.limiting_en}"),
            pick(r.explanation_zh, r.explanation_en),
            pick(
                f"利率 {r.rate_percent}% · {r.term_months}个月 · 月供 {_yuan(r.monthly_payment_fen)}"
                + (" · 二套房" if r.second_home else "")
                + (f" · 组合贷商贷部分 {_yuan(r.bank_part_fen)}" if r.bank_part_fen else ""),
                f"Rate {r.rate_percent}% · {r.term_months} months · payment {_yuan(r.monthly_payment_fen)}"
                + (" · second home" if r.second_home else "")
                + (f" · bank part {_yuan(r.bank_part_fen)}" if r.bank_part_fen else ""),
            ),
            pick("征信（摘要，已脱敏）：" + r.credit_zh, "Credit report (summary, masked): " + r.credit_en),
            pick("房产：" + r.property_zh, "Property: " + r.property_en),
        ]
        out += ["· " + pick(c.zh, c.en) for c in r.candidates]
        out += ["✖ " + pick(x.zh, x.en) for x in r.reasons]
        return out

    def _show_review(self) -> None:
        lines = self._review_lines()
        self.review_text.setPlainText("\n".join(lines))
        v = self.view
        facts = list(lines)
        if v is not None:
            s = v.spouse
            if s is not None and s.required:
                facts.append(
                    self.ctx.pick(f"配偶（共同借款人）：{s.name_masked}", f"Spouse (co-borrower): {s.name_masked}")
                )
            facts.append(self.ctx.pick(f"受理材料 {len(v.checklist)} 件", f"{len(v.checklist)} materials taken in"))
        self.key_facts.setPlainText("\n".join(facts))
        self.thumbs.clear()
        names = {m.material: self.ctx.pick(m.name, m.name_en) for m in (v.notice.missing if v is not None else ())}
        for material, ref in v.checklist.items() if v is not None else ():
            item = QListWidgetItem(f"{names.get(material, material)}\n{ref}")
            path = evidence_path(self.ctx.services.case_files, ref)
            if path is not None:
                pix = QPixmap(str(path))
                if not pix.isNull():
                    item.setIcon(pix.scaled(160, 200, Qt.AspectRatioMode.KeepAspectRatio))
            self.thumbs.addItem(item)

    def _show_contract(self) -> None:
        v = self.view
        if v is None:
            self.contract_state.setText("")
            return
        pick = self.ctx.pick
        parts = [
            pick(
                f"借款合同 {v.contract_no or '—'} · 借款人签约 {'✔' if v.borrower_signed else '✖'}",
                f"Contract {v.contract_no or '—'} · borrower signed {'✔' if v.borrower_signed else '✖'}",
            )
        ]
        reg = v.registration
        if reg is not None:
            parts.append(
                pick(
                    f"抵押登记回执 {reg.receipt_no} · 登记证明 {reg.certificate_no or '办理中'}",
                    f"Registry receipt {reg.receipt_no} · certificate {reg.certificate_no or 'pending'}",
                )
            )
        d = v.disbursement
        if d is not None:
            when = d.first_due_on.isoformat() if d.first_due_on else "—"
            parts.append(
                pick(
                    f"已放款 {_yuan(d.amount_fen)} 至 {d.payee_name} {d.payee_bank} {d.payee_account_masked}"
                    f" · 贷款 {d.loan_id} · 首期还款日 {when}",
                    f"Paid {_yuan(d.amount_fen)} to {d.payee_name} {d.payee_bank} {d.payee_account_masked}"
                    f" · loan {d.loan_id} · first due {when}",
                )
            )
            self.loan_id.setText(d.loan_id)
        self.contract_state.setText("\n".join(parts))

    def _update_buttons(self) -> None:
        allowed = set(getattr(self.view, "allowed_actions", ()) or ())
        for b, action in (
            (self.intake_btn, "intake"),
            (self.spouse_btn, "spouse"),
            (self.review_btn, "start_review" if "start_review" in allowed else "review"),
            (self.approve_btn, "approve"),
            (self.refuse_btn, "refuse"),
            (self.borrower_sign_btn, "sign"),
            (self.spouse_sign_btn, "sign"),
            (self.register_btn, "request_registration"),
            (self.poll_btn, "complete_registration"),
            (self.disburse_btn, "disburse"),
        ):
            b.setEnabled(self.view is not None and action in allowed)
        role = getattr(self.ctx.desk.role, "value", "")
        for b in (self.approve_btn, self.refuse_btn):  # 审贷分离: only a supervisor decides (the ledger checks too)
            b.setEnabled(b.isEnabled() and role == "supervisor")
        self.capture_btn.setEnabled(self.view is not None)
        self.record_ref_btn.setEnabled(self.view is not None)
