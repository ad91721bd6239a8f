"""避头尾 (domain.linebreak) and its use in the receipt layout (hardware.printer.cjk.fit)."""

from __future__ import annotations

from hypothesis import example, given, settings
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
@example("（公， ，", 8)  # no layout keeps the rule: the last "，" cannot come back past the space
@example("公公公公公公公公公公（aa，", 8)  # a Latin word moved whole: the opener before it moves too
@example("（（（（  ", 8)  # the spaces after the last break leave no empty last line
@example(" 公，  ，公", 8)
@example("公公公公  a）） ）公", 8)  # two spaces on a break: neither starts the next line
@given(st.lists(_CJK, max_size=120).map("".join), st.integers(min_value=8, max_value=48))
def test_no_line_breaks_the_rule_unless_punctuation_leaves_no_choice(text: str, width: int) -> None:
    lines = cjk.fit(text, width)
    assert all(cjk.cells(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for i in linebreak.violations(lines):
        assert _no_choice(text, lines, i, width), (lines, i)


def _nth_printed(text: str, n: int) -> int:
    """Index in `text` of its n-th character that is not a space (0-based)."""
    return [j for j, c in enumerate(text) if c != " "][n]


def _no_choice(text: str, lines: list[str], i: int, width: int) -> bool:
    """Line i may break 避头尾 only if every break within the push-out reach (4 characters back from the first
    one line i-1 could not hold, not before line i-1's start) breaks it too, carries over more than a line
    holds or splits a Latin word: a long run of punctuation, or a few of them between an opener and a closer
    that no longer fit with the space between them (e.g. "（公， ，" in 8 cells)."""
    # where line i-1 began: the text's start (its leading spaces count), else after the spaces of the break
    start = _nth_printed(text, len("".join(lines[:i - 1]).replace(" ", ""))) if i > 1 else 0
    at, used = start, 0
    while at < len(text) and used + cjk.char_cells(text[at]) <= width:
        used += cjk.char_cells(text[at])
        at += 1
    return at == len(text) or all(
        linebreak.breaks_rule(text[start:k], text[k:]) or cjk.cells(text[k:at + 1]) > width
        or _inside_a_word(text, k) for k in range(at, max(at - 4, start), -1))


def _inside_a_word(text: str, k: int) -> bool:
    """A break between two letters of a Latin word: not a choice (words stay whole when they fit a line)."""
    return all(c.isascii() and c.isalnum() for c in text[k - 1:k + 1])
