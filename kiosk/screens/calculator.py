"""Loan calculator: loan kind (公积金 / 商业 / 组合), first or second home (rate type), repayment
method, amount and term → monthly payment, interest and totals, the amortization table by month or
by year, and a chart comparing the two repayment methods.

Every figure comes from `domain.calculator` and `domain.rates` (the policy file's dated rate
table); this screen only collects the inputs by touch and shows the answer. Results are
illustrative (示意), as the domain says.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCharts import QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QButtonGroup, QPushButton, QVBoxLayout, QWidget

from domain.calculator import (
    Installment,
    InvalidLoanInput,
    LoanPart,
    RepaymentMethod,
    by_year,
    combined_schedule,
    repayment_schedule,
    summarize,
)
from domain.errors import user_facing
from domain.money import format_wan, format_yuan
from domain.rates import HomeOrder, LoanKind, QuotedRate, RateTable, rate_for
from kiosk import policies
from kiosk.certificates import calculation_slip
from kiosk.screens.base import Screen
from kiosk.screens.member import fill_table, make_table
from ui.layouts import OrientationBox, flow_row
from ui.paging import PagedList, PagedTable
from ui.widgets import Banner, Card, Keypad, button, label

TERMS_YEARS = (5, 10, 15, 20, 25, 30)
MAX_WAN = 9999  # amounts are entered in 万元 (10,000 yuan); beyond this is a typo
TABLE_ROWS_SHOWN = 360


def _chip_group(parent: QWidget, keys: list[str], name: str) -> tuple[QButtonGroup, dict[str, QPushButton]]:
    group = QButtonGroup(parent)
    group.setExclusive(True)
    buttons = {}
    for key in keys:
        b = button("", "chip")
        b.setCheckable(True)
        b.setObjectName(f"{name}-{key}")
        group.addButton(b)
        buttons[key] = b
    buttons[keys[0]].setChecked(True)
    return group, buttons


class CalculatorScreen(Screen):
    name = "calculator"

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.rates: RateTable | None = None
        self.rates = policies.rate_table(ctx.config.terminal.policy_city)
        self._load_error = "" if self.rates is not None else "rate table"
        self.schedule: list[Installment] = []
        self._printable: tuple[RepaymentMethod, list[tuple[Decimal, QuotedRate]]] | None = None
        self.title = label("", "title")
        self.root.addWidget(self.title)
        self.banner = Banner("banner-warn")
        self.banner.setObjectName("calculator-banner")
        self.root.addWidget(self.banner)
        # inputs, amount and result side by side (portrait: one above the other); the chart and the
        # table below them, or on a second page (上一页/下一页) when one screenful can't hold both
        top = OrientationBox(24)
        body = top.box

        # inputs
        inputs = Card()
        self.kind_group, self.kind = _chip_group(self, ["hpf", "commercial", "combined"], "kind")
        self.home_group, self.home = _chip_group(self, ["first", "second"], "home")
        self.method_group, self.method = _chip_group(self, ["10", "20"], "method")
        self.term_group, self.term = _chip_group(self, [str(y) for y in TERMS_YEARS], "term")
        self.term["30"].setChecked(True)
        self.field_group, self.field = _chip_group(self, ["hpf", "commercial"], "field")
        self.amounts = {"hpf": "60", "commercial": "40"}  # 万元
        self.kind_label, self.home_label, self.method_label = label("", "body"), label("", "body"), label("", "body")
        self.term_label, self.amount_label = label("", "body"), label("", "body")
        for lab, buttons in ((self.kind_label, self.kind), (self.home_label, self.home),
                             (self.method_label, self.method), (self.term_label, self.term)):
            inputs.layout_.addWidget(lab)
            inputs.layout_.addWidget(flow_row(list(buttons.values())))
        inputs.layout_.addStretch(1)
        body.addWidget(inputs, 3)
        amount = Card()
        amount.layout_.addWidget(self.amount_label)
        amount.layout_.addWidget(flow_row(list(self.field.values())))
        self.amount_entry = label("", "amount", wrap=False)
        self.amount_entry.setObjectName("amount-entry")
        amount.layout_.addWidget(self.amount_entry)
        self.keypad = Keypad(max_len=4)
        self.keypad.setObjectName("amount-keypad")
        self.keypad.changed.connect(self._amount_typed)
        self.keypad.submitted.connect(lambda _t: (self.calculate(), self.pages.show_item(self.results_page)))
        amount.layout_.addWidget(self.keypad)
        amount.layout_.addStretch(1)
        body.addWidget(amount, 2)
        for group in (self.kind_group, self.home_group, self.method_group, self.term_group):
            group.buttonClicked.connect(lambda _b: self.calculate())
        self.field_group.buttonClicked.connect(lambda _b: self._field_switched())
        self.kind_group.buttonClicked.connect(lambda _b: self._kind_switched())

        # results: the summary beside the inputs, the chart and the table below them
        summary = Card()
        self.monthly_name = label("", "body")
        self.monthly = label("", "amount")
        self.monthly.setObjectName("monthly-payment")
        self.summary_text = label("", "body")
        self.summary_text.setObjectName("calculator-summary")
        self.rate_text = label("", "small")
        for w in (self.monthly_name, self.monthly, self.summary_text, self.rate_text):
            summary.layout_.addWidget(w)
        summary.layout_.addStretch(1)
        self.print_button = button("", "secondary")
        self.print_button.setObjectName("calculator-print")
        self.print_button.clicked.connect(self.print_result)
        summary.layout_.addWidget(self.print_button)
        self.print_state = Banner("banner-info")
        self.print_state.setObjectName("calculator-print-state")
        summary.layout_.addWidget(self.print_state)
        self.summary = summary
        lower_box = OrientationBox(24)
        lower = lower_box.box
        lower.addWidget(summary, 2)
        self.results_page = lower_box
        self._chart_data: tuple[list[Installment], list[Installment], RepaymentMethod] | None = None
        self.chart = QChart()
        self.chart.setBackgroundRoundness(8)
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self._axes = (QValueAxis(), QValueAxis())
        self._axes[0].setLabelFormat("%d")
        self._axes[0].setTickType(QValueAxis.TickType.TicksDynamic)
        self._axes[0].setTickAnchor(0)
        self._axes[1].setLabelFormat("%.0f")
        self.chart.addAxis(self._axes[0], Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(self._axes[1], Qt.AlignmentFlag.AlignLeft)
        self.chart_view = QChartView(self.chart)
        self.chart_view.setObjectName("method-chart")
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(340)
        lower.addWidget(self.chart_view, 2)
        results = QVBoxLayout()
        self.view_group, self.view = _chip_group(self, ["year", "month"], "view")
        self.view_group.buttonClicked.connect(lambda _b: self._fill_table())
        results.addWidget(flow_row(list(self.view.values())))
        self.table = make_table(5)
        self.table.setObjectName("amortization-table")
        results.addWidget(PagedTable(self.table), 1)
        holder = QWidget()
        holder.setLayout(results)
        holder.setMinimumHeight(340)
        lower.addWidget(holder, 3)  # five money columns: the widest part
        # the result first: the default loan is computed at once, so the first touch shows an answer
        self.pages = PagedList(spacing=18)
        self.pages.add(lower_box, 1)
        self.pages.add(top)
        self.pages.setObjectName("calculator-pages")
        self.root.addWidget(self.pages, 1)
        self._show_amount()
        self._kind_switched()
        self.retranslate()

    # --- inputs ---------------------------------------------------------------------------------

    def _selected(self, buttons: dict[str, QPushButton]) -> str:
        return next(k for k, b in buttons.items() if b.isChecked())

    def _kind_switched(self) -> None:
        combined = self._selected(self.kind) == "combined"
        for b in self.field.values():
            b.setVisible(combined)
        if not combined:
            self.field["hpf"].setChecked(True)
        self._show_amount()

    def _field_switched(self) -> None:
        self.keypad.clear()
        self._show_amount()

    def _active_field(self) -> str:
        if self._selected(self.kind) == "commercial":
            return "commercial"
        return self._selected(self.field) if self._selected(self.kind) == "combined" else "hpf"

    def _amount_typed(self, text: str) -> None:
        self.amounts[self._active_field()] = text
        self._show_amount()

    def _show_amount(self) -> None:
        value = self.amounts[self._active_field()] or "0"
        self.amount_entry.setText(format_wan(value, self.ctx.languages.is_chinese))

    # --- the calculation (domain) ---------------------------------------------------------------

    def calculate(self) -> None:
        self.banner.clear_text()
        if self.rates is None:
            self.banner.show_text(self.tr("The rate table could not be loaded; the calculator is unavailable."))
            return
        kind = self._selected(self.kind)
        home = HomeOrder(self._selected(self.home))
        method = RepaymentMethod(self._selected(self.method))
        months = int(self._selected(self.term)) * 12
        today = date.today()
        try:
            parts = []
            for part in (["hpf", "commercial"] if kind == "combined" else [kind]):
                wan = Decimal(self.amounts[part] or "0")
                if not 0 < wan <= MAX_WAN:
                    raise InvalidLoanInput("贷款金额须大于零 / the loan amount must be above zero")
                loan_kind = LoanKind.HPF if part == "hpf" else LoanKind.COMMERCIAL
                parts.append((wan * 10000, rate_for(self.rates, loan_kind, home, months, today)))
            if len(parts) == 2:
                combined = combined_schedule(LoanPart(parts[0][0], parts[0][1].annual_percent, method),
                                             LoanPart(parts[1][0], parts[1][1].annual_percent, method), months)
                schedule = combined.total
                other = combined_schedule(LoanPart(parts[0][0], parts[0][1].annual_percent, _other(method)),
                                          LoanPart(parts[1][0], parts[1][1].annual_percent, _other(method)),
                                          months).total
            else:
                principal, quote = parts[0]
                schedule = repayment_schedule(principal, quote.annual_percent, months, method)
                other = repayment_schedule(principal, quote.annual_percent, months, _other(method))
        except (InvalidLoanInput, ValueError) as exc:
            self.banner.show_text(self.pick(*user_facing(exc).pair))
            self.schedule = []
            self._printable = None
            self._fill_table()
            return
        self.schedule = schedule
        self._printable = (method, [(principal, quote) for principal, quote in parts])
        summary = summarize(schedule, method)
        zh = self.ctx.languages.is_chinese
        self.monthly.setText(format_yuan(summary.first_payment))
        lines = [self.tr("Total interest %1 · total repayment %2")
                 .replace("%1", format_yuan(summary.total_interest))
                 .replace("%2", format_yuan(summary.total_repayment))]
        if summary.monthly_decrease is not None:
            lines.append(self.tr("Falls by %1 each month; last payment %2")
                         .replace("%1", format_yuan(summary.monthly_decrease))
                         .replace("%2", format_yuan(summary.last_payment)))
        else:
            lines.append(self.tr("Last payment %1 (the last period clears the balance)")
                         .replace("%1", format_yuan(summary.last_payment)))
        self.summary_text.setText("\n".join(lines))
        self.rate_text.setText("\n".join((q.basis_zh if zh else q.basis_en) for _p, q in parts)
                               + "\n" + self.tr("Illustrative figures; the bank's contract decides."))
        self._draw_chart(schedule, other, method)
        self._fill_table()

    def print_result(self) -> None:
        """The result on the receipt printer (kiosk.certificates.calculation_slip)."""
        printer = self.ctx.services.printer
        if printer is None:
            self.print_state.show_text(self.tr("This terminal has no printer; please ask at a counter."),
                                       "banner-warn")
            return
        if self._printable is None or not self.schedule:
            return
        method, parts = self._printable
        t = self.ctx.config.terminal
        now = datetime.now(UTC).astimezone(ZoneInfo(t.timezone))
        doc = calculation_slip(self.schedule, method, parts, centre=t.centre_name, terminal_id=t.id, issued_at=now)
        command_id = f"calculator-{t.id}-{now:%Y%m%d%H%M%S%f}"
        self.print_state.show_text(self.tr("Printing…"), "banner-info")
        self.ctx.ops.run(lambda: printer.print_receipt(doc, command_id=command_id),
                         lambda _r: self.print_state.show_text(
                             self.tr("Please take your paper from the slot below."), "banner-info"),
                         lambda exc: self.print_state.show_text(
                             self.pick(*user_facing(exc).pair), "banner-warn"),
                         lane="print")

    def _draw_chart(self, schedule: list[Installment], other: list[Installment], method: RepaymentMethod) -> None:
        """Monthly payment of both methods over the years, with a legend; redrawn on a language change."""
        self._chart_data = (schedule, other, method)
        self.chart.removeAllSeries()
        # the same two axes for every drawing: removed axes linger on screen until deleted (stale labels)
        x_axis, y_axis = self._axes
        series_by_method = {method: schedule, _other(method): other}
        colours = {RepaymentMethod.EQUAL_INSTALLMENT: QColor(self.ctx.theme.primary),
                   RepaymentMethod.EQUAL_PRINCIPAL: QColor(self.ctx.theme.danger)}
        zh = self.ctx.languages.is_chinese
        x_axis.setTitleText(self.tr("Years"))
        y_axis.setTitleText(self.tr("Monthly payment (yuan)"))
        top = Decimal(0)
        for m in (RepaymentMethod.EQUAL_INSTALLMENT, RepaymentMethod.EQUAL_PRINCIPAL):
            rows = series_by_method[m]
            total_interest = sum((r.interest for r in rows), Decimal(0))
            series = QLineSeries()
            series.setName(f"{m.zh if zh else m.en[:1].upper() + m.en[1:]} · " + self.tr("interest %1").replace(
                "%1", format_yuan(total_interest)))
            for r in rows:
                series.append(r.period / 12, float(r.payment))  # plotting only: money stays Decimal
            pen = QPen(colours[m])
            pen.setWidth(4)
            series.setPen(pen)
            self.chart.addSeries(series)
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)
            top = max(top, max((r.payment for r in rows), default=Decimal(0)))
        years = max(len(schedule) / 12, 1.0)
        x_axis.setRange(0, years)
        x_axis.setTickInterval(5 if years >= 10 else 1)
        y_axis.setRange(0, float(top) * 1.1 or 1.0)
        font = self.font()
        font.setPointSize(self.ctx.theme.small_pt)
        for axis in (x_axis, y_axis):
            axis.setLabelsFont(font)
            axis.setTitleFont(font)
        self.chart.legend().setFont(font)
        self.chart.legend().setVisible(True)

    def _fill_table(self) -> None:
        by_month = self._selected(self.view) == "month"
        if by_month:
            headers = [self.tr("Period"), self.tr("Payment"), self.tr("Principal"), self.tr("Interest"),
                       self.tr("Balance after")]
            rows = [(str(r.period), format_yuan(r.payment), format_yuan(r.principal), format_yuan(r.interest),
                     format_yuan(r.balance)) for r in self.schedule[:TABLE_ROWS_SHOWN]]
        else:
            headers = [self.tr("Year"), self.tr("Payment"), self.tr("Principal"), self.tr("Interest"),
                       self.tr("Balance after")]
            rows = [(str(y.year), format_yuan(y.payment), format_yuan(y.principal), format_yuan(y.interest),
                     format_yuan(y.balance)) for y in by_year(self.schedule)]
        fill_table(self.table, headers, rows)

    # --- screen life cycle ----------------------------------------------------------------------

    def enter(self, **params: Any) -> None:
        self.print_state.clear_text()
        self.calculate()

    def unavailable_reason(self) -> str:
        return self.tr("The rate table could not be loaded") if self.rates is None else ""

    def retranslate(self) -> None:
        self.title.setText(self.tr("Loan calculator"))
        self.kind_label.setText(self.tr("Loan kind"))
        self.home_label.setText(self.tr("Home (sets the rate)"))
        self.method_label.setText(self.tr("Repayment method"))
        self.term_label.setText(self.tr("Term"))
        self.amount_label.setText(self.tr("Loan amount"))
        texts = {"hpf": self.tr("Provident fund"), "commercial": self.tr("Commercial"),
                 "combined": self.tr("Combined")}
        for k, b in self.kind.items():
            b.setText(texts[k])
        self.field["hpf"].setText(self.tr("Provident fund part"))
        self.field["commercial"].setText(self.tr("Commercial part"))
        self.home["first"].setText(self.tr("First home"))
        self.home["second"].setText(self.tr("Second home"))
        self.method["10"].setText(self.tr("Equal installments"))
        self.method["20"].setText(self.tr("Equal principal"))
        for y, b in self.term.items():
            b.setText(self.tr("%1 years").replace("%1", y))
        self.view["year"].setText(self.tr("By year"))
        self.view["month"].setText(self.tr("By month"))
        self.monthly_name.setText(self.tr("First monthly payment"))
        self.print_button.setText(self.tr("Print this result"))
        self.keypad.set_labels(self.tr("Clear"), self.tr("Calculate"))
        self._show_amount()
        if self._load_error:
            self.banner.show_text(self.tr("The rate table could not be loaded; the calculator is unavailable."))
        elif self.isVisible() or self.schedule:
            self.calculate()
        elif self._chart_data is not None:  # a chart drawn before: its axes and legend follow the language
            self._draw_chart(*self._chart_data)

    def voice_prompt(self) -> str:
        return self.tr("Choose the loan, then the amount and the term.")


def _other(method: RepaymentMethod) -> RepaymentMethod:
    return (RepaymentMethod.EQUAL_PRINCIPAL if method is RepaymentMethod.EQUAL_INSTALLMENT
            else RepaymentMethod.EQUAL_INSTALLMENT)
