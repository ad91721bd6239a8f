"""The busy-clerk widgets on their own: status chips, the result panel, the active-case bar, tables
that fill their width, the translated audit log, thumbnails that zoom."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem
from pytestqt.qtbot import QtBot

from domain.case_status import Tone
from ui.audit_log import AuditLogTable
from ui.casebar import ActiveCaseBar, elapsed_text
from ui.status import ResultPanel, StatusChip, chip_item
from ui.tables import fill_width
from ui.theme import TONES, contrast_ratio
from ui.thumbnails import Thumbnail, ZoomDialog


def pick_zh(zh: str, en: str) -> str:
    return zh


def pick_en(zh: str, en: str) -> str:
    return en


def test_every_tone_has_readable_colours() -> None:
    assert set(TONES) == {t.value for t in Tone}
    for tone, (fg, bg, accent) in TONES.items():
        assert contrast_ratio(fg, bg) >= 4.5, tone
        assert contrast_ratio(accent, bg) >= 3.0, tone  # the frame is visible against its fill


def test_a_chip_and_a_chip_cell_carry_the_tone(qtbot: QtBot) -> None:
    chip = StatusChip("待补正材料", "warn")
    qtbot.add_widget(chip)
    assert chip.tone == "warn" and TONES["warn"][1] in chip.styleSheet()
    chip.set_status("已审批", "ok")
    assert chip.text() == "已审批" and TONES["ok"][1] in chip.styleSheet()
    cell = chip_item("不予批准", "danger")
    assert cell.background().color() == QColor(TONES["danger"][1])
    assert cell.foreground().color() == QColor(TONES["danger"][0]) and cell.font().bold()
    assert cell.data(256) == "danger"


def test_the_result_panel_shows_icon_headline_next_step_and_details(qtbot: QtBot) -> None:
    panel = ResultPanel()
    qtbot.add_widget(panel)
    assert panel.isHidden()  # nothing decided yet: no empty coloured box
    panel.show_result("ok", "秒批：准予提取 ¥33,075.20", "款项将转入本人联名卡", ["• 退休已由人社共享数据证明"])
    assert panel.isVisible() and panel.tone == "ok" and panel.icon.text() == "✔"
    assert TONES["ok"][1] in panel.styleSheet()
    assert panel.text() == "秒批：准予提取 ¥33,075.20\n款项将转入本人联名卡\n• 退休已由人社共享数据证明"
    panel.show_result("warn", "材料不全", "请补齐", [])
    assert panel.icon.text() == "!" and panel.details.isHidden()
    panel.clear()
    assert not panel.isVisible() and panel.text() == "" and panel.tone == ""


def test_the_active_case_bar_counts_from_the_call(qtbot: QtBot) -> None:
    now = [datetime(2026, 12, 6, 2, 0, tzinfo=UTC)]
    bar = ActiveCaseBar(clock=lambda: now[0])
    qtbot.add_widget(bar)
    bar.show()
    bar.set_captions("正在办理", "窗口空闲 · 按 F2 叫下一位", "已用时")
    assert bar.idle.isVisible() and not bar.ticket.isVisible() and bar.text() == "窗口空闲 · 按 F2 叫下一位"
    bar.show_case("A002", "**洋", "退休提取", now[0])
    now[0] += timedelta(minutes=3, seconds=7)
    bar._tick()
    assert bar.text() == "A002 · **洋 · 退休提取 · 已用时 03:07" and not bar.idle.isVisible()
    assert bar.timer.isActive()
    bar.show_case(None, "", "", None)
    assert not bar.timer.isActive() and bar.elapsed.text() == ""


def test_every_icon_is_in_the_ui_font(qtbot: QtBot) -> None:
    from PySide6.QtGui import QFont, QFontMetrics

    from ui.status import ICONS
    from ui.theme import FONT_FAMILY

    metrics = QFontMetrics(QFont(FONT_FAMILY))
    for tone, glyph in ICONS.items():
        assert all(metrics.inFontUcs4(ord(c)) for c in glyph), tone  # drawn, not a box


def test_elapsed_text() -> None:
    assert elapsed_text(0) == "00:00" and elapsed_text(59.9) == "00:59" and elapsed_text(3600 + 65) == "1:01:05"
    assert elapsed_text(-5) == "00:00"  # a clock set back does not show a negative wait


def test_a_filled_table_uses_its_whole_width(qtbot: QtBot) -> None:
    table = QTableWidget(2, 4)
    qtbot.add_widget(table)
    fill_width(table, stretch=(1,))
    for r in range(2):
        for c in range(4):
            table.setItem(r, c, QTableWidgetItem(f"cell {r}{c}"))
    table.resize(1200, 300)
    table.show()
    qtbot.wait_exposed(table)
    header = table.horizontalHeader()
    used = sum(header.sectionSize(c) for c in range(4))
    assert used >= table.viewport().width() - 2
    assert header.sectionResizeMode(1) is QHeaderView.ResizeMode.Stretch
    assert header.sectionSize(1) > max(header.sectionSize(c) for c in (0, 2, 3))


def test_the_audit_log_shows_words_not_codes(qtbot: QtBot) -> None:
    at = datetime(2026, 12, 6, 1, 30, tzinfo=UTC)
    rows = [SimpleNamespace(at=at, staff_id="clerk-01", action="case.open", outcome="ok", detail="withdraw_illness"),
            SimpleNamespace(at=at, staff_id="clerk-01", action="case.approve", outcome="denied", detail="")]
    log = AuditLogTable()
    qtbot.add_widget(log)
    log.show_entries(rows, pick_zh, detail=lambda e: "疾病提取" if e.detail else "")
    assert log.text().splitlines() == ["12-06 09:30  clerk-01  开始受理  成功  疾病提取",
                                       "12-06 09:30  clerk-01  审批通过  无权限"]
    assert log.item(1, 3).data(256) == "danger"
    log.show_entries(rows, pick_en)
    assert "Opened a case" in log.text() and "not permitted" in log.text()
    assert "case.open" not in log.text() and log.horizontalHeaderItem(2).text() == "Action"


def test_a_thumbnail_opens_the_page_large_and_esc_closes_it(qtbot: QtBot, tmp_path: Path) -> None:
    page = tmp_path / "retirement_certificate.png"
    image = QImage(1200, 1600, QImage.Format.Format_RGB32)
    image.fill(QColor("#ffffff"))
    assert image.save(str(page))
    thumb = Thumbnail(page, "退休证")
    qtbot.add_widget(thumb)
    thumb.show()
    assert thumb.readable and thumb.iconSize().height() == 280 and thumb.text() == "退休证"
    with qtbot.wait_signal(thumb.opened) as opened:
        QTest.mouseClick(thumb, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    assert opened.args == [str(page)]
    zoom = ZoomDialog(page, "退休证")
    qtbot.add_widget(zoom)
    zoom.show()
    pixmap = zoom.image.pixmap()
    assert pixmap.height() > 280 and zoom.windowTitle() == "退休证"
    QTest.keyClick(zoom, Qt.Key.Key_Escape)
    assert not zoom.isVisible()


def test_an_unreadable_scan_is_a_button_without_a_picture(qtbot: QtBot, tmp_path: Path) -> None:
    broken = tmp_path / "bank_card.jpg"
    broken.write_bytes(b"not a jpeg")
    thumb = Thumbnail(broken, "银行卡")
    qtbot.add_widget(thumb)
    assert not thumb.readable and thumb.icon().isNull() and thumb.text() == "银行卡"
