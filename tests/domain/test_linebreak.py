"""避头尾 (domain.linebreak) and its use in the receipt layout (hardware.printer.cjk.fit)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from domain import linebreak
from hardware.printer import cjk


def test_closers_never_start_and_openers_never_end_a_line() -> None:
    assert linebreak.breaks_rule("申请", "，中心") and linebreak.breaks_rule("账户", "）已")
    assert linebreak.breaks_rule("金额（", "大写") and linebreak.breaks_rule("见「", "说明」")
    assert not linebreak.breaks_rule("申请，", "中心")
    assert linebreak.allowed_break("提取申请，中心", 4) == 3  # "提取申" | "请，中心"


def test_a_comma_that_would_start_a_line_takes_the_character_before_it_along() -> None:
    # 8 cells = 4 CJK characters: plain greedy wrapping would start line 2 with "，"
    lines = cjk.fit("申请已存，中心将核验（以短信为准）。", 8)
    assert lines == ["申请已", "存，中心", "将核验", "（以短信", "为准）。"]
    assert linebreak.violations(lines) == []


def test_an_opening_bracket_moves_to_the_next_line() -> None:
    lines = cjk.fit("金额大写（壹万元整）", 10)
    assert not lines[0].endswith("（") and linebreak.violations(lines) == []


def test_latin_words_stay_whole_with_their_punctuation() -> None:
    lines = cjk.fit("Paid to the card on file, please wait.", 14)
    assert all(cjk.cells(line) <= 14 for line in lines) and linebreak.violations(lines) == []
    assert "".join(lines).replace(" ", "") == "Paidtothecardonfile,pleasewait."


_CJK = st.sampled_from(list("公积金提取申请中心账户余额") + list("，。、）」（「") + [" ", "a", "b"])


@settings(deadline=None)  # timing belongs to bench/, not to a loaded test machine
@given(st.lists(_CJK, max_size=120).map("".join), st.integers(min_value=8, max_value=48))
def test_no_line_breaks_the_rule_unless_punctuation_leaves_no_choice(text: str, width: int) -> None:
    lines = cjk.fit(text, width)
    assert all(cjk.cells(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for i in linebreak.violations(lines):  # only a run of punctuation longer than the push-out reach
        joined = lines[i - 1][-5:] + lines[i][:1]
        assert sum(c in linebreak.NO_LINE_START | linebreak.NO_LINE_END for c in joined) >= 4, (lines, i)
