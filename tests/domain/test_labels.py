"""English data labels (domain.labels, resources/i18n/labels.toml): places, centres, banks, statuses."""

from __future__ import annotations

import pytest

from domain.labels import (
    centre_name_en,
    device_status_text,
    english_bank,
    english_hall,
    english_place,
    shorter_names,
    status_label,
)
from domain.regions import regions_in


@pytest.mark.parametrize(("zh", "en"), [
    ("山西省", "Shanxi"), ("陕西省", "Shaanxi"), ("内蒙古自治区", "Inner Mongolia"), ("西藏自治区", "Tibet"),
    ("太原市", "Taiyuan"), ("晋中市", "Jinzhong"), ("长治市", "Changzhi"), ("吕梁市", "Lüliang"),
    ("西安市", "Xi'an"), ("呼和浩特市", "Hohhot"), ("漯河市", "Luohe"),
    ("延边朝鲜族自治州", "Yanbian Autonomous Prefecture"),
    ("喀什地区", "Kashgar Prefecture"), ("小店区", "Xiaodian District"), ("清徐县", "Qingxu County"),
])
def test_places_read_in_their_english_form(zh: str, en: str) -> None:
    assert english_place(zh) == en


def test_every_prefecture_of_the_country_has_an_english_name_without_chinese() -> None:
    names = [n for code, n in regions_in("").items() if code.endswith("00")]
    assert len(names) > 300
    odd = [(n, english_place(n)) for n in names if not english_place(n).replace("ü", "u").isascii()]
    assert odd == []


def test_centres_and_banks() -> None:
    assert centre_name_en("晋中市") == "Jinzhong Housing Provident Fund Management Centre"
    assert english_bank("中国建设银行") == "China Construction Bank"
    assert english_bank("某某村镇银行") == "某某村镇银行"  # a proper name without an English form stays


def test_statuses_are_words_not_codes() -> None:
    printer = {"availability": "online", "paper": "ok", "cover": "not_supported", "card": "not_supported",
               "detail": ""}
    assert device_status_text(printer, chinese=False) == "Working · Paper OK"
    assert device_status_text(printer, chinese=True) == "正常 · 纸张正常"
    assert status_label("availability", "no_device") == ("未连接", "Not connected")
    for text in (device_status_text({"availability": "user_error", "paper": "out"}, chinese=False),):
        assert "_" not in text and "not_supported" not in text and text == "Needs attention · Out of paper"


def test_counts_read_without_s_in_brackets() -> None:
    from domain.labels import counted

    assert counted(1, "home") == "1 home" and counted(2, "home") == "2 homes" and counted(0, "item") == "0 items"
    assert counted(3, "person", "people") == "3 people"


@pytest.mark.parametrize(("zh", "en"), [
    ("总部服务大厅", "Head Office Service Hall"),
    ("迎泽分中心服务大厅", "Yingze Branch Service Hall"),
    ("清徐县管理部服务大厅", "Qingxu County Service Hall"),
    ("古交市管理部服务大厅", "Gujiao City Service Hall"),   # a county-level city keeps its word
    ("小店区服务大厅", "Xiaodian District Service Hall"),
    ("Hall 1", "Hall 1"),
    ("大厅-0001", "Hall-0001"),                          # a generic word is a word, not a place: never "Dating"
    ("大厅", "Hall"),
    ("服务大厅", "Service Hall"),
    ("管理部服务大厅", "Service Hall"),
    ("迎泽大厅-01", "Yingze Hall-01"),                   # the number after the name is kept as it is
    ("小店区服务大厅 2", "Xiaodian District Service Hall 2"),
])
def test_service_halls_read_in_english(zh: str, en: str) -> None:
    assert english_hall(zh) == en


@pytest.mark.parametrize(("zh", "en"), [
    ("迎泽", "Yingze"), ("迎泽区", "Yingze District"), ("清徐县", "Qingxu County"), ("小店区", "Xiaodian District"),
])
def test_real_place_names_are_still_romanised_beside_the_hall_words(zh: str, en: str) -> None:
    assert english_place(zh) == english_hall(zh) == en
    assert english_hall(zh + "大厅-0001") == f"{en} Hall-0001"


def test_every_demo_outlet_hall_has_the_english_the_outlet_list_gives_it() -> None:
    """The halls of the reference outlets (their name_en written by hand) come out the same, no Chinese left."""
    import re
    import tomllib
    from importlib import resources

    outlets = tomllib.loads((resources.files("resources.demo") / "outlets.toml").read_text(encoding="utf-8"))
    assert outlets["outlets"]
    for outlet in outlets["outlets"]:
        english = english_hall(outlet["name"])
        assert english.lower() == outlet["name_en"].lower(), outlet["name"]
        assert not re.search(r"[\u4e00-\u9fff]", english)


def test_a_centre_name_has_shorter_forms_for_a_narrow_line() -> None:
    assert shorter_names("Taiyuan Housing Provident Fund Management Centre") == [
        "Taiyuan Housing Provident Fund Management Centre", "Taiyuan Housing Provident Fund Centre",
        "Taiyuan HPF Centre"]
    assert shorter_names("Hall 1") == ["Hall 1"]
