"""Clerk attestation of paper evidence: the figures a clerk copies from a paper material, checked
against the fields the policy file lists for it, and the fact they become once a supervisor has
approved them (source `Department.COUNTER`, never 秒批). Pure: no I/O beyond the shipped policy file.

The fields per material live in `resources/policy/attestation.toml`, not here; this module knows
only how to turn each fact kind's figures into a `domain.evidence` fact.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from domain.evidence import (
    Department,
    EmploymentFact,
    HomeOwnershipFact,
    MarriageFact,
    PropertyFeeFact,
    RetirementFact,
    SharedData,
)
from domain.identity import InvalidIdNumber, parse_id_number

FIELD_TYPES = ("date", "amount", "text", "id_number", "yes_no")
FACT_KINDS = ("retirement", "employment", "marriage", "homes", "property_fee")
MAX_TEXT = 100
MAX_SCAN_REF = 200


class AttestationError(ValueError):
    """Bad figures: the message is bilingual (中文 / English) and names the field."""


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    zh: str
    en: str
    required: bool = True


@dataclass(frozen=True)
class MaterialForm:
    material: str
    fact: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class AttestationPolicy:
    forms: dict[str, MaterialForm]

    def form(self, material: str) -> MaterialForm | None:
        return self.forms.get(material)


def policy_path() -> Path:
    return Path(str(resources.files("resources.policy") / "attestation.toml"))


@cache
def load_attestation_policy(path: Path | None = None) -> AttestationPolicy:
    table = tomllib.loads((path or policy_path()).read_text(encoding="utf-8"))
    forms: dict[str, MaterialForm] = {}
    for material, spec in table.get("materials", {}).items():
        fact = spec.get("fact")
        if fact not in FACT_KINDS:
            raise ValueError(f"attestation.toml [materials.{material}]: fact must be one of {FACT_KINDS}")
        fields = []
        for raw in spec.get("fields", []):
            if raw.get("type") not in FIELD_TYPES:
                raise ValueError(f"attestation.toml [materials.{material}] field {raw.get('name')}: "
                                 f"type must be one of {FIELD_TYPES}")
            fields.append(Field(str(raw["name"]), str(raw["type"]), str(raw["zh"]), str(raw["en"]),
                                bool(raw.get("required", True))))
        forms[material] = MaterialForm(material, fact, tuple(fields))
    return AttestationPolicy(forms)


def _bad(f: Field, zh: str, en: str) -> AttestationError:
    return AttestationError(f"「{f.zh}」{zh} / {f.en}: {en}")


def _value(f: Field, raw: Any) -> Any:
    text = raw.strip() if isinstance(raw, str) else raw
    if f.type == "yes_no":
        if isinstance(text, bool):
            return text
        if text in ("yes", "是", "true"):
            return True
        if text in ("no", "否", "false"):
            return False
        raise _bad(f, "须为是或否", "must be yes or no")
    if not isinstance(text, str):
        raise _bad(f, "须为文字", "must be text")
    if f.type == "date":
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise _bad(f, "须为日期 YYYY-MM-DD", "must be a date YYYY-MM-DD") from None
    if f.type == "amount":
        try:
            amount = Decimal(text.replace(",", "").replace("¥", ""))
        except InvalidOperation:
            raise _bad(f, "须为金额（元）", "must be an amount in yuan") from None
        if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")) \
                or amount >= Decimal("100000000"):
            raise _bad(f, "须为正数且最多两位小数", "must be positive with at most two decimals")
        return str(amount.quantize(Decimal("0.01")))
    if f.type == "id_number":
        try:
            return parse_id_number(text).number
        except InvalidIdNumber:
            raise _bad(f, "不是有效的身份证号码", "is not a valid ID number") from None
    if len(text) > MAX_TEXT or any(not c.isprintable() for c in text):
        raise _bad(f, f"最多 {MAX_TEXT} 个可打印字符", f"at most {MAX_TEXT} printable characters")
    return text


def check_figures(policy: AttestationPolicy, material: str, figures: Any, scan_ref: Any) -> dict[str, Any]:
    """The figures, normalised, or AttestationError naming the first bad field."""
    form = policy.form(material)
    if form is None:
        raise AttestationError(f"材料「{material}」不能由柜员核验转为事实 / material {material} cannot be attested")
    if not isinstance(figures, dict):
        raise AttestationError("核验数据须为对象 / the figures must be an object")
    if not isinstance(scan_ref, str) or not scan_ref.strip() or len(scan_ref) > MAX_SCAN_REF:
        raise AttestationError("须附高拍仪扫描件编号 / the document-camera scan reference is required")
    unknown = set(figures) - {f.name for f in form.fields}
    if unknown:
        raise AttestationError(f"未知字段 {sorted(unknown)} / unknown fields {sorted(unknown)}")
    clean: dict[str, Any] = {}
    for f in form.fields:
        raw = figures.get(f.name)
        if raw is None or raw == "":
            if f.required:
                raise _bad(f, "必须填写", "is required")
            continue
        clean[f.name] = _value(f, raw)
    return clean


def build_fact(kind: str, figures: dict[str, Any]) -> tuple[str, Any]:
    """(SharedData field name, fact) for one approved attestation's figures (already checked)."""
    src = Department.COUNTER
    if kind == "retirement":
        return "retirement", RetirementFact(True, date.fromisoformat(figures["retired_on"]), src)
    if kind == "employment":
        return "employment", EmploymentFact(False, date.fromisoformat(figures["ended_on"]), src)
    if kind == "marriage":
        return "marriage", MarriageFact(bool(figures["married"]), figures.get("spouse_id_number", ""), "", src)
    if kind == "homes":
        return "homes", HomeOwnershipFact((), src)
    if kind == "property_fee":
        return "property_fee", PropertyFeeFact(figures["invoice_no"], figures["property_id"],
                                               Decimal(figures["amount"]), date.fromisoformat(figures["invoice_on"]),
                                               src)
    raise ValueError(f"unknown fact kind {kind}")


def without_counter_facts(shared: SharedData) -> SharedData:
    """The facts minus any a terminal labelled 柜员核验 itself: only the ledger's attestations carry that."""
    changes: dict[str, Any] = {}
    for name in ("retirement", "employment", "marriage", "homes", "commercial_loan", "property_fee", "illness",
                 "hukou", "death", "heir", "children"):
        fact = getattr(shared, name)
        if fact is not None and getattr(fact, "source", None) is Department.COUNTER:
            changes[name] = None
    purchases = tuple(p for p in shared.purchases if p.source is not Department.COUNTER)
    if len(purchases) != len(shared.purchases):
        changes["purchases"] = purchases
    return replace(shared, **changes) if changes else shared


def with_attested(shared: SharedData, facts: list[tuple[str, Any]]) -> SharedData:
    """Shared data plus attested facts; a fact a department shared wins over paper."""
    changes = {name: fact for name, fact in facts if getattr(shared, name) is None}
    return replace(shared, **changes) if changes else shared
