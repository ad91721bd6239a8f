"""申请贷款: from the loan pre-check, start a housing-fund loan application and tell the member, once,
everything to bring to the counter (一次性告知).

The notice is `kiosk.loan_applying.loan_notice` (the catalogue's loan item): what the member brings,
what the centre fetches through the exchange instead (not asked for), what is signed at the counter,
and — when married — that the spouse comes too as co-borrower. Starting the application needs the
member's proof (ledger session or the app's QR code) and the centre online; the answer follows the
result pattern: an icon and colour, the application number, what happens next and when. After a
start the way out is 完成 (finish), not back.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from domain.money import format_yuan
from kiosk import policies
from kiosk.loan_applying import CannotStart, LoanNotice, PrecheckFacts, Started, loan_notice, start
from kiosk.screens.member import MemberScreen
from ui.widgets import Banner, Card, button, label

STEPS = (("额度预审", "Pre-check"), ("申请与告知", "Apply & notice"), ("柜台受理", "Counter intake"),
         ("审批", "Approval"), ("签约抵押", "Contract & mortgage"), ("放款", "Payout"))
CURRENT_STEP = 1


class LoanApplyScreen(MemberScreen):
    name = "loan_apply"

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        catalogue = policies.catalogue(ctx.config.terminal.policy_city)
        self.notice: LoanNotice | None = loan_notice(catalogue) if catalogue is not None else None
        self.facts: PrecheckFacts | None = None
        self.started: Started | None = None
        self.steps = label("", "small")
        self.steps.setObjectName("step-indicator")
        self.root.insertWidget(1, self.steps)
        row = QHBoxLayout()
        left = Card()
        self.summary_title = label("", "key")
        self.summary = label("", "body")
        self.summary.setObjectName("precheck-summary")
        self.spouse = label("", "body")
        self.spouse.setObjectName("spouse-note")
        self.limit = label("", "body")
        self.limit.setObjectName("time-limit")
        for w in (self.summary_title, self.summary, self.spouse, self.limit):
            left.layout_.addWidget(w)
        left.layout_.addStretch(1)
        right = Card()
        self.bring_title = label("", "key")
        self.bring = label("", "body")
        self.bring.setObjectName("bring-materials")
        self.fetched_title = label("", "key")
        self.fetched = label("", "small")
        self.fetched.setObjectName("fetched-materials")
        for w in (self.bring_title, self.bring, self.fetched_title, self.fetched):
            right.layout_.addWidget(w)
        right.layout_.addStretch(1)
        self.result = Banner("banner-info")
        self.result.setObjectName("apply-result")
        self.root.addWidget(self.result)
        column = QVBoxLayout()
        self.print_button = button("", "secondary")
        self.print_button.setObjectName("print-loan-notice")
        self.print_button.clicked.connect(self._print)
        self.queue_button = button("", "secondary")
        self.queue_button.setObjectName("loan-queue")
        self.queue_button.clicked.connect(lambda: self.ctx.go("queue", business=self.pick("公积金贷款", "HPF loan")))
        self.apply_button = button("", "primary")
        self.apply_button.setObjectName("start-application")
        self.apply_button.clicked.connect(self.submit)
        self.done_button = button("", "primary")
        self.done_button.setObjectName("apply-done")
        self.done_button.clicked.connect(self._done)
        for b in (self.apply_button, self.done_button, self.queue_button, self.print_button):
            b.setMinimumHeight(72)
            column.addWidget(b)
        column.addStretch(1)
        row.addWidget(left, 4)
        row.addWidget(right, 7)
        row.addLayout(column, 3)
        self.root.addLayout(row)
        self.root.addStretch(1)
        self.retranslate()

    # --- flow -----------------------------------------------------------------------------------

    def enter(self, **params: Any) -> None:
        super().enter(**params)
        facts = params.get("facts")
        if isinstance(facts, PrecheckFacts):
            self.facts = facts
            self.started = None
            self.result.clear_text()
        self._fill()

    def submit(self) -> None:
        if self.facts is None or self.started is not None:
            return
        facts, session = self.facts, self.ctx.session
        self.apply_button.setEnabled(False)
        self.result.show_text("⏳ " + self.pick("正在向中心发起申请…", "Starting the application at the centre…"),
                              "banner-info")
        self.ctx.ops.run(lambda: start(self.ctx.services, session, facts), self._started, self._refused)

    def _started(self, started: Started) -> None:
        self.started = started
        self.ctx.session.services_used.append("loan_apply")
        self._fill()

    def _refused(self, exc: BaseException) -> None:
        self.apply_button.setEnabled(True)
        if isinstance(exc, CannotStart):
            text = self.pick(exc.zh, exc.en)
        else:
            zh, en = getattr(exc, "zh", "") or getattr(exc, "message_zh", ""), getattr(exc, "en", "") or getattr(
                exc, "message_en", "")
            text = self.pick(zh, en) if zh and en else self.pick(
                "中心暂时无法受理，请取号到柜台办理。", "The centre cannot take it right now: take a ticket for the counter.")
        self.result.show_text("✖ " + text, "banner-warn")

    def _done(self) -> None:
        window = self.ctx.window
        if window is not None:
            window.finish()

    def _print(self) -> None:
        printer, n = self.ctx.services.printer, self.notice
        if n is None:
            return
        if printer is None:
            self.result.show_text(self.pick("本机暂不能打印，柜台会给您这份清单。",
                                             "This terminal can't print right now; the counter will give you "
                                             "the list."), "banner-warn")
            return
        from hardware.printer.receipt import Align, ReceiptBuilder

        b = ReceiptBuilder("一次性告知书 贷款 / One-time notice, loan")
        b.heading(self.ctx.config.terminal.centre_name)
        for line in notice_lines(n, married=self._married()):
            b.text(line, Align.LEFT)
        b.cut()
        doc = b.build()
        self.ctx.ops.run(lambda: printer.print_receipt(doc, command_id=f"loan-notice-{id(doc)}"),
                         lambda _r: self.result.show_text(self.pick("请从下方出纸口取走告知单。",
                                                                    "Please take the notice from the slot below.")),
                         lambda exc: self.result.show_text(
                             self.pick(getattr(exc, "message_zh", ""), getattr(exc, "message_en", ""))
                             or self.pick("告知单未能打印。", "The notice could not be printed."), "banner-warn"),
                         lane="print")

    def _married(self) -> bool | None:
        return self.started.married if self.started is not None else None

    # --- texts ----------------------------------------------------------------------------------

    def _fill(self) -> None:
        zh = self.ctx.languages.is_chinese
        f = self.facts
        if f is None:
            self.summary.setText(self.pick("请先在“贷款额度测算”中试算。", "Use the loan limit check first."))
        else:
            home = {"first": ("首套房", "first home"), "second": ("二套房", "second home")}[f.home_order]
            kind = {"commercial": ("商品住房", "commercial housing"),
                    "guaranteed": ("保障性住房", "government-subsidised housing")}[f.housing]
            estimate = format_yuan(f.max_loan) if f.max_loan is not None else self.pick("暂不符合", "not eligible yet")
            self.summary.setText(self.pick(
                f"{home[0]} · {kind[0]} · 房价 {format_yuan(f.price_yuan)}\n预估可贷 {estimate}",
                f"{home[1].capitalize()} · {kind[1]} · price {format_yuan(f.price_yuan)}\n"
                f"Estimated loan {estimate}"))
        married = self._married()
        if married is True:
            self.spouse.setText(self.pick("您已婚：配偶是共同借款人，请与您一同到柜台（身份证、同意、征信授权、共同签约）。",
                                          "Married: your spouse is a co-borrower and comes with you (ID card, "
                                          "consent, credit authorisation, signing)."))
        elif married is False:
            self.spouse.setText(self.pick("民政数据显示您未婚：本人到场即可。",
                                          "The civil-affairs data shows you unmarried: you come alone."))
        else:
            self.spouse.setText(self.pick("已婚的，配偶是共同借款人，须与您一同到柜台（身份证、同意、征信授权、共同签约）。",
                                          "If married, your spouse is a co-borrower and comes with you (ID card, "
                                          "consent, credit authorisation, signing)."))
        n = self.notice
        if n is not None:
            self.limit.setText(self.pick(
                f"材料齐全后，自审批开始{n.time_limit}个工作日内放款（抵押登记在登记机构的时间除外）。",
                f"Paid out within {n.time_limit} working days of approval starting "
                "(registry time not counted)."))
            bring = [*n.bring, *n.signed]
            self.bring.setText("\n".join(f"{i}. {line.name if zh else line.name_en}" for i, line in enumerate(bring, 1)))
            self.fetched.setText("\n".join(f"✓ {line.name if zh else line.name_en} — {line.why if zh else line.why_en}"
                                           for line in n.fetched))
        s = self.started
        if s is not None:
            self.result.show_text("✔ " + self.pick(
                f"{s.zh}。下一步：请取号，带齐左侧材料到柜台受理。", f"{s.en}. Next: take a ticket and bring the "
                "materials listed here to the counter."), "banner-info")
        self._update_buttons()

    def _update_buttons(self) -> None:
        started = self.started is not None
        self.apply_button.setVisible(not started)
        self.apply_button.setEnabled(self.facts is not None and self.ctx.session.can_apply)
        self.done_button.setVisible(started)
        self.print_button.setEnabled(self.notice is not None)

    def unavailable_reason(self) -> str:
        return self.pick("贷款事项目录未能加载", "The loan item could not be loaded") if self.notice is None \
            else super().unavailable_reason()

    def voice_prompt(self) -> str:
        return self.pick("请查看需携带的材料清单，然后发起申请。", "Please read the list of what to bring, then start the "
                         "application.")

    def wipe(self) -> None:
        super().wipe()
        self.facts, self.started = None, None
        self.result.clear_text()
        self.summary.setText("")
        self._update_buttons()

    def retranslate(self) -> None:
        zh = self.ctx.languages.is_chinese
        self.title.setText(self.pick("申请公积金贷款", "Apply for a housing provident fund loan"))
        self.steps.setText("  ›  ".join(
            (f"【{i + 1} {a if zh else b}】" if i == CURRENT_STEP else f"{i + 1} {a if zh else b}")
            for i, (a, b) in enumerate(STEPS)))
        self.summary_title.setText(self.pick("您的预审", "Your pre-check"))
        self.bring_title.setText(self.pick("请带到柜台（一次性告知）", "Bring to the counter"))
        self.fetched_title.setText(self.pick("无需提交：中心代查", "No paper: we fetch these"))
        self.print_button.setText(self.pick("打印告知单", "Print list"))
        self.queue_button.setText(self.pick("取号到柜台", "Queue ticket"))
        self.apply_button.setText(self.pick("发起申请", "Start the application"))
        self.done_button.setText(self.pick("完成", "Done"))
        if self.snapshot is not None:
            self.show_snapshot()
        self._fill()


def notice_lines(n: LoanNotice, *, married: bool | None) -> list[str]:
    """The printed notice: the same lines as the screen, Chinese then English."""
    out = [f"事项 Item: {n.item_name} / {n.item_name_en}", "请携带 Please bring:"]
    for i, line in enumerate((*n.bring, *n.signed), 1):
        out.append(f"{i}. {line.name} / {line.name_en}")
    out.append("无需提交（中心查询） Not needed (we fetch):")
    out += [f"- {line.name} / {line.name_en}" for line in n.fetched]
    if married is not False:
        out.append("已婚的，配偶须一同到场（共同借款人）/ If married, your spouse comes too (co-borrower).")
    out.append(f"时限 Time limit: {n.time_limit} 个工作日 working days (抵押登记除外 registry time excluded)")
    return out

