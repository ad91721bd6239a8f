"""Fraud signals: each pattern fires on its numbers, stays quiet below them, and explains itself."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta

import pytest

from domain.account import WithdrawalRecord, WithdrawalStatus
from domain.decision import Outcome, Verdict
from domain.fraud import (
    FraudPolicy,
    Population,
    load_fraud_policy,
    renting_while_owning,
    same_property,
    screen,
    shared_contact,
    soon_after_deposits_began,
    velocity,
)
from domain.policy import PolicyError, load_policy_table
from domain.withdrawals import WithdrawalApplication, decide
from domain.withdrawals import WithdrawalType as T
from tests.domain.withdrawal_builders import (
    NO_HOME,
    ONE_HOME,
    POLICY,
    TODAY,
    D,
    account,
    deposits,
    record,
    shared,
    snapshot,
)

FP = load_fraud_policy("taiyuan")
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
PID = "140105-100-0101"


def purchase_by(member: str, no: str, status: WithdrawalStatus = WithdrawalStatus.PAID) -> WithdrawalRecord:
    return WithdrawalRecord(
        date(2026, 6, 1), "01", D("50000.00"), status, "6230********0000", no, "purchase_online_contract", PID, member
    )


def test_same_property_across_households_fires_but_not_for_the_spouse() -> None:
    household = frozenset({"100200300", "100200301"})
    spouse_only = (purchase_by("100200301", "TQ1"),)
    assert same_property(PID, spouse_only, household, FP) is None
    stranger = (*spouse_only, purchase_by("999000111", "TQ2"))
    signal = same_property(PID, stranger, household, FP)
    assert signal is not None and signal.code == "same_property" and signal.evidence == ("999000111",)
    assert "2户" in signal.zh and "2 households" in signal.en and "same_property_max_households = 1" in signal.clause
    cancelled = (purchase_by("999000111", "TQ2", WithdrawalStatus.CANCELLED),)
    assert same_property(PID, cancelled, household, FP) is None


def test_renting_while_owning_from_registry_or_own_purchase_record() -> None:
    owner = WithdrawalApplication(T.RENT, snapshot(), shared(homes=ONE_HOME), TODAY)
    signal = renting_while_owning(owner)
    assert signal is not None and "1套住房" in signal.zh
    bought = snapshot(
        withdrawals=(
            record("purchase_certificate_new", "90000.00", date(2025, 5, 1), code="01", property_id=PID, no="TQ9"),
        )
    )
    via_record = renting_while_owning(WithdrawalApplication(T.RENT, bought, shared(homes=NO_HOME), TODAY))
    assert via_record is not None and via_record.evidence == ("TQ9",)
    assert renting_while_owning(WithdrawalApplication(T.RENT, snapshot(), shared(homes=NO_HOME), TODAY)) is None
    assert renting_while_owning(WithdrawalApplication(T.RETIREMENT, snapshot(), shared(homes=ONE_HOME), TODAY)) is None


def test_withdrawal_soon_after_the_first_deposit() -> None:
    fresh = snapshot(account(opened_on=date(2026, 8, 1)), deposits(3))
    signal = soon_after_deposits_began(WithdrawalApplication(T.RENT, fresh, shared(), TODAY), FP)
    assert signal is not None and "2026-08-01" in signal.zh
    seasoned = WithdrawalApplication(T.RENT, snapshot(), shared(), TODAY)
    assert soon_after_deposits_began(seasoned, FP) is None
    retiring = WithdrawalApplication(T.RETIREMENT, fresh, shared(), TODAY)
    assert soon_after_deposits_began(retiring, FP) is None


@pytest.mark.parametrize(("kind", "limit"), [("phone", 3), ("bank_card", 1)])
def test_shared_phone_or_card_fires_above_its_limit_and_masks_the_value(kind: str, limit: int) -> None:
    value = "13812341234" if kind == "phone" else "6230123412341234"
    members = frozenset(f"m{k}" for k in range(limit))
    assert shared_contact(kind, value, members, FP) is None
    signal = shared_contact(kind, value, members | {"extra"}, FP)
    assert signal is not None and value not in signal.zh and value not in signal.en
    assert f"{limit + 1}名职工" in signal.zh and len(signal.evidence) == limit + 1
    with pytest.raises(ValueError, match="kind"):
        shared_contact("email", value, members, FP)


def test_velocity_counts_this_application_within_the_window() -> None:
    three_ago = [NOW - timedelta(days=d) for d in (1, 5, 29)]
    signal = velocity(three_ago, NOW, FP)
    assert signal is not None and "第4次" in signal.zh and len(signal.evidence) == 3
    assert velocity(three_ago[:2], NOW, FP) is None
    assert velocity([NOW - timedelta(days=31)] * 5, NOW, FP) is None


def test_screen_feeds_the_decision_and_turns_an_approval_into_a_review() -> None:
    app = WithdrawalApplication(T.PURCHASE_ONLINE_CONTRACT, snapshot(), shared(), TODAY, property_id=PID)
    population = Population(
        purchase_withdrawals={PID: (purchase_by("999000111", "TQ2"),)},
        members_by_card={"6230123412341234": frozenset({"555"})},
    )
    signals = screen(app, population, FP, NOW)
    assert {s.code for s in signals} == {"same_property", "shared_bank_card"}
    rent = WithdrawalApplication(T.RENT, snapshot(), shared(homes=NO_HOME), TODAY)
    clean = decide(rent, POLICY, flags=[s.to_reason() for s in screen(rent, Population(), FP, NOW)])
    assert clean.outcome is Outcome.APPROVED
    busy = Population(recent_applications=tuple(NOW - timedelta(days=d) for d in (1, 2, 3)))
    flagged = decide(rent, POLICY, flags=[s.to_reason() for s in screen(rent, busy, FP, NOW)])
    assert flagged.outcome is Outcome.REVIEW
    assert [r.rule for r in flagged.having(Verdict.REVIEW)] == ["fraud.velocity"]


def test_fraud_policy_errors_are_named() -> None:
    raw = copy.deepcopy(load_policy_table("taiyuan"))
    del raw["withdrawals"]["fraud"]["velocity_window_days"]
    with pytest.raises(PolicyError, match=r"withdrawals\.fraud\.velocity_window_days"):
        FraudPolicy.from_policy(raw)
