"""The counter as a busy clerk meets it: a visible label on every input, keys shown on the buttons,
queue and work-list tables that fill their width with wait times, priority flags and status chips,
the supervisor's review pane with the scans and the member's key facts."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QTableWidget, QWidget

from counter_app.keys import KEYS
from tests.counter_app.conftest import Counter, kiosk_ticket
from tests.counter_app.test_intake_e2e import start_case
from ui.theme import TONES

INPUTS = (QLineEdit, QComboBox, QPlainTextEdit)


def _labels_for(screen: QWidget) -> dict[int, QLabel]:
    found: dict[int, QLabel] = {}
    for label in screen.findChildren(QLabel):
        buddy = label.buddy()
        if buddy is not None:
            found[id(buddy)] = label
    for form in screen.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            label = form.labelForField(item.widget()) if item is not None and item.widget() else None
            if isinstance(label, QLabel):
                found[id(item.widget())] = label
    return found


def unlabelled(counter: Counter) -> list[str]:
    """Every visible input on every screen this role opens, without a visible caption."""
    missing = []
    menu = counter.window.menu
    for key in ["signin", *(menu.item(r).data(256) for r in range(menu.count()))]:
        screen = counter.window.screen_for(key)
        counter.window.show_screen(key)
        labels = _labels_for(screen)
        for field in screen.findChildren(QWidget):
            if not isinstance(field, INPUTS) or not field.isVisibleTo(screen):
                continue
            if isinstance(field.parent(), QComboBox) or isinstance(field.parent(), QTableWidget):
                continue
            if isinstance(field, QLineEdit | QPlainTextEdit) and field.isReadOnly():
                continue  # a log or a read-out, not an input
            label = labels.get(id(field))
            if label is None or not label.text().strip() or not label.isVisibleTo(screen):
                missing.append(f"{key}: {field.objectName() or type(field).__name__}")
    return missing


def test_every_input_has_a_visible_label(counter: Counter) -> None:
    assert unlabelled(counter) == []  # the sign-in screen
    for staff_id in ("clerk-01", "supervisor-01", "tech-01"):
        counter.sign_in(staff_id)
        member = counter.ledger.member(retired=False, nth=12)
        if staff_id == "clerk-01":
            start_case(counter, member.id_number, "card_signing")  # the attestation form's fields too
        assert unlabelled(counter) == [], staff_id
        counter.sign_out()
    # the walk does find a field with only a placeholder
    stray = QLineEdit(objectName="stray", placeholderText="placeholder only")
    counter.screen("signin").layout_.addWidget(stray)
    stray.show()
    assert unlabelled(counter) == ["signin: stray"]


def test_the_keyboard_page_lists_every_key() -> None:
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "docs" / "counter-keyboard.md").read_text(encoding="utf-8")
    for k in KEYS:
        assert f"| `{k.key}` | {k.zh} | {k.en} |" in page, k.name


def test_the_keys_are_on_their_buttons_in_both_languages(counter: Counter) -> None:
    assert len({k.key for k in KEYS}) == len(KEYS)
    counter.sign_in("supervisor-01")
    for language in ("zh_CN", "en", "zh_CN"):
        counter.app.ctx.languages.set_language(language)
        for k in KEYS:
            button = counter.window.keys.button(k)
            if button is not None:
                assert button.text().endswith(f"  {k.key}"), (language, button.text())
                assert button.text().count(k.key) == 1
                # the key's own name (its "not available" message, docs/counter-keyboard.md) is the button's
                assert button.text() == f"{counter.app.ctx.pick(k.zh, k.en)}  {k.key}", (language, k.name)
        menu = [counter.window.menu.item(r).text() for r in range(counter.window.menu.count())]
        assert any(t.endswith("  Ctrl+L") for t in menu), menu
        for k in KEYS:
            if not k.button and k.screen in counter.window.screens and counter.window.keys.allowed(k):
                assert f"{counter.app.ctx.pick(k.zh, k.en)}  {k.key}" in menu, (language, k.name, menu)
    counter.window.show_screen("queue")
    counter.qtbot.wait_until(lambda: not counter.app.ctx.ops.busy, timeout=10_000)
    call = counter.screen("queue").call_btn
    assert call.text() == "叫下一位  F2"
    done = counter.screen("queue").done_btn
    assert call.height() > done.height() and call.font().pointSize() > done.font().pointSize()


def test_the_queue_table_fills_its_width_with_wait_times_and_the_priority_flag(counter: Counter) -> None:
    outlet = counter.desk.settings.outlet
    plain = kiosk_ticket(counter.ledger, outlet, "withdrawal")
    urgent = kiosk_ticket(counter.ledger, outlet, "loan", priority=True)
    counter.sign_in("clerk-01")
    queue = counter.screen("queue")
    counter.qtbot.wait_until(lambda: queue.table.rowCount() == 2, timeout=10_000)
    t = queue.table
    assert [t.item(r, 0).text() for r in range(2)] == [urgent, plain]
    flag = t.item(0, 2)
    assert flag.text() == "★ 优先" and flag.background().color() == QColor(TONES["warn"][1])
    assert t.item(1, 2).text() == ""
    assert t.horizontalHeaderItem(4).text() == "已等待" and t.item(0, 4).text().endswith("分钟")
    assert "最长已等" in queue.stale.text()
    header = t.horizontalHeader()
    assert sum(header.sectionSize(c) for c in range(t.columnCount())) >= t.viewport().width() - 2


def test_statuses_have_one_name_and_a_colour_on_the_work_list(counter: Counter) -> None:
    member = counter.ledger.member(retired=False, nth=13)
    counter.sign_in("clerk-01")
    routed = start_case(counter, member.id_number, "card_signing")
    routed_id = routed.intake.case_id
    row = next(r for r in range(routed.table.rowCount())
               if routed.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == "bank_card")
    routed.table.item(row, 1).setCheckState(Qt.CheckState.Checked)
    counter.click(routed.decide_btn)
    assert routed.outcome.tone == "pending"
    notice = start_case(counter, member.id_number, "withdraw_illness")
    notice_id = notice.intake.case_id
    counter.click(notice.decide_btn)
    assert notice.outcome.tone == "warn" and notice.outcome.icon.text() == "!"
    worklist = counter.screen("worklist")
    counter.window.show_screen("worklist")
    counter.qtbot.wait_until(lambda: worklist.select(routed_id) and worklist.select(notice_id), timeout=10_000)
    cells = {worklist.table.item(r, 0).text(): worklist.table.item(r, 3) for r in range(worklist.table.rowCount())}
    assert cells[routed_id].text() == "已受理（待主管审批）" and cells[routed_id].data(256) == "pending"
    assert cells[notice_id].text() == "待补正材料" and cells[notice_id].data(256) == "warn"
    counter.app.ctx.languages.set_language("en")
    cells = {worklist.table.item(r, 0).text(): worklist.table.item(r, 3) for r in range(worklist.table.rowCount())}
    assert cells[notice_id].text() == "Materials needed"


def test_the_supervisor_sees_the_scans_beside_the_key_facts(counter: Counter) -> None:
    member = counter.ledger.member(retired=False, nth=14)
    counter.sign_in("clerk-01")
    screen = start_case(counter, member.id_number, "card_signing")
    case_id = screen.intake.case_id
    scan = counter.app.ctx.services.case_files / case_id / "bank_card.jpg"
    scan.parent.mkdir(parents=True, exist_ok=True)
    page = QImage(1000, 640, QImage.Format.Format_RGB32)
    page.fill(QColor("#d0e4f7"))
    assert page.save(str(scan))
    counter.app.ctx.services.cases.capture(screen.intake, "bank_card", str(scan))  # as the document camera does
    counter.click(screen.decide_btn)
    assert screen.result.kind == "routed"
    counter.sign_out()
    counter.sign_in("supervisor-01")
    counter.app.window.open_review(case_id)
    review = counter.screen("review")
    counter.qtbot.wait_until(lambda: review.case is not None, timeout=10_000)
    assert [m for m, _p in review.scans] == ["bank_card"]
    [thumb] = review.thumb_buttons
    bank_card = counter.desk.catalogue.materials["bank_card"].name
    assert thumb.readable and thumb.isVisible() and thumb.text() == bank_card
    facts = {review.facts_form.itemAt(r, QFormLayout.ItemRole.LabelRole).widget().text():
             review.facts_form.itemAt(r, QFormLayout.ItemRole.FieldRole).widget().text()
             for r in range(review.facts_form.rowCount())}
    masked = "*" * (len(member.name) - 1) + member.name[-1]
    assert facts["姓名"] == masked and member.id_number not in " ".join(facts.values())
    assert facts["账户余额"].startswith("¥") and "证件号码" in facts
    assert thumb.mapTo(review, QPoint(0, 0)).x() > review.facts_box.mapTo(review, QPoint(0, 0)).x()  # side by side
    QTest.mouseClick(thumb, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    assert review.zoom is not None and review.zoom.isVisible() and review.zoom.path == scan
    assert review.zoom.image.pixmap().width() > thumb.iconSize().width()
    QTest.keyClick(review.zoom, Qt.Key.Key_Escape)
    assert not review.zoom.isVisible()
    assert "高拍仪拍摄材料" in review.history.text() and bank_card in review.history.text()
    assert review.status_chip.tone == "pending"
