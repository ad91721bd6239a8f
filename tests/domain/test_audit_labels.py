"""The audit trail in words: every action code the counter writes has a zh/en label in the data table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from domain.audit_labels import audit_labels, load_audit_labels

ROOT = Path(__file__).resolve().parents[2]
# guard(Permission.X, "case.open", ...), audit(me, "rating", ...), record(..., "sign_in", ...)
WRITTEN = re.compile(r"(?:guard\(\s*[\w.]+,\s*|\.audit\(\s*[\w.]+,\s*|\.record\([^,]+,[^,]+,\s*)f?\"([a-z_.{}]+)\"")
ACTION_VARS = {"queue.{action}": ("call", "recall", "skip", "transfer", "done"), "case.{action}": ("approve", "reject")}


def written_codes() -> set[str]:
    codes: set[str] = set()
    for path in [*(ROOT / "counter_app").rglob("*.py"), ROOT / "sync" / "staff_store.py"]:
        for code in WRITTEN.findall(path.read_text(encoding="utf-8")):
            if "{" in code:
                prefix = code.split("{")[0]
                codes.update(prefix + v for v in ACTION_VARS[code])
            else:
                codes.add(code)
    return codes


def test_every_action_the_counter_writes_has_a_label() -> None:
    codes = written_codes()
    assert {"case.open", "queue.call", "queue.done", "print.receipt", "sign_in"} <= codes  # the scan works
    labels = audit_labels()
    missing = sorted(c for c in codes if c not in labels.actions)
    assert not missing, f"add these to resources/i18n/audit_actions.toml: {missing}"
    for code in codes:
        label = labels.action(code)
        assert "." not in label.zh + label.en and "_" not in label.zh + label.en, code  # words, not a code
        assert re.search(r"[\u4e00-\u9fff]", label.zh) and not re.search(r"[\u4e00-\u9fff]", label.en), label


def test_every_outcome_has_a_label() -> None:
    labels = audit_labels()
    for outcome in ("ok", "denied", "failed", "locked", "bad_password", "unknown"):
        assert outcome in labels.outcomes
    assert labels.outcome("denied").zh == "无权限"


def test_an_unknown_code_is_said_to_be_unknown_not_hidden() -> None:
    label = audit_labels().action("teleport.member")
    assert label.zh == "其他操作（teleport.member）" and label.en == "Other action (teleport.member)"


def test_a_label_without_english_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "audit.toml"
    bad.write_text('[actions]\n"case.open" = { zh = "开始受理", en = "" }\n', encoding="utf-8")
    with pytest.raises(ValueError, match="case.open"):
        load_audit_labels(bad)
