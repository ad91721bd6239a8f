"""The withdrawals block of a city's policy file, read once and validated up front."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from domain.money import format_yuan
from domain.policy import PolicyError, Table, load_policy_table, require, section
from domain.withdrawals.application import WithdrawalType

OPEN_LOAN_ACTIONS = ("reject", "review", "allow")
CAP_BASES = ("down_payment", "price_minus_loan", "price")


@dataclass(frozen=True)
class TypeRule:
    """One `[withdrawals.types.<subtype>]` table."""

    type: WithdrawalType
    code: str
    name: str
    name_en: str
    open_loan: str
    auto_approve_max: Decimal
    closes_account: bool
    effective_from: date | None
    effective_until: date | None
    basis: str
    params: Table = field(repr=False)
    # Compiled once per rule: parameters already converted and clauses already formatted, so a
    # decision reads a dict instead of re-validating the policy table (see bench_withdrawals).
    _compiled: dict[tuple[str, object], Any] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )
    subtype: str = field(init=False, repr=False, compare=False)  # type.value, read on every decision

    def __post_init__(self) -> None:
        object.__setattr__(self, "subtype", self.type.value)

    @property
    def where(self) -> str:
        return f"withdrawals.types.{self.type.value}"

    def clause(self, key: str) -> str:
        """The clause a reason cites: `[withdrawals.types.rent] cap_urban_per_year = 25000`."""
        try:
            text: str = self._compiled["clause", key]
            return text
        except KeyError:
            pass
        value = self.params.get(key, "")
        text = f"[{self.where}] {key} = {value}" if key in self.params else f"[{self.where}] {key}"
        self._compiled["clause", key] = text
        return text

    def cited(self, condition: str = "") -> str:
        """A structural clause: `[withdrawals.types.rent] 条件 (legal basis)` (what `Ctx.basis` cites)."""
        try:
            text: str = self._compiled["cited", condition]
            return text
        except KeyError:
            pass
        extra = f" {condition}" if condition else ""
        text = f"[{self.where}]{extra} ({self.basis})"
        self._compiled["cited", condition] = text
        return text

    def yuan(self, amount: Decimal) -> str:
        """`format_yuan` of an amount made of this rule's figures (a cap, a cap plus its uplift): a
        handful of values per rule, so formatted once."""
        try:
            text: str = self._compiled["yuan", amount]
            return text
        except KeyError:
            pass
        text = format_yuan(amount)
        if len(self._compiled) < 256:  # policy figures only; anything else is formatted each time
            self._compiled["yuan", amount] = text
        return text

    def decimal(self, key: str) -> Decimal:
        try:
            cached: Decimal = self._compiled["decimal", key]
            return cached
        except KeyError:
            pass
        value: Decimal = require(self.params, key, Decimal, self.where)
        self._compiled["decimal", key] = value
        return value

    def integer(self, key: str) -> int:
        try:
            cached: int = self._compiled["integer", key]
            return cached
        except KeyError:
            pass
        value: int = require(self.params, key, int, self.where)
        self._compiled["integer", key] = value
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        if key not in self.params:
            return default
        value: bool = require(self.params, key, bool, self.where)
        return value

    def text(self, key: str) -> str:
        value: str = require(self.params, key, str, self.where)
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        values: list[Any] = require(self.params, key, list, self.where)
        if not all(isinstance(v, str) for v in values):
            raise PolicyError(f"policy: {self.where}.{key} must be a list of strings")
        return tuple(values)


@dataclass(frozen=True)
class WithdrawalPolicy:
    city: str
    version: str
    max_in_flight_per_type: int
    cache_snapshot_needs_review: bool
    urban_districts: frozenset[str]
    county_districts: frozenset[str]
    multi_child_min_children: int
    reason_codes: dict[str, str]
    types: dict[WithdrawalType, TypeRule]

    def clause(self, key: str) -> str:
        return f"[withdrawals] {key}"


def _strings(table: Table, key: str, where: str) -> frozenset[str]:
    values: list[Any] = require(table, key, list, where)
    if not all(isinstance(v, str) for v in values):
        raise PolicyError(f"policy: {where}.{key} must be a list of strings")
    return frozenset(values)


def _optional_date(table: Table, key: str, where: str) -> date | None:
    if key not in table:
        return None
    value: date = require(table, key, date, where)
    return value


def _type_rule(kind: WithdrawalType, table: Table, reason_codes: dict[str, str]) -> TypeRule:
    where = f"withdrawals.types.{kind.value}"
    code = require(table, "code", str, where)
    if code not in reason_codes:
        raise PolicyError(f"policy: {where}.code = {code!r} is not a standard reason code")
    subtype = require(table, "subtype", str, where)
    if subtype != kind.value:
        raise PolicyError(f"policy: {where}.subtype = {subtype!r} must equal the table name")
    open_loan = require(table, "open_loan", str, where)
    if open_loan not in OPEN_LOAN_ACTIONS:
        raise PolicyError(f"policy: {where}.open_loan = {open_loan!r} must be one of {OPEN_LOAN_ACTIONS}")
    closes = table.get("closes_account", False)
    if not isinstance(closes, bool):
        raise PolicyError(f"policy: {where}.closes_account must be true or false")
    return TypeRule(
        kind,
        code,
        require(table, "name", str, where),
        require(table, "name_en", str, where),
        open_loan,
        require(table, "auto_approve_max", Decimal, where),
        closes,
        _optional_date(table, "effective_from", where),
        _optional_date(table, "effective_until", where),
        require(table, "basis", str, where),
        table,
    )


def parse_withdrawal_policy(raw: Table) -> WithdrawalPolicy:
    """Build and validate the typed policy; every type-specific key is checked here, not mid-decision."""
    from domain.withdrawals.rules import REQUIRED_PARAMS  # the rule modules declare what they read

    meta = section(raw, "meta")
    block = section(raw, "withdrawals")
    codes_table = section(raw, "withdrawals.reason_codes")
    reason_codes = {str(k): require(codes_table, k, str, "withdrawals.reason_codes") for k in codes_table}
    types_table = section(raw, "withdrawals.types")
    types: dict[WithdrawalType, TypeRule] = {}
    for name in types_table:
        try:
            kind = WithdrawalType(name)
        except ValueError:
            raise PolicyError(f"policy: [withdrawals.types.{name}] is not a known withdrawal type") from None
        rule = _type_rule(kind, section(raw, f"withdrawals.types.{name}"), reason_codes)
        for key, kind_of in REQUIRED_PARAMS.get(kind, {}).items():
            require(rule.params, key, kind_of, rule.where)
        if rule.params.get("cap_basis", "price") not in CAP_BASES:
            raise PolicyError(f"policy: {rule.where}.cap_basis must be one of {CAP_BASES}")
        types[kind] = rule
    return WithdrawalPolicy(
        city=require(meta, "city", str, "meta"),
        version=require(meta, "version", str, "meta"),
        max_in_flight_per_type=require(block, "max_in_flight_per_type", int, "withdrawals"),
        cache_snapshot_needs_review=require(block, "cache_snapshot_needs_review", bool, "withdrawals"),
        urban_districts=_strings(block, "urban_districts", "withdrawals"),
        county_districts=_strings(block, "county_districts", "withdrawals"),
        multi_child_min_children=require(block, "multi_child_min_children", int, "withdrawals"),
        reason_codes=reason_codes,
        types=types,
    )


def load_withdrawal_policy(city: str = "taiyuan") -> WithdrawalPolicy:
    return parse_withdrawal_policy(load_policy_table(city))
