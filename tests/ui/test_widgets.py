from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from ui.widgets import Keypad, Tile


def test_keypad_edits_its_own_buffer(qtbot: QtBot) -> None:
    pad = Keypad(max_len=6)
    qtbot.add_widget(pad)
    for key in "1234567":
        pad.press(key)
    assert pad.text == "123456"
    pad.press("⌫")
    assert pad.text == "12345"
    with qtbot.wait_signal(pad.submitted) as sent:
        pad.ok_button.click()
    assert sent.args == ["12345"]
    pad.clear()
    assert pad.text == ""


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(list("0123456789X⌫")), max_size=40))
def test_keypad_never_exceeds_its_length(qapp: object, keys: list[str]) -> None:
    pad = Keypad(max_len=18, extra_key="X")
    for k in keys:
        pad.press(k)
    assert len(pad.text) <= 18
    assert "⌫" not in pad.text


def test_a_disabled_tile_says_why(qtbot: QtBot) -> None:
    tile = Tile("print")
    qtbot.add_widget(tile)
    tile.set_texts("打印证明")
    tile.set_available(False, "暂未开通")
    assert not tile.isEnabled()
    assert tile.text() == "打印证明\n暂未开通"
    tile.set_available(True)
    assert tile.isEnabled() and tile.text() == "打印证明"


def test_the_style_sheet_comes_from_the_theme_figures() -> None:
    from ui.theme import ELDERLY, NORMAL, stylesheet
    sheet = stylesheet(ELDERLY)
    assert f"font-size: {ELDERLY.key_pt}pt" in sheet and f"min-height: {ELDERLY.target_px}px" in sheet
    assert f"font-size: {NORMAL.body_pt}pt" in stylesheet(NORMAL)
