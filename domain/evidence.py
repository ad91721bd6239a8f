"""Facts from other departments (shared data, 信息共享) and from paper, each tagged with its source.

A withdrawal decision cites which department each fact came from. A fact that arrived by data
sharing (人社, 不动产登记, 住建, 民政, 公安, 税务, 银行, 医保) can support an instant decision (秒批);
one that the applicant presented on paper or uploaded (`Department.APPLICANT`) must be checked by a
clerk first; once a clerk has checked the original it carries `Department.COUNTER`. A fact that is
absent (None) is a missing material. All classes round-trip through JSON like the account snapshot.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from domain.jsoncodec import JsonMixin

if TYPE_CHECKING:
    from domain.account import AccountSnapshot


class Department(enum.StrEnum):
    HRSS = "人社"  # social insurance and retirement record
    PROPERTY_REGISTRY = "不动产登记"
    HOUSING_BUREAU = "住建"  # 网签 contracts
    CIVIL_AFFAIRS = "民政"  # marriage
    PUBLIC_SECURITY = "公安"  # hukou, death, children on the household register
    TAX = "税务"  # deed tax, e-invoices
    BANK = "银行"  # commercial loans
    MEDICAL_INSURANCE = "医保"
    MARKET_REGULATION = "市场监管"  # business licences, unified social credit codes
    CREDIT_REFERENCE = "人民银行征信"  # the PBOC credit reference centre (loans, issue 11)
    FUND_CENTRE = "公积金中心"  # our own ledger
    APPLICANT = "申请人提供"  # paper or upload, not yet checked
    COUNTER = "柜员核验"  # original checked by a clerk

    @property
    def en(self) -> str:
        return _DEPARTMENT_EN[self]

    @property
    def is_shared_data(self) -> bool:
        """True for data that came machine-to-machine from a department (can support 秒批)."""
        return self not in (Department.APPLICANT, Department.COUNTER)


_DEPARTMENT_EN: dict[Department, str] = {
    Department.HRSS: "social insurance bureau",
    Department.PROPERTY_REGISTRY: "property registry",
    Department.HOUSING_BUREAU: "housing bureau",
    Department.CIVIL_AFFAIRS: "civil affairs (marriage registry)",
    Department.PUBLIC_SECURITY: "public security (household register)",
    Department.TAX: "tax bureau",
    Department.BANK: "bank",
    Department.MEDICAL_INSURANCE: "medical insurance",
    Department.MARKET_REGULATION: "market regulation (business registry)",
    Department.CREDIT_REFERENCE: "PBOC credit reference centre",
    Department.FUND_CENTRE: "fund centre ledger",
    Department.APPLICANT: "applicant's documents (unchecked)",
    Department.COUNTER: "checked by a clerk",
}


@dataclass(frozen=True)
class RetirementFact(JsonMixin):
    retired: bool
    retired_on: date | None
    source: Department


@dataclass(frozen=True)
class EmploymentFact(JsonMixin):
    """Whether social-insurance contributions run (re-employed) and when the last job ended."""

    employed: bool
    ended_on: date | None
    source: Department


@dataclass(frozen=True)
class MarriageFact(JsonMixin):
    married: bool
    spouse_id_number: str
    spouse_member_id: str  # empty when the spouse has no HPF account here
    source: Department


@dataclass(frozen=True)
class HomeOwnershipFact(JsonMixin):
    """Homes registered in the city to the member or the spouse (不动产 query)."""

    property_ids: tuple[str, ...]  # 不动产单元号
    source: Department

    @property
    def owns_home(self) -> bool:
        return bool(self.property_ids)


class PurchaseKind(enum.StrEnum):
    ONLINE_CONTRACT = "网签"  # new home, contract registered online, certificate not yet issued
    NEW = "商品房"
    SECOND_HAND = "二手房"
    PUBLIC = "公房"


@dataclass(frozen=True)
class PurchaseFact(JsonMixin):
    property_id: str  # 不动产单元号 or 网签合同号
    kind: PurchaseKind
    buyer_id_numbers: tuple[str, ...]
    price: Decimal
    down_payment: Decimal  # paid so far (首付款发票)
    loan_amount: Decimal  # any mortgage on it
    dated: date  # contract date (网签) or registration date (证)
    district: str  # GB/T 2260 code
    source: Department
    deed_tax_paid: bool | None = None  # 契税 record, second-hand homes
    deed_tax_source: Department | None = None


@dataclass(frozen=True)
class CommercialLoanFact(JsonMixin):
    loan_id: str
    property_id: str
    in_good_standing: bool  # no overdue instalment
    repaid_last_12_months: Decimal
    balance: Decimal
    source: Department


@dataclass(frozen=True)
class PropertyFeeFact(JsonMixin):
    invoice_no: str
    property_id: str
    amount: Decimal
    invoice_on: date
    source: Department  # 税务 for an e-invoice


@dataclass(frozen=True)
class IllnessFact(JsonMixin):
    patient_id_number: str
    relation: str  # self / spouse / parent / child
    listed_illness: bool
    out_of_pocket: Decimal  # after medical insurance
    settled_on: date
    source: Department
    relation_source: Department | None = None  # proof of the relation; None when not given


@dataclass(frozen=True)
class HukouFact(JsonMixin):
    cancelled: bool
    cancelled_on: date | None
    settled_abroad: bool
    source: Department


@dataclass(frozen=True)
class DeathFact(JsonMixin):
    deceased: bool
    died_on: date | None
    source: Department


@dataclass(frozen=True)
class HeirFact(JsonMixin):
    """Inheritance proof (notarial certificate or court judgment) naming the payee."""

    heir_id_number: str
    share_percent: Decimal
    source: Department


@dataclass(frozen=True)
class ChildrenFact(JsonMixin):
    children: int
    source: Department


@dataclass(frozen=True)
class SharedData(JsonMixin):
    """Everything known about a member beyond the HPF ledger, each fact with its department."""

    retirement: RetirementFact | None = None
    employment: EmploymentFact | None = None
    marriage: MarriageFact | None = None
    homes: HomeOwnershipFact | None = None
    purchases: tuple[PurchaseFact, ...] = ()
    commercial_loan: CommercialLoanFact | None = None
    property_fee: PropertyFeeFact | None = None
    illness: IllnessFact | None = None
    hukou: HukouFact | None = None
    death: DeathFact | None = None
    heir: HeirFact | None = None
    children: ChildrenFact | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "purchases", tuple(self.purchases))  # a list from a caller stays hashable

    def purchase(self, property_id: str) -> PurchaseFact | None:
        return next((p for p in self.purchases if p.property_id == property_id), None)


class SharedDataSource(Protocol):
    """A data link to the other departments: what they know about the member of a snapshot."""

    def facts_for(self, snapshot: AccountSnapshot) -> SharedData: ...


class NoSharedData:
    """No department is connected: nothing is known beyond the fund's own ledger, so every
    decision lists what the member must bring (the one-time notice) — the truth on such a terminal."""

    def facts_for(self, snapshot: AccountSnapshot) -> SharedData:
        return SharedData()


def departments_with_facts(shared: SharedData) -> frozenset[Department]:
    """The departments that sent at least one fact by data sharing (paper and clerk checks excluded)."""
    found: set[Department] = set()
    for f in fields(shared):
        value = getattr(shared, f.name)
        for fact in value if isinstance(value, tuple) else (value,):
            source = getattr(fact, "source", None)
            if isinstance(source, Department) and source.is_shared_data:
                found.add(source)
    return frozenset(found)
