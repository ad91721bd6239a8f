"""English for data labels: provinces, cities, centres, service halls, banks and device/connection statuses.

The data (resources/i18n/labels.toml) says what is not plain pinyin: official English names
(Shaanxi, Inner Mongolia, Hohhot), heteronyms pypinyin reads wrongly (长治 Changzhi), the banks'
own names, and the words for status codes. Other places are romanised with pypinyin (the library
Chinese software uses): 晋中市 → Jinzhong, 忻州市 → Xinzhou. Screens ask here; nothing is
translated in a screen.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

# Administrative suffixes, longest first, with the English word that replaces them ("" = dropped).
_SUFFIXES = (("特别行政区", ""), ("自治区", ""), ("自治州", " Autonomous Prefecture"), ("自治县", " Autonomous County"),
             ("自治旗", " Autonomous Banner"),
             ("地区", " Prefecture"), ("林区", " Forestry District"), ("新区", " New Area"), ("省", ""), ("市", ""),
             ("盟", " League"), ("区", " District"), ("县", " County"), ("旗", " Banner"))
# An autonomous prefecture's place name stops where the peoples' names begin (延边朝鲜族自治州 → 延边).
_PEOPLES = ("朝鲜族", "土家族", "苗族", "藏族", "羌族", "彝族", "布依族", "侗族", "哈尼族", "傣族", "白族", "景颇族",
            "傈僳族", "回族", "蒙古族", "蒙古", "哈萨克", "柯尔克孜", "壮族", "瑶族", "黎族", "土族", "撒拉族")


@cache
def _table() -> dict[str, Any]:
    text = resources.files("resources.i18n").joinpath("labels.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _pinyin(stem: str) -> str:
    from pypinyin import lazy_pinyin  # imported when a place is not in the table

    syllables = lazy_pinyin(stem, v_to_u=True)
    out = ""
    for i, s in enumerate(syllables):
        out += ("'" if i and s[:1] in ("a", "o", "e") else "") + s
    return out[:1].upper() + out[1:]


def english_place(name: str) -> str:
    """The English name of a province, city or county given in Chinese (晋中市 → Jinzhong)."""
    name = name.strip()
    places: dict[str, str] = _table().get("places", {})
    if name in places:
        return places[name]
    if not name or name.isascii():
        return name
    stem, word = name, ""
    for suffix, english in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem, word = name[: -len(suffix)], english
            break
    cut = min((i for p in _PEOPLES if (i := stem.find(p)) > 0), default=len(stem))
    stem = stem[:cut]
    if stem in places:
        return places[stem] + word
    return _pinyin(stem) + word


def centre_name_en(region: str) -> str:
    """The transfer-out centre of a region, in English (晋中市 → Jinzhong Housing Provident Fund Management Centre)."""
    return f"{english_place(region)} Housing Provident Fund Management Centre"


def _has_han(text: str) -> bool:
    """A Han character in `text` (CJK ext. A, unified, compatibility ideographs). Compared, not a regular
    expression: a class over these ranges costs ~2.5 ms to compile, in every process that imports this."""
    return any("\u3400" <= ch <= "\u4dbf" or "\u4e00" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


def english_hall(name: str) -> str:
    """A service hall's English name (总部服务大厅 → Head Office Service Hall, 迎泽分中心服务大厅 →
    Yingze Branch Service Hall, 清徐县管理部服务大厅 → Qingxu County Service Hall).

    The name's last words come from [hall_words], what is left is a part from [halls] or a place
    (english_place: official English or pinyin); a whole name in [halls] wins. A name that is only such
    words is those words in English (大厅 → Hall, never its pinyin), and what follows the last Chinese
    character (a number, a code) stays as it is (大厅-0001 → Hall-0001, 迎泽大厅 2 → Yingze Hall 2)."""
    name = name.strip()
    halls: dict[str, str] = _table().get("halls", {})
    if name in halls:
        return halls[name]
    if not _has_han(name):
        return name
    end = max(i for i, ch in enumerate(name) if _has_han(ch)) + 1
    if end < len(name):  # a number or code after the Chinese words: kept, not romanised
        return english_hall(name[:end]) + name[end:]
    words: dict[str, str] = _table().get("hall_words", {})
    rest, tail = name, list[str]()
    while True:  # a word is the whole rest only when it says something (a lone 管理部 stays a name)
        word = next((w for w in sorted(words, key=len, reverse=True)
                     if rest.endswith(w) and (len(rest) > len(w) or words[w] or tail)), None)
        if word is None:
            break
        rest = rest[: -len(word)]
        if words[word]:
            tail.insert(0, words[word])
    if not rest:  # only generic words (大厅, 服务大厅): no place to name
        return " ".join(tail)
    if rest in halls:
        place = halls[rest]
    elif rest.endswith("市") and len(rest) > 1 and rest not in _table().get("places", {}):
        # a county-level city keeps its word (古交市管理部服务大厅 → Gujiao City Service Hall)
        place = english_place(rest) + " City"
    else:
        place = english_place(rest)
    return " ".join([place, *tail])


# Shorter forms of an English centre name for a line too narrow for it, applied one after the other.
_SHORTER = ((" Management Centre", " Centre"), ("Housing Provident Fund", "HPF"))


def shorter_names(name: str) -> list[str]:
    """An English centre name and its shorter forms, longest first: "Taiyuan Housing Provident Fund
    Management Centre", "Taiyuan Housing Provident Fund Centre", "Taiyuan HPF Centre". A screen shows
    the longest that fits on one line."""
    names = [name]
    for long, short in _SHORTER:
        if long in names[-1]:
            names.append(names[-1].replace(long, short))
    return names


def english_bank(name: str) -> str:
    """A bank's own English name; an unknown bank keeps its Chinese name (a proper name)."""
    banks: dict[str, str] = _table().get("banks", {})
    return banks.get(name.strip(), name)


def counted(n: int, singular: str, plural: str = "") -> str:
    """"1 home", "2 homes": English counts without "(s)"."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def status_label(kind: str, value: str) -> tuple[str, str]:
    """(zh, en) of a status code: kind is availability, paper, cover, card or health."""
    pairs: dict[str, list[str]] = _table().get("status", {}).get(kind, {})
    pair = pairs.get(value)
    return (pair[0], pair[1]) if pair else (value, value.replace("_", " "))


def device_status_text(status: dict[str, str], chinese: bool) -> str:
    """A device status (hardware.model.DeviceStatus.as_dict()) in words: "正常 · 纸张正常" / "Working · Paper OK".

    Parts a device does not have (not_supported) and an empty detail are left out."""
    parts = []
    for kind in ("availability", "paper", "cover", "card"):
        value = status.get(kind, "")
        if value and value != "not_supported":
            zh, en = status_label(kind, value)
            parts.append(zh if chinese else en)
    return " · ".join(parts)
