"""The audit trail as a person reads it: action and outcome codes to zh/en labels.

The labels are data (`resources/i18n/audit_actions.toml`), so a new action is one line there; a
code with no label is shown as "其他操作（code）" rather than hidden, and a test walks every code
the counter writes.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class Label:
    zh: str
    en: str


@dataclass(frozen=True)
class AuditLabels:
    actions: dict[str, Label]
    outcomes: dict[str, Label]

    def action(self, code: str) -> Label:
        found = self.actions.get(code)
        return found if found is not None else Label(f"其他操作（{code}）", f"Other action ({code})")

    def outcome(self, code: str) -> Label:
        found = self.outcomes.get(code)
        return found if found is not None else Label(f"其他结果（{code}）", f"Other outcome ({code})")


def labels_path() -> Path:
    return Path(str(resources.files("resources.i18n") / "audit_actions.toml"))


def _table(raw: object, section: str) -> dict[str, Label]:
    if not isinstance(raw, dict):
        raise ValueError(f"audit_actions.toml: [{section}] must be a table")
    out: dict[str, Label] = {}
    for code, entry in raw.items():
        if not (isinstance(entry, dict) and isinstance(entry.get("zh"), str) and isinstance(entry.get("en"), str)
                and entry["zh"].strip() and entry["en"].strip()):
            raise ValueError(f"audit_actions.toml [{section}] {code!r}: needs a non-empty zh and en")
        out[str(code)] = Label(entry["zh"], entry["en"])
    return out


def load_audit_labels(path: Path | None = None) -> AuditLabels:
    table = tomllib.loads((path or labels_path()).read_text(encoding="utf-8"))
    return AuditLabels(_table(table.get("actions", {}), "actions"), _table(table.get("outcomes", {}), "outcomes"))


@cache
def audit_labels() -> AuditLabels:
    """The shipped table, read once."""
    return load_audit_labels()
