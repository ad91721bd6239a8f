"""The work list: kiosk applications that need a person, deadlines, offline copy; the one-window bundle."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from tests.counter_app.conftest import Counter
from tests.counter_app.test_intake_e2e import identify
from tests.ledger.memberproof import proof_payload  # a kiosk's transfer carries the member's proof


def kiosk_transfer(counter: Counter, member_id: str) -> str:
    client = counter.ledger.kiosk()
    try:
        [result] = client.send_batch([{
            "idempotency_key": f"tr-{uuid.uuid4()}", "kind": "transfer.apply", "member_id": member_id,
            "created_at": datetime.now(UTC).isoformat(),
            "payload": proof_payload({"direction": "in", "counterpart_centre": "北京住房公积金管理中心",
                                      "counterpart_account": "110000123456", "channel": "kiosk"}, member_id)}])
    finally:
        client.close()
    assert result["status"] == "accepted", result
    case_id: str = result["result"]["case_id"]
    return case_id


def row_of(worklist: Any, case_id: str) -> int:
    return next(r for r in range(worklist.table.rowCount()) if worklist.table.item(r, 0).text() == case_id)


def test_a_kiosk_application_appears_and_a_supervisor_approves_it(counter: Counter) -> None:
    member = counter.ledger.member(retired=False, nth=2)
    case_id = kiosk_transfer(counter, member.member_id)
    counter.sign_in("supervisor-01")
    worklist = counter.screen("worklist")
    counter.qtbot.wait_until(lambda: worklist.select(case_id), timeout=10_000)
    row = row_of(worklist, case_id)
    assert worklist.table.item(row, 4).text() == "自助终端"
    assert worklist.table.item(row, 1).text() == counter.desk.catalogue.item("transfer").name
    assert worklist.table.item(row, 6).text() == "3"  # transfers: 3 working days, opened today
    assert "待办案件" in worklist.stale.text()
    counter.click(worklist.review_btn)
    review = counter.screen("review")
    counter.qtbot.wait_until(lambda: review.approve_btn.isEnabled(), timeout=10_000)
    review.comment.setPlainText("转入材料齐全")
    counter.click(review.approve_btn)
    counter.drain()
    data = counter.runtime.client.case(case_id)
    assert data["status"] == "approved"
    assert [e["action"] for e in data["events"]][-2:] == ["accept", "approve"]
    assert {e["actor"] for e in data["events"][-2:]} == {"supervisor-01"}


def test_offline_the_work_list_comes_from_the_last_copy_and_says_so(counter: Counter) -> None:
    member = counter.ledger.member(retired=False, nth=3)
    case_id = kiosk_transfer(counter, member.member_id)
    counter.sign_in("clerk-01")
    worklist = counter.screen("worklist")
    counter.window.show_screen("worklist")
    counter.qtbot.wait_until(lambda: worklist.select(case_id), timeout=10_000)
    counter.go_offline()
    worklist.refresh()
    counter.qtbot.wait_until(lambda: "离线" in worklist.stale.text(), timeout=10_000)
    assert worklist.select(case_id)


def test_second_hand_house_bundle_has_one_status(counter: Counter) -> None:
    member = counter.ledger.member(retired=False, nth=4)
    counter.sign_in("clerk-01")
    identify(counter, member.id_number)
    screen = counter.screen("bundle")
    counter.window.show_screen("bundle")
    screen.property_id.setText("140105001001GB00001F00010001")
    counter.click(screen.open_btn)
    parent = screen.parent_id
    assert parent.startswith("YC-") and screen.table.rowCount() == 4
    assert screen.status.text() == f"{parent}: 办理中（0/4）：不动产转移登记"
    for row in range(4):  # registry, tax, HPF loan (not the clerk's to approve), mortgage
        screen.table.selectRow(row)
        counter.click(screen.done_btn)
        if row == 2:
            assert "无权审批" in screen.banner.text()
    assert screen.status.text() == f"{parent}: 办理中（3/4）：公积金贷款审批"
    counter.sign_out()
    assert screen.member is None and screen.parent_id == ""  # nothing left on screen for the next person
    counter.sign_in("supervisor-01")
    worklist = counter.screen("worklist")
    counter.qtbot.wait_until(lambda: worklist.select(parent), timeout=10_000)
    counter.click(worklist.review_btn)  # a one-window case opens on its own screen
    assert counter.window.current == "bundle" and screen.parent_id == parent
    assert not screen.open_btn.isEnabled()
    screen.table.selectRow(2)
    counter.click(screen.done_btn)
    assert screen.status.text() == f"{parent}: 全部办结"
    counter.click(screen.print_btn)
    counter.qtbot.wait_until(lambda: bool(counter.printer.printed), timeout=10_000)
    assert counter.printer.printed[-1][0] == f"{parent}-4"
    assert counter.app.customer.serial == parent  # the member rates the whole one-window service
    counter.drain()
    subs = [counter.runtime.client.case(f"{parent}-{k}") for k in ("registry", "tax", "hpf_loan", "mortgage")]
    assert all(s["status"] == "accepted" for s in subs)
    assert all(any(e["data"].get("step_done") for e in s["events"]) for s in subs)
    assert [e["actor"] for e in subs[2]["events"] if e["data"].get("step_done")] == ["supervisor-01"]
    parent_case = counter.runtime.client.case(parent)
    assert parent_case["business_code"] == "second_hand_one_window"
    assert any(e["data"].get("bundle") == "done" for e in parent_case["events"])


def test_what_the_centre_refused_is_shown_and_handled(counter: Counter) -> None:
    counter.sign_in("clerk-01")
    counter.desk.case_action("CT-NO-SUCH-CASE", "comment", member_id=None, note="这个案件不存在")
    counter.drain()
    screen = counter.screen("refused")
    counter.window.show_screen("refused")
    assert screen.table.rowCount() == 1
    assert screen.table.item(0, 2).text() == "CT-NO-SUCH-CASE" and "没有该业务编号" in screen.table.item(0, 4).text()
    screen.table.selectRow(0)
    counter.click(screen.resend_btn)  # refused on its merits: sending again would only be refused again
    assert "不能重发" in screen.banner.text() and screen.table.rowCount() == 1
    counter.click(screen.handled_btn)
    assert screen.table.rowCount() == 0 and counter.runtime.outbox.clerk_count() == 0
    trail = counter.desk.staff.audit_trail(case_id="CT-NO-SUCH-CASE")
    assert [(e.action, e.outcome) for e in trail] == [("outbox.resend", "ok"), ("outbox.resend", "failed"),
                                                      ("outbox.handled", "ok")]
