"""domain.attestation: the figures a clerk copies from paper, checked against the policy file, and the
facts they become (柜员核验) — never overriding a department's shared data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from domain.attestation import (
    AttestationError,
    build_fact,
    check_figures,
    load_attestation_policy,
    with_attested,
    without_counter_facts,
)
from domain.evidence import Department, RetirementFact, SharedData

POLICY = load_attestation_policy()


def test_every_form_builds_its_fact_from_valid_figures() -> None:
    samples = {"retired_on": "2025-06-30", "certificate_no": "晋退1", "ended_on": "2024-01-31", "employer": "某公司",
               "married": "yes", "spouse_id_number": "11010519491231002X", "registered_on": "2010-05-01",
               "issued_on": "2026-11-01", "proof_no": "BDC-1", "invoice_no": "044001", "invoice_on": "2026-10-08",
               "amount": "¥1,234.5", "property_id": "140105001001GB00001F00010001"}
    for material, form in POLICY.forms.items():
        figures = {f.name: samples[f.name] for f in form.fields}
        clean = check_figures(POLICY, material, figures, "scan-1.jpg")
        name, fact = build_fact(form.fact, clean)
        assert fact.source is Department.COUNTER, material
        assert hasattr(SharedData(), name)
    fee = check_figures(POLICY, "fee_invoice", {k: samples[k] for k in ("invoice_no", "invoice_on", "amount",
                                                                       "property_id")}, "s")
    assert fee["amount"] == "1234.50" and build_fact("property_fee", fee)[1].amount == Decimal("1234.50")


@pytest.mark.parametrize(("material", "figures", "scan", "words"), [
    ("retirement_certificate", {"retired_on": "2025-13-01", "certificate_no": "x"}, "s", "退休日期"),
    ("retirement_certificate", {"retired_on": "2025-06-30"}, "s", "退休证号"),
    ("retirement_certificate", {"retired_on": "2025-06-30", "certificate_no": "x"}, "  ", "scan"),
    ("retirement_certificate", {"retired_on": "2025-06-30", "certificate_no": "x", "extra": 1}, "s", "extra"),
    ("fee_invoice", {"invoice_no": "1", "invoice_on": "2026-01-01", "amount": "-5", "property_id": "p"}, "s", "金额"),
    ("fee_invoice", {"invoice_no": "1", "invoice_on": "2026-01-01", "amount": "1.005", "property_id": "p"}, "s",
     "two decimals"),
    ("marriage_certificate", {"married": "maybe"}, "s", "yes or no"),
    ("marriage_certificate", {"married": "yes", "spouse_id_number": "110105194912310021"}, "s", "ID number"),
    ("loan_application", {}, "s", "cannot be attested"),
])
def test_bad_figures_are_named(material: str, figures: dict[str, object], scan: str, words: str) -> None:
    with pytest.raises(AttestationError) as err:
        check_figures(POLICY, material, figures, scan)
    assert words in str(err.value) and " / " in str(err.value)


def test_a_terminal_cannot_label_its_own_facts_as_checked_by_a_clerk() -> None:
    shared = SharedData(retirement=RetirementFact(True, None, Department.COUNTER))
    assert without_counter_facts(shared).retirement is None
    hrss = SharedData(retirement=RetirementFact(True, date(2020, 1, 1), Department.HRSS))
    assert without_counter_facts(hrss) == hrss
    paper = build_fact("retirement", {"retired_on": "2025-06-30"})
    assert with_attested(hrss, [paper]).retirement == hrss.retirement, "shared data wins over paper"
    assert with_attested(SharedData(), [paper]).retirement == RetirementFact(True, date(2025, 6, 30),
                                                                              Department.COUNTER)
