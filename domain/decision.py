"""A rule decision: outcome plus every reason, in Chinese and English, each citing its clause.

The outcome is the worst verdict among the reasons: rejected > missing materials > needs review >
approved. A decision keeps the reasons that passed too, so the audit trail shows which rules
fired and on which department's data.
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Self

from domain import jsoncodec
from domain.evidence import Department


class Verdict(enum.IntEnum):
    """One reason's verdict; higher is worse, so the decision takes the maximum."""

    PASS = 0
    REVIEW = 1
    MISSING = 2
    REJECT = 3


class Outcome(enum.StrEnum):
    APPROVED = "approved"
    REVIEW = "review"
    MISSING_MATERIALS = "missing_materials"
    REJECTED = "rejected"

    @property
    def zh(self) -> str:
        return {
            "approved": "准予提取",
            "review": "待人工复核",
            "missing_materials": "材料不全",
            "rejected": "不予受理",
        }[self.value]

    @property
    def en(self) -> str:
        return {
            "approved": "approved",
            "review": "needs a clerk's review",
            "missing_materials": "materials missing",
            "rejected": "refused",
        }[self.value]


_OUTCOME_OF: dict[Verdict, Outcome] = {
    Verdict.PASS: Outcome.APPROVED,
    Verdict.REVIEW: Outcome.REVIEW,
    Verdict.MISSING: Outcome.MISSING_MATERIALS,
    Verdict.REJECT: Outcome.REJECTED,
}

_set = object.__setattr__  # frozen dataclasses set their fields through it
_PAYABLE = frozenset((Outcome.APPROVED, Outcome.REVIEW))
_NOTHING = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class Reason:
    verdict: Verdict
    rule: str  # stable id, e.g. "rent.no_home"
    zh: str
    en: str
    clause: str  # the policy clause, e.g. "[withdrawals.types.rent] min_consecutive_months = 3"
    source: Department | None = None  # the department whose data the rule used
    material: str = ""  # for MISSING: the catalogue material code still needed

    def __init__(
        self,
        verdict: Verdict,
        rule: str,
        zh: str,
        en: str,
        clause: str,
        source: Department | None = None,
        material: str = "",
    ) -> None:
        # What the generated frozen __init__ does, minus a global and an attribute look-up per
        # field: a decision makes several reasons (bench_withdrawals). Still frozen.
        _set(self, "verdict", verdict)
        _set(self, "rule", rule)
        _set(self, "zh", zh)
        _set(self, "en", en)
        _set(self, "clause", clause)
        _set(self, "source", source)
        _set(self, "material", material)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = jsoncodec.to_json(self)
        return data

    @classmethod
    def from_json(cls, data: Any) -> Self:
        return jsoncodec.from_json(cls, data)

    @property
    def internal(self) -> bool:
        """A clerk's note (a fraud signal): shown to staff, never printed for or shown to the member."""
        return self.rule.startswith("fraud.")


_VERDICT = operator.attrgetter("verdict")


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: Outcome
    reasons: tuple[Reason, ...]
    amount: Decimal  # what may be paid (0 unless approved or in review)
    reason_code: str  # standard code 01-09/99
    subtype: str  # city sub-type
    policy_version: str
    closes_account: bool = False

    def __init__(
        self,
        outcome: Outcome,
        reasons: tuple[Reason, ...],
        amount: Decimal,
        reason_code: str,
        subtype: str,
        policy_version: str,
        closes_account: bool = False,
    ) -> None:
        # As Reason.__init__ (one per decision). Still frozen.
        _set(self, "outcome", outcome)
        _set(self, "reasons", reasons)
        _set(self, "amount", amount)
        _set(self, "reason_code", reason_code)
        _set(self, "subtype", subtype)
        _set(self, "policy_version", policy_version)
        _set(self, "closes_account", closes_account)

    @classmethod
    def of(
        cls,
        reasons: Iterable[Reason],
        amount: Decimal,
        reason_code: str,
        subtype: str,
        policy_version: str,
        closes_account: bool = False,
    ) -> Decision:
        reasons = tuple(reasons)
        worst = max(map(_VERDICT, reasons), default=Verdict.PASS)
        outcome = _OUTCOME_OF[worst]
        payable = amount if outcome in _PAYABLE else _NOTHING
        return cls(outcome, reasons, payable, reason_code, subtype, policy_version, closes_account)

    @property
    def instant(self) -> bool:
        """秒批: approved on shared data alone, no document checked by a person."""
        return self.outcome is Outcome.APPROVED and all(
            r.source is None or r.source.is_shared_data for r in self.reasons
        )

    @property
    def label_zh(self) -> str:
        return "秒批" if self.instant else self.outcome.zh

    @property
    def label_en(self) -> str:
        return "approved instantly" if self.instant else self.outcome.en

    @property
    def closing_note(self) -> tuple[str, str] | None:
        """What the member confirms when the withdrawal closes the account (销户), e.g. retirement."""
        if not self.closes_account or self.outcome not in _PAYABLE:
            return None
        return ("本次提取将支取账户全部余额并办理销户，销户后账户不再缴存。",
                "This withdrawal pays out the whole balance and closes your account; "
                "no more contributions can be paid into it.")

    def having(self, verdict: Verdict) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.verdict is verdict)

    @property
    def missing_materials(self) -> tuple[str, ...]:
        """Material codes still needed, in rule order, without repeats."""
        return tuple(dict.fromkeys(r.material for r in self.having(Verdict.MISSING) if r.material))

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = jsoncodec.to_json(self)
        return data

    @classmethod
    def from_json(cls, data: Any) -> Self:
        return jsoncodec.from_json(cls, data)
