"""Withdrawal engine: policy loading, common rules, decision structure, properties that hold for any input."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.decision import Decision, Outcome, Reason, Verdict
from domain.evidence import ChildrenFact, Department
from domain.policy import PolicyError, load_policy_table
from domain.withdrawals import (
    BadApplicationError,
    WithdrawalApplication,
    WithdrawalType,
    decide,
    parse_withdrawal_policy,
)
from domain.withdrawals import WithdrawalType as T
from tests.domain.withdrawal_builders import (
    MARRIED,
    NO_HOME,
    ONE_HOME,
    POLICY,
    TODAY,
    D,
    account,
    decide_for,
    record,
    rules,
    shared,
    snapshot,
)


def test_taiyuan_policy_offers_every_type_with_a_standard_code() -> None:
    assert set(POLICY.types) == set(WithdrawalType)
    assert set(POLICY.reason_codes) == {"01", "02", "03", "04", "05", "06", "07", "08", "09", "99"}
    codes = {kind: rule.code for kind, rule in POLICY.types.items()}
    assert codes[T.RENT] == "07" and codes[T.RETIREMENT] == "03" and codes[T.DEATH] == "08"
    assert codes[T.ILLNESS] == "09" and codes[T.SETTLE_ABROAD] == "05" and codes[T.REPAY_HPF_LOAN] == "06"


def _raw() -> dict[str, object]:
    return copy.deepcopy(load_policy_table("taiyuan"))


def test_policy_missing_key_names_it() -> None:
    raw = _raw()
    del raw["withdrawals"]["types"]["rent"]["cap_urban_per_year"]  # type: ignore[index]
    with pytest.raises(PolicyError, match=r"withdrawals\.types\.rent\.cap_urban_per_year"):
        parse_withdrawal_policy(raw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("types", "rent", "code"), "42", "not a standard reason code"),
        (("types", "rent", "open_loan"), "maybe", "open_loan"),
        (("types", "rent", "subtype"), "renting", "must equal the table name"),
        (("types", "purchase_certificate_new", "cap_basis"), "vibes", "cap_basis"),
        (("types", "rent", "cap_county_per_year"), "lots", "is not a number"),
        (("max_in_flight_per_type",), "one", "must be int"),
    ],
)
def test_policy_bad_values_are_named(path: tuple[str, ...], value: object, message: str) -> None:
    raw = _raw()
    node = raw["withdrawals"]
    for part in path[:-1]:
        node = node[part]  # type: ignore[index]
    node[path[-1]] = value  # type: ignore[index]
    with pytest.raises(PolicyError, match=message):
        parse_withdrawal_policy(raw)  # type: ignore[arg-type]


def test_unknown_type_table_is_refused() -> None:
    raw = _raw()
    raw["withdrawals"]["types"]["lottery"] = {}  # type: ignore[index]
    with pytest.raises(PolicyError, match="lottery"):
        parse_withdrawal_policy(raw)  # type: ignore[arg-type]


def test_a_city_without_a_type_rejects_it_cleanly() -> None:
    raw = _raw()
    del raw["withdrawals"]["types"]["property_fee"]  # type: ignore[index]
    policy = parse_withdrawal_policy(raw)  # type: ignore[arg-type]
    d = decide(WithdrawalApplication(T.PROPERTY_FEE, snapshot(), shared(), TODAY), policy)
    assert d.outcome is Outcome.REJECTED and "未开办" in d.reasons[0].zh


@pytest.mark.parametrize("amount", [D("0"), D("-5.00"), D("1.234"), D("NaN")])
def test_bad_requested_amount_is_a_clear_error(amount: Decimal) -> None:
    with pytest.raises(BadApplicationError, match="amount|decimals|positive"):
        WithdrawalApplication(T.RENT, snapshot(), shared(), TODAY, requested=amount)


def test_offline_snapshot_goes_to_review() -> None:
    d = decide_for(T.RENT, shared(homes=NO_HOME), snapshot(source="cache"))
    assert d.outcome is Outcome.REVIEW and "rent.offline" in rules(d)


def test_external_flags_such_as_fraud_signals_are_carried() -> None:
    flag = Reason(Verdict.REVIEW, "fraud.velocity", "短期内多次申请", "many applications in a short time", "[fraud]")
    app = WithdrawalApplication(T.RENT, snapshot(), shared(homes=NO_HOME), TODAY)
    d = decide(app, POLICY, flags=[flag])
    assert d.outcome is Outcome.REVIEW and flag in d.reasons


def test_outcome_precedence_reject_beats_missing_beats_review() -> None:
    d = decide_for(T.RENT, shared(), snapshot(deps=(), source="cache"))
    assert {r.verdict for r in d.reasons} >= {Verdict.REJECT, Verdict.MISSING, Verdict.REVIEW}
    assert d.outcome is Outcome.REJECTED and d.amount == 0


def test_every_reason_is_bilingual_and_cites_a_clause() -> None:
    for kind in WithdrawalType:
        d = decide_for(kind, shared())
        for r in d.reasons:
            assert r.zh and r.en and r.clause.startswith("[withdrawals"), r
            assert any("\u4e00" <= ch <= "\u9fff" for ch in r.zh), r.zh
            assert r.en.isascii() or "¥" in r.en, r.en


def test_decision_round_trips_through_json() -> None:
    d = decide_for(T.RENT, shared(homes=NO_HOME, children=ChildrenFact(3, Department.PUBLIC_SECURITY)))
    assert Decision.from_json(d.to_json()) == d
    assert d.to_json()["amount"] == "26000.00"


def test_the_amount_never_exceeds_the_available_balance() -> None:
    d = decide_for(T.RENT, shared(homes=NO_HOME), snapshot(account(balance=D("1234.56"))))
    assert d.outcome is Outcome.APPROVED and d.amount == D("1234.56")
    empty = decide_for(T.RENT, shared(homes=NO_HOME), snapshot(account(balance=D("0.00"))))
    assert empty.outcome is Outcome.REJECTED and "rent.balance" in rules(empty)


_amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("40000"), places=2)


@settings(max_examples=150, deadline=None)
@given(
    balance=st.decimals(min_value=Decimal("0"), max_value=Decimal("100000"), places=2),
    used=st.lists(st.tuples(_amounts, st.integers(0, 400)), max_size=4),
    requested=st.none() | _amounts,
    married=st.booleans(),
    children=st.integers(0, 4),
    district=st.sampled_from(["140105", "140181", "140200"]),
)
def test_rent_decisions_hold_their_invariants(
    balance: Decimal,
    used: list[tuple[Decimal, int]],
    requested: Decimal | None,
    married: bool,
    children: int,
    district: str,
) -> None:
    history = tuple(record("rent", str(a), TODAY - timedelta(days=days)) for a, days in used)
    facts = shared(
        homes=NO_HOME,
        marriage=MARRIED if married else shared().marriage,
        children=ChildrenFact(children, Department.PUBLIC_SECURITY),
    )
    d = decide_for(
        T.RENT, facts, snapshot(account(balance=balance, district=district), withdrawals=history), requested=requested
    )
    cap = D("25000") if district == "140105" else D("10000")
    cap += D("1000") if children >= 2 else 0
    used_this_year = sum((a for a, days in used if (TODAY - timedelta(days=days)).year == TODAY.year), D(0))
    assert D(0) <= d.amount <= min(balance, cap - used_this_year if used_this_year < cap else D(0))
    if d.outcome in (Outcome.REJECTED, Outcome.MISSING_MATERIALS):
        assert d.amount == 0
    else:
        assert d.amount > 0
        assert requested is None or d.amount == requested
    if d.outcome is Outcome.APPROVED:
        assert all(r.verdict is Verdict.PASS for r in d.reasons)
    assert (district == "140200") <= (d.outcome is not Outcome.APPROVED)


def test_frequency_window_reopens_on_the_same_day_twelve_months_later() -> None:
    facts = shared(homes=ONE_HOME)
    on_the_day = (record("property_fee", "100.00", date(2025, 11, 20), code="99"),)
    assert "property_fee.frequency" not in rules(decide_for(T.PROPERTY_FEE, facts, snapshot(withdrawals=on_the_day)))
    day_after = (record("property_fee", "100.00", date(2025, 11, 21), code="99"),)
    assert "property_fee.frequency" in rules(decide_for(T.PROPERTY_FEE, facts, snapshot(withdrawals=day_after)))


def test_a_second_city_is_data_only() -> None:
    """Jincheng-like figures (S1: 36,000 a year per family, 43,200 multi-child) need no code change."""
    raw = _raw()
    raw["meta"]["city"] = "jincheng"  # type: ignore[index]
    rent = raw["withdrawals"]["types"]["rent"]  # type: ignore[index]
    rent.update(cap_urban_per_year=36000, cap_county_per_year=36000, multi_child_uplift=7200, auto_approve_max=50000)
    raw["withdrawals"]["urban_districts"] = ["140502"]  # type: ignore[index]
    policy = parse_withdrawal_policy(raw)  # type: ignore[arg-type]
    facts = shared(homes=NO_HOME, children=ChildrenFact(2, Department.PUBLIC_SECURITY))
    app = WithdrawalApplication(T.RENT, snapshot(account(balance=D("90000.00"))), facts, TODAY, district="140502")
    d = decide(app, policy)
    assert d.outcome is Outcome.APPROVED and d.amount == D("43200.00")
    assert any("cap_urban_per_year = 36000" in r.clause for r in d.reasons)


def test_labels_for_screens_and_receipts() -> None:
    instant = decide_for(T.RENT, shared(homes=NO_HOME))
    assert (instant.label_zh, instant.label_en) == ("秒批", "approved instantly")
    review = decide_for(T.RENT, shared(homes=NO_HOME), snapshot(source="cache"))
    assert (review.label_zh, review.label_en) == ("待人工复核", "needs a clerk's review")
