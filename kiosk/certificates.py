"""The documents the kiosk prints for a member: the account statement, the deposit
certificate (缴存证明) with a verification code, and the loan calculator's result slip.

The verification code binds the certificate's facts to the terminal that printed it:
`HMAC-SHA256(terminal secret, "HPF-CERT1|terminal|member|balance fen|paid up to|issued date")`,
first 60 bits as 12 characters of Crockford base32 in groups of four. The terminal secret is
derived from the terminal's private signing key (`certificate_secret`), so nobody without that key
can make a code that matches changed figures. The ledger holds only public keys since issue 10, so
checking a presented paper needs the terminal (or, better, a code the centre signs: open, see
docs/security.md).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from domain.account import AccountSnapshot
from domain.calculator import Installment, RepaymentMethod, by_year, summarize
from domain.masking import mask_id_number, mask_name
from domain.money import chinese_capital, format_yuan
from domain.rates import LoanKind, QuotedRate
from hardware.printer.receipt import Align, Receipt, ReceiptBuilder
from infra.config import Config

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def certificate_secret(config: Config) -> str:
    """The verification-code secret of this terminal, derived from its signing key ("" if not enrolled)."""
    from sync.credentials import NotEnrolled, load_terminal_key

    try:
        return load_terminal_key(config).derive_secret("deposit-certificate")
    except NotEnrolled:
        return ""


def verification_code(secret: str, terminal_id: str, member_id: str, balance_fen: int, paid_up_to: str,
                      issued: date) -> str:
    message = f"HPF-CERT1|{terminal_id}|{member_id}|{balance_fen}|{paid_up_to}|{issued.isoformat()}"
    digest = hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest()
    bits = int.from_bytes(digest[:8], "big") >> 4  # 60 bits
    chars = "".join(_CROCKFORD[(bits >> (5 * i)) & 31] for i in reversed(range(12)))
    return "-".join(chars[i:i + 4] for i in range(0, 12, 4))


def deposit_certificate(snapshot: AccountSnapshot, *, centre: str, terminal_id: str, secret: str,
                        issued_at: datetime) -> tuple[Receipt, str]:
    a, m = snapshot.account, snapshot.member
    code = verification_code(secret, terminal_id, m.member_id, int(a.balance * 100), a.paid_up_to, issued_at.date())
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
    b.columns("出具时间 Issued", issued_at.strftime("%Y-%m-%d %H:%M"), widths=(2, 3))
    b.columns("终端 Terminal", terminal_id, widths=(2, 3))
    b.columns("验证码 Code", code, widths=(2, 3), bold=True)
    b.text("凭验证码可向本中心核验本证明真伪。\nThe centre verifies this certificate by its code.", Align.CENTER)
    b.cut()
    return b.build(), code


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
