"""Issue 11: catalogue items without a screen of their own, walked through the intake screen (pytest-qt).

An employer item (单位缓缴, the employer's agent brings the ID card, the unified social credit code
and the letter of authorisation) and a member's loan item (贷款期限变更): the checklist comes from
the catalogue, the first decision is the one-time notice, the second routes the case to the role
the catalogue names, and the ledger knows the case.
"""

from __future__ import annotations

import json

import httpx
import pytest
from PySide6.QtCore import Qt

from tests.counter_app.conftest import Counter
from tests.counter_app.test_intake_e2e import checklist, ledger_case, start_case


@pytest.mark.parametrize("code", ["employer_deferral", "loan_term_change"])
def test_a_catalogue_item_through_the_one_intake_screen(counter: Counter, code: str) -> None:
    item = counter.desk.catalogue.item(code)
    member = counter.ledger.member(retired=False)
    counter.sign_in("clerk-01")
    screen = start_case(counter, member.id_number, code)  # the agent's or member's ID card on the reader
    lines = checklist(screen)
    assert list(lines) == list(counter.desk.catalogue.counter_materials(item))
    if code.startswith("employer_"):
        assert list(lines)[:3] == ["agent_id_card", "uscc", "authorisation_letter"]
        assert lines["agent_id_card"][0] is True  # read from the card
    counter.click(screen.decide_btn)
    assert screen.result.kind == "notice" and screen.result.notice is not None
    assert item.name in "\n".join(screen.result.notice.lines())
    case_id = screen.intake.case_id
    # the A4 notice carries a code the centre verifies once this counter has synced
    counter.click(screen.pdf_btn)
    counter.drain()
    [registered] = [json.loads(i.payload) for i in counter.runtime.outbox.items() if i.kind == "certificate.issue"]
    assert registered["doc_type"] == "notice" and registered["facts"]["case_id"] == case_id
    page = httpx.get(f"{counter.ledger.url}/verify/{registered['code']}")
    assert page.status_code == 200 and "data-status='valid'" in page.text and case_id in page.text
    # the applicant comes back once with everything on the notice: the case continues by its number
    screen.case_number.setText(case_id)
    counter.click(screen.resume_number_btn)
    counter.qtbot.wait_until(lambda: screen.intake is not None and screen.result is None, timeout=10_000)
    for row in range(screen.table.rowCount()):
        tick = screen.table.item(row, 1)
        if tick.checkState() != Qt.CheckState.Checked:
            tick.setCheckState(Qt.CheckState.Checked)
    assert all(ok for ok, _note in checklist(screen).values())
    counter.click(screen.decide_btn)
    assert screen.result.kind == "routed" and "主管" in screen.result.zh  # decided_by = supervisor
    counter.drain()
    case = ledger_case(counter, case_id)
    assert case["business_code"] == code and case["assignee"] == "supervisor"
