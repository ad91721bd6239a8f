"""ID numbers at their edges: every check weight, region codes, birth-date bounds, ages (issue 16).

The check character is recomputed here from ISO 7064 MOD 11-2 itself (weight of position i is
2^(17-i) mod 11), not from the table in domain.identity, so a wrong weight there cannot hide.
"""

from __future__ import annotations

from datetime import date

import pytest

from domain.identity import IdKind, InvalidIdNumber, Sex, check_character, is_valid_id_number, parse_id_number

TODAY = date(2026, 11, 27)


def iso7064(first17: str) -> str:
    total = sum(int(c) * pow(2, 17 - i, 11) for i, c in enumerate(first17))
    return "10X98765432"[total % 11]


def full(first17: str) -> str:
    return first17 + iso7064(first17)


def test_the_standard_weights_and_check_characters() -> None:
    assert [pow(2, 17 - i, 11) for i in range(17)] == [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    assert check_character("11010519491231002") == "X"  # GB 11643's own example
    assert check_character("44052418800101001") == "4"


@pytest.mark.parametrize("position", range(17))
def test_each_position_carries_its_own_weight(position: int) -> None:
    # 140105199003071234 with one digit raised by one: every position moves the check its own way.
    base = "14010519900307123"
    digits = list(base)
    digits[position] = str((int(digits[position]) + 1) % 10)
    changed = "".join(digits)
    assert check_character(changed) == iso7064(changed)
    assert check_character(base) == iso7064(base)


def test_every_check_character_appears() -> None:
    seen = set()
    for seq in range(100, 200):
        first17 = f"14010519900307{seq:03d}"
        assert check_character(first17) == iso7064(first17)
        seen.add(check_character(first17))
    assert seen == set("0123456789X")


def test_check_character_refuses_other_lengths_and_characters() -> None:
    for bad in ("1401051990030712", "140105199003071234", "1401051990030712a", "14010519900307１23"):
        with pytest.raises(ValueError, match="need 17 digits"):
            check_character(bad)


def _reason(text: str, today: date = TODAY) -> str:
    with pytest.raises(InvalidIdNumber) as err:
        parse_id_number(text, today)
    return err.value.reason


def test_region_codes_are_checked() -> None:
    assert parse_id_number(full("14010519900307123"), TODAY).region is not None
    assert _reason(full("00010519900307123")) == "region"  # no province 00
    assert _reason(full("99010519900307123")) == "region"  # foreigner card, no province 99
    for taken in ("710000", "810101", "820101"):  # Taiwan / HK / Macao codes are not resident IDs
        assert _reason(full(taken + "19900307123")) == "region"
    err = pytest.raises(InvalidIdNumber, parse_id_number, full("00010519900307123"), TODAY).value
    assert (err.zh, err.en) == ("地区代码 000105 无效", "region code 000105 does not exist")
    err = pytest.raises(InvalidIdNumber, parse_id_number, full("99910519900307123"), TODAY).value
    assert (err.zh, err.en) == ("发证地代码 99 无效", "issuing province 99 unknown")


def test_permits_and_foreign_cards_by_their_leading_codes() -> None:
    assert parse_id_number(full("81000019900307123"), TODAY).kind is IdKind.HK_MACAO_PERMIT
    assert parse_id_number(full("82000019900307123"), TODAY).kind is IdKind.HK_MACAO_PERMIT
    taiwan = parse_id_number(full("83000019900307123"), TODAY)
    assert taiwan.kind is IdKind.TAIWAN_PERMIT and taiwan.region is None
    foreign = parse_id_number(full("91410019900307123"), TODAY)
    assert foreign.kind is IdKind.FOREIGN_PERMANENT and foreign.region is not None
    assert foreign.region.code == "140000"
    resident = parse_id_number(full("50010119900307123"), TODAY)
    assert resident.kind is IdKind.RESIDENT and resident.region_code == "500101"


def test_birth_date_bounds_a_day_either_side() -> None:
    assert parse_id_number(full("14010520261127123"), TODAY).birth_date == TODAY
    assert _reason(full("14010520261128123")) == "birth_date"
    assert parse_id_number(full("14010518500101123"), TODAY).birth_date == date(1850, 1, 1)
    assert _reason(full("14010518491231123")) == "birth_date"
    assert _reason(full("14010519900230123")) == "birth_date"
    err = pytest.raises(InvalidIdNumber, parse_id_number, full("14010520261128123"), TODAY).value
    assert err.en == "birth date 2026-11-28 is in the future" and err.zh == "出生日期 2026-11-28 晚于今天"
    err = pytest.raises(InvalidIdNumber, parse_id_number, full("14010518491231123"), TODAY).value
    assert err.en == "birth date 1849-12-31 is not possible"
    err = pytest.raises(InvalidIdNumber, parse_id_number, full("14010519900230123"), TODAY).value
    assert err.en == "birth date 19900230 does not exist"


def test_sex_from_the_seventeenth_digit() -> None:
    for digit, sex in ((0, Sex.FEMALE), (1, Sex.MALE), (2, Sex.FEMALE), (9, Sex.MALE)):
        assert parse_id_number(full(f"1401051990030712{digit}"), TODAY).sex is sex


def test_lengths_and_characters() -> None:
    good = full("14010519900307123")
    assert _reason(good[:17]) == "length" and _reason(good + "1") == "length"
    err = pytest.raises(InvalidIdNumber, parse_id_number, good[:17], TODAY).value
    assert err.en == "an ID number has 18 characters, got 17" and err.zh == "身份证号应为18位，输入了17位"
    assert _reason("14010519900307123Y") == "characters"
    assert _reason("1401051990030712A" + iso7064("14010519900307120")) == "characters"
    assert _reason("14010590030712A") == "characters"  # 15 characters, not all digits
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    assert _reason(wrong) == "checksum"
    assert is_valid_id_number(good, TODAY) and not is_valid_id_number(wrong, TODAY)
    assert parse_id_number(" " + good[:6] + "-" + good[6:].lower() + " ", TODAY).number == good.upper()


def test_fifteen_digits_upgrade_with_19_and_a_check_character() -> None:
    upgraded = parse_id_number("140105900307123", TODAY)
    assert upgraded.number == full("14010519900307123") and upgraded.upgraded_from_15
    assert parse_id_number(full("14010519900307123"), TODAY).upgraded_from_15 is False


def _error(text: str) -> tuple[str, str, str]:
    with pytest.raises(InvalidIdNumber) as err:
        parse_id_number(text, TODAY)
    return err.value.reason, err.value.zh, err.value.en


def test_messages_word_for_word() -> None:
    assert _error("14010590030712A") == ("characters", "15位身份证号只能是数字", "a 15-digit ID number has digits only")
    assert _error("14010519900307123Y") == ("characters", "身份证号前17位为数字，最后一位为数字或X",
                                            "17 digits then a digit or X expected")
    good = full("14010519900307123")
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    assert _error(wrong) == ("checksum", "身份证号校验位不符，请核对是否输错",
                             "the check character does not match; please check for a typo")
    assert str(pytest.raises(InvalidIdNumber, parse_id_number, wrong, TODAY).value) == (
        "身份证号校验位不符，请核对是否输错 / the check character does not match; please check for a typo")


def test_validity_uses_the_day_given() -> None:
    good = full("14010519900307123")
    assert is_valid_id_number(good, date(1990, 3, 7))
    assert not is_valid_id_number(good, date(1990, 3, 6))  # born after that day
    assert is_valid_id_number(good)  # the real today


def test_age_on_birthdays_and_the_29th_of_february() -> None:
    person = parse_id_number(full("14010519900307123"), TODAY)
    assert person.age_on(date(2026, 3, 6)) == 35
    assert person.age_on(date(2026, 3, 7)) == 36
    assert person.age_on(date(1990, 3, 7)) == 0
    with pytest.raises(ValueError, match="before the birth date"):
        person.age_on(date(1990, 3, 6))
    leap = parse_id_number(full("14010519920229123"), TODAY)
    assert leap.age_on(date(2026, 2, 28)) == 33 and leap.age_on(date(2026, 3, 1)) == 34
    assert leap.age_on(date(2028, 2, 29)) == 36


def test_the_number_never_prints_whole() -> None:
    person = parse_id_number(full("14010519900307123"), TODAY)
    assert person.number not in str(person) and person.number not in repr(person)
    assert repr(person).startswith("IdNumber(") and "resident" in repr(person) and "male" in repr(person)
    assert (Sex.MALE.zh, Sex.FEMALE.zh, Sex.MALE.en, Sex.FEMALE.en) == ("男", "女", "male", "female")
    assert IdKind.TAIWAN_PERMIT.zh == "台湾居民居住证" and IdKind.FOREIGN_PERMANENT.zh == "外国人永久居留身份证"
