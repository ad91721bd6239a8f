"""Fraud signals (骗提 / 骗贷) for withdrawal applications, each explaining itself.

BRIEF §6 lists the patterns found in real cases: the same property behind several purchase
withdrawals, renting while owning a home, a withdrawal soon after deposits began (accounts opened
only to cash out), one phone or bank card behind many members (intermediaries, "代提"), and many
applications in a short time. A signal never rejects: it sends the case to a clerk with the
numbers that raised it. Cross-member facts come from the ledger in a `Population`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from domain.account import DepositKind, WithdrawalRecord
from domain.decision import Reason, Verdict
from domain.evidence import Department
from domain.labels import counted
from domain.masking import mask_bank_card, mask_phone
from domain.policy import Table, load_policy_table, require, section
from domain.withdrawals.application import WithdrawalApplication, WithdrawalType
from domain.withdrawals.context import add_months

_PURCHASES = {t.value for t in WithdrawalType if t.value.startswith("purchase_")}
_WHERE = "withdrawals.fraud"


@dataclass(frozen=True)
class FraudPolicy:
    same_property_max_households: int
    shared_phone_max_members: int
    shared_card_max_members: int
    soon_after_first_deposit_months: int
    velocity_window_days: int
    velocity_max_applications: int

    @classmethod
    def from_policy(cls, raw: Table) -> FraudPolicy:
        t = section(raw, _WHERE)
        return cls(*(require(t, f, int, _WHERE) for f in cls.__dataclass_fields__))


def load_fraud_policy(city: str = "taiyuan") -> FraudPolicy:
    return FraudPolicy.from_policy(load_policy_table(city))


@dataclass(frozen=True)
class FraudSignal:
    code: str
    zh: str
    en: str
    clause: str
    evidence: tuple[str, ...] = ()  # application numbers or member ids that make up the pattern

    def to_reason(self) -> Reason:
        return Reason(Verdict.REVIEW, f"fraud.{self.code}", self.zh, self.en, self.clause, Department.FUND_CENTRE)


@dataclass(frozen=True)
class Population:
    """What the ledger knows across members, for the patterns one member's data cannot show."""

    purchase_withdrawals: Mapping[str, tuple[WithdrawalRecord, ...]] = field(default_factory=dict)  # by property id
    members_by_phone: Mapping[str, frozenset[str]] = field(default_factory=dict)
    members_by_card: Mapping[str, frozenset[str]] = field(default_factory=dict)
    recent_applications: tuple[datetime, ...] = ()  # this member's applications on any channel
    household: frozenset[str] = frozenset()  # member ids of this member and spouse


def same_property(
    property_id: str, records: Iterable[WithdrawalRecord], household: frozenset[str], policy: FraudPolicy
) -> FraudSignal | None:
    """Several households drew purchase withdrawals on one property."""
    others = sorted({r.member_id for r in records if r.counts and r.member_id and r.member_id not in household})
    households = len(others) + 1
    limit = policy.same_property_max_households
    if households <= limit:
        return None
    return FraudSignal(
        "same_property",
        f"同一房屋（{property_id}）已被另外{len(others)}名职工用于购房提取，共涉及{households}户",
        f"the home {property_id} was already used for purchase withdrawals by {counted(len(others), 'other member')}: "
        f"{households} households in all",
        f"[{_WHERE}] same_property_max_households = {limit}",
        tuple(others),
    )


def renting_while_owning(app: WithdrawalApplication) -> FraudSignal | None:
    """A rent claim from someone the registry or our own records show as a home owner."""
    if app.type is not WithdrawalType.RENT:
        return None
    homes = app.shared.homes
    bought = [w for w in app.snapshot.withdrawals if w.counts and w.subtype in _PURCHASES]
    if homes is not None and homes.owns_home:
        return FraudSignal(
            "renting_while_owning",
            f"申请租房提取，但不动产登记显示有{len(homes.property_ids)}套住房",
            f"rent claimed while the registry shows {counted(len(homes.property_ids), 'home')}",
            "BRIEF §6: rent claim while owning a home",
            homes.property_ids,
        )
    if bought:
        last = max(bought, key=lambda w: w.on)
        return FraudSignal(
            "renting_while_owning",
            f"申请租房提取，但已于{last.on}办理购房提取（{last.property_id}）",
            f"rent claimed after a purchase withdrawal on {last.on} ({last.property_id})",
            "BRIEF §6: rent claim while owning a home",
            (last.application_no,),
        )
    return None


def soon_after_deposits_began(app: WithdrawalApplication, policy: FraudPolicy) -> FraudSignal | None:
    """A withdrawal within N months of the first deposit: accounts opened to be cashed out."""
    months = policy.soon_after_first_deposit_months
    deposit_days = [d.on for d in app.snapshot.deposits if d.kind in (DepositKind.MONTHLY, DepositKind.BACK_PAY)]
    first = min([*deposit_days, app.snapshot.account.opened_on])
    if app.type in (WithdrawalType.RETIREMENT, WithdrawalType.DEATH, WithdrawalType.REPAY_HPF_LOAN):
        return None  # life events and loan deductions are not a cash-out pattern
    if add_months(first, months) <= app.on:
        return None
    return FraudSignal(
        "soon_after_deposits",
        f"首次缴存于{first}，{months}个月内即申请提取",
        f"first deposit on {first}; withdrawal asked within {months} months",
        f"[{_WHERE}] soon_after_first_deposit_months = {months}",
        (app.snapshot.member.member_id,),
    )


def shared_contact(kind: str, value: str, members: frozenset[str], policy: FraudPolicy) -> FraudSignal | None:
    """One phone number or bank card behind more members than a family would explain."""
    if kind == "phone":
        limit, shown, zh, key = policy.shared_phone_max_members, mask_phone(value), "手机号", "shared_phone_max_members"
    elif kind == "bank_card":
        limit, shown, zh, key = (
            policy.shared_card_max_members,
            mask_bank_card(value),
            "银行卡",
            "shared_card_max_members",
        )
    else:
        raise ValueError(f"kind must be 'phone' or 'bank_card', not {kind!r}")
    if len(members) <= limit:
        return None
    return FraudSignal(
        f"shared_{kind}",
        f"{zh}{shown}关联{len(members)}名职工（上限{limit}）",
        f"the {kind.replace('_', ' ')} {shown} is linked to {len(members)} members (limit {limit})",
        f"[{_WHERE}] {key} = {limit}",
        tuple(sorted(members)),
    )


def velocity(times: Iterable[datetime], now: datetime, policy: FraudPolicy) -> FraudSignal | None:
    """Too many applications in the window (including this one)."""
    window = timedelta(days=policy.velocity_window_days)
    recent = sorted(t for t in times if now - window <= t <= now)
    count = len(recent) + 1
    if count <= policy.velocity_max_applications:
        return None
    return FraudSignal(
        "velocity",
        f"{policy.velocity_window_days}天内第{count}次申请（上限{policy.velocity_max_applications}次）",
        f"application number {count} within {policy.velocity_window_days} days "
        f"(limit {policy.velocity_max_applications})",
        f"[{_WHERE}] velocity_max_applications = {policy.velocity_max_applications}",
        tuple(t.isoformat() for t in recent),
    )


def screen(
    app: WithdrawalApplication, population: Population, policy: FraudPolicy, now: datetime
) -> tuple[FraudSignal, ...]:
    """Every signal for one application, ready for `decide(..., flags=[s.to_reason() for s in ...])`."""
    member = app.snapshot.member
    household = population.household | {member.member_id}
    found: list[FraudSignal | None] = [
        renting_while_owning(app),
        soon_after_deposits_began(app, policy),
        velocity(population.recent_applications, now, policy),
    ]
    if app.property_id and app.type.value in _PURCHASES:
        found.append(
            same_property(app.property_id, population.purchase_withdrawals.get(app.property_id, ()), household, policy)
        )
    phone_members = population.members_by_phone.get(member.phone, frozenset()) | {member.member_id}
    found.append(shared_contact("phone", member.phone, phone_members, policy))
    card = app.snapshot.account.bank_account
    found.append(
        shared_contact(
            "bank_card", card, population.members_by_card.get(card, frozenset()) | {member.member_id}, policy
        )
    )
    return tuple(s for s in found if s is not None)
