"""Any mix of facts, balances and history: every type decides without error and keeps its invariants."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.account import LoanStatus, WithdrawalStatus
from domain.decision import Outcome, Verdict
from domain.evidence import (
    ChildrenFact,
    CommercialLoanFact,
    DeathFact,
    Department,
    EmploymentFact,
    HeirFact,
    HomeOwnershipFact,
    HukouFact,
    IllnessFact,
    MarriageFact,
    PropertyFeeFact,
    PurchaseFact,
    PurchaseKind,
    RetirementFact,
    SharedData,
)
from domain.withdrawals import WithdrawalType
from tests.domain.withdrawal_builders import (
    MEMBER_ID,
    POLICY,
    SPOUSE_ID,
    TODAY,
    account,
    decide_for,
    deposits,
    loan,
    record,
)
from tests.domain.withdrawal_builders import snapshot as make_snapshot

PID = "P-1"
sources = st.sampled_from([Department.PROPERTY_REGISTRY, Department.APPLICANT, Department.COUNTER])
money = st.decimals(min_value=Decimal("0"), max_value=Decimal("900000"), places=2)
days = st.dates(date(2024, 1, 1), TODAY)


def maybe(strategy: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.none() | strategy


facts = st.builds(
    SharedData,
    retirement=maybe(st.builds(RetirementFact, st.booleans(), maybe(days), sources)),
    employment=maybe(st.builds(EmploymentFact, st.booleans(), maybe(days), sources)),
    marriage=maybe(st.builds(MarriageFact, st.booleans(), st.just(SPOUSE_ID), st.just("S-1"), sources)),
    homes=maybe(st.builds(HomeOwnershipFact, st.sampled_from([(), (PID,), ("other",)]), sources)),
    purchases=st.lists(
        st.builds(
            PurchaseFact,
            st.just(PID),
            st.sampled_from(list(PurchaseKind)),
            st.sampled_from([(MEMBER_ID,), (SPOUSE_ID,), ("x",)]),
            money,
            money,
            money,
            days,
            st.just("140105"),
            sources,
            maybe(st.booleans()),
            maybe(sources),
        ),
        max_size=1,
    ),
    commercial_loan=maybe(
        st.builds(
            CommercialLoanFact, st.just("L"), st.sampled_from([PID, "other"]), st.booleans(), money, money, sources
        )
    ),
    property_fee=maybe(st.builds(PropertyFeeFact, st.just("I"), st.sampled_from([PID, "other"]), money, days, sources)),
    illness=maybe(
        st.builds(
            IllnessFact,
            st.just(MEMBER_ID),
            st.sampled_from(["self", "spouse", "parent", "friend"]),
            st.booleans(),
            money,
            days,
            sources,
            maybe(sources),
        )
    ),
    hukou=maybe(st.builds(HukouFact, st.booleans(), maybe(days), st.booleans(), sources)),
    death=maybe(st.builds(DeathFact, st.booleans(), maybe(days), sources)),
    heir=maybe(st.builds(HeirFact, st.just("h"), st.decimals(min_value=-10, max_value=200, places=1), sources)),
    children=maybe(st.builds(ChildrenFact, st.integers(0, 5), sources)),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(list(WithdrawalType)),
    shared=facts,
    balance=money,
    frozen=st.sampled_from([Decimal("0"), Decimal("100.00")]),
    sealed=st.booleans(),
    months=st.integers(0, 8),
    loan_status=st.none() | st.sampled_from(list(LoanStatus)),
    history=st.lists(
        st.tuples(st.sampled_from(list(WithdrawalType)), st.integers(1, 700), st.sampled_from(list(WithdrawalStatus))),
        max_size=4,
    ),
    requested=st.none() | st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2),
)
def test_any_application_gets_a_consistent_decision(
    kind: WithdrawalType,
    shared: SharedData,
    balance: Decimal,
    frozen: Decimal,
    sealed: bool,
    months: int,
    loan_status: LoanStatus | None,
    history: list[tuple[WithdrawalType, int, WithdrawalStatus]],
    requested: Decimal | None,
) -> None:
    acc = account(
        balance=balance,
        frozen=bool(frozen),
        frozen_amount=frozen,
        status_code="02" if sealed else "01",
        sealed_on=date(2026, 1, 1) if sealed else None,
    )
    past = tuple(
        record(t.value, "1000.00", TODAY - timedelta(days=d), status=s, property_id=PID) for t, d, s in history
    )
    snap = make_snapshot(acc, deposits(months), past, None if loan_status is None else loan(status=loan_status))
    d = decide_for(kind, shared, snap, property_id=PID, requested=requested)
    available = acc.available
    assert Decimal(0) <= d.amount <= available
    assert d.reasons and all(r.zh and r.en and r.clause for r in d.reasons)
    worst = max(r.verdict for r in d.reasons)
    assert (
        d.outcome
        is {
            Verdict.PASS: Outcome.APPROVED,
            Verdict.REVIEW: Outcome.REVIEW,
            Verdict.MISSING: Outcome.MISSING_MATERIALS,
            Verdict.REJECT: Outcome.REJECTED,
        }[worst]
    )
    if d.outcome in (Outcome.APPROVED, Outcome.REVIEW):
        assert d.amount > 0
    else:
        assert d.amount == 0
    assert bool(d.missing_materials) == any(r.verdict is Verdict.MISSING for r in d.reasons)
    if d.instant:
        assert all(r.source is None or r.source.is_shared_data for r in d.reasons)
    assert (d.reason_code, d.subtype) == (POLICY.types[kind].code, kind.value)


@settings(max_examples=100, deadline=None)
@given(shared=facts)
def test_shared_data_round_trips_through_json(shared: SharedData) -> None:
    import json

    assert SharedData.from_json(json.loads(json.dumps(shared.to_json(), ensure_ascii=False))) == shared
