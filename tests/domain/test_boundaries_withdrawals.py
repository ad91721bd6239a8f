"""Every withdrawal threshold at its boundary, with the policy file's own figures (issue 16).

TODAY is 2026-11-20; the builders' member is single, paid up to 2026-10, 80,000 yuan balance, in
小店区 (urban). Each test moves one fact to a threshold, a unit below and a unit above.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from domain.account import DepositKind, DepositRecord, LoanStatus, WithdrawalStatus
from domain.decision import Outcome, Reason, Verdict
from domain.evidence import (
    ChildrenFact,
    CommercialLoanFact,
    DeathFact,
    Department,
    EmploymentFact,
    HeirFact,
    HukouFact,
    IllnessFact,
    PropertyFeeFact,
    PurchaseFact,
    PurchaseKind,
    RetirementFact,
)
from domain.policy import load_policy_table
from domain.withdrawals import WithdrawalApplication, WithdrawalPolicy, decide
from domain.withdrawals import WithdrawalType as T
from domain.withdrawals.context import add_months, month_index
from domain.withdrawals.policy import parse_withdrawal_policy
from tests.domain.withdrawal_builders import (
    MARRIED,
    MEMBER_ID,
    NO_HOME,
    ONE_HOME,
    POLICY,
    SINGLE,
    SPOUSE_ID,
    TODAY,
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

RAW = load_policy_table("taiyuan")
TYPES = RAW["withdrawals"]["types"]
HRSS = Department.HRSS
HOME_ID = "140105-001-0001"


def _policy(**changes: dict[str, Any]) -> WithdrawalPolicy:
    """The Taiyuan policy with some keys of some types changed: `_policy(rent={"min_consecutive_months": 4})`."""
    raw = copy.deepcopy(RAW)
    for kind, keys in changes.items():
        raw["withdrawals"]["types"][kind].update(keys)
    return parse_withdrawal_policy(raw)


def _decide(kind: T, facts: Any = None, snap: Any = None, policy: WithdrawalPolicy = POLICY, **kw: Any) -> Any:
    app = WithdrawalApplication(kind, snap or snapshot(), facts or shared(), kw.pop("on", TODAY), **kw)
    return decide(app, policy)


def _reason(decision: Any, rule: str) -> Reason:
    return next(r for r in decision.reasons if r.rule == rule)


# ---- the helpers every rule uses ---------------------------------------------------------------------------


def test_add_months_clamps_to_the_month_end_and_month_index() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 3, 31), 1) == date(2026, 4, 30)
    assert add_months(date(2026, 5, 31), 1) == date(2026, 6, 30)
    assert add_months(date(2026, 11, 20), 2) == date(2027, 1, 20)
    assert add_months(date(2026, 12, 31), 0) == date(2026, 12, 31)
    assert add_months(date(2026, 1, 15), -1) == date(2025, 12, 15)
    assert month_index("2026-10") - month_index("2025-11") == 11
    assert month_index("2026-01") == 2026 * 12


# ---- common rules ---------------------------------------------------------------------------------------------


def test_frozen_amount_equal_to_the_balance_blocks_a_fen_less_goes_to_review() -> None:
    retired = shared(retirement=RetirementFact(True, date(2026, 3, 1), HRSS))
    full = decide_for(T.RETIREMENT, retired, snapshot(account(frozen=True, frozen_amount=D("80000.00"))))
    assert full.outcome is Outcome.REJECTED and _reason(full, "retirement.frozen").verdict is Verdict.REJECT
    assert "冻结（¥80,000.00）" in _reason(full, "retirement.frozen").zh
    partial = decide_for(T.RETIREMENT, retired, snapshot(account(frozen=True, frozen_amount=D("79999.99"))))
    assert partial.outcome is Outcome.REVIEW and partial.amount == D("0.01")
    assert _reason(partial, "retirement.frozen").en == "the account is frozen (¥79,999.99); a clerk must check"
    more = decide_for(T.RETIREMENT, retired, snapshot(account(frozen=True, frozen_amount=D("80000.01"))))
    assert more.outcome is Outcome.REJECTED
    pledged = decide_for(T.RETIREMENT, retired, snapshot(account(pledged=True)))
    assert _reason(pledged, "retirement.frozen").en == "the account is pledged; no withdrawal possible"
    # Frozen with no amount held back is still frozen: a clerk looks.
    zero = decide_for(T.RETIREMENT, retired, snapshot(account(frozen=True, frozen_amount=D("0.00"))))
    assert zero.outcome is Outcome.REVIEW and zero.amount == D("80000.00")


def test_a_frozen_account_for_death_is_reviewed_and_for_rent_rejected() -> None:
    heirs = shared(death=DeathFact(True, date(2026, 10, 1), Department.PUBLIC_SECURITY),
                   heir=HeirFact("11010519491231002X", D(100), Department.APPLICANT))
    dead = decide_for(T.DEATH, heirs, snapshot(account(frozen=True, frozen_amount=D("80000.00"))))
    assert _reason(dead, "death.frozen").verdict is Verdict.REVIEW
    rent = decide_for(T.RENT, shared(homes=NO_HOME), snapshot(account(frozen=True, frozen_amount=D("1.00"))))
    assert _reason(rent, "rent.frozen").verdict is Verdict.REJECT and TYPES["rent"]["reject_if_frozen"] is True


def test_one_pending_application_of_the_type_is_the_limit() -> None:
    assert RAW["withdrawals"]["max_in_flight_per_type"] == 1
    retired = shared(retirement=RetirementFact(True, None, HRSS))
    pending = record("retirement", "100.00", TODAY, code="03", status=WithdrawalStatus.PENDING, no="TQ9")
    blocked = decide_for(T.RETIREMENT, retired, snapshot(withdrawals=(pending,)))
    assert "retirement.in_flight" in rules(blocked) and "(TQ9)" in _reason(blocked, "retirement.in_flight").en
    other = replace(pending, subtype="rent")
    assert "retirement.in_flight" not in rules(decide_for(T.RETIREMENT, retired, snapshot(withdrawals=(other,))))
    paid = replace(pending, status=WithdrawalStatus.PAID)
    assert "retirement.in_flight" not in rules(decide_for(T.RETIREMENT, retired, snapshot(withdrawals=(paid,))))
    two = replace(POLICY, max_in_flight_per_type=2)
    assert "retirement.in_flight" not in rules(_decide(T.RETIREMENT, retired, snapshot(withdrawals=(pending,)),
                                                       policy=two))


def test_open_loan_actions_from_the_policy() -> None:
    retired = shared(retirement=RetirementFact(True, None, HRSS))
    open_loan = snapshot(the_loan=loan())
    assert _reason(decide_for(T.RETIREMENT, retired, open_loan), "retirement.open_loan").verdict is Verdict.REVIEW
    fee = decide_for(T.PROPERTY_FEE, shared(), open_loan)
    assert _reason(fee, "property_fee.open_loan").verdict is Verdict.REJECT
    settled = snapshot(the_loan=loan(status=LoanStatus.SETTLED))
    assert "retirement.open_loan" not in rules(decide_for(T.RETIREMENT, retired, settled))
    overdue = snapshot(the_loan=loan(status=LoanStatus.OVERDUE, overdue_principal=D("100.00"),
                                     overdue_interest=D("20.00"), overdue_penalty=D("0.50")))
    late = decide_for(T.RETIREMENT, retired, overdue)
    assert _reason(late, "retirement.loan_overdue").zh == "公积金贷款逾期（欠款¥120.50），请先归还欠款"
    heirs = shared(death=DeathFact(True, date(2026, 10, 1), Department.PUBLIC_SECURITY),
                   heir=HeirFact("11010519491231002X", D(100), Department.APPLICANT))
    assert _reason(decide_for(T.DEATH, heirs, overdue), "death.open_loan").verdict is Verdict.REVIEW
    allow = _policy(retirement={"open_loan": "allow"})
    assert "retirement.open_loan" not in rules(_decide(T.RETIREMENT, retired, open_loan, policy=allow))


def test_effective_dates_of_the_rent_rule_a_day_either_side() -> None:
    start, end = TYPES["rent"]["effective_from"], TYPES["rent"]["effective_until"]
    assert (start, end) == (date(2026, 5, 1), date(2031, 4, 30))
    facts = shared(homes=NO_HOME)
    assert "rent.effective" not in rules(decide_for(T.RENT, facts, on=start))
    early = decide_for(T.RENT, facts, on=date(2026, 4, 30))
    assert _reason(early, "rent.effective").en == "this rule applies from 2026-05-01"
    late_deps = snapshot(account(paid_up_to="2031-04"), deposits(24, "2031-04"))
    assert "rent.effective" not in rules(decide_for(T.RENT, facts, late_deps, on=end))
    after = decide_for(T.RENT, facts, late_deps, on=date(2031, 5, 1))
    assert _reason(after, "rent.effective").en == "this rule expired on 2031-04-30"


def test_offline_snapshot_goes_to_review_only_when_the_policy_says_so() -> None:
    retired = shared(retirement=RetirementFact(True, None, HRSS))
    cached = snapshot(source="cache")
    offline = decide_for(T.RETIREMENT, retired, cached)
    assert offline.outcome is Outcome.REVIEW and "2026-11-20 01:00 UTC" in _reason(offline, "retirement.offline").en
    trusting = replace(POLICY, cache_snapshot_needs_review=False)
    assert _decide(T.RETIREMENT, retired, cached, policy=trusting).outcome is Outcome.APPROVED


def test_amount_against_balance_request_and_instant_ceiling() -> None:
    facts = shared(homes=NO_HOME)
    # Requested exactly the cap: approved for that amount; a fen more: rejected.
    exact = decide_for(T.RENT, facts, requested=D("25000.00"))
    assert exact.outcome is Outcome.APPROVED and exact.amount == D("25000.00")
    over = decide_for(T.RENT, facts, requested=D("25000.01"))
    assert over.outcome is Outcome.REJECTED and over.amount == D("0.00")
    assert _reason(over, "rent.requested").en == "the requested ¥25,000.01 exceeds the ¥25,000.00 allowed"
    less = decide_for(T.RENT, facts, requested=D("0.01"))
    assert less.amount == D("0.01")
    # The balance bounds the payout; zero available rejects.
    poor = decide_for(T.RENT, facts, snapshot(account(balance=D("24999.99"))))
    assert poor.amount == D("24999.99")
    empty = decide_for(T.RENT, facts, snapshot(account(balance=D("0.00"))))
    assert empty.outcome is Outcome.REJECTED and "rent.balance" in rules(empty)
    assert _reason(empty, "rent.balance").en == "available balance is ¥0.00: nothing can be paid"
    fen = decide_for(T.RENT, facts, snapshot(account(balance=D("0.01"))))
    assert fen.outcome is Outcome.APPROVED and fen.amount == D("0.01")
    # A closing withdrawal pays the whole balance whatever was asked for.
    retired = shared(retirement=RetirementFact(True, None, HRSS))
    assert decide_for(T.RETIREMENT, retired, requested=D("1.00")).amount == D("80000.00")


def test_instant_approval_ceiling_from_the_policy() -> None:
    ceiling = D(TYPES["rent"]["auto_approve_max"])
    assert ceiling == D(26000)
    uplifted = shared(homes=NO_HOME, children=ChildrenFact(2, Department.PUBLIC_SECURITY))
    assert decide_for(T.RENT, uplifted).outcome is Outcome.APPROVED  # 26,000 = the ceiling
    lower = _policy(rent={"auto_approve_max": 25999.99})
    above = _decide(T.RENT, uplifted, policy=lower)
    assert above.outcome is Outcome.REVIEW and above.amount == D("26000.00")
    assert _reason(above, "rent.auto_limit").en == "¥26,000.00 is above the ¥25,999.99 instant-approval ceiling"


def test_a_type_the_city_does_not_offer() -> None:
    fewer = replace(POLICY, types={k: v for k, v in POLICY.types.items() if k is not T.ILLNESS})
    d = _decide(T.ILLNESS, policy=fewer)
    assert d.outcome is Outcome.REJECTED and d.amount == D("0.00") and (d.reason_code, d.subtype) == ("99", "illness")
    assert d.reasons[0].rule == "illness.not_offered" and d.reasons[0].clause == "[withdrawals.types] (taiyuan)"
    assert (d.reasons[0].zh, d.reasons[0].en) == ("本市未开办此项提取业务（illness）",
                                                  "this city does not offer the illness withdrawal")
    assert d.policy_version == POLICY.version == "2026.11-1" and d.reasons[0].verdict is Verdict.REJECT


def test_outside_flags_are_added_to_the_decision() -> None:
    retired = shared(retirement=RetirementFact(True, None, HRSS))
    flag = Reason(Verdict.REVIEW, "fraud.velocity", "频繁", "often", "[withdrawals.fraud]")
    app = WithdrawalApplication(T.RETIREMENT, snapshot(), retired, TODAY)
    d = decide(app, POLICY, [flag])
    assert d.outcome is Outcome.REVIEW and d.reasons[-1] is flag and d.closes_account


# ---- exits: retirement, leaving employment, settling abroad, death -----------------------------------------------


def test_retirement_reasons_name_the_date() -> None:
    d = decide_for(T.RETIREMENT, shared(retirement=RetirementFact(True, date(2026, 3, 1), HRSS)))
    assert _reason(d, "retirement.retired").en == "retired on 2026-03-01" and d.amount == D("80000.00")
    unknown = decide_for(T.RETIREMENT, shared(retirement=RetirementFact(True, None, HRSS)))
    assert _reason(unknown, "retirement.retired").zh == "已办理退休"  # issue 13: no "（日期未知）"
    assert _reason(unknown, "retirement.retired").en == "retired"
    no = decide_for(T.RETIREMENT, shared(retirement=RetirementFact(False, None, HRSS)))
    assert no.outcome is Outcome.REJECTED and _reason(no, "retirement.retired").verdict is Verdict.REJECT


def _sealed(on: date | None, status: str = "02") -> Any:
    return snapshot(account(status_code=status, sealed_on=on))


NOT_EMPLOYED = EmploymentFact(False, date(2026, 1, 1), HRSS)


def test_sealing_period_ending_exactly_today() -> None:
    months = TYPES["leave_employment"]["min_sealed_months"]
    assert months == 6
    facts = shared(employment=NOT_EMPLOYED)
    today = decide_for(T.LEAVE_EMPLOYMENT, facts, _sealed(date(2026, 5, 20)))  # + 6 months = 2026-11-20
    assert today.outcome is Outcome.APPROVED and today.amount == D("80000.00")
    assert _reason(today, "leave_employment.sealed").en == "account sealed for at least 6 months"
    tomorrow = decide_for(T.LEAVE_EMPLOYMENT, facts, _sealed(date(2026, 5, 21)))
    assert tomorrow.outcome is Outcome.REJECTED
    assert _reason(tomorrow, "leave_employment.sealed").en == (
        "sealed on 2026-05-21, less than 6 months ago; you may apply from 2026-11-21")
    yesterday = decide_for(T.LEAVE_EMPLOYMENT, facts, _sealed(date(2026, 5, 19)))
    assert yesterday.outcome is Outcome.APPROVED


def test_sealed_account_with_no_sealing_date_and_an_unsealed_one() -> None:
    facts = shared(employment=NOT_EMPLOYED)
    no_date = decide_for(T.LEAVE_EMPLOYMENT, facts, _sealed(None))
    assert no_date.outcome is Outcome.REJECTED
    assert _reason(no_date, "leave_employment.sealed").verdict is Verdict.REJECT
    assert _reason(no_date, "leave_employment.sealed").en.startswith("the account is not sealed")
    normal = decide_for(T.LEAVE_EMPLOYMENT, facts, _sealed(date(2020, 1, 1), status="01"))
    assert normal.outcome is Outcome.REJECTED and "leave_employment.sealed" in rules(normal)


def test_leaving_employment_reemployed_or_without_data() -> None:
    employed = decide_for(T.LEAVE_EMPLOYMENT, shared(employment=EmploymentFact(True, None, HRSS)),
                          _sealed(date(2026, 1, 1)))
    assert employed.outcome is Outcome.REJECTED and "leave_employment.employed" in rules(employed)
    missing = decide_for(T.LEAVE_EMPLOYMENT, shared(), _sealed(date(2026, 1, 1)))
    assert missing.outcome is Outcome.MISSING_MATERIALS and missing.missing_materials == ("termination_proof",)
    longer = _policy(leave_employment={"min_sealed_months": 7})
    assert _decide(T.LEAVE_EMPLOYMENT, shared(employment=NOT_EMPLOYED), _sealed(date(2026, 5, 20)),
                   policy=longer).outcome is Outcome.REJECTED


@pytest.mark.parametrize(("cancelled", "abroad", "ok"), [(True, True, True), (True, False, False),
                                                         (False, True, False), (False, False, False)])
def test_settling_abroad_needs_both_facts(cancelled: bool, abroad: bool, ok: bool) -> None:
    fact = HukouFact(cancelled, date(2026, 9, 1) if cancelled else None, abroad, Department.PUBLIC_SECURITY)
    d = decide_for(T.SETTLE_ABROAD, shared(hukou=fact))
    assert (d.outcome is Outcome.APPROVED) is ok
    assert d.amount == (D("80000.00") if ok else D("0.00"))


DEAD = DeathFact(True, date(2026, 10, 1), Department.PUBLIC_SECURITY)


def _heir(share: str) -> Any:
    return shared(death=DEAD, heir=HeirFact(SPOUSE_ID, D(share), Department.PUBLIC_SECURITY))


def test_heir_shares_of_0_and_100_percent_and_just_inside() -> None:
    assert decide_for(T.DEATH, _heir("100")).amount == D("80000.00")
    hundred = decide_for(T.DEATH, _heir("100"))
    assert _reason(hundred, "death.share").en == "the heir receives a 100% share"
    zero = decide_for(T.DEATH, _heir("0"))
    assert zero.outcome is Outcome.REJECTED and _reason(zero, "death.share").en == "inheritance share 0% is invalid"
    over = decide_for(T.DEATH, _heir("100.01"))
    assert over.outcome is Outcome.REJECTED and "death.share" in rules(over)
    tiny = decide_for(T.DEATH, _heir("0.01"))
    assert tiny.amount == D("8.00")
    # 33.33 % of 80,000.01 = 26,664.0033.. -> rounded down to the fen.
    third = decide_for(T.DEATH, _heir("33.33"), snapshot(account(balance=D("80000.01"))))
    assert third.amount == D("26664.00")
    half = decide_for(T.DEATH, _heir("50"), snapshot(account(balance=D("0.03"))))
    assert half.amount == D("0.01")  # 0.015 rounds down, never up


def test_death_needs_the_death_record_and_the_heir() -> None:
    alive = decide_for(T.DEATH, shared(death=DeathFact(False, None, Department.PUBLIC_SECURITY),
                                       heir=HeirFact(SPOUSE_ID, D(100), Department.PUBLIC_SECURITY)))
    assert alive.outcome is Outcome.REJECTED and "death.deceased" in rules(alive)
    no_heir = decide_for(T.DEATH, shared(death=DEAD))
    assert no_heir.outcome is Outcome.MISSING_MATERIALS and no_heir.missing_materials == ("inheritance_proof",)
    no_death = decide_for(T.DEATH, shared(heir=HeirFact(SPOUSE_ID, D(100), Department.PUBLIC_SECURITY)))
    assert no_death.missing_materials == ("death_certificate",) and no_death.amount == D("0.00")
    died = decide_for(T.DEATH, _heir("100"))
    assert _reason(died, "death.deceased").en == "the member died on 2026-10-01"


# ---- rent -----------------------------------------------------------------------------------------------------


def test_consecutive_months_at_the_policy_minimum() -> None:
    need = TYPES["rent"]["min_consecutive_months"]
    assert need == 3
    facts = shared(homes=NO_HOME)
    for run, ok in ((need - 1, False), (need, True), (need + 1, True)):
        d = decide_for(T.RENT, facts, snapshot(deps=deposits(run)))
        assert (d.outcome is Outcome.APPROVED) is ok, run
    short = decide_for(T.RENT, facts, snapshot(deps=deposits(2)))
    assert _reason(short, "rent.deposit_months").en == "2 consecutive full months deposited, 3 required"
    enough = decide_for(T.RENT, facts, snapshot(deps=deposits(3)))
    assert _reason(enough, "rent.deposit_months").en == "3 consecutive full months deposited (3 required)"


def _run(deps: tuple[DepositRecord, ...], paid_up_to: str = "2026-10", on: date = TODAY) -> str:
    d = decide_for(T.RENT, shared(homes=NO_HOME), snapshot(account(paid_up_to=paid_up_to), deps), on=on)
    return _reason(d, "rent.deposit_months").en.split(" ")[0]


def test_arrears_boundary_for_the_deposit_run() -> None:
    assert TYPES["rent"]["max_arrears_months"] == 1
    # Paid up to October: in November one month behind (allowed), in December two (the run is 0).
    assert _run(deposits(5)) == "5"
    assert _run(deposits(5), on=date(2026, 12, 31)) == "0"
    assert _run(deposits(5, "2026-11"), paid_up_to="2026-11") == "5"  # paid up to the month itself
    assert _run(deposits(5), on=date(2026, 12, 1)) == "0"
    assert _run(deposits(5), on=date(2026, 11, 30)) == "5"


def test_deposit_run_counts_only_paid_monthly_and_back_pay_records() -> None:
    base = deposits(5)
    back_pay = tuple(replace(d, kind=DepositKind.BACK_PAY) if d.month == "2026-08" else d for d in base)
    assert _run(back_pay) == "5"
    for kind in (DepositKind.TRANSFER_IN, DepositKind.INTEREST, DepositKind.WITHDRAWAL, DepositKind.OTHER):
        other = tuple(replace(d, kind=kind) if d.month == "2026-08" else d for d in base)
        assert _run(other) == "2", kind  # 10, 9 then the break at 8
    zero = tuple(replace(d, amount=D("0.00")) if d.month == "2026-08" else d for d in base)
    assert _run(zero) == "2"
    fen = tuple(replace(d, amount=D("0.01")) if d.month == "2026-08" else d for d in base)
    assert _run(fen) == "5"
    no_month = tuple(replace(d, month="") if d.month == "2026-10" else d for d in base)
    assert _run(no_month) == "0"  # the paid-up month itself has no record
    gap = tuple(d for d in base if d.month != "2026-09")
    assert _run(gap) == "1"


def test_rent_caps_by_tier_with_exact_remainders() -> None:
    cap = D(TYPES["rent"]["cap_urban_per_year"])
    assert cap == D(25000) and D(TYPES["rent"]["cap_county_per_year"]) == D(10000)
    facts = shared(homes=NO_HOME)
    used = record("rent", "24999.99", date(2026, 2, 1))
    left = decide_for(T.RENT, facts, snapshot(withdrawals=(used,)))
    assert left.outcome is Outcome.APPROVED and left.amount == D("0.01")
    assert _reason(left, "rent.cap").en == "2026 rent cap ¥25,000.00 for you: ¥24,999.99 used, ¥0.01 left"
    full = decide_for(T.RENT, facts, snapshot(withdrawals=(record("rent", "25000.00", date(2026, 2, 1)),)))
    assert full.outcome is Outcome.REJECTED
    assert _reason(full, "rent.cap").en == "the 2026 rent cap of ¥25,000.00 for you is used up"
    last_year = decide_for(T.RENT, facts, snapshot(withdrawals=(record("rent", "25000.00", date(2025, 12, 31)),)))
    assert last_year.amount == D("25000.00")
    other_type = decide_for(T.RENT, facts, snapshot(withdrawals=(record("property_fee", "3000.00", date(2026, 2, 1),
                                                                        code="99"),)))
    assert other_type.amount == D("25000.00")
    rejected = record("rent", "25000.00", date(2026, 2, 1), status=WithdrawalStatus.REJECTED)
    assert decide_for(T.RENT, facts, snapshot(withdrawals=(rejected,))).amount == D("25000.00")
    county = decide_for(T.RENT, facts, snapshot(account(district="140121")))
    assert county.amount == D("10000.00") and "三县一市" in _reason(county, "rent.cap").zh
    assert "城六区" in _reason(left, "rent.cap").zh


def test_rent_district_from_the_application_first_and_unknown_ones() -> None:
    facts = shared(homes=NO_HOME)
    assert decide_for(T.RENT, facts, district="140181").amount == D("10000.00")
    unknown = decide_for(T.RENT, facts, snapshot(account(district="")))
    assert unknown.outcome is Outcome.REVIEW and unknown.amount == D("10000.00")
    assert "（空）" in _reason(unknown, "rent.district").zh and "未知区域" in _reason(unknown, "rent.cap").zh
    other = decide_for(T.RENT, facts, district="110105")
    assert "110105" in _reason(other, "rent.district").en


def test_multi_child_uplift_at_the_policy_minimum() -> None:
    least = RAW["withdrawals"]["multi_child_min_children"]
    assert least == 2 and TYPES["rent"]["multi_child_uplift"] == 1000
    for children, amount in ((least - 1, "25000.00"), (least, "26000.00"), (least + 1, "26000.00")):
        facts = shared(homes=NO_HOME, children=ChildrenFact(children, Department.PUBLIC_SECURITY))
        assert decide_for(T.RENT, facts).amount == D(amount), children
    three = decide_for(T.RENT, shared(homes=NO_HOME, children=ChildrenFact(3, Department.PUBLIC_SECURITY)))
    assert _reason(three, "rent.multi_child").en == "multi-child family (3 children): yearly cap raised by ¥1,000.00"


def test_rent_cap_per_couple_only_when_married() -> None:
    spouse_used = (record("rent", "20000.00", date(2026, 3, 1)),)
    married = decide_for(T.RENT, shared(homes=NO_HOME, marriage=MARRIED), spouse_withdrawals=spouse_used)
    assert married.amount == D("5000.00") and "for the couple" in _reason(married, "rent.cap").en
    single = decide_for(T.RENT, shared(homes=NO_HOME, marriage=SINGLE), spouse_withdrawals=spouse_used)
    assert single.amount == D("25000.00") and "for you" in _reason(single, "rent.cap").en


def test_rent_with_a_home_is_rejected() -> None:
    d = decide_for(T.RENT, shared(homes=ONE_HOME))
    assert d.outcome is Outcome.REJECTED and "(1 home(s))" not in _reason(d, "rent.no_home").en
    assert "own 1 home in the city" in _reason(d, "rent.no_home").en


# ---- property fee ------------------------------------------------------------------------------------------------


def _fee(amount: str, on: date = date(2026, 10, 1), home: str = HOME_ID) -> PropertyFeeFact:
    return PropertyFeeFact("FP001", home, D(amount), on, Department.TAX)


NO_INTERVAL = _policy(property_fee={"min_interval_months": 0})


def test_property_fee_yearly_cap_arithmetic_without_the_once_a_year_rule() -> None:
    cap = D(TYPES["property_fee"]["cap_per_person_per_year"])
    assert cap == D(5000)
    facts = shared(property_fee=_fee("3000.00"), homes=ONE_HOME)
    earlier = (record("property_fee", "4999.99", date(2026, 1, 5), code="99"),)
    left = _decide(T.PROPERTY_FEE, facts, snapshot(withdrawals=earlier), policy=NO_INTERVAL)
    assert "property_fee.frequency" not in rules(left)
    assert left.outcome is Outcome.APPROVED and left.amount == D("0.01")
    assert _reason(left, "property_fee.cap").en == (
        "at most the invoice (¥3,000.00) and this year's remaining cap (¥0.01)")
    some = (record("property_fee", "1500.00", date(2026, 1, 5), code="99"),)
    assert _decide(T.PROPERTY_FEE, facts, snapshot(withdrawals=some), policy=NO_INTERVAL).amount == D("3000.00")
    most = (record("property_fee", "2500.00", date(2026, 1, 5), code="99"),)
    assert _decide(T.PROPERTY_FEE, facts, snapshot(withdrawals=most), policy=NO_INTERVAL).amount == D("2500.00")
    used = (record("property_fee", "5000.00", date(2026, 1, 5), code="99"),)
    gone = _decide(T.PROPERTY_FEE, facts, snapshot(withdrawals=used), policy=NO_INTERVAL)
    assert gone.outcome is Outcome.REJECTED
    assert _reason(gone, "property_fee.cap").clause == "[withdrawals.types.property_fee] cap_per_person_per_year = 5000"
    assert _reason(gone, "property_fee.cap").source is Department.FUND_CENTRE
    assert _reason(gone, "property_fee.cap").zh == "本年度物业费提取额度¥5,000.00已用完"
    assert _reason(gone, "property_fee.cap").en == "this year's property-fee cap of ¥5,000.00 is used up"
    # The spouse's fee withdrawals do not count: the cap is per person.
    spouse = _decide(T.PROPERTY_FEE, shared(property_fee=_fee("3000.00"), homes=ONE_HOME, marriage=MARRIED),
                     policy=NO_INTERVAL, spouse_withdrawals=used)
    assert spouse.amount == D("3000.00")
    big_invoice = decide_for(T.PROPERTY_FEE, shared(property_fee=_fee("5000.01"), homes=ONE_HOME))
    assert big_invoice.amount == D("5000.00")


def test_a_spouses_recent_fee_withdrawal_does_not_block_the_member() -> None:
    facts = shared(property_fee=_fee("3000.00"), homes=ONE_HOME, marriage=MARRIED)
    spouse = (record("property_fee", "100.00", date(2026, 10, 1), code="99"),)
    d = decide_for(T.PROPERTY_FEE, facts, spouse_withdrawals=spouse)
    assert "property_fee.frequency" not in rules(d) and d.amount == D("3000.00")


def test_rent_cap_with_the_uplift_used_up_names_the_raised_cap() -> None:
    facts = shared(homes=NO_HOME, children=ChildrenFact(2, Department.PUBLIC_SECURITY))
    used = (record("rent", "26000.00", date(2026, 2, 1)),)
    d = decide_for(T.RENT, facts, snapshot(withdrawals=used))
    assert _reason(d, "rent.cap").en == "the 2026 rent cap of ¥26,000.00 for you is used up"
    assert _reason(d, "rent.cap").zh == "2026年城六区租房提取额度¥26,000.00（本人）已用完"


def test_property_fee_once_a_year_boundary() -> None:
    assert TYPES["property_fee"]["min_interval_months"] == 12
    facts = shared(property_fee=_fee("3000.00"), homes=ONE_HOME)
    year_ago = (record("property_fee", "100.00", date(2025, 11, 20), code="99"),)
    assert "property_fee.frequency" not in rules(decide_for(T.PROPERTY_FEE, facts, snapshot(withdrawals=year_ago)))
    day_less = (record("property_fee", "100.00", date(2025, 11, 21), code="99"),)
    refused = decide_for(T.PROPERTY_FEE, facts, snapshot(withdrawals=day_less))
    assert _reason(refused, "property_fee.frequency").en == (
        "once per 12 months: last withdrawal on 2025-11-21, next possible on 2026-11-21")
    two = (record("property_fee", "100.00", date(2025, 11, 21), code="99"),
           record("property_fee", "100.00", date(2026, 2, 1), code="99"))
    assert "last withdrawal on 2026-02-01" in _reason(decide_for(T.PROPERTY_FEE, facts, snapshot(withdrawals=two)),
                                                      "property_fee.frequency").en


def test_property_fee_invoice_window_a_day_either_side() -> None:
    assert TYPES["property_fee"]["invoice_window_months"] == 12
    ok = decide_for(T.PROPERTY_FEE, shared(property_fee=_fee("100.00", date(2025, 11, 20)), homes=ONE_HOME))
    assert ok.outcome is Outcome.APPROVED
    assert _reason(ok, "property_fee.window").en == "the invoice date (2025-11-20) is within the 12-month window"
    old = decide_for(T.PROPERTY_FEE, shared(property_fee=_fee("100.00", date(2025, 11, 19)), homes=ONE_HOME))
    assert old.outcome is Outcome.REJECTED
    assert _reason(old, "property_fee.window").en == (
        "the invoice date (2025-11-19) is older than the 12-month window (ended 2026-11-19)")


def test_property_fee_home_must_be_owned() -> None:
    other = decide_for(T.PROPERTY_FEE, shared(property_fee=_fee("100.00", home="X-9"), homes=ONE_HOME))
    assert other.outcome is Outcome.REJECTED and "(X-9)" in _reason(other, "property_fee.owner").en
    missing = decide_for(T.PROPERTY_FEE, shared(property_fee=_fee("100.00")))
    assert missing.missing_materials == ("property_certificate",)


# ---- purchases -----------------------------------------------------------------------------------------------------


def _purchase(kind: PurchaseKind = PurchaseKind.NEW, dated: date = date(2026, 6, 1), **changes: Any) -> PurchaseFact:
    base = PurchaseFact(HOME_ID, kind, (MEMBER_ID,), D("1000000.00"), D("300000.00"), D("600000.00"), dated,
                        "140105", Department.PROPERTY_REGISTRY)
    return replace(base, **changes)


def test_earlier_purchase_withdrawal_for_a_different_home_does_not_count() -> None:
    facts = shared(purchases=(_purchase(),))
    other_home = (record("purchase_certificate_new", "1000.00", date(2026, 7, 1), code="01", property_id="OTHER"),)
    d = decide_for(T.PURCHASE_CERTIFICATE_NEW, facts, snapshot(withdrawals=other_home), property_id=HOME_ID)
    assert "purchase_certificate_new.once_per_property" not in rules(d) and d.outcome is Outcome.APPROVED
    same_home = (record("purchase_certificate_new", "1000.00", date(2026, 7, 1), code="01", property_id=HOME_ID),)
    again = decide_for(T.PURCHASE_CERTIFICATE_NEW, facts, snapshot(withdrawals=same_home), property_id=HOME_ID)
    assert again.outcome is Outcome.REJECTED
    assert _reason(again, "purchase_certificate_new.once_per_property").en == (
        "a purchase withdrawal for this home was already made on 2026-07-01 (once per home)")
    other_code = (record("rent", "1000.00", date(2026, 7, 1), code="07", property_id=HOME_ID),)
    fine = decide_for(T.PURCHASE_CERTIFICATE_NEW, facts, snapshot(withdrawals=other_code), property_id=HOME_ID)
    assert fine.outcome is Outcome.APPROVED
    by_spouse = decide_for(T.PURCHASE_CERTIFICATE_NEW, shared(purchases=(_purchase(),), marriage=MARRIED),
                           spouse_withdrawals=same_home, property_id=HOME_ID)
    assert by_spouse.outcome is Outcome.REJECTED


def test_purchase_window_a_day_either_side() -> None:
    assert TYPES["purchase_certificate_new"]["window_months"] == 12
    edge = decide_for(T.PURCHASE_CERTIFICATE_NEW, shared(purchases=(_purchase(dated=date(2025, 11, 20)),)),
                      property_id=HOME_ID)
    assert edge.outcome is Outcome.APPROVED
    late = decide_for(T.PURCHASE_CERTIFICATE_NEW, shared(purchases=(_purchase(dated=date(2025, 11, 19)),)),
                      property_id=HOME_ID)
    assert late.outcome is Outcome.REJECTED and "purchase_certificate_new.window" in rules(late)


@pytest.mark.parametrize(
    ("ptype", "kind", "amount"),
    [(T.PURCHASE_ONLINE_CONTRACT, PurchaseKind.ONLINE_CONTRACT, "300000.00"),
     (T.PURCHASE_CERTIFICATE_NEW, PurchaseKind.NEW, "400000.00"),
     (T.PURCHASE_CERTIFICATE_PUBLIC, PurchaseKind.PUBLIC, "1000000.00")],
)
def test_purchase_limit_by_cap_basis_exactly(ptype: T, kind: PurchaseKind, amount: str) -> None:
    rich = snapshot(account(balance=D("2000000.00")))
    d = decide_for(ptype, shared(purchases=(_purchase(kind),)), rich, property_id=HOME_ID)
    assert d.amount == D(amount)
    assert _reason(d, f"{ptype.value}.limit").en.endswith(f"¥{D(amount):,.2f}")


def test_down_payment_of_zero_and_of_a_fen() -> None:
    none = decide_for(T.PURCHASE_ONLINE_CONTRACT,
                      shared(purchases=(_purchase(PurchaseKind.ONLINE_CONTRACT, down_payment=D("0.00")),)),
                      property_id=HOME_ID)
    assert none.outcome is Outcome.REJECTED and "purchase_online_contract.down_payment" in rules(none)
    fen = decide_for(T.PURCHASE_ONLINE_CONTRACT,
                     shared(purchases=(_purchase(PurchaseKind.ONLINE_CONTRACT, down_payment=D("0.01")),)),
                     property_id=HOME_ID)
    assert fen.outcome is Outcome.APPROVED and fen.amount == D("0.01")


def test_price_minus_loan_to_zero_is_nothing_to_pay() -> None:
    d = decide_for(T.PURCHASE_CERTIFICATE_NEW, shared(purchases=(_purchase(loan_amount=D("1000000.00")),)),
                   property_id=HOME_ID)
    assert d.outcome is Outcome.REJECTED and "purchase_certificate_new.balance" in rules(d)


def test_buyer_is_the_member_case_insensitively_or_the_spouse() -> None:
    lower = decide_for(T.PURCHASE_CERTIFICATE_NEW,
                       shared(purchases=(_purchase(buyer_id_numbers=(SPOUSE_ID.lower(),)),), marriage=MARRIED),
                       property_id=HOME_ID)
    assert _reason(lower, "purchase_certificate_new.buyer").en == "the buyer is your spouse"
    stranger = decide_for(T.PURCHASE_CERTIFICATE_NEW,
                          shared(purchases=(_purchase(buyer_id_numbers=(SPOUSE_ID,)),), marriage=SINGLE),
                          property_id=HOME_ID)
    assert stranger.outcome is Outcome.REJECTED
    no_record = decide_for(T.PURCHASE_CERTIFICATE_NEW,
                           shared(purchases=(_purchase(buyer_id_numbers=(SPOUSE_ID,)),), marriage=None),
                           property_id=HOME_ID)
    assert no_record.missing_materials == ("marriage_certificate",)


def test_buyer_id_with_a_check_x_in_either_case() -> None:
    member = replace(snapshot().member, id_number="11010519491231002X")
    snap = replace(snapshot(), member=member)
    facts = shared(purchases=(_purchase(buyer_id_numbers=("11010519491231002x",)),))
    d = decide_for(T.PURCHASE_CERTIFICATE_NEW, facts, snap, property_id=HOME_ID)
    assert _reason(d, "purchase_certificate_new.buyer").en == "you are the buyer"


def test_a_married_member_whose_spouse_is_not_the_buyer() -> None:
    d = decide_for(T.PURCHASE_CERTIFICATE_NEW,
                   shared(purchases=(_purchase(buyer_id_numbers=("X",)),), marriage=MARRIED), property_id=HOME_ID)
    assert d.outcome is Outcome.REJECTED
    assert _reason(d, "purchase_certificate_new.buyer").en == "neither you nor your spouse is a buyer of this home"


def test_a_relation_the_policy_adds_is_named_as_it_is() -> None:
    wider = _policy(illness={"relations": ["self", "spouse", "parent", "child", "grandparent"]})
    fact = IllnessFact(MEMBER_ID, "grandparent", True, D("100.00"), date(2026, 9, 1), Department.MEDICAL_INSURANCE,
                       Department.PUBLIC_SECURITY)
    d = _decide(T.ILLNESS, shared(illness=fact), policy=wider)
    assert _reason(d, "illness.relation").zh == "已核实患者为申请人grandparent"
    missing = _decide(T.ILLNESS, shared(illness=replace(fact, relation_source=None)), policy=wider)
    assert "缺少与患者（grandparent）的关系证明" in [r.zh for r in missing.reasons]


def test_second_hand_deed_tax_states() -> None:
    def with_tax(paid: bool | None, source: Department | None) -> Any:
        fact = _purchase(PurchaseKind.SECOND_HAND, deed_tax_paid=paid, deed_tax_source=source)
        return decide_for(T.PURCHASE_CERTIFICATE_SECOND_HAND, shared(purchases=(fact,)), property_id=HOME_ID)

    assert with_tax(True, Department.TAX).outcome is Outcome.APPROVED
    assert with_tax(True, Department.APPLICANT).outcome is Outcome.REVIEW
    assert with_tax(False, Department.TAX).outcome is Outcome.REJECTED
    assert with_tax(None, Department.TAX).missing_materials == ("deed_tax_receipt",)
    assert with_tax(True, None).missing_materials == ("deed_tax_receipt",)


# ---- repaying loans ------------------------------------------------------------------------------------------------


def _commercial(**changes: Any) -> CommercialLoanFact:
    base = CommercialLoanFact("SY001", HOME_ID, True, D("36000.00"), D("500000.00"), Department.BANK)
    return replace(base, **changes)


def test_commercial_loan_interval_a_day_either_side_and_the_amount() -> None:
    facts = shared(commercial_loan=_commercial(), homes=ONE_HOME)
    year = (record("repay_commercial_loan", "1.00", date(2025, 11, 20), code="06"),)
    ok = decide_for(T.REPAY_COMMERCIAL_LOAN, facts, snapshot(withdrawals=year))
    assert ok.outcome is Outcome.APPROVED and ok.amount == D("36000.00")
    day_less = (record("repay_commercial_loan", "1.00", date(2025, 11, 21), code="06"),)
    assert decide_for(T.REPAY_COMMERCIAL_LOAN, facts, snapshot(withdrawals=day_less)).outcome is Outcome.REJECTED
    not_own = decide_for(T.REPAY_COMMERCIAL_LOAN, shared(commercial_loan=_commercial(property_id="X"), homes=ONE_HOME))
    assert not_own.outcome is Outcome.REJECTED and "repay_commercial_loan.own_home" in rules(not_own)
    overdue = decide_for(T.REPAY_COMMERCIAL_LOAN, shared(commercial_loan=_commercial(in_good_standing=False),
                                                         homes=ONE_HOME))
    assert overdue.outcome is Outcome.REJECTED and overdue.amount == D("0.00")


def test_hpf_loan_deduction_monthly_yearly_and_capped_by_the_balance() -> None:
    own = snapshot(the_loan=loan())
    monthly = decide_for(T.REPAY_HPF_LOAN, shared(), own)
    assert monthly.amount == D("2067.79")  # 880.29 + 1,187.50
    yearly = decide_for(T.REPAY_HPF_LOAN, shared(), own, repay_mode="yearly")
    assert yearly.amount == D("24813.48")  # 12 × 2,067.79
    small = snapshot(the_loan=loan(balance=D("2067.78")))
    assert decide_for(T.REPAY_HPF_LOAN, shared(), small).amount == D("2067.78")
    half_yuan = snapshot(the_loan=loan(due_principal=D("0.50"), due_interest=D("0.00")))
    assert decide_for(T.REPAY_HPF_LOAN, shared(), half_yuan).amount == D("0.50")
    nothing_due = snapshot(the_loan=loan(due_principal=D("0.00"), due_interest=D("0.00"), balance=D("1234.56")))
    assert decide_for(T.REPAY_HPF_LOAN, shared(), nothing_due).amount == D("1234.56")
    weekly = decide_for(T.REPAY_HPF_LOAN, shared(), own, repay_mode="weekly")
    assert weekly.outcome is Outcome.REJECTED and "monthly, yearly" in _reason(weekly, "repay_hpf_loan.mode").en
    signed = decide_for(T.REPAY_HPF_LOAN, shared(), snapshot(the_loan=loan(auto_repay_signed=True)))
    assert signed.outcome is Outcome.REJECTED and "repay_hpf_loan.signed" in rules(signed)


def test_hpf_loan_for_a_spouse_needs_a_marriage() -> None:
    spouse_loan = loan(contract_no="JK-SPOUSE")
    single = decide_for(T.REPAY_HPF_LOAN, shared(marriage=SINGLE), loan=spouse_loan, loan_holder="spouse")
    assert single.outcome is Outcome.REJECTED and "repay_hpf_loan.spouse" in rules(single)
    married = decide_for(T.REPAY_HPF_LOAN, shared(marriage=MARRIED), loan=spouse_loan, loan_holder="spouse")
    assert married.outcome is Outcome.APPROVED
    unknown = decide_for(T.REPAY_HPF_LOAN, shared(marriage=None), loan=spouse_loan, loan_holder="spouse")
    assert unknown.outcome is Outcome.MISSING_MATERIALS and "repay_hpf_loan.spouse" not in rules(unknown)
    none = decide_for(T.REPAY_HPF_LOAN, shared())
    assert none.outcome is Outcome.REJECTED and "repay_hpf_loan.no_loan" in rules(none)


# ---- illness -----------------------------------------------------------------------------------------------------


def _ill(relation: str = "self", settled: date = date(2026, 9, 1), **changes: Any) -> IllnessFact:
    base = IllnessFact(MEMBER_ID, relation, True, D("12345.67"), settled, Department.MEDICAL_INSURANCE)
    return replace(base, **changes)


def test_illness_amount_window_and_relations() -> None:
    assert TYPES["illness"]["settlement_window_months"] == 12
    assert TYPES["illness"]["relations"] == ["self", "spouse", "parent", "child"]
    d = decide_for(T.ILLNESS, shared(illness=_ill()))
    assert d.outcome is Outcome.APPROVED and d.amount == D("12345.67")
    edge = decide_for(T.ILLNESS, shared(illness=_ill(settled=date(2025, 11, 20))))
    assert edge.outcome is Outcome.APPROVED
    old = decide_for(T.ILLNESS, shared(illness=_ill(settled=date(2025, 11, 19))))
    assert old.outcome is Outcome.REJECTED and "illness.window" in rules(old)
    cousin = decide_for(T.ILLNESS, shared(illness=_ill("cousin")))
    assert cousin.outcome is Outcome.REJECTED and "(cousin)" in _reason(cousin, "illness.relation").en
    unlisted = decide_for(T.ILLNESS, shared(illness=_ill(listed_illness=False)))
    assert unlisted.outcome is Outcome.REJECTED and "illness.listed" in rules(unlisted)
    parent = decide_for(T.ILLNESS, shared(illness=_ill("parent", relation_source=Department.PUBLIC_SECURITY)))
    assert parent.outcome is Outcome.APPROVED and _reason(parent, "illness.relation").zh == "已核实患者为申请人父母"
    paper = decide_for(T.ILLNESS, shared(illness=_ill("child", relation_source=Department.APPLICANT)))
    assert paper.outcome is Outcome.REVIEW and "（子女）" in _reason(paper, "illness.relation").zh
    unproven = decide_for(T.ILLNESS, shared(illness=_ill("spouse")))
    assert unproven.missing_materials == ("relation_proof",)
    year = (record("illness", "1.00", date(2025, 11, 20), code="09"),)
    assert decide_for(T.ILLNESS, shared(illness=_ill()), snapshot(withdrawals=year)).outcome is Outcome.APPROVED
    recent = (record("illness", "1.00", date(2025, 11, 21), code="09"),)
    assert decide_for(T.ILLNESS, shared(illness=_ill()), snapshot(withdrawals=recent)).outcome is Outcome.REJECTED


def test_decision_timestamps_are_not_part_of_the_rules() -> None:
    # The same application on the same day gives the same decision, whatever time the snapshot was taken.
    retired = shared(retirement=RetirementFact(True, None, HRSS))
    later = replace(snapshot(), as_of=datetime(2026, 11, 20, 9, 30, tzinfo=UTC))
    assert decide_for(T.RETIREMENT, retired, later).reasons == decide_for(T.RETIREMENT, retired).reasons
    assert Decimal("80000.00") == decide_for(T.RETIREMENT, retired, later).amount
