"""A whole visit at the counter driven by the keyboard only: the F-keys (QTest.keyClick on the
window), typing into whichever field has the focus, arrows, Space and Enter. No button is clicked
and no screen method is called: if a step needs the mouse, these tests fail."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from tests.counter_app.conftest import STAFF, Counter, kiosk_ticket

Key = Qt.Key


class CardOnReader:
    """The member's ID card lying on the reader (the reader itself is tested in tests/hardware)."""

    def __init__(self, id_number: str, name: str) -> None:
        self.record = SimpleNamespace(id_number=id_number, name=name)

    def read_card(self, timeout: float) -> Any:
        return self.record

    def close(self) -> None:
        pass


def settle(counter: Counter) -> None:
    counter.qtbot.wait_until(lambda: not counter.app.ctx.ops.busy, timeout=20_000)


def fkey(counter: Counter, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A shortcut, pressed on the counter window (whatever field has the focus)."""
    QTest.keyClick(counter.window, key, modifier)
    settle(counter)


def focused(counter: Counter) -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None and counter.window.isAncestorOf(widget), "the keyboard focus left the counter"
    return widget


def type_in(counter: Counter, text: str) -> None:
    QTest.keyClicks(focused(counter), text)


def key(counter: Counter, k: Qt.Key, times: int = 1) -> None:
    for _ in range(times):
        QTest.keyClick(focused(counter), k)
    settle(counter)


def sign_in_by_keyboard(counter: Counter, staff_id: str) -> None:
    signin = counter.screen("signin")
    assert focused(counter) is signin.staff_id  # the sign-in screen puts the cursor in the staff id
    type_in(counter, staff_id)
    key(counter, Key.Key_Tab)
    assert focused(counter) is signin.password
    type_in(counter, STAFF[staff_id][2])
    key(counter, Key.Key_Return)
    counter.qtbot.wait_until(lambda: counter.desk.account is not None, timeout=10_000)
    settle(counter)


def choose_item(counter: Counter, code: str) -> None:
    """The item list has the focus after the member is found: arrows to the item."""
    combo = counter.screen("intake").item
    assert focused(counter) is combo
    target = combo.findData(code)
    key(counter, Key.Key_Home)
    key(counter, Key.Key_Down, target)
    assert combo.currentData() == code


def activate(counter: Counter) -> None:
    counter.window.activateWindow()
    counter.qtbot.wait_until(lambda: counter.window.isActiveWindow(), timeout=5_000)


def test_call_card_instant_decision_receipt_and_finish_by_keyboard(counter: Counter) -> None:
    member = counter.ledger.member(retired=True, nth=3)  # 0 and 1 are test_intake_e2e's, 2 the receipt golden's
    counter.shared.retired.add(member.member_id)  # 人社 shares the retirement: 秒批
    ticket = kiosk_ticket(counter.ledger, counter.desk.settings.outlet, "withdrawal")
    counter.app.ctx.services.id_reader = CardOnReader(member.id_number, member.name)
    activate(counter)
    sign_in_by_keyboard(counter, "clerk-01")
    queue, intake, bar = counter.screen("queue"), counter.screen("intake"), counter.window.active_bar
    counter.qtbot.wait_until(lambda: queue.table.rowCount() >= 1, timeout=10_000)
    assert "F2" in queue.call_btn.text() and "F9" in intake.decide_btn.text()  # keys are shown on the buttons

    fkey(counter, Key.Key_F2)  # 叫下一位
    assert queue.current.text() == f"正在办理：{ticket}"
    assert counter.app.ctx.voice.spoken[-1] == f"请 {ticket} 号到 3 号窗口办理"
    assert bar.ticket.text() == ticket and bar.elapsed.isVisible()

    fkey(counter, Key.Key_F7)  # 读身份证: opens intake and reads the card on the reader
    assert counter.window.current == "intake"
    counter.qtbot.wait_until(lambda: intake.member is not None, timeout=10_000)
    settle(counter)
    masked = "*" * (len(member.name) - 1) + member.name[-1]
    assert masked in bar.member.text() and member.name not in bar.text()  # the bar shows the masked name only
    choose_item(counter, "withdraw_retirement")
    fkey(counter, Key.Key_F8)  # 开始受理
    assert intake.intake is not None and intake.intake.item_code == "withdraw_retirement"
    assert "退休提取" in bar.business.text()
    fkey(counter, Key.Key_F9)  # 审核办理
    assert intake.result is not None and intake.result.kind == "instant", intake.banner.text()
    panel = intake.outcome
    assert panel.isVisible() and panel.tone == "ok" and panel.headline.text().startswith("秒批")
    fkey(counter, Key.Key_F10)  # 打印凭条
    counter.qtbot.wait_until(lambda: bool(counter.printer.printed), timeout=10_000)
    case_id = intake.intake.case_id
    assert counter.printer.printed[-1][0] == f"{case_id}-instant"

    fkey(counter, Key.Key_F5)  # 办结: the ticket is done, the member rates, the desk is free
    assert queue.current.text() == "未叫号" or ticket not in queue.current.text()
    assert counter.app.customer.buttons[0].isVisibleTo(counter.app.customer)
    assert not bar.elapsed.isVisible() and "F2" in bar.idle.text()

    counter.drain()
    assert counter.runtime.client.case(case_id)["status"] == "approved"
    actions = [e.action for e in counter.desk.staff.audit_trail(staff_id="clerk-01") if e.outcome == "ok"]
    for done in ("queue.call", "member.lookup", "case.open", "case.decide", "print.receipt", "queue.done"):
        assert done in actions, (done, actions)


def test_typed_id_ticked_papers_and_a_supervisor_approval_by_keyboard(counter: Counter) -> None:
    member = counter.ledger.member(retired=False, nth=11)
    ticket = kiosk_ticket(counter.ledger, counter.desk.settings.outlet, "signing", priority=True)
    activate(counter)
    sign_in_by_keyboard(counter, "clerk-01")
    queue, intake = counter.screen("queue"), counter.screen("intake")
    counter.qtbot.wait_until(lambda: queue.table.rowCount() >= 1, timeout=10_000)
    assert queue.table.item(0, 2).text().endswith("优先")  # the priority lane's flag
    fkey(counter, Key.Key_F2)
    assert queue.current.text() == f"正在办理：{ticket}"

    fkey(counter, Key.Key_F6)  # 业务受理: the cursor goes to the ID number
    assert focused(counter) is intake.id_number
    type_in(counter, member.id_number)
    key(counter, Key.Key_Return)
    counter.qtbot.wait_until(lambda: intake.member is not None, timeout=10_000)
    settle(counter)
    choose_item(counter, "card_signing")
    fkey(counter, Key.Key_F8)
    assert intake.intake is not None
    assert focused(counter) is intake.table  # the checklist next: arrows and Space tick what is handed over
    lines = [intake.table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(intake.table.rowCount())]
    for material in ("id_card", "bank_card"):
        row = lines.index(material)
        key(counter, Key.Key_Home)
        key(counter, Key.Key_Down, row)
        assert intake.table.currentRow() == row
        key(counter, Key.Key_Space)
        assert intake.table.item(row, 1).checkState() == Qt.CheckState.Checked, material
    fkey(counter, Key.Key_F9)
    assert intake.result is not None and intake.result.kind == "routed"
    assert intake.outcome.tone == "pending"
    case_id = intake.intake.case_id
    fkey(counter, Key.Key_F5)
    fkey(counter, Key.Key_Q, Qt.KeyboardModifier.ControlModifier)  # 退出登录
    assert counter.desk.account is None

    sign_in_by_keyboard(counter, "supervisor-01")
    worklist, review = counter.screen("worklist"), counter.screen("review")
    fkey(counter, Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # 待办列表, the cursor in the table
    counter.qtbot.wait_until(lambda: any(w.case_id == case_id for w in worklist.worklist.items), timeout=10_000)
    assert focused(counter) is worklist.table
    row = [w.case_id for w in worklist.worklist.items].index(case_id)
    key(counter, Key.Key_Home)
    key(counter, Key.Key_Down, row)
    key(counter, Key.Key_Return)  # opens the case for review
    counter.qtbot.wait_until(lambda: review.case is not None and review.case["case_id"] == case_id, timeout=10_000)
    settle(counter)
    assert counter.window.current == "review" and review.approve_btn.isEnabled()
    assert review.status_chip.text().startswith("已受理")
    fkey(counter, Key.Key_F11)  # 审批通过
    assert counter.desk.staff.case(case_id)["status"] == "approved"
    assert review.status_chip.text() == "已审批" and review.status_chip.tone == "ok"
    counter.drain()
    assert counter.runtime.client.case(case_id)["status"] == "approved"
    trail = [(e.staff_id, e.action) for e in counter.desk.staff.audit_trail(case_id=case_id)]
    assert ("clerk-01", "case.decide") in trail and ("supervisor-01", "case.approve") in trail


def test_a_key_that_cannot_act_says_so_and_changes_nothing(counter: Counter) -> None:
    activate(counter)
    sign_in_by_keyboard(counter, "clerk-01")
    fkey(counter, Key.Key_F9)  # decide with no case open
    intake = counter.screen("intake")
    assert counter.window.current == "intake" and intake.result is None
    assert "F9" in intake.banner.text() and "不可用" in intake.banner.text()
    fkey(counter, Key.Key_F11)  # approve: a clerk is not on the review, and may not approve anyway
    assert counter.window.current == "intake"
    assert not [e for e in counter.desk.staff.audit_trail() if e.action == "case.approve"]
    fkey(counter, Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    fkey(counter, Key.Key_F2)  # signed out: no key acts
    assert counter.desk.account is None and counter.window.current == "signin"
    assert not [e for e in counter.desk.staff.audit_trail() if e.action == "queue.call"]
