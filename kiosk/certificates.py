"""The documents the kiosk prints for a member: the account statement, the deposit
certificate (缴存证明) with a verification code and QR, and the loan calculator's result slip.

The certificate's code is drawn at random with a check character (domain.certificates) and
registered with the ledger through the outbox (kind `certificate.issue`, with the masked facts as
printed and their SHA-256), so the centre can verify any presented paper without a terminal key:
partner banks through the signed API, anyone through the public page the QR code opens. The paper
says it becomes verifiable once the terminal has synced (at once when the ledger is reachable).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from domain.account import AccountSnapshot
from domain.calculator import Installment, RepaymentMethod, by_year, summarize
from domain.certificates import deposit_facts, new_code
from domain.masking import mask_id_number, mask_name
from domain.money import chinese_capital, format_yuan
from domain.rates import LoanKind, QuotedRate
from hardware.printer.receipt import Align, Receipt, ReceiptBuilder


def deposit_certificate(snapshot: AccountSnapshot, *, centre: str, terminal_id: str, issued_at: datetime,
                        verify_url: str, code: str | None = None) -> tuple[Receipt, str, dict[str, str | int]]:
    """The receipt, its code and the facts to register (the caller enqueues the registration first)."""
    a, m = snapshot.account, snapshot.member
    code = code or new_code()
    facts = deposit_facts(snapshot, terminal_id=terminal_id, issued_at=issued_at)
    b = ReceiptBuilder(f"缴存证明 {m.member_id}")
    b.heading(centre)
    b.text("住房公积金缴存证明", Align.CENTER, bold=True)
    b.text("Certificate of Housing Provident Fund Deposits", Align.CENTER)
    b.separator("=")
    b.columns("姓名 Name", mask_name(m.name), widths=(2, 3))
    b.columns("证件号码 ID No.", mask_id_number(m.id_number), widths=(2, 3))
    b.columns("个人账号 Account", m.member_id, widths=(2, 3))
    b.columns("单位 Employer", a.employer_name, widths=(2, 3))
    b.columns("开户日期 Opened", a.opened_on.isoformat(), widths=(2, 3))
    b.columns("账户状态 Status", a.status_label, widths=(2, 3))
    b.columns("缴存基数 Base", format_yuan(a.deposit_base), widths=(2, 3))
    b.columns("缴存比例 Ratio", f"{a.unit_ratio}% + {a.personal_ratio}%", widths=(2, 3))
    b.columns("月缴存额 Monthly", format_yuan(a.monthly_deposit), widths=(2, 3))
    b.text(f"大写：{chinese_capital(a.monthly_deposit)}")
    b.columns("缴至年月 Paid to", a.paid_up_to, widths=(2, 3))
    b.columns("账户余额 Balance", format_yuan(a.balance), widths=(2, 3), bold=True)
    b.text(f"大写：{chinese_capital(a.balance)}")
    b.separator()
    b.columns("出具时间 Issued", str(facts["issued_at"]), widths=(2, 3))
    b.columns("终端 Terminal", terminal_id, widths=(2, 3))
    b.text("验证码 Verification code", Align.CENTER)
    b.text(code, Align.CENTER, bold=True)
    b.qr(verify_url + code)
    b.text("扫码或凭验证码向本中心核验本证明真伪；终端与中心同步后即可核验。\n"
           "Scan or enter the code to check this certificate with the centre; it can be checked once this "
           "terminal has synced with the centre.", Align.CENTER)
    b.cut()
    return b.build(), code, facts


def account_statement(snapshot: AccountSnapshot, *, centre: str, terminal_id: str, issued_at: datetime) -> Receipt:
    a, m = snapshot.account, snapshot.member
    b = ReceiptBuilder(f"对账单 {m.member_id}")
    b.heading(centre)
    b.text("住房公积金个人账户对账单 Account statement", Align.CENTER, bold=True)
    b.separator("=")
    b.columns("姓名 Name", mask_name(m.name), widths=(2, 3))
    b.columns("个人账号 Account", m.member_id, widths=(2, 3))
    b.columns("账户余额 Balance", format_yuan(a.balance), widths=(2, 3), bold=True)
    b.columns("当年缴存 This year", format_yuan(a.deposits_this_year), widths=(2, 3))
    b.columns("上年结转 Carried over", format_yuan(a.carried_over), widths=(2, 3))
    b.separator()
    b.text("缴存明细 Deposits", bold=True)
    for d in sorted(snapshot.deposits, key=lambda d: d.on, reverse=True)[:24]:
        b.columns(d.on.isoformat(), d.kind.value, format_yuan(d.amount), widths=(2, 1, 2))
    if snapshot.withdrawals:
        b.separator()
        b.text("提取明细 Withdrawals", bold=True)
        for w in sorted(snapshot.withdrawals, key=lambda w: w.on, reverse=True)[:12]:
            b.columns(w.on.isoformat(), w.status.value, format_yuan(w.amount), widths=(2, 1, 2))
    b.separator()
    b.columns("数据时间 As of", snapshot.as_of.strftime("%Y-%m-%d %H:%M UTC"), widths=(2, 3))
    if snapshot.is_stale:
        b.text("注意：本对账单依据本机保存的副本打印，可能不是最新数据。\n"
               "From a copy saved on this terminal; may be out of date.")
    b.columns("打印时间 Printed", issued_at.strftime("%Y-%m-%d %H:%M"), widths=(2, 3))
    b.columns("终端 Terminal", terminal_id, widths=(2, 3))
    b.cut()
    return b.build()


def calculation_slip(schedule: Sequence[Installment], method: RepaymentMethod,
                     parts: Sequence[tuple[Decimal, QuotedRate]], *, centre: str, terminal_id: str,
                     issued_at: datetime) -> Receipt:
    """The calculator's result on paper: the loan, the rate and its basis, the totals, the year view.

    Every figure comes from `domain.calculator`; the slip says it is illustrative, as the screen does.
    """
    summary = summarize(schedule, method)
    b = ReceiptBuilder("贷款试算 Loan calculation")
    b.heading(centre)
    b.text("贷款试算结果（示意）\nLoan calculation (illustrative)", Align.CENTER, bold=True)
    b.separator("=")
    for principal, quote in parts:
        name = "公积金贷款 HPF loan" if quote.kind is LoanKind.HPF else "商业贷款 Commercial"
        b.columns(name, format_yuan(principal), widths=(3, 2))
        b.text(f"{quote.basis_zh}\n{quote.basis_en}")
    b.columns("期限 Term", f"{summary.months // 12} 年 years / {summary.months} 期", widths=(2, 3))
    b.columns("还款方式 Method", f"{method.zh} {method.en}", widths=(2, 3))
    b.columns("首月月供 First payment", format_yuan(summary.first_payment), widths=(3, 2), bold=True)
    if summary.monthly_decrease is not None:
        b.columns("每月递减 Falls monthly by", format_yuan(summary.monthly_decrease), widths=(3, 2))
    b.columns("末期还款 Last payment", format_yuan(summary.last_payment), widths=(3, 2))
    b.columns("利息总额 Total interest", format_yuan(summary.total_interest), widths=(3, 2))
    b.columns("还款总额 Total repayment", format_yuan(summary.total_repayment), widths=(3, 2))
    b.text("合计按逐期还款计划相加 Totals are the sum of the schedule.")
    b.separator()
    b.columns("年度 Yr", "年还款 Paid", "年末余额 Balance", widths=(1, 2, 2))
    for year in by_year(schedule):
        b.columns(str(year.year), format_yuan(year.payment), format_yuan(year.balance), widths=(1, 2, 2))
    b.separator()
    b.text("以上为示意数据，以借款合同为准。\nIllustrative figures; the loan contract decides.")
    b.columns("打印时间 Printed", issued_at.strftime("%Y-%m-%d %H:%M"), widths=(2, 3))
    b.columns("终端 Terminal", terminal_id, widths=(2, 3))
    b.cut()
    return b.build()
