"""The working state of one decision: the application, its rule, and the reasons so far."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol, TypeVar

from domain.account import WithdrawalRecord
from domain.decision import Reason, Verdict
from domain.evidence import Department
from domain.money import format_yuan
from domain.withdrawals.application import WithdrawalApplication
from domain.withdrawals.policy import TypeRule, WithdrawalPolicy

FEN = Decimal("0.01")
_ZERO = Decimal("0.00")
_PASS, _REVIEW, _REJECT = Verdict.PASS, Verdict.REVIEW, Verdict.REJECT


class HasSource(Protocol):
    @property
    def source(self) -> Department: ...


F = TypeVar("F", bound=HasSource)


def add_months(day: date, months: int) -> date:
    """Same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@functools.lru_cache(maxsize=1024)
def month_index(text: str) -> int:
    """ "2026-10" -> a running month number, so differences are month counts."""
    year, month = text.split("-")
    return int(year) * 12 + int(month) - 1


def yuan(amount: Decimal) -> str:
    """`format_yuan(amount)`: the same text, without building a Money on the way (a decision formats
    several amounts, so this is on the hot path of `decide()`). Anything unusual (not finite, too
    large, not a Decimal) takes format_yuan's road and its error."""
    if amount.__class__ is Decimal and amount.is_finite() and amount.adjusted() < 20:
        fen = amount.quantize(FEN, ROUND_HALF_UP)
        if fen.adjusted() < 20:  # rounding up to 10^20 is format_yuan's "too large"
            if fen.is_signed():
                return f"-¥{-fen:,.2f}" if fen else "¥0.00"
            return f"¥{fen:,.2f}"
    return format_yuan(amount)


class Ctx:
    """Collects reasons for one application under one type rule."""

    __slots__ = ("app", "rule", "policy", "reasons", "subtype", "prefix")

    def __init__(self, app: WithdrawalApplication, rule: TypeRule, policy: WithdrawalPolicy) -> None:
        self.app = app
        self.rule = rule
        self.policy = policy
        self.reasons: list[Reason] = []
        self.subtype: str = rule.subtype
        self.prefix = self.subtype + "."

    # -- recording -------------------------------------------------------------------------
    def add(
        self,
        verdict: Verdict,
        rule_id: str,
        zh: str,
        en: str,
        clause: str,
        source: Department | None = None,
        material: str = "",
    ) -> None:
        self.reasons.append(Reason(verdict, self.prefix + rule_id, zh, en, clause, source, material))

    # ok/reject/review build the Reason themselves rather than through add(): one call less on
    # the hot path of decide() (bench_withdrawals).
    def ok(self, rule_id: str, zh: str, en: str, clause: str, source: Department | None = None) -> None:
        self.reasons.append(Reason(_PASS, self.prefix + rule_id, zh, en, clause, source))

    def reject(self, rule_id: str, zh: str, en: str, clause: str, source: Department | None = None) -> None:
        self.reasons.append(Reason(_REJECT, self.prefix + rule_id, zh, en, clause, source))

    def review(self, rule_id: str, zh: str, en: str, clause: str, source: Department | None = None) -> None:
        self.reasons.append(Reason(_REVIEW, self.prefix + rule_id, zh, en, clause, source))

    def missing(self, material: str, zh: str, en: str, clause: str) -> None:
        self.add(Verdict.MISSING, f"missing.{material}", zh, en, clause, None, material)

    def basis(self, condition: str = "") -> str:
        """A clause for a structural condition: the type's table plus its legal basis from the policy file."""
        return self.rule.cited(condition)

    # -- evidence --------------------------------------------------------------------------
    def fact(self, fact: F | None, materials: Iterable[str], zh: str, en: str, clause: str) -> F | None:
        """The fact if known; None records the materials as missing. Paper facts go to review."""
        if fact is None:
            for material in materials:
                self.missing(
                    material,
                    f"缺少{zh}：无共享数据，请提供材料",
                    f"missing {en}: no shared data, please bring the document",
                    clause,
                )
            return None
        if fact.source is Department.APPLICANT:
            self.review(
                f"paper.{next(iter(materials), 'document')}",
                f"{zh}为申请人提供的材料，需柜员核验原件",
                f"{en} was supplied by the applicant and must be checked by a clerk",
                clause,
                fact.source,
            )
        return fact

    # -- history ---------------------------------------------------------------------------
    def history(self, include_spouse: bool = True) -> tuple[WithdrawalRecord, ...]:
        own = tuple([w for w in self.app.snapshot.withdrawals if w.counts])
        if not include_spouse or not self.app.spouse_withdrawals:
            return own
        return own + tuple([w for w in self.app.spouse_withdrawals if w.counts])

    def of_type(self, records: Iterable[WithdrawalRecord]) -> list[WithdrawalRecord]:
        subtype = self.subtype
        return [w for w in records if w.subtype == subtype]

    def used_this_year(self, include_spouse: bool) -> Decimal:
        """The sum over this year of `of_type(history(include_spouse))`, in one pass: what this type has used of
        its yearly cap (counting withdrawals only)."""
        subtype, year = self.subtype, self.app.on.year
        summed = self.app.used_this_year
        if summed is not None:  # the caller summed the member's own (WithdrawalApplication.used_this_year)
            own = summed.get(subtype, _ZERO)
            if not (include_spouse and self.app.spouse_withdrawals):
                return own
            return own + sum([w.amount for w in self.app.spouse_withdrawals
                              if w.subtype == subtype and w.on.year == year and w.counts], _ZERO)
        records = self.app.snapshot.withdrawals
        if include_spouse and self.app.spouse_withdrawals:
            records = records + self.app.spouse_withdrawals
        return sum([w.amount for w in records if w.subtype == subtype and w.on.year == year and w.counts], _ZERO)

    def check_interval(self, key: str = "min_interval_months") -> None:
        """Frequency window: no counting withdrawal of this type within the last N months."""
        months = self.rule.integer(key)
        recent = [w for w in self.of_type(self.history(include_spouse=False)) if add_months(w.on, months) > self.app.on]
        if recent:
            last = max(w.on for w in recent)
            nxt = add_months(last, months)
            self.reject(
                "frequency",
                f"{months}个月内只能提取一次，上次提取为{last}，{nxt}起可再次申请",
                f"once per {months} months: last withdrawal on {last}, next possible on {nxt}",
                self.rule.clause(key),
                Department.FUND_CENTRE,
            )
        else:
            self.ok(
                "frequency",
                f"{months}个月内无同类提取",
                f"no withdrawal of this type in the last {months} months",
                self.rule.clause(key),
                Department.FUND_CENTRE,
            )

    def within(self, start: date, key: str, what_zh: str, what_en: str, source: Department) -> None:
        months = self.rule.integer(key)
        end = add_months(start, months)
        if self.app.on > end:
            self.reject(
                "window",
                f"{what_zh}（{start}）已超过{months}个月的申请期限（截至{end}）",
                f"{what_en} ({start}) is older than the {months}-month window (ended {end})",
                self.rule.clause(key),
                source,
            )
        else:
            self.ok(
                "window",
                f"{what_zh}（{start}）在{months}个月申请期限内",
                f"{what_en} ({start}) is within the {months}-month window",
                self.rule.clause(key),
                source,
            )
