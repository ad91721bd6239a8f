"""The supervisor's review follows the counter's language switch, both ways: the screen's captions, the case's
reasons and the clerk's attested figures, the audit trail's headers, and a scanned page open large (its own
window, which the main window's retranslate does not reach)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from tests.counter_app.conftest import Counter
from tests.counter_app.test_english_names import chinese_on
from tests.counter_app.test_intake_e2e import start_case


def _routed_paper_case(counter: Counter) -> str:
    """A retirement withdrawal on a paper certificate the clerk attested: routed to a supervisor, its scan on file."""
    member = counter.ledger.member(retired=True, nth=4)  # 0-3 are other tests' (a withdrawal empties the account)
    counter.sign_in("clerk-01")
    screen = start_case(counter, member.id_number, "withdraw_retirement")
    row = next(r for r in range(screen.table.rowCount())
               if screen.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == "retirement_certificate")
    screen.table.item(row, 1).setCheckState(Qt.CheckState.Checked)
    screen.table.setCurrentCell(row, 0)
    form = screen.attest_form
    form.inputs["retired_on"].setText("2025-06-30")
    form.inputs["certificate_no"].setText("JT2025-0042")
    form.scan_ref.setText("SCAN-20251206-0042")
    counter.click(form.record_btn)
    counter.click(screen.decide_btn)
    assert screen.result.kind == "routed"
    case_id: str = screen.intake.case_id
    folder = counter.app.ctx.services.case_files / case_id
    folder.mkdir(parents=True, exist_ok=True)
    page = QImage(300, 400, QImage.Format.Format_RGB32)
    page.fill(QColor("white"))
    assert page.save(str(folder / "retirement_certificate.png"))
    counter.sign_out()
    return case_id


def _captions(review: Any) -> dict[str, str]:
    header = review.history.horizontalHeaderItem
    return {"title": review.title.text(), "facts": review.facts_box.title(), "scans": review.scans_box.title(),
            "comment": review.comment_label.text(), "history": review.history_label.text(),
            "approve": review.approve_btn.text(), "reject": review.reject_btn.text(),
            "history-columns": " ".join(header(c).text() for c in range(review.history.columnCount())),
            "summary": review.summary.text(), "reasons": review.reasons.text(), "fraud": review.fraud.text(),
            "attested": review.attested.text(), "scans-note": review.scans_note.text(),
            "thumbnail": review.thumb_buttons[0].text(),
            "zoom": review.zoom.caption.text(), "zoom-title": review.zoom.windowTitle()}


def test_the_review_and_its_open_page_follow_a_language_switch_and_back(counter: Counter) -> None:
    case_id = _routed_paper_case(counter)
    counter.sign_in("supervisor-01")
    worklist = counter.screen("worklist")
    counter.window.show_screen("worklist")
    counter.qtbot.wait_until(lambda: worklist.select(case_id), timeout=10_000)
    counter.click(worklist.review_btn)
    review = counter.screen("review")
    counter.qtbot.wait_until(lambda: review.case is not None and review.approve_btn.isEnabled(), timeout=10_000)
    assert [m for m, _path in review.scans] == ["retirement_certificate"]
    review.open_scan(*review.scans[0])
    chinese = _captions(review)
    assert chinese["facts"] == "职工关键信息" and chinese["comment"] == "审批意见（退回时必填）"
    assert "按 Esc 或点击关闭" in chinese["zoom"] and chinese["zoom-title"] == chinese["thumbnail"]
    assert "退休日期 2025-06-30" in chinese["attested"] and "时间" in chinese["history-columns"]

    counter.click(counter.window.language)  # the clerk's switch in the header
    english = _captions(review)
    assert english == {
        **english,
        "title": "Review", "facts": "Member's key facts", "scans": "Scanned materials (click to zoom)",
        "comment": "Comment (required to reject)", "history": "At this counter",
        "history-columns": "Time Staff Action Outcome Detail", "scans-note": "1 scan(s)",
        "thumbnail": "retirement certificate", "zoom-title": "retirement certificate",
        "zoom": "retirement certificate    Esc or a click closes it", "fraud": "No fraud signals."}
    assert english["approve"].startswith("Approve") and english["reject"].startswith("Reject")
    assert english["summary"].startswith(f"{case_id} · Withdrawal on retirement · ")
    assert english["reasons"].startswith("Reasons:\n• ")
    assert english["attested"].endswith("• retirement certificate: certificate number JT2025-0042, retirement date "
                                        "2025-06-30 (clerk-01, scan SCAN-20251206-0042)")
    assert chinese_on(review.zoom) == []
    # nothing Chinese left but the member's own data (masked name, employer) and the switch back
    data = {fact.value_zh for fact in review.facts} | {review.case.get("member_name", "")[-1:]}
    left = [p for p in chinese_on(review) if not any(d and d in p for d in data)]
    assert left == [], left

    counter.click(counter.window.language)
    assert _captions(review) == chinese  # and back, word for word
