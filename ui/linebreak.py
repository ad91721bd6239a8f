"""Chinese line breaking where a person would break: never inside a word, never one character alone.

Qt (UAX #14) may break a line between any two Han characters, so a narrow tile shows
解除劳动关系提/取 or 偿还商业住房贷/款提取. `keep_words(text)` glues the characters of every
word in `WORDS` (and the last two characters of a paragraph) with U+2060 WORD JOINER, which
Qt's line breaker honours and the font never draws; `bad_breaks(lines)` finds the breaks a
person would not make, for the layout checker (ui.layoutcheck).

`WORDS` is the vocabulary of the screens (business names, devices, documents), longest first.
A word missing here can still break in the middle: add it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

WORD_JOINER = "\u2060"
GLUED_SPACE = "\u00a0" + WORD_JOINER  # a no-break space that `unglue` turns back into a plain one

WORDS: tuple[str, ...] = tuple(sorted({
    # businesses and their parts
    "住房公积金", "公积金", "提取", "贷款", "住房", "商品", "二手", "公有", "商业", "偿还", "冲还", "签约",
    "解除", "劳动关系", "劳动", "关系", "退休", "租赁", "物业", "管理费", "管理", "购买", "网签", "合同",
    "产权证", "产权", "转移接续", "转移", "接续", "异地", "联名卡", "额度", "试算", "计算器", "预审",
    "缴存", "证明", "明细", "记录", "余额", "账户", "业务", "办理", "申请", "审核", "复核", "查询",
    "取号", "排队", "网点", "服务", "柜台", "窗口", "大厅", "中心", "自助", "终端", "凭条", "身份证",
    "二维码", "密码", "银行", "打印机", "打印", "读卡器", "扫码", "维护", "设备", "网络", "离线", "在线",
    "满意", "不满意", "基本满意", "非常", "长辈", "模式", "首页", "返回", "结束", "确认", "提交", "取消",
    "上一页", "下一页", "一次性", "告知书", "材料", "工作日", "人工", "热线", "技术员", "单位", "个人",
    "还款", "利率", "期限", "月供", "年限", "金额", "本息", "本金", "等额", "合计",
}, key=lambda w: (-len(w), w)))

_WORD_RE = re.compile("|".join(re.escape(w) for w in WORDS))
# Han characters and the closing marks a paragraph may end with. Compared as characters: a regular
# expression class over the Han ranges costs ~2.5 ms to compile in every process (before the first frame).
_CLOSERS = frozenset("）)。，、！？：；」』”")


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u4dbf" or "\u4e00" <= ch <= "\u9fff"


def _closers_start(text: str) -> int:
    """Where the closing marks at the end of `text` begin (len(text) if there are none)."""
    i = len(text)
    while i > 0 and text[i - 1] in _CLOSERS:
        i -= 1
    return i


def _glue(word: str) -> str:
    return WORD_JOINER.join(word)


def keep_words(text: str) -> str:
    """`text` with no break allowed inside a known word or before a paragraph's last character."""
    if not text or not any(_is_han(ch) for ch in text):
        return text
    out = []
    for paragraph in unglue(text).split("\n"):
        glued = _WORD_RE.sub(lambda m: _glue(m.group(0)), paragraph)
        # no orphan: the last Han character (before any closing marks) stays with the one before it
        last = _closers_start(glued) - 1
        if last > 0 and _is_han(glued[last]) and glued[last - 1] != WORD_JOINER and _is_han(glued[last - 1]):
            glued = glued[:last] + WORD_JOINER + glued[last:]
        # nor after a number and a space ("约 2 秒。" must not leave 秒 alone): the space becomes GLUED_SPACE
        last = _closers_start(glued) - 1
        if last >= 2 and _is_han(glued[last]) and glued[last - 1] == " " and not glued[last - 2].isspace():
            glued = glued[:last - 1] + GLUED_SPACE + glued[last:]
        out.append(glued)
    return "\n".join(out)


def unglue(text: str) -> str:
    """`text` as it was before `keep_words`."""
    return text.replace(GLUED_SPACE, " ").replace(WORD_JOINER, "")


def bad_breaks(paragraphs: Sequence[Sequence[str]]) -> list[str]:
    """The breaks a person would not make, as "before/after", in lines laid out per paragraph."""
    found: list[str] = []
    for lines in paragraphs:
        lines = [line.replace(WORD_JOINER, "") for line in lines]
        for before, after in zip(lines, lines[1:], strict=False):
            a, b = before.rstrip(), after.lstrip()
            if not a or not b:
                continue
            joined = a + b
            cut = len(a)
            for m in _WORD_RE.finditer(joined):
                if m.start() < cut < m.end():
                    found.append(f"{a}/{b} splits {m.group(0)}")
                    break
        if len(lines) > 1:
            last = re.sub(r"[\s）)。，、！？：；」』”]", "", lines[-1])
            if len(last) == 1 and _is_han(last):
                found.append(f"{lines[-2].strip()}/{lines[-1].strip()} leaves one character alone")
    return found
