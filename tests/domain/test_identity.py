"""GB 11643 ID numbers: checksum, 15-digit upgrade, dates, regions, permits, masking."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import masking
from domain.identity import (
    IdKind,
    InvalidIdNumber,
    Sex,
    check_character,
    is_valid_id_number,
    mask_id_number,
    parse_id_number,
)
from domain.regions import lookup_region, province_name, regions_in

TODAY = date(2026, 11, 27)


def _make(body17: str) -> str:
    return body17 + check_character(body17)


def test_brief_examples_verify() -> None:
    female = parse_id_number("11010519491231002X", TODAY)
    assert female.sex is Sex.FEMALE and female.birth_date == date(1949, 12, 31)
    assert female.region is not None and female.region.full_name == "北京市朝阳区"
    assert parse_id_number("440524188001010014", TODAY).birth_date == date(1880, 1, 1)
    local = parse_id_number("140105199003071234", TODAY)
    assert local.sex is Sex.MALE and local.kind is IdKind.RESIDENT
    assert local.region is not None
    assert (local.region.province, local.region.city, local.region.county) == ("山西省", "太原市", "小店区")
    assert local.age_on(date(2026, 3, 6)) == 35 and local.age_on(date(2026, 3, 7)) == 36


def test_lower_case_x_spaces_and_full_width_are_accepted() -> None:
    assert parse_id_number(" 110105 19491231 002x ", TODAY).number == "11010519491231002X"
    assert parse_id_number("１４０１０５１９９００３０７１２３４", TODAY).number == "140105199003071234"


def test_fifteen_digit_number_is_upgraded() -> None:
    parsed = parse_id_number("110105491231002", TODAY)
    assert parsed.number == "11010519491231002X"
    assert parsed.upgraded_from_15 and parsed.sex is Sex.FEMALE


@pytest.mark.parametrize(
    ("text", "reason", "fragment"),
    [
        ("14010519900307123", "length", "got 17"),
        ("1401051990030712345", "length", "got 19"),
        ("14010519900307123A", "characters", "digit or X"),
        ("140105199003071235", "checksum", "check character"),
        ("11010549123100X", "characters", "digits only"),
        (_make("14010519900230123"), "birth_date", "19900230 does not exist"),
        (_make("14010520300101123"), "birth_date", "in the future"),
        (_make("14010518000101123"), "birth_date", "not possible"),
        (_make("00010519900307123"), "region", "region code 000105"),
        (_make("90084019900307123"), "region", "issuing province 00"),
        (_make("71000019900307123"), "region", "region code 710000"),
        ("", "length", "got 0"),
        ("14010519900307123²", "characters", "digit or X"),
        ("١٤٠١٠٥١٩٩٠٠٣٠٧١٢٣٤", "characters", "digit or X"),
        ("1401051990030712²", "length", "got 17"),
    ],
)
def test_invalid_numbers_say_what_is_wrong(text: str, reason: str, fragment: str) -> None:
    with pytest.raises(InvalidIdNumber) as err:
        parse_id_number(text, TODAY)
    assert err.value.reason == reason
    assert fragment in str(err.value)
    assert err.value.zh and err.value.en in str(err.value)
    assert not is_valid_id_number(text, TODAY)


def test_leap_day_birthday_and_age_before_birth() -> None:
    leap = parse_id_number(_make("14010520000229002"), TODAY)
    assert leap.age_on(date(2001, 2, 28)) == 0 and leap.age_on(date(2001, 3, 1)) == 1
    with pytest.raises(ValueError, match="before the birth date"):
        leap.age_on(date(1999, 1, 1))


def test_permits_and_foreigner_card() -> None:
    hk = parse_id_number(_make("81000019850615001"), TODAY)
    tw = parse_id_number(_make("83000019850615002"), TODAY)
    assert hk.kind is IdKind.HK_MACAO_PERMIT and hk.region is None and hk.sex is Sex.MALE
    assert tw.kind is IdKind.TAIWAN_PERMIT and tw.sex is Sex.FEMALE
    foreign = parse_id_number(_make("91484019850615001"), TODAY)  # issued in Shanxi (14), country 840
    assert foreign.kind is IdKind.FOREIGN_PERMANENT
    assert foreign.region is not None and foreign.region.province == "山西省"


def test_abolished_codes_resolve_through_the_historic_table() -> None:
    old = parse_id_number(_make("14010219700101001"), TODAY)  # 南城区, merged in 1997
    assert old.region is not None and not old.region.exact and old.region.historic
    assert old.region.full_name == "山西省太原市南城区"
    yuci = lookup_region("142401")  # 晋中地区榆次市 before the prefecture became a city
    assert yuci is not None and yuci.full_name == "山西省晋中地区榆次市" and yuci.historic
    unknown = lookup_region("140199")  # never listed: falls back to the prefecture
    assert unknown is not None and unknown.full_name == "山西省太原市" and not unknown.historic
    current = lookup_region("140105")
    assert current is not None and current.exact and not current.historic


def test_id_number_never_prints_whole() -> None:
    parsed = parse_id_number("140105199003071234", TODAY)
    assert str(parsed) == "1401**********1234"
    assert "199003071234" not in repr(parsed) and "199003071234" not in f"{parsed}"


def test_one_masking_rule() -> None:
    assert mask_id_number is masking.mask_id_number
    assert mask_id_number("11010519491231002X") == "1101**********002X"


def test_region_table_covers_shanxi_and_the_country() -> None:
    shanxi = regions_in("14")
    assert len([c for c in shanxi if not c.endswith("00")]) >= 110  # every Shanxi county-level unit
    assert {"140000", "140100", "140181", "141182"} <= shanxi.keys()
    assert province_name("65") == "新疆维吾尔自治区" and province_name("99") is None
    assert lookup_region("1401") is None
    region = lookup_region("140100")
    assert region is not None and region.full_name == "山西省太原市" and region.exact


@given(st.from_regex(r"\A140105(19[5-9][0-9]|200[0-9])(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])[0-9]{3}\Z"))
def test_any_generated_number_round_trips(body17: str) -> None:
    number = _make(body17)
    parsed = parse_id_number(number, TODAY)
    assert parsed.number == number
    assert parsed.sex is (Sex.MALE if int(number[16]) % 2 else Sex.FEMALE)
    # any single-digit typo in the first 17 digits breaks the checksum
    typo = str((int(number[10]) + 1) % 10)
    assert not is_valid_id_number(number[:10] + typo + number[11:], TODAY)


@given(st.text(max_size=24))
def test_any_text_gives_an_id_or_a_clear_error(text: str) -> None:
    try:
        parsed = parse_id_number(text, TODAY)
    except InvalidIdNumber as exc:
        assert exc.reason in {"length", "characters", "checksum", "birth_date", "region"}
    else:
        assert len(parsed.number) == 18 and parsed.number.isascii()
