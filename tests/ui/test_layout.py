"""The layout pieces: word-aware Chinese line breaks, paging, flowing rows, and the layout
checker itself (each check must catch the fault it is for)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ui.layoutcheck import check_window
from ui.layouts import FlowLayout, ResponsiveGrid
from ui.linebreak import WORD_JOINER, bad_breaks, keep_words
from ui.paging import PagedTable
from ui.theme import ELDERLY, app_font, stylesheet
from ui.widgets import Tile, button, label


@pytest.fixture(autouse=True)
def _delete_widgets(qapp: QApplication) -> Iterator[None]:
    """Delete (not only close) what each test made: a later window's style sheet re-polishes every
    living widget."""
    before = set(qapp.topLevelWidgets())
    yield
    for w in set(qapp.topLevelWidgets()) - before:
        w.deleteLater()
    qapp.processEvents()


def elderly(widget: QWidget) -> QWidget:
    """`widget` in the elderly theme (its own style sheet: the application's stays untouched)."""
    widget.setStyleSheet(stylesheet(ELDERLY))
    widget.setFont(app_font(ELDERLY))
    return widget


def test_keep_words_glues_words_and_the_last_character() -> None:
    glued = keep_words("偿还商业住房贷款提取")
    assert glued.replace(WORD_JOINER, "") == "偿还商业住房贷款提取"
    assert f"贷{WORD_JOINER}款" in glued and f"提{WORD_JOINER}取" in glued
    assert "房贷" in glued  # between two words a break stays allowed
    assert keep_words("Withdrawal on retirement") == "Withdrawal on retirement"


def test_bad_breaks_are_those_a_person_would_not_make() -> None:
    assert bad_breaks([["解除劳动关系提", "取"]]) != []       # splits 提取, one character alone
    assert bad_breaks([["偿还商业住房贷", "款提取"]]) != []    # splits 贷款
    assert bad_breaks([["本机未配置打印", "机"]]) != []
    assert bad_breaks([["解除劳动关系", "提取"], ["本机未配置", "打印机"]]) == []


@pytest.mark.parametrize("text", ["解除劳动关系提取", "偿还商业住房贷款提取", "购买商品住房提取（网签合同）"])
def test_a_narrow_tile_breaks_between_words(qtbot: QtBot, text: str) -> None:
    top = elderly(QWidget())
    qtbot.add_widget(top)
    lay = QVBoxLayout(top)
    tile = Tile("t")
    tile.set_texts(text)
    lay.addWidget(tile)
    top.resize(300, 400)  # as narrow as a tile of five in elderly mode
    top.show()
    qtbot.wait_exposed(top)
    assert tile.text() == text  # the joiners are invisible to callers
    problems = [p for p in check_window(top, elderly=True, english=False) if p.kind == "bad-break"]
    assert problems == []


def test_a_label_breaking_inside_a_word_is_reported(qtbot: QtBot) -> None:
    top = elderly(QWidget())
    qtbot.add_widget(top)
    lay = QVBoxLayout(top)
    plain = QLabel("解除劳动关系提取")  # a bare QLabel: no word joiners
    plain.setWordWrap(True)
    lay.addWidget(plain)
    top.resize(20 + 7 * 27 + 14, 300)  # seven 20 pt characters a line: 解除劳动关系提 / 取
    top.show()
    qtbot.wait_exposed(top)
    kinds = {p.kind for p in check_window(top, elderly=True, english=False)}
    assert "bad-break" in kinds


def test_the_checker_catches_each_fault(qtbot: QtBot) -> None:
    top = elderly(QWidget())
    qtbot.add_widget(top)
    outer = QVBoxLayout(top)
    small = button("OK", "secondary")
    small.setObjectName("small")
    small.setStyleSheet("font-size: 12pt; min-height: 20px; min-width: 20px; max-height: 30px; max-width: 40px;")
    outer.addWidget(small)
    clipped = QLabel("A label that cannot possibly fit")
    clipped.setObjectName("clipped")
    clipped.setMaximumWidth(80)
    outer.addWidget(clipped)
    pale = QLabel("pale")
    pale.setObjectName("pale")
    pale.setStyleSheet("color: #bbbbbb; background: #ffffff;")
    outer.addWidget(pale)
    chinese = label("Welcome 欢迎 张晓明")
    chinese.setObjectName("chinese")
    outer.addWidget(chinese)
    area = QScrollArea()
    area.setObjectName("long")
    area.setWidgetResizable(True)
    inner = QWidget()
    inner.setMinimumHeight(2000)
    below = button("Submit", "primary")
    below.setObjectName("below")
    QVBoxLayout(inner).addWidget(below)
    inner.layout().setContentsMargins(0, 1900, 0, 0)
    area.setWidget(inner)
    outer.addWidget(area, 1)
    top.resize(600, 700)
    top.show()
    qtbot.wait_exposed(top)
    found = {(p.where.split(" ")[0], p.kind) for p in check_window(top, elderly=True, english=True,
                                                                    exempt=("张晓明",))}
    assert {("small", "button-font"), ("small", "button-size"), ("clipped", "clipped"), ("pale", "contrast"),
            ("chinese", "chinese"), ("long", "scrolls"), ("below", "hidden-action")} <= found
    assert not any("张晓明" in p.detail for p in check_window(top, elderly=True, english=True, exempt=("张晓明",)))


def test_a_paged_table_keeps_every_row_and_turns_pages(qtbot: QtBot) -> None:
    table = QTableWidget(0, 2)
    paged = elderly(PagedTable(table))
    qtbot.add_widget(paged)
    paged.resize(800, 500)
    paged.show()
    table.setRowCount(360)
    paged.refresh()
    qtbot.wait_until(lambda: paged.pager.pages > 1)
    qtbot.wait_until(lambda: table.verticalScrollBar().maximum() == 0)  # once the pager took its room
    pager = paged.pager
    assert table.rowCount() == 360
    shown = [r for r in range(360) if not table.isRowHidden(r)]
    assert shown and shown[0] == 0
    pager.next.click()
    second = [r for r in range(360) if not table.isRowHidden(r)]
    assert second[0] == shown[-1] + 1
    assert pager.previous.height() >= 60 and pager.next.font().pointSizeF() >= 30
    for _ in range(pager.pages):
        pager.next.click()
    assert not pager.next.isEnabled() and not table.isRowHidden(359)


def test_a_flow_row_wraps_instead_of_squeezing(qtbot: QtBot) -> None:
    host = elderly(QWidget())
    qtbot.add_widget(host)
    flow = FlowLayout(host)
    buttons = [button(t) for t in ("My deposits", "My withdrawals", "My loan", "Withdraw", "Print")]
    for b in buttons:
        flow.addWidget(b)
    host.resize(700, flow.heightForWidth(700))
    host.show()
    qtbot.wait_exposed(host)
    assert all(b.width() >= b.sizeHint().width() for b in buttons)
    assert len({b.y() for b in buttons}) > 1  # more than one row at 700 px


def test_a_responsive_grid_follows_the_window_orientation(qtbot: QtBot) -> None:
    tiles = [button(str(i)) for i in range(10)]
    grid = ResponsiveGrid(tiles, 5, 3)
    qtbot.add_widget(grid)
    grid.resize(1600, 800)
    grid.show()
    qtbot.wait_until(lambda: grid.columns == 5)
    grid.resize(800, 1600)
    qtbot.wait_until(lambda: grid.columns == 3)


def test_an_elided_table_cell_is_reported(qtbot: QtBot) -> None:
    top = elderly(QWidget())
    qtbot.add_widget(top)
    table = QTableWidget(1, 2)
    table.setObjectName("narrow-table")
    table.setItem(0, 0, QTableWidgetItem("¥28,824.48"))
    table.setColumnWidth(0, 40)
    QVBoxLayout(top).addWidget(table)
    top.resize(600, 300)
    top.show()
    qtbot.wait_exposed(top)
    assert any(p.kind == "clipped" and "cell 0,0" in p.detail for p in check_window(top, elderly=True, english=True))


def test_a_number_keeps_its_unit_and_the_label_gives_back_its_text(qtbot: QtBot) -> None:
    text = "请将身份证平放在阅读器上，保持不动约 2 秒。"
    assert "2 秒" not in keep_words(text) and keep_words("约 2 秒") != "约 2 秒"  # the space glued
    assert keep_words("Hold still for 2 s") == "Hold still for 2 s"  # English untouched
    top = elderly(QWidget())
    qtbot.add_widget(top)
    lab = label(text, "key")
    QVBoxLayout(top).addWidget(lab)
    top.resize(20 + 19 * 43, 400)  # a width where Qt alone left 秒 on a line of its own
    top.show()
    qtbot.wait_exposed(top)
    assert lab.text() == text
    assert [p for p in check_window(top, elderly=True, english=False) if p.kind == "bad-break"] == []


def test_a_responsive_grid_gives_every_column_the_same_width(qtbot: QtBot) -> None:
    buttons = [button(str(i)) for i in range(5)]
    grid = ResponsiveGrid(buttons, 5, 5, spacing=18)
    qtbot.add_widget(grid)
    grid.show()
    for width in (1001, 1002, 1003, 1004, 1005):
        grid.resize(width, 200)
        qtbot.wait_until(lambda: len({b.width() for b in buttons}) == 1, timeout=2000)


def test_the_keypad_puts_clear_and_ok_beside_the_digits_only_across_a_wide_screen(qtbot: QtBot) -> None:
    from ui.widgets import Keypad

    top = QWidget()
    qtbot.add_widget(top)
    pad = Keypad()
    QVBoxLayout(top).addWidget(pad)
    top.resize(1900, 1000)
    top.show()
    qtbot.wait_until(lambda: pad.ok_button.x() > pad.keys["3"].x())  # a fourth column
    assert pad.ok_button.y() < pad.keys["0"].y() + pad.keys["0"].height()
    top.resize(1000, 1900)
    qtbot.wait_until(lambda: pad.ok_button.y() > pad.keys["0"].y())  # a fifth row
    top.resize(1900, 1000)
    pad.setMaximumWidth(700)  # a keypad in a column of a landscape screen keeps five rows
    qtbot.wait_until(lambda: pad.width() <= 700)
    qtbot.wait_until(lambda: pad.ok_button.y() > pad.keys["0"].y())


def test_keep_words_glues_as_the_regular_expressions_it_replaced() -> None:
    """keep_words compares characters instead of compiling Han-range patterns (start-up time):
    the same result as the expressions it used, on random mixes of the characters that matter."""
    import random
    import re

    from ui.linebreak import _WORD_RE, GLUED_SPACE, WORDS, _glue, unglue

    han = "[\u3400-\u4dbf\u4e00-\u9fff]"
    closers = "[）)。，、！？：；」』”]"

    def reference(text: str) -> str:
        if not text or not re.search(han, text):
            return text
        out = []
        for paragraph in unglue(text).split("\n"):
            glued = _WORD_RE.sub(lambda m: _glue(m.group(0)), paragraph)
            m = re.search(f"({han})({closers}*)$", glued)
            if m and m.start() > 0 and glued[m.start() - 1] != WORD_JOINER and re.match(han, glued[m.start() - 1]):
                glued = glued[:m.start()] + WORD_JOINER + glued[m.start():]
            m = re.search(f"(?<=\\S) ({han}{closers}*)$", glued)
            if m:
                glued = glued[:m.start()] + GLUED_SPACE + glued[m.start() + 1:]
            out.append(glued)
        return "\n".join(out)

    pieces = [*WORDS[:20], "秒", "约", "提", "取", "㐀", "鿿", "a", "2", " ", "\n", "。", "）", ")", "”",
              "\u3000", "\t"]
    rng = random.Random(14)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        assert keep_words(text) == reference(text), repr(text)
