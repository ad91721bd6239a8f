"""Calling tickets taken at a kiosk: priority lane, voice, recall, transfer, no-show, offline."""

from __future__ import annotations

from typing import Any

from tests.counter_app.conftest import Counter, kiosk_ticket


def ledger_queue(counter: Counter) -> dict[str, Any]:
    data: dict[str, Any] = counter.runtime.client.queue(counter.desk.settings.outlet)
    return {t["ticket_no"]: t for t in data["tickets"]}


def open_queue(counter: Counter, expected: int) -> Any:
    counter.sign_in("clerk-01")
    screen = counter.screen("queue")
    counter.qtbot.wait_until(lambda: screen.table.rowCount() == expected, timeout=10_000)
    return screen


def test_call_a_kiosk_ticket_priority_lane_first(counter: Counter) -> None:
    outlet = counter.desk.settings.outlet
    first = kiosk_ticket(counter.ledger, outlet, "退休提取")  # the kiosk writes the item's name
    priority = kiosk_ticket(counter.ledger, outlet, "withdrawal", priority=True)
    loan = kiosk_ticket(counter.ledger, outlet, "loan_application")  # an item code counts as its category
    screen = open_queue(counter, 3)
    assert screen.table.item(0, 0).text() == priority  # the priority lane is listed first
    screen.categories["loan"].setChecked(False)
    counter.click(screen.call_btn)
    assert counter.desk.settings.window == "3"
    assert screen.current.text() == f"正在办理：{priority}"
    assert counter.app.ctx.voice.spoken[-1] == f"请 {priority} 号到 3 号窗口办理"
    assert priority in counter.app.hall.now.text() and "3 号窗口" in counter.app.hall.now.text()
    assert counter.app.customer.message.text().startswith(f"{priority} 号，3 号窗口为您服务")
    counter.click(screen.recall_btn)
    assert counter.app.ctx.voice.spoken[-2:] == [f"请 {priority} 号到 3 号窗口办理"] * 2
    counter.click(screen.done_btn)
    assert counter.app.customer.buttons[0].isVisibleTo(counter.app.customer)  # 好差评 asked after service
    counter.click(screen.call_btn)
    assert screen.current.text() == f"正在办理：{first}"  # loans not served: the loan ticket waits
    counter.drain()
    tickets = ledger_queue(counter)
    assert tickets[priority]["status"] == "done" and tickets[priority]["window"] == "3"
    assert tickets[first]["status"] == "called" and tickets[loan]["status"] == "waiting"
    calls = [e for e in counter.desk.staff.audit_trail(staff_id="clerk-01") if e.action.startswith("queue.")]
    assert [e.action for e in calls] == ["queue.call", "queue.recall", "queue.done", "queue.call"]
    assert all(e.terminal_id == "DEMO-COUNTER-01" for e in calls)


def test_transfer_and_no_show(counter: Counter) -> None:
    outlet = counter.desk.settings.outlet
    a = kiosk_ticket(counter.ledger, outlet, "transfer")
    b = kiosk_ticket(counter.ledger, outlet, "transfer")
    screen = open_queue(counter, 2)
    counter.click(screen.call_btn)
    screen.transfer_to.setText("5")
    counter.click(screen.transfer_btn)
    counter.click(screen.call_btn)
    assert screen.current.text() == f"正在办理：{b}"
    counter.click(screen.skip_btn)
    counter.drain()
    tickets = ledger_queue(counter)
    assert (tickets[a]["status"], tickets[a]["window"]) == ("transferred", "5")
    assert tickets[b]["status"] == "no_show"


def test_offline_calls_are_kept_and_the_queue_says_it_is_stale(counter: Counter) -> None:
    outlet = counter.desk.settings.outlet
    ticket = kiosk_ticket(counter.ledger, outlet, "withdrawal")
    screen = open_queue(counter, 1)
    online_url = counter.runtime.client.base_url
    counter.go_offline()
    counter.click(screen.call_btn)
    assert screen.current.text() == f"正在办理：{ticket}"
    screen.refresh()
    counter.qtbot.wait_until(lambda: "离线" in screen.stale.text(), timeout=10_000)
    assert counter.runtime.outbox.counts().unsent >= 1  # the call waits in the outbox
    assert screen.current.text() == f"正在办理：{ticket}" and screen.table.rowCount() == 0
    counter.runtime.client.base_url = online_url
    counter.drain()
    screen.refresh()
    counter.qtbot.wait_until(lambda: "等候 0 人" in screen.stale.text(), timeout=10_000)
    assert ledger_queue(counter)[ticket]["status"] == "called"
    assert counter.app.ctx.services.queue._overlay == {}  # the ledger's copy is the truth again
