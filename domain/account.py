"""A member's account snapshot: member, deposit account, records, loan (BRIEF §4).

Field names follow the 12329 platform screens (S3 `titleinfo.properties`, JGJ/T 320 identifiers
in comments). Every class is frozen and round-trips through `to_json()` / `from_json()` as a
JSON-safe dict (Decimal as string, dates ISO), which is what the ledger API, the encrypted
local cache and the outbox carry. Amounts are Decimal yuan with two places.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Literal

from domain.jsoncodec import JsonMixin

_ZERO_YUAN = Decimal("0.00")  # a constant, not built on every call (withdrawal decisions read `available`)

_PAID_UP_TO = re.compile(r"^\d{4}-(0[1-9]|1[0-2])\Z")

ACCOUNT_STATUS_LABELS: dict[str, str] = {"01": "正常", "02": "封存"}
"""grzhzt (BRIEF §4): only 01/02 are known for sure; other codes come from the centre's dictionary."""


def _check_amounts(obj: object, names: tuple[str, ...], signed: bool = False) -> None:
    """Amounts are Decimal (never float) and, unless signed, not negative."""
    for name in names:
        value = getattr(obj, name)
        if not isinstance(value, Decimal) or not value.is_finite():
            raise ValueError(f"{type(obj).__name__}.{name} must be a finite Decimal, not {value!r}")
        if not signed and value < 0:
            raise ValueError(f"{type(obj).__name__}.{name} must not be negative: {value}")


class Sex(enum.StrEnum):
    """GB/T 2261.1 codes."""

    UNKNOWN = "0"
    MALE = "1"
    FEMALE = "2"
    UNSTATED = "9"


@dataclass(frozen=True)
class Member(JsonMixin):
    member_id: str  # 个人账号 grzh
    name: str  # 姓名 xingming
    id_number: str  # 证件号码 zjhm (whole; mask before showing)
    phone: str  # 手机
    sex: Sex
    birth_date: date  # 出生年月 csny
    id_type: str = "01"  # 证件类型: 01 居民身份证


@dataclass(frozen=True)
class Account(JsonMixin):
    status_code: str  # 账户状态 grzhzt: 01 正常 / 02 封存
    balance: Decimal  # 账户余额
    deposit_base: Decimal  # 缴存基数 grjcjs
    unit_ratio: Decimal  # 单位缴存比例 dwjcbl, percent
    personal_ratio: Decimal  # 个人缴存比例 grjcbl, percent
    monthly_deposit: Decimal  # 月缴存额 (unit + personal) dwyjce + gryjce
    paid_up_to: str  # 缴至年月 jzny, "YYYY-MM"
    opened_on: date  # 开户日期 khrq
    employer_name: str  # 单位名称
    employer_account: str  # 单位账号
    bank_name: str  # 开户银行
    bank_account: str  # 银行账号 grckzhhm (联名卡), whole; mask before showing
    deposits_this_year: Decimal  # 当年缴存额
    carried_over: Decimal  # 上年结转额
    frozen: bool = False
    frozen_amount: Decimal = Decimal("0.00")  # 冻结金额
    frozen_on: date | None = None  # 冻结日期
    pledged: bool = False  # 质押 (e.g. guarantee for someone's loan)
    sealed_on: date | None = None  # 封存日期, when status_code is 02
    last_business_on: date | None = None  # 最新业务日期
    branch: str = ""  # 账户机构
    district: str = ""  # 行政区划 code of the deposit location (for district tiers)
    status_label: str = ""  # filled from ACCOUNT_STATUS_LABELS when empty

    def __post_init__(self) -> None:
        _check_amounts(self, ("balance", "deposit_base", "unit_ratio", "personal_ratio", "monthly_deposit",
                              "deposits_this_year", "carried_over", "frozen_amount"))
        if not _PAID_UP_TO.match(self.paid_up_to):
            raise ValueError(f"paid_up_to {self.paid_up_to!r} must be YYYY-MM")
        if not self.status_label:
            object.__setattr__(self, "status_label", ACCOUNT_STATUS_LABELS.get(self.status_code, self.status_code))

    @property
    def is_normal(self) -> bool:
        return self.status_code == "01"

    @property
    def is_sealed(self) -> bool:
        return self.status_code == "02"

    @property
    def available(self) -> Decimal:
        """Balance that may be paid out: the frozen part stays."""
        held = self.frozen_amount if self.frozen else _ZERO_YUAN
        return max(_ZERO_YUAN, self.balance - held)

    @property
    def paid_up_to_month(self) -> tuple[int, int]:
        year, month = self.paid_up_to.split("-")
        return int(year), int(month)


class DepositKind(enum.StrEnum):
    MONTHLY = "汇缴"
    BACK_PAY = "补缴"
    TRANSFER_IN = "转入"
    INTEREST = "结息"
    WITHDRAWAL = "提取"
    OTHER = "其他"


@dataclass(frozen=True)
class DepositRecord(JsonMixin):
    """我的缴存 detail row (appapi00201)."""

    on: date  # 交易日期
    kind: DepositKind  # 业务类型
    amount: Decimal  # 金额
    summary: str = ""  # 业务摘要
    month: str = ""  # the month paid for ("YYYY-MM"), for 汇缴/补缴

    def __post_init__(self) -> None:
        _check_amounts(self, ("amount",), signed=True)
        if self.month and not _PAID_UP_TO.match(self.month):
            raise ValueError(f"DepositRecord.month {self.month!r} must be YYYY-MM")


class WithdrawalStatus(enum.StrEnum):
    PENDING = "审核中"
    APPROVED = "已审批"
    PAID = "已到账"
    REJECTED = "未通过"
    CANCELLED = "已撤销"


_COUNTING = frozenset((WithdrawalStatus.PENDING, WithdrawalStatus.APPROVED, WithdrawalStatus.PAID))


@dataclass(frozen=True)
class WithdrawalRecord(JsonMixin):
    """我的提取 row (appapi00501) plus what the rules need to count frequency and caps."""

    on: date
    reason_code: str  # JGJ/T 320 / 标准204008 code 01-09, 99
    amount: Decimal
    status: WithdrawalStatus
    receiving_account_masked: str
    application_no: str
    subtype: str = ""  # city sub-type, e.g. "rent", "purchase_certificate"
    property_id: str = ""  # 不动产单元号 / 网签合同号 for once-per-property
    member_id: str = ""  # whose account paid (spouse withdrawals count toward couple caps)

    def __post_init__(self) -> None:
        _check_amounts(self, ("amount",))

    @property
    def counts(self) -> bool:
        """Whether it used up a cap or a frequency window (in flight or paid)."""
        return self.status in _COUNTING


class LoanStatus(enum.StrEnum):
    APPLYING = "审批中"
    AWAITING_DISBURSEMENT = "待放款"
    NORMAL = "正常"
    OVERDUE = "逾期"
    SETTLED = "结清"


REPAYMENT_METHOD_LABELS: dict[str, str] = {"10": "等额本息", "20": "等额本金"}
"""S3 repayment-mode codes (BRIEF §3)."""


@dataclass(frozen=True)
class Loan(JsonMixin):
    contract_no: str  # 借款合同号
    amount: Decimal  # 贷款金额
    balance: Decimal  # 贷款余额
    term_months: int  # 期限
    rate_percent: Decimal  # 年利率 %
    method_code: str  # 还款方式: 10 等额本息 / 20 等额本金
    disbursed_on: date | None  # 放款日
    maturity_on: date | None  # 到期日
    repayment_day: int  # 还款日 (day of month)
    status: LoanStatus
    due_principal: Decimal = Decimal("0.00")  # 本期应还本金
    due_interest: Decimal = Decimal("0.00")  # 本期应还利息
    periods_paid: int = 0  # 已还期数
    periods_left: int = 0  # 剩余期数
    overdue_principal: Decimal = Decimal("0.00")  # 欠本金 oweprin
    overdue_interest: Decimal = Decimal("0.00")  # 欠利息 oweint
    overdue_penalty: Decimal = Decimal("0.00")  # 欠罚息 owepun
    auto_repay_signed: bool = False  # 冲还贷 agreement in force
    next_due_on: date | None = None

    def __post_init__(self) -> None:
        _check_amounts(self, ("amount", "balance", "rate_percent", "due_principal", "due_interest",
                              "overdue_principal", "overdue_interest", "overdue_penalty"))
        if self.term_months <= 0:
            raise ValueError(f"Loan.term_months must be positive: {self.term_months}")
        if not 1 <= self.repayment_day <= 31:
            raise ValueError(f"Loan.repayment_day must be 1-31: {self.repayment_day}")

    @property
    def method_label(self) -> str:
        return REPAYMENT_METHOD_LABELS.get(self.method_code, self.method_code)

    @property
    def due_total(self) -> Decimal:
        return self.due_principal + self.due_interest

    @property
    def overdue_total(self) -> Decimal:
        """欠款合计 oweall."""
        return self.overdue_principal + self.overdue_interest + self.overdue_penalty

    @property
    def is_open(self) -> bool:
        return self.status is not LoanStatus.SETTLED


@dataclass(frozen=True)
class AccountSnapshot(JsonMixin):
    member: Member
    account: Account
    deposits: tuple[DepositRecord, ...] = ()
    withdrawals: tuple[WithdrawalRecord, ...] = ()
    loan: Loan | None = None
    as_of: datetime = field(default_factory=lambda: datetime.now(UTC))
    source: Literal["ledger", "cache"] = "ledger"

    def __post_init__(self) -> None:
        object.__setattr__(self, "deposits", tuple(self.deposits))  # lists from callers stay hashable
        object.__setattr__(self, "withdrawals", tuple(self.withdrawals))
        if self.as_of.tzinfo is None:
            raise ValueError("as_of must be timezone-aware (UTC)")
        if self.source not in ("ledger", "cache"):
            raise ValueError(f"source {self.source!r} must be 'ledger' or 'cache'")

    @property
    def is_stale(self) -> bool:
        """True when the figures come from the local cache, not a live ledger reply."""
        return self.source == "cache"
