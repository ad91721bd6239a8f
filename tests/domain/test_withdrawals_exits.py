"""Full-balance and hardship withdrawals: retirement, leaving employment, settling abroad, death, illness."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from domain.account import LoanStatus
from domain.decision import Outcome
from domain.evidence import (
    DeathFact,
    Department,
    EmploymentFact,
    HeirFact,
    HukouFact,
    IllnessFact,
    RetirementFact,
)
from domain.withdrawals import WithdrawalType as T
from tests.domain.withdrawal_builders import (
    D,
    account,
    decide_for,
    loan,
    record,
    rules,
    shared,
    snapshot,
)

RETIRED = RetirementFact(True, date(2026, 3, 1), Department.HRSS)


# ---- retirement --------------------------------------------------------------------------------------------


def test_retirement_on_social_insurance_data_is_instant_for_the_whole_balance() -> None:
    d = decide_for(T.RETIREMENT, shared(retirement=RETIRED))
    assert d.outcome is Outcome.APPROVED and d.instant and d.amount == D("80000.00") and d.closes_account
    assert (d.reason_code, d.subtype) == ("03", "retirement")
    assert any(r.source is Department.HRSS for r in d.reasons)


def test_retirement_pays_only_the_unfrozen_part_after_review() -> None:
    snap = snapshot(account(frozen=True, frozen_amount=D("30000.00")))
    d = decide_for(T.RETIREMENT, shared(retirement=RETIRED), snap)
    assert d.outcome is Outcome.REVIEW and d.amount == D("50000.00") and "retirement.frozen" in rules(d)


def test_retirement_not_retired_is_rejected_and_no_data_is_missing_the_certificate() -> None:
    no = decide_for(T.RETIREMENT, shared(retirement=RetirementFact(False, None, Department.HRSS)))
    assert no.outcome is Outcome.REJECTED and no.amount == 0
    gap = decide_for(T.RETIREMENT, shared())
    assert gap.outcome is Outcome.MISSING_MATERIALS and gap.missing_materials == ("retirement_certificate",)


def test_retirement_certificate_on_paper_or_open_loan_goes_to_review() -> None:
    paper = decide_for(T.RETIREMENT, shared(retirement=replace(RETIRED, source=Department.APPLICANT)))
    assert paper.outcome is Outcome.REVIEW
    checked = decide_for(T.RETIREMENT, shared(retirement=replace(RETIRED, source=Department.COUNTER)))
    assert checked.outcome is Outcome.APPROVED and not checked.instant and checked.label_zh == "准予提取"
    with_loan = decide_for(T.RETIREMENT, shared(retirement=RETIRED), snapshot(the_loan=loan()))
    assert with_loan.outcome is Outcome.REVIEW and "retirement.open_loan" in rules(with_loan)


def test_overdue_loan_rejects_and_pledged_account_rejects() -> None:
    overdue = decide_for(T.RETIREMENT, shared(retirement=RETIRED), snapshot(the_loan=loan(status=LoanStatus.OVERDUE)))
    assert overdue.outcome is Outcome.REJECTED and "retirement.loan_overdue" in rules(overdue)
    pledged = decide_for(T.RETIREMENT, shared(retirement=RETIRED), snapshot(account(pledged=True)))
    assert pledged.outcome is Outcome.REJECTED and "retirement.frozen" in rules(pledged)


# ---- leaving employment ---------------------------------------------------------------------------------

SEALED = account(status_code="02", sealed_on=date(2026, 4, 1))
LEFT = EmploymentFact(False, date(2026, 3, 31), Department.HRSS)


def test_leaving_employment_after_six_sealed_months_is_instant() -> None:
    d = decide_for(T.LEAVE_EMPLOYMENT, shared(employment=LEFT), snapshot(SEALED))
    assert d.outcome is Outcome.APPROVED and d.instant and d.amount == D("80000.00") and d.closes_account
    assert (d.reason_code, d.subtype) == ("99", "leave_employment")


def test_leaving_employment_too_soon_or_reemployed_or_not_sealed_is_rejected() -> None:
    soon = decide_for(
        T.LEAVE_EMPLOYMENT, shared(employment=LEFT), snapshot(replace(SEALED, sealed_on=date(2026, 6, 1)))
    )
    assert soon.outcome is Outcome.REJECTED and "2026-12-01" in " ".join(r.zh for r in soon.reasons)
    working = decide_for(T.LEAVE_EMPLOYMENT, shared(employment=replace(LEFT, employed=True)), snapshot(SEALED))
    assert working.outcome is Outcome.REJECTED and "leave_employment.employed" in rules(working)
    active = decide_for(T.LEAVE_EMPLOYMENT, shared(employment=LEFT))
    assert active.outcome is Outcome.REJECTED and "leave_employment.sealed" in rules(active)


def test_leaving_employment_missing_and_review() -> None:
    gap = decide_for(T.LEAVE_EMPLOYMENT, shared(), snapshot(SEALED))
    assert gap.outcome is Outcome.MISSING_MATERIALS and gap.missing_materials == ("termination_proof",)
    paper = decide_for(
        T.LEAVE_EMPLOYMENT, shared(employment=replace(LEFT, source=Department.APPLICANT)), snapshot(SEALED)
    )
    assert paper.outcome is Outcome.REVIEW


# ---- settling abroad ------------------------------------------------------------------------------------

ABROAD = HukouFact(True, date(2026, 10, 8), True, Department.PUBLIC_SECURITY)


def test_settling_abroad_all_paths() -> None:
    ok = decide_for(T.SETTLE_ABROAD, shared(hukou=ABROAD))
    assert ok.outcome is Outcome.APPROVED and ok.instant and ok.closes_account and ok.reason_code == "05"
    moved = decide_for(T.SETTLE_ABROAD, shared(hukou=replace(ABROAD, settled_abroad=False)))
    assert moved.outcome is Outcome.REJECTED
    assert decide_for(T.SETTLE_ABROAD, shared()).missing_materials == ("hukou_cancellation",)
    paper = decide_for(T.SETTLE_ABROAD, shared(hukou=replace(ABROAD, source=Department.APPLICANT)))
    assert paper.outcome is Outcome.REVIEW


# ---- death ----------------------------------------------------------------------------------------------

DEAD = DeathFact(True, date(2026, 9, 1), Department.PUBLIC_SECURITY)
HEIR = HeirFact("140105197001011234", D("50"), Department.COUNTER)


def test_death_pays_the_heirs_share_once_a_clerk_checked_the_proof() -> None:
    d = decide_for(T.DEATH, shared(death=DEAD, heir=HEIR))
    assert d.outcome is Outcome.APPROVED and not d.instant and d.amount == D("40000.00") and d.reason_code == "08"


def test_death_paths_review_missing_reject() -> None:
    paper = decide_for(T.DEATH, shared(death=DEAD, heir=replace(HEIR, source=Department.APPLICANT)))
    assert paper.outcome is Outcome.REVIEW
    gap = decide_for(T.DEATH, shared())
    assert gap.outcome is Outcome.MISSING_MATERIALS
    assert gap.missing_materials == ("death_certificate", "inheritance_proof")
    alive = decide_for(T.DEATH, shared(death=replace(DEAD, deceased=False), heir=HEIR))
    assert alive.outcome is Outcome.REJECTED
    bad_share = decide_for(T.DEATH, shared(death=DEAD, heir=replace(HEIR, share_percent=D("120"))))
    assert bad_share.outcome is Outcome.REJECTED


def test_death_with_frozen_account_or_overdue_loan_is_reviewed_not_rejected() -> None:
    snap = snapshot(account(frozen=True, frozen_amount=D("30000.00")), the_loan=loan(status=LoanStatus.OVERDUE))
    d = decide_for(T.DEATH, shared(death=DEAD, heir=HEIR), snap)
    assert d.outcome is Outcome.REVIEW and d.amount == D("25000.00")  # half of the unfrozen 50,000
    assert "death.frozen" in rules(d) and "death.open_loan" in rules(d) and "death.loan_overdue" not in rules(d)


# ---- major illness --------------------------------------------------------------------------------------

ILL = IllnessFact("140105199003071234", "self", True, D("42000.50"), date(2026, 10, 1), Department.MEDICAL_INSURANCE)


def test_illness_is_instant_up_to_the_out_of_pocket_cost() -> None:
    d = decide_for(T.ILLNESS, shared(illness=ILL))
    assert d.outcome is Outcome.APPROVED and d.instant and d.amount == D("42000.50") and d.reason_code == "09"


def test_illness_of_a_parent_needs_the_relation_proof() -> None:
    parent = replace(ILL, patient_id_number="140105196001011234", relation="parent")
    assert decide_for(T.ILLNESS, shared(illness=parent)).missing_materials == ("relation_proof",)
    proven = replace(parent, relation_source=Department.PUBLIC_SECURITY)
    assert decide_for(T.ILLNESS, shared(illness=proven)).outcome is Outcome.APPROVED
    paper = replace(parent, relation_source=Department.APPLICANT)
    assert decide_for(T.ILLNESS, shared(illness=paper)).outcome is Outcome.REVIEW


def test_illness_rejections() -> None:
    assert decide_for(T.ILLNESS, shared(illness=replace(ILL, listed_illness=False))).outcome is Outcome.REJECTED
    assert decide_for(T.ILLNESS, shared(illness=replace(ILL, relation="cousin"))).outcome is Outcome.REJECTED
    old = decide_for(T.ILLNESS, shared(illness=replace(ILL, settled_on=date(2025, 9, 1))))
    assert old.outcome is Outcome.REJECTED and "illness.window" in rules(old)
    again = decide_for(
        T.ILLNESS,
        shared(illness=ILL),
        snapshot(withdrawals=(record("illness", "5000.00", date(2026, 5, 1), code="09"),)),
    )
    assert again.outcome is Outcome.REJECTED and "illness.frequency" in rules(again)


def test_illness_missing_materials() -> None:
    d = decide_for(T.ILLNESS, shared())
    assert d.outcome is Outcome.MISSING_MATERIALS and d.missing_materials == ("diagnosis", "medical_invoices")
