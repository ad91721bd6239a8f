"""CJK cells, GB18030 encoding and the receipt layout (no printer, no font)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardware.printer import cjk
from hardware.printer.receipt import Align, Columns, QrCode, Separator, Style, Text, layout


def test_cells_count_cjk_double_and_ascii_single() -> None:
    assert cjk.cells("ABC") == 3
    assert cjk.cells("公积金") == 6
    assert cjk.cells("提取 Amount：") == 4 + 1 + 6 + 2


def test_wide_characters_by_east_asian_width_take_two_cells() -> None:
    for ch in "中，。：￥、":
        assert unicodedata.east_asian_width(ch) in ("W", "F")
        assert cjk.char_cells(cjk.printable(ch)) == cjk.east_asian_cells(ch) == 2


def test_printable_swaps_characters_a_gbk_font_lacks() -> None:
    assert cjk.printable("¥12") == "￥12"  # U+00A5 is a four-byte GB18030 sequence
    assert cjk.printable("a\u0301") == "a"  # combining marks take no cell
    assert cjk.printable("😀") == "?"
    assert cjk.printable("x\x1by") == "xy"  # no control byte can reach the printer from text


def test_encode_is_two_byte_gb18030_for_cjk_and_one_byte_ascii() -> None:
    assert cjk.encode("A中￥") == b"A" + "中".encode("gb18030") + b"\xa3\xa4"
    assert cjk.encode("¥") == b"\xa3\xa4"


@settings(deadline=None)  # timing belongs to bench/, not to a loaded test machine
@given(st.text(max_size=200))
def test_every_printable_character_is_one_or_two_bytes_and_cells(text: str) -> None:
    out = cjk.printable(text)
    for ch in out:
        assert len(ch.encode("gb18030")) == cjk.char_cells(ch)


@settings(deadline=None)  # timing belongs to bench/, not to a loaded test machine
@given(st.text(max_size=300), st.integers(min_value=2, max_value=64))
def test_fit_never_overflows_and_keeps_every_non_space_character(text: str, width: int) -> None:
    text = cjk.printable(text)
    lines = cjk.fit(text, width)
    assert all(cjk.cells(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_fit_keeps_latin_words_whole() -> None:
    assert cjk.fit("住房公积金 provident fund", 14) == ["住房公积金", "provident fund"]


def test_two_columns_with_cjk_fill_the_line_exactly() -> None:
    (line,) = layout(Columns(("提取金额 Amount", "￥12,345.67")), 48)
    assert cjk.cells(line.text) == 48
    assert line.text.startswith("提取金额 Amount ")
    assert line.text.endswith(" ￥12,345.67")


def test_three_columns_align_whatever_the_script() -> None:
    table = (("项目", "数量", "金额"), ("Withdrawal", "1", "1,200.00"), ("证明", "12", "0.00"))
    rows = [layout(Columns(cells, widths=(3, 2, 2)), 48)[0].text for cells in table]
    # the right column ends at the last cell in every row, the middle one at the same cell
    assert {cjk.cells(r) for r in rows} == {48}
    middle_ends = {cjk.cells(r[: r.index(cells[1]) + len(cells[1])]) for r, cells in zip(rows, table, strict=True)}
    assert middle_ends == {33}


def test_long_column_wraps_inside_its_column() -> None:
    lines = layout(Columns(("地址 Address", "山西省太原市小店区长风街一百二十号某某小区")), 32)
    assert len(lines) > 1
    assert all(cjk.cells(line.text) <= 32 for line in lines)
    assert lines[1].text.startswith(" " * 15)  # continuation stays in the right-hand column


def test_double_width_halves_the_columns() -> None:
    lines = layout(Text("公" * 30, style=Style(double_width=True)), 48)
    assert [cjk.cells(line.text) for line in lines] == [24, 24, 12]


def test_separator_spans_the_line_in_any_character() -> None:
    assert layout(Separator("="), 48)[0].text == "=" * 48
    assert layout(Separator("—"), 48)[0].text == "—" * 24


def test_bad_elements_are_refused_with_a_reason() -> None:
    with pytest.raises(ValueError, match="two or three"):
        Columns(("only one",))
    with pytest.raises(ValueError, match="error level M"):
        QrCode("x" * 3000)
    assert Text("x").align is Align.LEFT
