"""Case intake end to end: one-time notice, 秒批, routing to a supervisor, drafts, the audit trail."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtCore import Qt

from domain.staff import PermissionDeniedError
from tests.counter_app.conftest import Counter


def identify(counter: Counter, member_id_number: str, *, card: bool = True) -> Any:
    """The member's ID card on the reader (or the number typed in) on the intake screen."""
    screen = counter.screen("intake")
    counter.window.show_screen("intake")
    if card:
        screen.use_card(member_id_number, "")
    else:
        screen.id_number.setText(member_id_number)
        counter.click(screen.find_btn)
    counter.qtbot.wait_until(lambda: screen.member is not None, timeout=10_000)
    return screen


def start_case(counter: Counter, member_id_number: str, item_code: str, *, card: bool = True) -> Any:
    screen = identify(counter, member_id_number, card=card)
    screen.item.setCurrentIndex(screen.item.findData(item_code))
    counter.click(screen.start)
    assert screen.intake is not None
    return screen


def checklist(screen: Any) -> dict[str, tuple[bool, str]]:
    t = screen.table
    return {t.item(r, 0).data(Qt.ItemDataRole.UserRole): (t.item(r, 1).checkState() == Qt.CheckState.Checked,
                                                        t.item(r, 2).text()) for r in range(t.rowCount())}


def ledger_case(counter: Counter, case_id: str) -> dict[str, Any]:
    data: dict[str, Any] = counter.runtime.client.case(case_id)
    return data


def test_missing_materials_end_in_a_one_time_notice(counter: Counter) -> None:
    member = counter.ledger.member(retired=False)
    counter.sign_in("clerk-01")
    screen = start_case(counter, member.id_number, "withdraw_illness", card=False)
    lines = checklist(screen)
    assert lines["id_card"] == (False, "尚缺")  # typed in, not read: the card itself is still to be shown
    assert lines["diagnosis"][0] is False
    counter.click(screen.decide_btn)
    result = screen.result
    assert result.kind == "notice" and result.notice is not None
    missing = {m.material for m in result.notice.missing}
    assert {"diagnosis", "medical_invoices"} <= missing
    assert "一次性告知书" in result.zh and "无需重新排队" in result.next_zh
    counter.click(screen.print_btn)
    counter.qtbot.wait_until(lambda: bool(counter.printer.printed), timeout=10_000)
    command_id, receipt = counter.printer.printed[-1]
    assert command_id == f"{screen.intake.case_id}-notice"
    counter.click(screen.pdf_btn)
    pdf = counter.app.ctx.extras["last_pdf"]
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 2000
    case_id = screen.intake.case_id
    # the notice leaves a draft to resume when the member comes back
    assert [d.draft_id for d in counter.desk.staff.drafts("clerk-01")] == [case_id]
    counter.drain()
    assert ledger_case(counter, case_id)["status"] == "needs_materials"
    actions = [e.action for e in counter.desk.staff.audit_trail(case_id=case_id)]
    assert actions[:2] == ["case.open", "case.decide"] and "print.receipt" in actions and "print.a4" in actions


def test_shared_data_approves_instantly_and_the_member_rates(counter: Counter) -> None:
    member = counter.ledger.member(retired=True)
    counter.shared.retired.add(member.member_id)
    counter.sign_in("clerk-01")
    screen = start_case(counter, member.id_number, "withdraw_retirement")
    lines = checklist(screen)
    assert lines["id_card"] == (True, "已读取身份证")
    assert lines["retirement_certificate"] == (True, "已由人社共享数据证明，无需提交")
    counter.click(screen.decide_btn)
    assert screen.result.kind == "instant" and screen.result.zh.startswith("秒批"), \
        [r.zh for r in screen.result.reasons]
    case_id = screen.intake.case_id
    customer = counter.app.customer
    assert customer.serial == case_id
    counter.click(customer.buttons[0])  # 非常满意
    assert counter.desk.staff.case(case_id)["rating"] == 5
    counter.drain()
    sent = {i.kind: i for i in counter.runtime.outbox.items()}
    assert sent["withdrawal.apply"].state == "acknowledged"
    assert sent["rating"].state == "acknowledged"
    assert ledger_case(counter, case_id)["status"] == "approved"
    counter.click(screen.print_btn)
    counter.qtbot.wait_until(lambda: bool(counter.printer.printed), timeout=10_000)
    assert counter.printer.printed[-1][0] == f"{case_id}-instant"


def test_paper_evidence_goes_to_a_supervisor_whom_a_clerk_cannot_replace(counter: Counter) -> None:
    member = counter.ledger.member(retired=True, nth=1)  # no shared data this time: the clerk checks the paper
    counter.sign_in("clerk-01")
    screen = start_case(counter, member.id_number, "withdraw_retirement")
    row = next(r for r in range(screen.table.rowCount())
               if screen.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == "retirement_certificate")
    screen.table.item(row, 1).setCheckState(Qt.CheckState.Checked)
    assert checklist(screen)["retirement_certificate"] == (True, "原件已核验")
    counter.click(screen.decide_btn)  # ticked is not enough: the centre takes the clerk's figures, not a tick
    assert screen.result is None and "请先录入纸质材料的核验信息：退休证" in screen.banner.text()
    screen.table.setCurrentCell(row, 0)
    form = screen.attest_form
    assert form.isVisible() and set(form.inputs) == {"retired_on", "certificate_no"}
    form.inputs["retired_on"].setText("2025/06/30")
    form.inputs["certificate_no"].setText("晋退2025-0042")
    form.scan_ref.setText("SCAN-20251206-0042")
    counter.click(form.record_btn)
    assert "退休日期" in screen.banner.text() and "YYYY-MM-DD" in screen.banner.text()
    form.inputs["retired_on"].setText("2025-06-30")
    counter.click(form.record_btn)
    assert checklist(screen)["retirement_certificate"] == (True, "柜员已录入核验，待主管审批")
    counter.click(screen.decide_btn)
    assert screen.result.kind == "routed"
    case_id = screen.intake.case_id
    # the clerk opens it from the work list but may not decide it
    worklist = counter.screen("worklist")
    counter.window.show_screen("worklist")
    counter.qtbot.wait_until(lambda: worklist.select(case_id), timeout=10_000)
    counter.click(worklist.review_btn)
    review = counter.screen("review")
    counter.qtbot.wait_until(lambda: review.case is not None, timeout=10_000)
    assert not review.approve_btn.isEnabled() and "只有审批主管" in review.role_note.text()
    # the audit trail in words, never its codes (resources/i18n/audit_actions.toml)
    assert "clerk-01  开始受理" in review.history.text() and "审核办理" in review.history.text()
    assert "case.open" not in review.history.text() and "case.decide" not in review.history.text()
    with pytest.raises(PermissionDeniedError):
        counter.app.ctx.services.cases.review(case_id, True, "我自己批")
    denied = [e for e in counter.desk.staff.audit_trail(case_id=case_id) if e.outcome == "denied"]
    assert [(e.staff_id, e.action) for e in denied] == [("clerk-01", "case.approve")]
    assert not [i for i in counter.runtime.outbox.items() if i.kind == "withdrawal.apply"]
    counter.sign_out()
    counter.sign_in("supervisor-01")
    counter.qtbot.wait_until(lambda: worklist.select(case_id), timeout=10_000)
    counter.click(worklist.review_btn)
    counter.qtbot.wait_until(lambda: review.case is not None and review.approve_btn.isEnabled(), timeout=10_000)
    assert "纸质材料（柜员核验）" in review.reasons.text()
    assert "退休日期 2025-06-30" in review.attested.text() and "clerk-01" in review.attested.text()
    assert " · ¥" in review.summary.text()  # the amount the supervisor is approving
    counter.click(review.reject_btn)  # a rejection needs a comment: nothing happens without one
    assert "comment" in review.banner.text() or "原因" in review.banner.text()
    review.comment.setPlainText("退休证原件核验无误")
    counter.click(review.approve_btn)
    assert counter.desk.staff.case(case_id)["status"] == "approved"
    counter.drain()
    assert ledger_case(counter, case_id)["status"] == "approved"
    [withdrawal] = [i for i in counter.runtime.outbox.items() if i.kind == "withdrawal.apply"]
    assert withdrawal.state == "acknowledged", "the supervisor-approved paper case lands at the centre"
    landed = counter.runtime.client.case(case_id)
    assert [e["data"]["attestation"]["figures"]["retired_on"] for e in landed["events"]
            if e["action"] == "add_material"] == ["2025-06-30"]
    trail = [(e.staff_id, e.action, e.outcome) for e in counter.desk.staff.audit_trail(case_id=case_id)]
    assert ("clerk-01", "case.open", "ok") in trail and ("clerk-01", "material.presented", "ok") in trail
    assert ("clerk-01", "case.decide", "ok") in trail and ("supervisor-01", "case.approve", "ok") in trail
    assert ("clerk-01", "material.attested", "ok") in trail
    audit_items = [i for i in counter.runtime.outbox.items() if i.kind == "staff.audit"]
    assert audit_items and {i.state for i in audit_items} == {"acknowledged"}, \
        "the counter's audit rows, the clerk's denied approval included, reached the centre's chain"
    denied = [json.loads(i.payload) for i in audit_items if json.loads(i.payload)["outcome"] == "denied"]
    assert [(d["staff_id"], d["action"], d["object"]) for d in denied] == [("clerk-01", "case.approve", case_id)]


def test_a_draft_is_saved_and_resumed(counter: Counter) -> None:
    member = counter.ledger.member(retired=False)
    counter.sign_in("clerk-01")
    screen = start_case(counter, member.id_number, "card_signing")
    case_id = screen.intake.case_id
    screen.table.item(1, 1).setCheckState(Qt.CheckState.Checked)
    counter.click(screen.save_btn)
    counter.sign_out()
    counter.sign_in("clerk-01")
    counter.window.show_screen("intake")
    assert screen.drafts.count() == 1
    counter.click(screen.resume_btn)
    counter.qtbot.wait_until(lambda: screen.intake is not None and screen.intake.case_id == case_id, timeout=10_000)
    assert checklist(screen)["bank_card"] == (True, "原件已核验")
    counter.click(screen.decide_btn)
    assert screen.result.kind == "routed"  # no automatic rule for card signing: a supervisor decides


def test_offline_intake_works_from_the_local_store_and_catches_up(counter: Counter) -> None:
    member = counter.ledger.member(retired=False, nth=5)
    counter.sign_in("clerk-01")
    identify(counter, member.id_number)  # online: the snapshot is cached (encrypted)
    online_url = counter.runtime.client.base_url
    counter.go_offline()
    screen = start_case(counter, member.id_number, "withdraw_illness")
    assert "本机缓存" in screen.member_label.text() and "离线" in screen.member_label.text()
    counter.click(screen.decide_btn)
    assert screen.result.kind == "notice"
    case_id = screen.intake.case_id
    assert counter.runtime.outbox.counts().unsent >= 3  # open, submit, request_materials wait in the outbox
    counter.runtime.client.base_url = online_url
    counter.drain()
    assert ledger_case(counter, case_id)["status"] == "needs_materials"


def test_every_case_action_sent_has_its_audit_row(counter: Counter) -> None:
    """Whatever reaches the ledger as a case action was done by a signed-in person and audited."""
    member = counter.ledger.member(retired=False, nth=6)
    counter.sign_in("clerk-01")
    start_case(counter, member.id_number, "withdraw_illness")
    counter.click(counter.screen("intake").decide_btn)
    start_case(counter, member.id_number, "card_signing")
    counter.click(counter.screen("intake").decide_btn)
    sent = [json.loads(i.payload) for i in counter.runtime.outbox.items() if i.kind == "case.action"]
    assert len(sent) == 6  # open, submit, request_materials for each (both end in a notice)
    trail = counter.desk.staff.audit_trail()
    for action in sent:
        assert any(e.case_id == action["case_id"] and e.staff_id == action["actor"] and e.outcome == "ok"
                   for e in trail), action
    assert all(a["role"] == "clerk" for a in sent)


def test_deposit_certificate_and_day_report_as_pdf(counter: Counter) -> None:
    member = counter.ledger.member(retired=False, nth=7)
    counter.sign_in("clerk-01")
    screen = identify(counter, member.id_number)
    counter.click(screen.certificate_btn)
    pdf = counter.app.ctx.extras["last_pdf"]
    assert pdf.name.startswith(f"certificate-{member.member_id}") and pdf.read_bytes().startswith(b"%PDF")
    start_case(counter, member.id_number, "withdraw_illness")
    counter.click(screen.decide_btn)
    report = counter.screen("report")
    counter.window.show_screen("report")
    [(clerk, counts)] = report.report.rows("clerk")
    assert clerk == "clerk-01" and counts[:3] == [0, 1, 1]  # no calls, one case opened, one notice
    counter.click(report.pdf_btn)
    assert counter.app.ctx.extras["last_pdf"].name == f"day-{report.report.day}.pdf"
    actions = {e.action for e in counter.desk.staff.audit_trail(staff_id="clerk-01")}
    assert {"print.deposit_certificate", "print.day_report"} <= actions


def test_the_member_comes_back_with_the_notice_at_another_counter(counter: Counter) -> None:
    member = counter.ledger.member(retired=False, nth=9)
    counter.sign_in("clerk-01")
    screen = start_case(counter, member.id_number, "withdraw_illness")
    counter.click(screen.decide_btn)
    case_id = screen.intake.case_id
    counter.drain()
    counter.desk.staff.drop_draft(case_id)  # this counter has no draft: as if the member went to another one
    counter.sign_out()
    counter.sign_in("clerk-02")
    counter.window.show_screen("intake")
    screen.case_number.setText(case_id.lower())
    counter.click(screen.resume_number_btn)
    counter.qtbot.wait_until(lambda: screen.intake is not None, timeout=10_000)
    assert screen.intake.case_id == case_id and screen.intake.item_code == "withdraw_illness"
    assert screen.member.member_id == member.member_id
    for material in ("diagnosis", "medical_invoices"):
        row = next(r for r in range(screen.table.rowCount())
                   if screen.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == material)
        screen.table.item(row, 1).setCheckState(Qt.CheckState.Checked)
    counter.click(screen.decide_btn)
    assert screen.result.kind == "routed"  # everything brought on paper: a supervisor decides
    counter.drain()
    data = ledger_case(counter, case_id)
    assert data["status"] == "accepted"
    assert [e["action"] for e in data["events"]][-4:] == ["request_materials", "submit", "accept", "assign"]
