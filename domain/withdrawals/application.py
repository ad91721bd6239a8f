"""What a member asks for: the withdrawal type, the facts at hand, the amount."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.account import AccountSnapshot, Loan, WithdrawalRecord
from domain.evidence import SharedData


class WithdrawalType(enum.StrEnum):
    """Every withdrawal type in BRIEF §1; the value is the city sub-type and the policy table name."""

    RETIREMENT = "retirement"
    PROPERTY_FEE = "property_fee"
    LEAVE_EMPLOYMENT = "leave_employment"
    RENT = "rent"
    PURCHASE_ONLINE_CONTRACT = "purchase_online_contract"
    PURCHASE_CERTIFICATE_NEW = "purchase_certificate_new"
    PURCHASE_CERTIFICATE_SECOND_HAND = "purchase_certificate_second_hand"
    PURCHASE_CERTIFICATE_PUBLIC = "purchase_certificate_public"
    REPAY_COMMERCIAL_LOAN = "repay_commercial_loan"
    REPAY_HPF_LOAN = "repay_hpf_loan"
    ILLNESS = "illness"
    SETTLE_ABROAD = "settle_abroad"
    DEATH = "death"


# Sub-types whose past withdrawals the rules read only as: this year's total (`used_this_year`), the newest
# counting one (the frequency window), the ones in flight, and the ones naming a property. A caller that
# passes `used_this_year` may leave the others of these sub-types out of the snapshot: a member's rent
# history then costs the rules nothing however long it grows (ledger.batch reads it this way).
SUMMED_SUBTYPES = frozenset({"rent"})


class BadApplicationError(ValueError):
    """The application itself is malformed (not a rule outcome): message in Chinese and English."""


@dataclass(frozen=True)
class WithdrawalApplication:
    type: WithdrawalType
    snapshot: AccountSnapshot
    shared: SharedData
    on: date  # application date (Beijing)
    requested: Decimal | None = None  # None: the most the rules allow
    property_id: str = ""  # purchases, property fee, commercial loan
    district: str = ""  # rent: GB/T 2260 code of the home; defaults to the account's district
    spouse_withdrawals: tuple[WithdrawalRecord, ...] = ()  # for per-couple caps and once-per-property
    loan: Loan | None = None  # 冲还贷 on a spouse's loan; defaults to the member's own loan
    loan_holder: str = "self"  # self / spouse
    repay_mode: str = "monthly"  # 冲还贷: monthly / yearly
    # The member's own counting withdrawals (in flight or paid) of the application's calendar year, summed per
    # sub-type, when the caller summed them in its database (the ledger's batch apply): then the yearly caps
    # read this, and `snapshot.withdrawals` may leave out the rows of SUMMED_SUBTYPES this total already
    # covers. None: the caps sum `snapshot.withdrawals` (which must then hold every withdrawal).
    used_this_year: Mapping[str, Decimal] | None = None

    def __post_init__(self) -> None:
        if self.requested is not None:
            if not isinstance(self.requested, Decimal) or not self.requested.is_finite():
                raise BadApplicationError(f"申请金额无效 / invalid amount: {self.requested!r}")
            if self.requested <= 0:
                raise BadApplicationError(f"申请金额必须大于零 / the amount must be positive: {self.requested}")
            if self.requested != self.requested.quantize(Decimal("0.01")):
                raise BadApplicationError(f"申请金额最多两位小数 / at most two decimals (fen): {self.requested}")
        if self.loan_holder not in ("self", "spouse"):
            raise BadApplicationError(
                f"贷款人只能是本人或配偶 / loan holder must be self or spouse: {self.loan_holder!r}"
            )
