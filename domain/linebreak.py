"""避头尾: where a line of Chinese text may not break (line-start and line-end prohibitions).

The rule of GB/T 15834-2011 (标点符号用法, 附录 on 标点符号的位置) and JIS X 4051 (行頭禁則 and
行末禁則, the same classes): closing brackets and quotes, commas, stops, 顿号, colons,
semicolons, question and exclamation marks, the ellipsis and the middle dot never begin a line;
opening brackets and quotes never end one. A fixed-width medium (a receipt printer, a label)
cannot squeeze a line, so the layout pushes characters to the next line instead (追い出し,
"push-out"): `allowed_break` finds the nearest break point at or before the wanted one that
breaks no rule.
"""

from __future__ import annotations

# Never at the start of a line: closers, pauses and stops (full-width and ASCII forms).
NO_LINE_START = frozenset(
    "，。、；：？！）］｝】」』》〉〕〗〙〛”’…‥·・～％‰℃"
    "ー々〻ゝゞヽヾ"  # iteration and prolonged-sound marks (JIS X 4051 class 10 and 11)
    ",.;:?!)]}%"
)
# Never at the end of a line: openers.
NO_LINE_END = frozenset("（［｛【「『《〈〔〖〘〚“‘￥＄(#[{$")


def breaks_rule(before: str, after: str) -> bool:
    """True when ending a line with `before` and starting the next with `after` breaks 避头尾."""
    head, tail = before.rstrip(" "), after.lstrip(" ")
    return bool(head and head[-1] in NO_LINE_END) or bool(tail and tail[0] in NO_LINE_START)


def allowed_break(text: str, at: int, *, limit: int = 4) -> int:
    """The break index nearest `at` (at or before it, by at most `limit` characters) that keeps 避头尾.

    `text[:result]` ends the line and `text[result:]` starts the next. When no index within reach
    is allowed (a long run of punctuation), `at` itself is returned: a line must break somewhere.
    """
    for k in range(at, max(at - limit, 0), -1):
        if not breaks_rule(text[:k], text[k:]):
            return k
    return at


def violations(lines: list[str]) -> list[int]:
    """Indexes of the lines that start with a forbidden character or whose predecessor ends with one."""
    bad = []
    for i in range(1, len(lines)):
        if breaks_rule(lines[i - 1], lines[i]):
            bad.append(i)
    return bad
