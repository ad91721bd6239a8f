"""domain.loan_application: states and roles, the notice, the review's reasons, and the 5-working-day clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from domain import loan_application as la
from domain.calculator import RepaymentMethod, repayment_schedule
from domain.identity import Sex
from domain.loan_limits import Borrower, load_loan_limit_policy
from domain.money import Money
from domain.policy import load_policy_table
from domain.rates import load_rate_table
from domain.workdays import WorkCalendar

TZ = ZoneInfo("Asia/Shanghai")
RAW = load_policy_table("taiyuan")
LIMITS, RATES, POLICY = load_loan_limit_policy(RAW), load_rate_table(RAW), la.load_loan_policy("taiyuan")
CAL = WorkCalendar()
ON = date(2026, 12, 1)
ME = "140105199003071234"


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def borrower(balance: int = 100_000, income: int = 12_000) -> Borrower:
    return Borrower(date(1990, 3, 7), Sex.MALE, Money.yuan(balance), Money.yuan(income), 48, 48)


def contract(price_yuan: int = 1_000_000, buyers: tuple[str, ...] = (ME,)) -> la.PurchaseContract:
    return la.PurchaseContract("WQ1", buyers, price_yuan * 100, price_yuan * 30, True, "示例开发商", "建行",
                               "6217000000000000001", "晋(2026)太原市不动产权第0000001号", "太原市示例路1号")


CLEAN = la.CreditReport(ME, False, 0, 0, 0, 0)


def review(amount_yuan: int = 300_000, *, homes: int = 0, credit: tuple[la.CreditReport, ...] = (CLEAN,),
           prop: la.PropertyFacts | None = None, bank_part: int = 0, b: Borrower | None = None,
           c: la.PurchaseContract | None = None) -> la.Review:
    return la.review_application(la.LoanRequest(amount_yuan * 100, 240, bank_part_fen=bank_part * 100),
                                 b or borrower(), applicant_id_number=ME, homes_owned=homes, contract=c or contract(),
                                 property_facts=prop, credit=credit, limits=LIMITS, rates=RATES, policy=POLICY, on=ON)


# ---- states and roles ----

def test_the_happy_path_runs_through_every_state_in_order() -> None:
    steps = [("submit", la.Actor.MEMBER), ("intake", la.Actor.CLERK), ("start_review", la.Actor.CLERK),
             ("review", la.Actor.SYSTEM), ("approve", la.Actor.SUPERVISOR), ("contract_complete", la.Actor.SYSTEM),
             ("request_registration", la.Actor.CLERK), ("complete_registration", la.Actor.SYSTEM),
             ("disburse", la.Actor.CLERK)]
    state, seen = la.LoanState.DRAFT, [la.LoanState.DRAFT]
    for action, actor in steps:
        state = la.check_action(state, action, actor)
        seen.append(state)
    assert [s.value for s in seen] == ["draft", "submitted", "accepted", "under_review", "reviewed", "approved",
                                      "contract_signed", "registration_requested", "registered", "disbursed"]
    assert state.final and la.allowed_actions(state) == ()


@pytest.mark.parametrize(("action", "actor"), [("approve", la.Actor.CLERK), ("approve", la.Actor.MEMBER),
                                               ("intake", la.Actor.MEMBER), ("review", la.Actor.CLERK),
                                               ("disburse", la.Actor.MEMBER), ("refuse", la.Actor.SYSTEM)])
def test_the_wrong_role_is_refused_in_both_languages(action: str, actor: la.Actor) -> None:
    state = {"approve": la.LoanState.REVIEWED, "refuse": la.LoanState.REVIEWED, "intake": la.LoanState.SUBMITTED,
             "review": la.LoanState.UNDER_REVIEW, "disburse": la.LoanState.REGISTERED}[action]
    with pytest.raises(la.LoanActionError) as err:
        la.check_action(state, action, actor)
    assert err.value.code == "loan_role" and err.value.zh and err.value.en


def test_no_step_is_skipped_and_a_final_state_stays_final() -> None:
    with pytest.raises(la.LoanActionError) as err:
        la.check_action(la.LoanState.ACCEPTED, "approve", la.Actor.SUPERVISOR)  # not reviewed yet
    assert err.value.code == "loan_state"
    with pytest.raises(la.LoanActionError):
        la.check_action(la.LoanState.REGISTRATION_REQUESTED, "disburse", la.Actor.CLERK)  # not registered
    with pytest.raises(la.LoanActionError):
        la.check_action(la.LoanState.REFUSED, "approve", la.Actor.SUPERVISOR)


def test_the_intake_clerk_may_not_decide() -> None:
    with pytest.raises(la.LoanActionError) as err:
        la.check_separation("boss-01", "boss-01")
    assert err.value.code == "separation_of_duties"
    la.check_separation("clerk-01", "supervisor-01")


# ---- the notice ----

def test_the_notice_asks_only_for_what_the_exchange_cannot_supply() -> None:
    offline = la.loan_notice(POLICY, notice_no="N1", married=False, supplied_topics=(), down_payment_on_record=False)
    assert [m.material for m in offline.missing] == ["purchase_contract", "income_proof", "marriage_status",
                                                     "credit_authorisation", "down_payment_proof"]
    online = la.loan_notice(POLICY, notice_no="N2", married=False, down_payment_on_record=True,
                            supplied_topics=("housing.purchase_contract", "civil.marriage"))
    assert [m.material for m in online.missing] == ["income_proof", "credit_authorisation"]
    assert {m.material: m.supplied_by for m in online.supplied} == {
        "purchase_contract": "住建", "marriage_status": "民政", "down_payment_proof": "住建"}
    assert any("无需提供" in line for line in online.lines())


def test_a_married_applicant_is_asked_for_the_spouse_too() -> None:
    notice = la.loan_notice(POLICY, notice_no="N3", married=True, down_payment_on_record=True,
                            supplied_topics=("housing.purchase_contract", "civil.marriage"))
    assert [m.material for m in notice.missing] == ["income_proof", "credit_authorisation", "spouse_id_card"]
    assert "配偶" in notice.missing[1].why
    assert la.missing_at_intake(notice, {"income_proof": "CAM-1", "credit_authorisation": "CAM-2"})[0].material == \
        "spouse_id_card"


# ---- the review ----

def test_an_honest_application_is_eligible_and_names_its_limit() -> None:
    r = review()
    assert r.eligible and r.reasons == () and r.limiting_factor in ("balance", "repayment_capacity", "price",
                                                                    "city_cap")
    assert r.monthly_payment_fen > 0 and not r.second_home


def test_a_refusal_names_the_limiting_factor_first() -> None:
    r = review(5_000_000, b=borrower(balance=10_000))  # ¥10,000 × 25 = ¥250,000: the balance limits
    assert not r.eligible and r.limiting_factor == "balance"
    assert r.reasons[0].code == "limit_balance" and "账户余额" in r.reasons[0].zh
    assert "account balance" in r.reasons[0].en and r.to_json()["limiting_zh"] == "账户余额"


def test_second_and_third_homes() -> None:
    first, second = review(), review(homes=1)
    assert second.second_home and second.eligible
    assert second.limit.rate.annual_percent >= first.limit.rate.annual_percent  # the second-home rate
    third = review(homes=2)
    assert "homes_owned" in {x.code for x in third.reasons}


def test_credit_property_buyer_and_combined_loan_reasons() -> None:
    adverse = la.CreditReport(ME, False, 3, 7, 0, 0)
    spouse_now = la.CreditReport("110105194912310021", True, 1, 1, 0, 0)
    r = review(credit=(adverse, spouse_now), prop=la.PropertyFacts("C", "A", (), True, True),
               c=contract(buyers=("110105194912310021",)), bank_part=900_000)
    codes = [x.code for x in r.reasons]
    assert {"contract_buyer", "credit_record", "credit_overdue_now", "property_mortgaged", "property_seized",
            "combined_over_ltv"} <= set(codes)
    overdue = next(x for x in r.reasons if x.code == "credit_overdue_now")
    assert "配偶" in overdue.zh and "spouse" in overdue.en
    ok = review(bank_part=400_000)  # ¥300,000 HPF + ¥400,000 bank <= 80 % of ¥1,000,000
    assert ok.eligible and ok.bank_part_fen == 40_000_000


def test_other_debt_from_the_credit_report_lowers_the_capacity() -> None:
    light = review(b=borrower(balance=1_000_000, income=6_000))
    heavy = review(b=borrower(balance=1_000_000, income=6_000), credit=(la.CreditReport(ME, False, 0, 0, 200_000, 0),))
    assert heavy.max_amount_fen < light.max_amount_fen


def test_a_refusal_needs_reasons() -> None:
    with pytest.raises(la.LoanActionError):
        la.refusal_reasons({"reasons": []}, ["  "])
    reasons = la.refusal_reasons({"reasons": [{"code": "limit_balance", "zh": "z", "en": "e"}]}, [])
    assert [r.code for r in reasons] == ["limit_balance"]


# ---- the clock across National Day 2026 (1-7 October holiday, Saturday 10 October a working day) ----

START = at(date(2026, 9, 29))  # Tuesday


def clock(now: datetime, pauses: tuple[la.Pause, ...] = (), finished: datetime | None = None) -> la.LoanClock:
    return la.loan_clock(START, pauses, finished, now, CAL, TZ, limit_days=POLICY.limit_workdays,
                         warn_on_days=POLICY.warn_on_days)


def test_the_holiday_does_not_count_and_the_adjusted_saturday_does() -> None:
    days = {d: clock(at(d, 17)) for d in (date(2026, 9, 29), date(2026, 9, 30), date(2026, 10, 5), date(2026, 10, 8),
                                          date(2026, 10, 9), date(2026, 10, 10), date(2026, 10, 11),
                                          date(2026, 10, 12))}
    assert [c.day for c in days.values()] == [1, 2, 2, 3, 4, 5, 5, 6]
    assert days[date(2026, 9, 29)].due_on == date(2026, 10, 10), "day 5 is the 调休 Saturday"
    assert days[date(2026, 10, 5)].state is la.ClockState.RUNNING and not days[date(2026, 10, 5)].warning
    assert days[date(2026, 10, 8)].warning and days[date(2026, 10, 8)].state is la.ClockState.WARNING
    assert days[date(2026, 10, 9)].warning and days[date(2026, 10, 9)].state is la.ClockState.WARNING
    assert days[date(2026, 10, 10)].state is la.ClockState.DUE_TODAY and not days[date(2026, 10, 10)].warning
    assert days[date(2026, 10, 12)].late and days[date(2026, 10, 12)].state is la.ClockState.LATE
    assert "已超时" in days[date(2026, 10, 12)].zh and "late" in days[date(2026, 10, 12)].en


def test_the_registry_interval_is_not_counted() -> None:
    registry = la.Pause(at(date(2026, 10, 8), 11), at(date(2026, 10, 12), 15))  # the 9th and the 10th are inside
    waiting = clock(at(date(2026, 10, 9), 17), (la.Pause(registry.start),))
    assert waiting.paused and waiting.state is la.ClockState.PAUSED and waiting.day == 3 and waiting.due_on is None
    back = clock(at(date(2026, 10, 12), 17), (registry,))
    assert (back.day, back.registry_days_excluded, back.state) == (4, 2, la.ClockState.WARNING)
    assert back.due_on == date(2026, 10, 13)
    done = clock(at(date(2026, 10, 20)), (registry,), finished=at(date(2026, 10, 13), 16))
    assert done.state is la.ClockState.DONE and done.day == 5 and not done.late
    late = clock(at(date(2026, 10, 20)), (registry,), finished=at(date(2026, 10, 14), 16))
    assert late.state is la.ClockState.DONE_LATE and late.late and late.day == 6


def test_a_review_started_on_a_holiday_starts_on_the_next_working_day() -> None:
    c = la.loan_clock(at(date(2026, 10, 3)), (), None, at(date(2026, 10, 7)), CAL, TZ)
    assert c.day == 0 and c.state is la.ClockState.RUNNING and c.due_on == date(2026, 10, 13)  # 8, 9, 10, 12, 13
    assert la.loan_clock(None, (), None, at(date(2026, 10, 7)), CAL, TZ).state is la.ClockState.NOT_STARTED


def test_the_first_repayment_is_due_the_next_month() -> None:
    assert la.first_due_date(date(2026, 12, 31)) == date(2027, 1, 28)
    assert la.first_due_date(date(2026, 10, 13)) == date(2026, 11, 13)
    assert la.first_due_date(date(2026, 10, 13)) - date(2026, 10, 13) == timedelta(days=31)


def test_the_policy_file_is_checked() -> None:
    raw = {"loans": {"item_code": "x"}, "loans.clock": {}}
    with pytest.raises(Exception, match="loans.clock"):
        la.loan_policy_from(raw)
    assert POLICY.limit_workdays == 5 and POLICY.warn_on_days == (3, 4)


def test_the_review_reports_the_term_asked_for_and_the_longest_allowed_beside_it() -> None:
    """The payment is for the term asked for (240 months), so the review must say 240, not the maximum."""
    result = review().to_json()
    assert result["term_months"] == 240
    assert result["max_term_months"] == 360  # the member here may borrow over 30 years
    rows = repayment_schedule(Decimal(min(30_000_000, result["max_amount_fen"])) / 100,
                              Decimal(result["rate_percent"]), 240, RepaymentMethod.EQUAL_INSTALLMENT)
    assert result["monthly_payment_fen"] == int(rows[0].payment * 100)


def test_a_supervisor_approves_at_most_the_amount_asked_and_the_reviewed_limit() -> None:
    result = review(300_000).to_json()
    assert la.approved_amount(result, 30_000_000, None) == 30_000_000  # none given: the amount asked for
    assert la.approved_amount(result, 30_000_000, 20_000_000) == 20_000_000
    with pytest.raises(la.LoanActionError) as err:
        la.approved_amount(result, 30_000_000, 30_000_001)
    assert err.value.code == "amount_above_limit"
    with pytest.raises(la.LoanActionError) as err:
        la.approved_amount({**result, "eligible": False}, 30_000_000, None)
    assert err.value.code == "review_not_eligible" and err.value.zh.startswith("审查未通过")
