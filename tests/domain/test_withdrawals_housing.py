"""Housing withdrawals: rent, property fee, purchases, repaying commercial and HPF loans."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from domain.account import LoanStatus, WithdrawalRecord, WithdrawalStatus
from domain.decision import Outcome
from domain.evidence import (
    ChildrenFact,
    CommercialLoanFact,
    Department,
    HomeOwnershipFact,
    PropertyFeeFact,
    PurchaseFact,
    PurchaseKind,
)
from domain.withdrawals import WithdrawalType as T
from tests.domain.withdrawal_builders import (
    MARRIED,
    MEMBER_ID,
    NO_HOME,
    ONE_HOME,
    SPOUSE_ID,
    D,
    account,
    decide_for,
    deposits,
    loan,
    record,
    rules,
    shared,
    snapshot,
)

# ---- rent (Taiyuan 2026-05-01 rule, S1) ---------------------------------------------------------------


def test_rent_urban_single_is_instantly_approved_up_to_25000() -> None:
    d = decide_for(T.RENT, shared(homes=NO_HOME))
    assert d.outcome is Outcome.APPROVED and d.instant and d.label_zh == "秒批"
    assert d.amount == D("25000.00")
    assert (d.reason_code, d.subtype) == ("07", "rent")
    assert any(r.source is Department.PROPERTY_REGISTRY and r.rule == "rent.no_home" for r in d.reasons)
    assert any("cap_urban_per_year = 25000" in r.clause for r in d.reasons)


def test_rent_county_tier_caps_at_10000() -> None:
    d = decide_for(T.RENT, shared(homes=NO_HOME), snapshot(account(district="140181")))  # 古交市
    assert d.outcome is Outcome.APPROVED and d.amount == D("10000.00")


def test_rent_multi_child_uplift_adds_1000() -> None:
    facts = shared(homes=NO_HOME, children=ChildrenFact(2, Department.PUBLIC_SECURITY))
    assert decide_for(T.RENT, facts).amount == D("26000.00")
    one_child = shared(homes=NO_HOME, children=ChildrenFact(1, Department.PUBLIC_SECURITY))
    assert decide_for(T.RENT, one_child).amount == D("25000.00")


def test_rent_cap_is_per_couple_per_calendar_year() -> None:
    own = (record("rent", "10000.00", date(2026, 3, 1)), record("rent", "9000.00", date(2025, 12, 1)))
    spouse = (record("rent", "12000.00", date(2026, 6, 1)),)
    d = decide_for(
        T.RENT, shared(homes=NO_HOME, marriage=MARRIED), snapshot(withdrawals=own), spouse_withdrawals=spouse
    )
    assert d.outcome is Outcome.APPROVED and d.amount == D("3000.00")  # 25,000 - 10,000 - 12,000


def test_rent_cap_used_up_rejects() -> None:
    spouse = (record("rent", "25000.00", date(2026, 2, 1)),)
    d = decide_for(T.RENT, shared(homes=NO_HOME, marriage=MARRIED), spouse_withdrawals=spouse)
    assert d.outcome is Outcome.REJECTED and "rent.cap" in rules(d) and d.amount == 0


def test_rent_when_owning_a_home_is_rejected_citing_the_registry() -> None:
    d = decide_for(T.RENT, shared(homes=ONE_HOME))
    assert d.outcome is Outcome.REJECTED
    reason = next(r for r in d.reasons if r.rule == "rent.no_home")
    assert reason.source is Department.PROPERTY_REGISTRY and "有登记住房" in reason.zh and "own" in reason.en


def test_rent_needs_three_consecutive_full_months() -> None:
    d = decide_for(T.RENT, shared(homes=NO_HOME), snapshot(deps=deposits(2)))
    assert d.outcome is Outcome.REJECTED and "rent.deposit_months" in rules(d)
    assert decide_for(T.RENT, shared(homes=NO_HOME), snapshot(deps=deposits(3))).outcome is Outcome.APPROVED
    gap = deposits(6)[:1] + deposits(6)[2:]  # 2026-09 missing
    assert "rent.deposit_months" in rules(decide_for(T.RENT, shared(homes=NO_HOME), snapshot(deps=gap)))


def test_rent_in_arrears_breaks_the_run() -> None:
    snap = snapshot(account(paid_up_to="2026-08"), deposits(12, upto="2026-08"))
    assert "rent.deposit_months" in rules(decide_for(T.RENT, shared(homes=NO_HOME), snap))


def test_rent_without_property_data_is_missing_the_no_home_proof() -> None:
    d = decide_for(T.RENT, shared())
    assert d.outcome is Outcome.MISSING_MATERIALS and d.missing_materials == ("no_home_proof",)


def test_rent_with_paper_no_home_proof_goes_to_review() -> None:
    d = decide_for(T.RENT, shared(homes=HomeOwnershipFact((), Department.APPLICANT)))
    assert d.outcome is Outcome.REVIEW and not d.instant and d.amount == D("25000.00")


def test_rent_before_the_2026_rule_took_effect_is_rejected() -> None:
    d = decide_for(T.RENT, shared(homes=NO_HOME), on=date(2026, 4, 30))
    assert d.outcome is Outcome.REJECTED and "rent.effective" in rules(d)


def test_rent_unknown_district_goes_to_review_at_the_lower_cap() -> None:
    d = decide_for(T.RENT, shared(homes=NO_HOME), district="140200")
    assert d.outcome is Outcome.REVIEW and d.amount == D("10000.00") and "rent.district" in rules(d)


def test_rent_requested_amount_within_and_beyond_the_cap() -> None:
    assert decide_for(T.RENT, shared(homes=NO_HOME), requested=D("1500.00")).amount == D("1500.00")
    over = decide_for(T.RENT, shared(homes=NO_HOME), requested=D("25000.01"))
    assert over.outcome is Outcome.REJECTED and "rent.requested" in rules(over)


# ---- property fee ---------------------------------------------------------------------------------------

FEE = PropertyFeeFact("INV-1", "140105-001-0001", D("3600.00"), date(2026, 9, 1), Department.TAX)


def test_property_fee_e_invoice_is_instantly_approved_for_the_invoice_amount() -> None:
    d = decide_for(T.PROPERTY_FEE, shared(homes=ONE_HOME, property_fee=FEE))
    assert d.outcome is Outcome.APPROVED and d.instant and d.amount == D("3600.00")
    assert (d.reason_code, d.subtype) == ("99", "property_fee")


def test_property_fee_capped_per_person_per_year() -> None:
    big = replace(FEE, amount=D("9000.00"))
    assert decide_for(T.PROPERTY_FEE, shared(homes=ONE_HOME, property_fee=big)).amount == D("5000.00")


def test_property_fee_once_a_year() -> None:
    earlier = (record("property_fee", "2000.00", date(2026, 1, 10), code="99"),)
    d = decide_for(T.PROPERTY_FEE, shared(homes=ONE_HOME, property_fee=FEE), snapshot(withdrawals=earlier))
    assert d.outcome is Outcome.REJECTED and "property_fee.frequency" in rules(d)
    assert "2027-01-10" in next(r.zh for r in d.reasons if r.rule == "property_fee.frequency")


def test_property_fee_for_a_home_not_owned_is_rejected() -> None:
    other = replace(FEE, property_id="140106-009-0009")
    assert decide_for(T.PROPERTY_FEE, shared(homes=ONE_HOME, property_fee=other)).outcome is Outcome.REJECTED


def test_property_fee_old_invoice_is_rejected() -> None:
    old = replace(FEE, invoice_on=date(2025, 10, 1))
    d = decide_for(T.PROPERTY_FEE, shared(homes=ONE_HOME, property_fee=old))
    assert d.outcome is Outcome.REJECTED and "property_fee.window" in rules(d)


def test_property_fee_paper_invoice_review_and_no_invoice_missing() -> None:
    paper = replace(FEE, source=Department.APPLICANT)
    assert decide_for(T.PROPERTY_FEE, shared(homes=ONE_HOME, property_fee=paper)).outcome is Outcome.REVIEW
    d = decide_for(T.PROPERTY_FEE, shared())
    assert d.outcome is Outcome.MISSING_MATERIALS
    assert d.missing_materials == ("fee_invoice", "property_certificate")


# ---- purchases ------------------------------------------------------------------------------------------

PID = "140105-100-0101"


def purchase(kind: PurchaseKind = PurchaseKind.ONLINE_CONTRACT, **changes: object) -> PurchaseFact:
    source = Department.HOUSING_BUREAU if kind is PurchaseKind.ONLINE_CONTRACT else Department.PROPERTY_REGISTRY
    base = PurchaseFact(
        PID, kind, (MEMBER_ID,), D("1200000.00"), D("360000.00"), D("840000.00"), date(2026, 8, 1), "140105", source
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_online_contract_purchase_is_instantly_approved_up_to_the_down_payment() -> None:
    d = decide_for(T.PURCHASE_ONLINE_CONTRACT, shared(purchases=(purchase(),)), property_id=PID)
    assert d.outcome is Outcome.APPROVED and d.instant and d.amount == D("80000.00")
    assert (d.reason_code, d.subtype) == ("01", "purchase_online_contract")


def test_purchase_limit_follows_the_cap_basis() -> None:
    rich = snapshot(account(balance=D("2000000.00")))
    online = decide_for(T.PURCHASE_ONLINE_CONTRACT, shared(purchases=(purchase(),)), rich, property_id=PID)
    assert online.amount == D("360000.00")  # the down payment
    new = purchase(PurchaseKind.NEW)
    cert = decide_for(T.PURCHASE_CERTIFICATE_NEW, shared(purchases=(new,)), rich, property_id=PID)
    assert cert.amount == D("360000.00") and cert.outcome is Outcome.APPROVED  # price - loan
    public = purchase(PurchaseKind.PUBLIC, price=D("150000.00"), loan_amount=D("0.00"))
    pub = decide_for(T.PURCHASE_CERTIFICATE_PUBLIC, shared(purchases=(public,)), rich, property_id=PID)
    assert pub.amount == D("150000.00") and pub.outcome is Outcome.APPROVED


def test_spouse_as_buyer_is_accepted_and_a_stranger_rejected() -> None:
    spouse_buys = purchase(buyer_id_numbers=(SPOUSE_ID,))
    ok = decide_for(T.PURCHASE_ONLINE_CONTRACT, shared(marriage=MARRIED, purchases=(spouse_buys,)), property_id=PID)
    assert ok.outcome is Outcome.APPROVED
    no = decide_for(T.PURCHASE_ONLINE_CONTRACT, shared(purchases=(spouse_buys,)), property_id=PID)
    assert no.outcome is Outcome.REJECTED and "purchase_online_contract.buyer" in rules(no)


def test_purchase_once_per_property_counts_the_spouse_too() -> None:
    spouse = (record("purchase_online_contract", "50000.00", date(2026, 8, 20), code="01", property_id=PID),)
    d = decide_for(
        T.PURCHASE_ONLINE_CONTRACT,
        shared(marriage=MARRIED, purchases=(purchase(),)),
        property_id=PID,
        spouse_withdrawals=spouse,
    )
    assert d.outcome is Outcome.REJECTED and "purchase_online_contract.once_per_property" in rules(d)


def test_purchase_outside_the_window_is_rejected() -> None:
    old = purchase(dated=date(2025, 10, 1))
    d = decide_for(T.PURCHASE_ONLINE_CONTRACT, shared(purchases=(old,)), property_id=PID)
    assert d.outcome is Outcome.REJECTED and "purchase_online_contract.window" in rules(d)


def test_online_contract_without_down_payment_is_rejected() -> None:
    d = decide_for(T.PURCHASE_ONLINE_CONTRACT, shared(purchases=(purchase(down_payment=D("0")),)), property_id=PID)
    assert d.outcome is Outcome.REJECTED and "purchase_online_contract.down_payment" in rules(d)


def test_purchase_kind_mismatch_is_rejected() -> None:
    d = decide_for(T.PURCHASE_CERTIFICATE_NEW, shared(purchases=(purchase(),)), property_id=PID)
    assert d.outcome is Outcome.REJECTED and "purchase_certificate_new.kind" in rules(d)


@pytest.mark.parametrize(
    ("kind", "ptype", "materials"),
    [
        (PurchaseKind.ONLINE_CONTRACT, T.PURCHASE_ONLINE_CONTRACT, ("online_contract", "down_payment_invoice")),
        (PurchaseKind.NEW, T.PURCHASE_CERTIFICATE_NEW, ("property_certificate", "purchase_invoice")),
        (PurchaseKind.SECOND_HAND, T.PURCHASE_CERTIFICATE_SECOND_HAND, ("property_certificate", "deed_tax_receipt")),
        (PurchaseKind.PUBLIC, T.PURCHASE_CERTIFICATE_PUBLIC, ("property_certificate", "public_sale_agreement")),
    ],
)
def test_every_purchase_kind_missing_and_review(kind: PurchaseKind, ptype: T, materials: tuple[str, ...]) -> None:
    missing = decide_for(ptype, shared(), property_id=PID)
    assert missing.outcome is Outcome.MISSING_MATERIALS and missing.missing_materials == materials
    paper = purchase(kind, source=Department.APPLICANT, deed_tax_paid=True, deed_tax_source=Department.APPLICANT)
    review = decide_for(ptype, shared(purchases=(paper,)), property_id=PID)
    assert review.outcome is Outcome.REVIEW and review.amount > 0


def test_second_hand_needs_the_deed_tax_record() -> None:
    taxed = purchase(PurchaseKind.SECOND_HAND, deed_tax_paid=True, deed_tax_source=Department.TAX)
    ok = decide_for(T.PURCHASE_CERTIFICATE_SECOND_HAND, shared(purchases=(taxed,)), property_id=PID)
    assert ok.outcome is Outcome.APPROVED and ok.instant
    untaxed = replace(taxed, deed_tax_paid=False)
    no = decide_for(T.PURCHASE_CERTIFICATE_SECOND_HAND, shared(purchases=(untaxed,)), property_id=PID)
    assert no.outcome is Outcome.REJECTED
    unknown = replace(taxed, deed_tax_paid=None, deed_tax_source=None)
    gap = decide_for(T.PURCHASE_CERTIFICATE_SECOND_HAND, shared(purchases=(unknown,)), property_id=PID)
    assert gap.missing_materials == ("deed_tax_receipt",)


def test_purchase_without_a_property_id_asks_for_it() -> None:
    d = decide_for(T.PURCHASE_CERTIFICATE_NEW, shared())
    assert d.outcome is Outcome.MISSING_MATERIALS and d.missing_materials == ("property_certificate",)


# ---- repaying a commercial loan -------------------------------------------------------------------------

COMMERCIAL = CommercialLoanFact("SD-1", "140105-001-0001", True, D("30000.00"), D("500000.00"), Department.BANK)


def test_commercial_loan_repayment_is_instant_up_to_twelve_months_repaid() -> None:
    d = decide_for(T.REPAY_COMMERCIAL_LOAN, shared(homes=ONE_HOME, commercial_loan=COMMERCIAL))
    assert d.outcome is Outcome.APPROVED and d.instant and d.amount == D("30000.00") and d.reason_code == "06"


def test_commercial_loan_once_per_twelve_months() -> None:
    earlier = (record("repay_commercial_loan", "28000.00", date(2026, 2, 1), code="06"),)
    d = decide_for(
        T.REPAY_COMMERCIAL_LOAN, shared(homes=ONE_HOME, commercial_loan=COMMERCIAL), snapshot(withdrawals=earlier)
    )
    assert d.outcome is Outcome.REJECTED and "repay_commercial_loan.frequency" in rules(d)
    long_ago = (record("repay_commercial_loan", "28000.00", date(2025, 11, 19), code="06"),)
    assert (
        decide_for(
            T.REPAY_COMMERCIAL_LOAN, shared(homes=ONE_HOME, commercial_loan=COMMERCIAL), snapshot(withdrawals=long_ago)
        ).outcome
        is Outcome.APPROVED
    )


def test_commercial_loan_overdue_or_not_own_home_is_rejected() -> None:
    overdue = replace(COMMERCIAL, in_good_standing=False)
    assert (
        decide_for(T.REPAY_COMMERCIAL_LOAN, shared(homes=ONE_HOME, commercial_loan=overdue)).outcome is Outcome.REJECTED
    )
    assert (
        decide_for(T.REPAY_COMMERCIAL_LOAN, shared(homes=NO_HOME, commercial_loan=COMMERCIAL)).outcome
        is Outcome.REJECTED
    )


def test_commercial_loan_missing_and_paper_review() -> None:
    d = decide_for(T.REPAY_COMMERCIAL_LOAN, shared(homes=ONE_HOME))
    assert d.missing_materials == ("loan_contract", "repayment_record")
    paper = replace(COMMERCIAL, source=Department.APPLICANT)
    assert decide_for(T.REPAY_COMMERCIAL_LOAN, shared(homes=ONE_HOME, commercial_loan=paper)).outcome is Outcome.REVIEW


# ---- 冲还贷 signing ------------------------------------------------------------------------------------


def test_hpf_loan_signing_on_own_normal_loan_is_instant() -> None:
    d = decide_for(T.REPAY_HPF_LOAN, shared(), snapshot(the_loan=loan()))
    assert d.outcome is Outcome.APPROVED and d.instant and d.amount == D("2067.79") and d.reason_code == "06"
    yearly = decide_for(T.REPAY_HPF_LOAN, shared(), snapshot(the_loan=loan()), repay_mode="yearly")
    assert yearly.amount == D("24813.48")


@pytest.mark.parametrize(
    "status", [LoanStatus.OVERDUE, LoanStatus.SETTLED, LoanStatus.APPLYING, LoanStatus.AWAITING_DISBURSEMENT]
)
def test_hpf_loan_signing_needs_a_normal_loan(status: LoanStatus) -> None:
    d = decide_for(T.REPAY_HPF_LOAN, shared(), snapshot(the_loan=loan(status=status)))
    assert d.outcome is Outcome.REJECTED and "repay_hpf_loan.loan_status" in rules(d)


def test_hpf_loan_signing_rejects_double_signing_unknown_mode_and_no_loan() -> None:
    assert (
        decide_for(T.REPAY_HPF_LOAN, shared(), snapshot(the_loan=loan(auto_repay_signed=True))).outcome
        is Outcome.REJECTED
    )
    assert (
        decide_for(T.REPAY_HPF_LOAN, shared(), snapshot(the_loan=loan()), repay_mode="weekly").outcome
        is Outcome.REJECTED
    )
    assert decide_for(T.REPAY_HPF_LOAN, shared()).outcome is Outcome.REJECTED


def test_hpf_loan_signing_for_a_spouse_needs_the_marriage_record() -> None:
    spouse_loan = loan(contract_no="JK-SPOUSE")
    ok = decide_for(T.REPAY_HPF_LOAN, shared(marriage=MARRIED), loan=spouse_loan, loan_holder="spouse")
    assert ok.outcome is Outcome.APPROVED
    missing = decide_for(T.REPAY_HPF_LOAN, shared(marriage=None), loan=spouse_loan, loan_holder="spouse")
    assert missing.outcome is Outcome.MISSING_MATERIALS and missing.missing_materials == ("marriage_certificate",)
    paper = replace(MARRIED, source=Department.APPLICANT)
    review = decide_for(T.REPAY_HPF_LOAN, shared(marriage=paper), loan=spouse_loan, loan_holder="spouse")
    assert review.outcome is Outcome.REVIEW


def test_pending_application_of_the_same_type_blocks_a_second() -> None:
    pending = (record("rent", "1000.00", date(2026, 11, 1), status=WithdrawalStatus.PENDING, no="TQ-PENDING"),)
    d = decide_for(T.RENT, shared(homes=NO_HOME), snapshot(withdrawals=pending))
    assert d.outcome is Outcome.REJECTED and "TQ-PENDING" in next(r.zh for r in d.reasons if r.rule == "rent.in_flight")


def test_rent_refuses_any_freeze_unlike_other_types() -> None:
    partly = snapshot(account(frozen=True, frozen_amount=D("100.00")))
    d = decide_for(T.RENT, shared(homes=NO_HOME), partly)
    assert d.outcome is Outcome.REJECTED and "rent.frozen" in rules(d)
    assert "太原2026-05-01租房提取新规" in next(r.clause for r in d.reasons if r.rule == "rent.frozen")


@pytest.mark.parametrize(
    "ptype",
    [
        T.PURCHASE_CERTIFICATE_NEW,
        T.PURCHASE_CERTIFICATE_SECOND_HAND,
        T.PURCHASE_CERTIFICATE_PUBLIC,
        T.PURCHASE_ONLINE_CONTRACT,
    ],
)
def test_every_purchase_kind_rejects_outside_its_window(ptype: T) -> None:
    kind = {
        T.PURCHASE_CERTIFICATE_NEW: PurchaseKind.NEW,
        T.PURCHASE_CERTIFICATE_SECOND_HAND: PurchaseKind.SECOND_HAND,
        T.PURCHASE_CERTIFICATE_PUBLIC: PurchaseKind.PUBLIC,
        T.PURCHASE_ONLINE_CONTRACT: PurchaseKind.ONLINE_CONTRACT,
    }
    old = purchase(kind[ptype], dated=date(2025, 11, 19), deed_tax_paid=True, deed_tax_source=Department.TAX)
    d = decide_for(ptype, shared(purchases=(old,)), property_id=PID)
    assert d.outcome is Outcome.REJECTED and f"{ptype.value}.window" in rules(d)
    fresh = replace(old, dated=date(2025, 11, 20))  # exactly 12 months: still inside
    assert decide_for(ptype, shared(purchases=(fresh,)), property_id=PID).outcome is Outcome.APPROVED


def test_rent_reasons_built_once_are_the_same_as_built_fresh() -> None:
    """decide() shares the rent reasons between decisions (built once per distinct run, cap and
    amount): a cached reason must say exactly what a fresh one says, whatever the amount's spelling."""
    from domain.withdrawals import housing

    spent = (record("rent", "10000.00", date(2026, 3, 1)),)
    spelled = (WithdrawalRecord(date(2026, 3, 1), "07", D("10000"), WithdrawalStatus.PAID, "", "TQ0001", "rent"),)
    housing._deposit_months.cache_clear()
    housing._rent_cap.cache_clear()
    fresh = decide_for(T.RENT, shared(homes=NO_HOME), snapshot(withdrawals=spent))
    again = decide_for(T.RENT, shared(homes=NO_HOME), snapshot(withdrawals=spelled))  # cache hit: 10000 == 10000.00
    assert housing._rent_cap.cache_info().hits == 1
    assert again == fresh and again.amount == D("15000.00")
    cap = next(r for r in again.reasons if r.rule == "rent.cap")
    assert cap.zh == "2026年城六区租房提取额度¥25,000.00（本人），已提¥10,000.00，尚可提取¥15,000.00"
    housing._rent_cap.cache_clear()
    assert decide_for(T.RENT, shared(homes=NO_HOME), snapshot(withdrawals=spelled)) == fresh
