"""申请贷款: from the loan pre-check, start a housing-fund loan application and tell the member, once,
everything to bring to the counter (一次性告知).

Before the start the notice is the loan policy's (`kiosk.loan_applying.preview_notice`); the start
(`kiosk.loan_applying.start`, the member's ledger session) returns the ledger's application with its
own notice — what the exchange supplied is not asked for, and a married applicant's spouse is named as
co-borrower who comes too. The answer follows the result pattern: an icon and colour, the application
number, what happens next and when. After a start the way out is 完成 (finish), not back.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLayout, QVBoxLayout, QWidget

from domain.money import format_yuan
from kiosk.loan_applying import (
    CONTRACT_PREFIX,
    TERMS,
    CannotStart,
    PrecheckFacts,
    load_policy,
    preview_notice,
    start,
)
from kiosk.screens.calculator import _chip_group
from kiosk.screens.member import MemberScreen
from ui.layouts import Cell, place_in_grid
from ui.widgets import Banner, Card, Keypad, button, label


class LoanApplyScreen(MemberScreen):
    name = "loan_apply"

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.policy = load_policy(ctx.config.terminal.policy_city)
        self.preview = preview_notice(self.policy) if self.policy is not None else None
        self.facts: PrecheckFacts | None = None
        self.view: Any = None  # sync.loan_applications.LoanApplicationView once started
        self.contract = ""
        self.result = Banner("banner-info")
        self.result.setObjectName("apply-result")
        self.root.addWidget(self.result)
        row = QGridLayout()
        left = self.left_card = Card()
        self.summary = label("", "body")
        self.summary.setObjectName("precheck-summary")
        left.layout_.addWidget(self.summary)
        self.term_label = label("", "body")
        left.layout_.addWidget(self.term_label)
        self.term_group, self.terms = _chip_group(self, [str(t) for t in TERMS], "loan-term")
        self.terms["240"].setChecked(True)
        chips = QHBoxLayout()  # beside the actions: the keypad keeps the left card's height
        for b in self.terms.values():
            chips.addWidget(b)
        self.contract_label = label("", "body")
        self.contract_label.setObjectName("contract-entry")
        left.layout_.addWidget(self.contract_label)
        self.keypad = Keypad(max_len=16)
        self.keypad.setObjectName("contract-keypad")
        self.keypad.changed.connect(self._typed)
        self.keypad.submitted.connect(lambda _t: self.submit())
        for b in (self.keypad.clear_button, self.keypad.ok_button):  # "start application" submits; ⌫ deletes
            b.hide()
        left.layout_.addWidget(self.keypad)
        left.layout_.addStretch(1)
        right = Card()
        self.bring_title = label("", "key")
        self.bring = label("", "body")
        self.bring.setObjectName("bring-materials")
        self.fetched_title = label("", "key")
        self.fetched = label("", "small")
        self.fetched.setObjectName("fetched-materials")
        self.spouse = label("", "body")
        self.spouse.setObjectName("spouse-note")
        self.limit = label("", "small")
        self.limit.setObjectName("time-limit")
        for w in (self.bring_title, self.bring, self.fetched_title, self.fetched, self.spouse, self.limit):
            right.layout_.addWidget(w)
        right.layout_.addStretch(1)
        column = QVBoxLayout()
        self.apply_button = button("", "primary")
        self.apply_button.setObjectName("start-application")
        self.apply_button.clicked.connect(self.submit)
        self.done_button = button("", "primary")
        self.done_button.setObjectName("apply-done")
        self.done_button.clicked.connect(self._done)
        self.queue_button = button("", "secondary")
        self.queue_button.setObjectName("loan-queue")
        self.queue_button.clicked.connect(lambda: self.ctx.go("queue", business=self.pick("公积金贷款", "HPF loan")))
        self.print_button = button("", "secondary")
        self.print_button.setObjectName("print-loan-notice")
        self.print_button.clicked.connect(self._print)
        column.addWidget(self.term_label)
        column.addLayout(chips)
        for b in (self.apply_button, self.done_button, self.queue_button, self.print_button):
            b.setMinimumHeight(72)
            column.addWidget(b)
        column.addStretch(1)
        self._grid, self._cards, self._column = row, (left, right), column
        self._arranged: tuple[bool, bool] | None = None  # (portrait, started) the grid is laid out for
        self._arrange(portrait=False)
        self.root.addLayout(row)
        self.root.addStretch(1)
        self.retranslate()

    def _arrange(self, *, portrait: bool) -> None:
        """Landscape: the contract keypad, the materials and the actions side by side; portrait (1080 px
        wide, too narrow for three columns in elderly mode): the materials across the screen, the
        keypad and the actions under them. Once started the keypad's card is gone and its room with it:
        the materials take the width the keypad had (landscape), the actions the whole row under them
        (portrait), so no column stands empty."""
        started = self.view is not None
        if (portrait, started) == self._arranged:
            return
        self._arranged = (portrait, started)
        (left, right), column = self._cards, self._column
        cells: list[tuple[QWidget | QLayout, Cell]]
        if started:
            self._grid.removeWidget(left)  # hidden: out of the grid, so its column closes up
            cells = [(right, (0, 0, 1, 2)), (column, (1, 0, 1, 2))] if portrait else \
                [(right, (0, 0, 1, 2)), (column, (0, 2, 1, 1))]
        elif portrait:
            cells = [(right, (0, 0, 1, 2)), (left, (1, 0, 1, 1)), (column, (1, 1, 1, 1))]
        else:
            cells = [(left, (0, 0, 1, 1)), (right, (0, 1, 1, 1)), (column, (0, 2, 1, 1))]
        place_in_grid(self._grid, cells, (1, 1, 0) if portrait else (4, 6, 3))

    def _portrait(self) -> bool:
        top = self.window()
        return top.height() > top.width()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._arrange(portrait=self._portrait())
        super().resizeEvent(event)

    # --- flow -----------------------------------------------------------------------------------

    def enter(self, **params: Any) -> None:
        super().enter(**params)
        facts = params.get("facts")
        if isinstance(facts, PrecheckFacts):
            self.facts, self.view = facts, None
            self.keypad.clear()
            self.contract = ""
            self.result.clear_text()
        self._fill()

    def _typed(self, text: str) -> None:
        self.contract = text
        self._show_contract()

    def _term(self) -> int:
        return int(next(k for k, b in self.terms.items() if b.isChecked()))

    def submit(self) -> None:
        if self.facts is None or self.view is not None:
            return
        facts, session, contract, term = self.facts, self.ctx.session, self.contract, self._term()
        self.apply_button.setEnabled(False)
        self.result.show_text("… " + self.pick("正在向中心发起申请…", "Starting the application at the centre…"),
                              "banner-info")
        self.ctx.ops.run(lambda: start(self.ctx.services, session, facts, contract, term), self._started,
                         self._refused)

    def _started(self, view: Any) -> None:
        self.view = view
        self.ctx.session.services_used.append("loan_apply")
        self._fill()
        window = self.ctx.window
        if window is not None:  # the window's step indicator (kiosk.flows "loan"): the counter is next
            window.sub_step(self.name, "started")

    def _refused(self, exc: BaseException) -> None:
        self.apply_button.setEnabled(True)
        if isinstance(exc, CannotStart):
            text = self.pick(exc.zh, exc.en)
        else:
            zh = getattr(exc, "zh", "") or getattr(exc, "message_zh", "")
            en = getattr(exc, "en", "") or getattr(exc, "message_en", "")
            text = self.pick(zh, en) if zh and en else self.pick(
                "中心暂时无法受理，请取号到柜台办理。",
                "The centre cannot take it right now: take a ticket for the counter.")
        self.result.show_text("✖ " + text, "banner-warn")

    def _done(self) -> None:
        window = self.ctx.window
        if window is not None:
            window.finish()

    def _notice(self) -> Any:
        return self.view.notice if self.view is not None else self.preview

    def _print(self) -> None:
        printer, n = self.ctx.services.printer, self._notice()
        if n is None:
            return
        if printer is None:
            self.result.show_text(self.pick("本机暂不能打印，柜台会给您这份清单。",
                                             "This terminal can't print right now; the counter will give you "
                                             "the list."), "banner-warn")
            return
        from hardware.printer.receipt import Align, ReceiptBuilder

        lines = list(n.lines if isinstance(n.lines, tuple) else n.lines())
        b = ReceiptBuilder("一次性告知书 / One-time notice")
        b.heading(self.ctx.config.terminal.centre_name)
        for line in lines:
            b.text(line, Align.LEFT)
        b.cut()
        doc = b.build()
        key = self.view.application_id if self.view is not None else "preview"
        self.ctx.ops.run(lambda: printer.print_receipt(doc, command_id=f"loan-notice-{key}"),
                         lambda _r: self.result.show_text(self.pick("请从下方出纸口取走告知单。",
                                                                    "Please take the notice from the slot below.")),
                         lambda exc: self.result.show_text(
                             self.pick(getattr(exc, "message_zh", ""), getattr(exc, "message_en", ""))
                             or self.pick("告知单未能打印。", "The notice could not be printed."), "banner-warn"),
                         lane="print")

    # --- texts ----------------------------------------------------------------------------------

    def _show_contract(self) -> None:
        self.contract_label.setText(self.pick("网签购房合同号：", "Online purchase contract no.: ")
                                    + CONTRACT_PREFIX + (self.contract or "…"))

    def _fill(self) -> None:
        zh = self.ctx.languages.is_chinese
        f = self.facts
        if f is None:
            self.summary.setText(self.pick("请先在“贷款额度测算”中试算。", "Use the loan limit check first."))
        else:
            home = {"first": ("首套房", "First home"), "second": ("二套房", "Second home")}[f.home_order]
            kind = {"commercial": ("商品住房", "commercial housing"),
                    "guaranteed": ("保障性住房", "government-subsidised housing")}[f.housing]
            estimate = format_yuan(f.max_loan) if f.max_loan is not None else self.pick("暂不符合", "not eligible yet")
            self.summary.setText(self.pick(f"申请金额 {estimate}（{home[0]}·{kind[0]}）",
                                           f"Amount asked {estimate} ({home[1].lower()}, {kind[1]})"))
        started = self.view is not None
        self._arrange(portrait=self._portrait())
        for w in (self.left_card, self.contract_label, self.keypad, *self.terms.values()):
            w.setVisible(not started)
        self.term_label.setVisible(not started)
        n = self._notice()
        if n is not None:
            self.bring.setText("\n".join(f"{i}. {m.name if zh else m.name_en}" for i, m in enumerate(n.missing, 1))
                               or self.pick("材料齐全，无需补充。", "Nothing is missing."))
            self.fetched.setText("\n".join(f"✓ {m.name if zh else m.name_en} — "
                                           + (f"{m.supplied_by}共享" if zh else "shared data") for m in n.supplied))
            days = n.time_limit_workdays
            self.limit.setText(self.pick(f"材料齐全后，自审批开始{days}个工作日内放款（抵押登记时间除外）。",
                                         f"Paid out within {days} working days of approval starting "
                                         "(registry time not counted)."))
        spouse = getattr(self.view, "spouse", None) if started else None
        if spouse is not None and spouse.required:
            self.spouse.setText(self.pick("您已婚：配偶是共同借款人，请与您一同到柜台（身份证、同意、征信授权、共同签约）。",
                                          "Married: your spouse is a co-borrower and comes with you (ID card, "
                                          "consent, credit authorisation, signing)."))
        elif started:
            self.spouse.setText(self.pick("本人到柜台即可。", "You come alone."))
        else:
            self.spouse.setText(self.pick("已婚的，配偶是共同借款人，须一同到柜台（身份证、同意、征信授权、共同签约）。",
                                          "If married, your spouse is a co-borrower and comes with you (ID card, "
                                          "consent, credit authorisation, signing)."))
        if started:
            v = self.view
            self.result.show_text("✔ " + self.pick(
                f"申请已登记，编号 {v.application_id}。下一步：请取号，带齐下列材料到柜台受理。",
                f"Registered as {v.application_id}. Next: take a ticket and bring these to the counter."),
                "banner-info")
        self._show_contract()
        self._update_buttons()

    def _update_buttons(self) -> None:
        started = self.view is not None
        self.apply_button.setVisible(not started)
        self.apply_button.setEnabled(self.facts is not None and self.facts.max_loan is not None
                                     and self.ctx.session.ledger_session is not None)
        self.done_button.setVisible(started)
        self.print_button.setEnabled(self._notice() is not None)

    def unavailable_reason(self) -> str:
        return self.pick("贷款规则未能加载", "The loan rules could not be loaded") if self.policy is None \
            else super().unavailable_reason()

    def voice_prompt(self) -> str:
        return self.pick("请查看需携带的材料，输入合同号后发起申请。",
                         "Please read what to bring, enter the contract number, then start the application.")

    def wipe(self) -> None:
        super().wipe()
        self.facts, self.view, self.contract = None, None, ""
        self.keypad.clear()
        self.result.clear_text()
        self.summary.setText("")
        self._update_buttons()

    def retranslate(self) -> None:
        self.title.setText(self.pick("申请公积金贷款", "Apply for a housing provident fund loan"))
        self.term_label.setText(self.pick("贷款期限", "Term (years)"))
        for months, b in self.terms.items():
            b.setText(self.pick(f"{int(months) // 12}年", f"{int(months) // 12}"))
        self.bring_title.setText(self.pick("请带到柜台（一次性告知）", "Bring to the counter"))
        self.fetched_title.setText(self.pick("无需提交：中心代查", "No paper: we fetch these"))
        self.print_button.setText(self.pick("打印告知单", "Print list"))
        self.queue_button.setText(self.pick("取号到柜台", "Queue ticket"))
        self.apply_button.setText(self.pick("发起申请", "Start application"))
        self.done_button.setText(self.pick("完成", "Done"))
        self.keypad.set_labels(self.pick("清除", "Clear"), self.pick("确定", "OK"))
        if self.snapshot is not None:
            self.show_snapshot()
        self._fill()
