"""The registry: which evaluator decides each withdrawal type and which policy keys it reads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from domain.withdrawals import exits, hardship, housing
from domain.withdrawals.application import WithdrawalType as T
from domain.withdrawals.context import Ctx

Evaluator = Callable[[Ctx], Decimal | None]

EVALUATORS: dict[T, Evaluator] = {
    T.RETIREMENT: exits.retirement,
    T.LEAVE_EMPLOYMENT: exits.leave_employment,
    T.SETTLE_ABROAD: exits.settle_abroad,
    T.DEATH: exits.death,
    T.RENT: housing.rent,
    T.PROPERTY_FEE: housing.property_fee,
    T.PURCHASE_ONLINE_CONTRACT: housing.purchase,
    T.PURCHASE_CERTIFICATE_NEW: housing.purchase,
    T.PURCHASE_CERTIFICATE_SECOND_HAND: housing.purchase,
    T.PURCHASE_CERTIFICATE_PUBLIC: housing.purchase,
    T.REPAY_COMMERCIAL_LOAN: housing.repay_commercial_loan,
    T.REPAY_HPF_LOAN: housing.repay_hpf_loan,
    T.ILLNESS: hardship.illness,
}

_PURCHASE = {"window_months": int, "cap_basis": str}
REQUIRED_PARAMS: dict[T, dict[str, type]] = {
    T.LEAVE_EMPLOYMENT: {"min_sealed_months": int},
    T.RENT: {
        "min_consecutive_months": int,
        "max_arrears_months": int,
        "cap_urban_per_year": Decimal,
        "cap_county_per_year": Decimal,
        "multi_child_uplift": Decimal,
        "effective_from": date,
    },
    T.PROPERTY_FEE: {"cap_per_person_per_year": Decimal, "invoice_window_months": int, "min_interval_months": int},
    T.PURCHASE_ONLINE_CONTRACT: _PURCHASE,
    T.PURCHASE_CERTIFICATE_NEW: _PURCHASE,
    T.PURCHASE_CERTIFICATE_SECOND_HAND: _PURCHASE,
    T.PURCHASE_CERTIFICATE_PUBLIC: _PURCHASE,
    T.REPAY_COMMERCIAL_LOAN: {"min_interval_months": int},
    T.REPAY_HPF_LOAN: {"modes": list},
    T.ILLNESS: {"relations": list, "settlement_window_months": int, "min_interval_months": int},
}
