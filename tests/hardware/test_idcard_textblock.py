"""The 256-byte text block: offsets, code tables, 长期, permits, and bad blocks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from hardware.idcard.record import PERMANENT, CardType
from hardware.idcard.samples import HK_PERMIT, RESIDENT, RESIDENT_PERMANENT
from hardware.idcard.textblock import ETHNICITY, FIELDS, SEX, TextBlockError, build_text_block, parse_text_block


def _field(value: str, size: int) -> bytes:
    return value.ljust(size // 2).encode("utf-16-le")


def _hand_made_block() -> bytes:
    """Built from the offsets in BRIEF §5 directly, not through build_text_block."""
    parts = [
        _field("张三", 30), _field("1", 2), _field("01", 4), _field("19900307", 16),
        _field("山西省太原市小店区示例路1号", 70), _field("140105199003071234", 36),
        _field("太原市公安局小店分局", 30), _field("20150601", 16), _field("长期", 16), _field("", 36),
    ]
    block = b"".join(parts)
    assert len(block) == 256
    return block


def test_a_block_laid_out_by_the_documented_offsets_parses() -> None:
    record = parse_text_block(_hand_made_block())
    assert record.name == "张三"
    assert (record.sex, record.ethnicity) == ("男", "汉")
    assert record.birth_date == date(1990, 3, 7)
    assert record.address == "山西省太原市小店区示例路1号"
    assert record.id_number == "140105199003071234"
    assert record.issuer == "太原市公安局小店分局"
    assert record.valid_from == date(2015, 6, 1)
    assert record.valid_to is None and record.valid_to_text == PERMANENT
    assert record.card_type is CardType.RESIDENT


def test_build_and_parse_round_trip_for_every_sample() -> None:
    for sample in (RESIDENT, RESIDENT_PERMANENT, HK_PERMIT):
        assert parse_text_block(build_text_block(sample)) == sample


def test_permit_fields_and_flag() -> None:
    block = build_text_block(HK_PERMIT)
    assert block[248:250].decode("utf-16-le") == "J"
    record = parse_text_block(block)
    assert record.card_type is CardType.HK_MACAU_TAIWAN
    assert (record.pass_number, record.issue_count) == ("H12345678", "01")
    assert record.ethnicity == ""


def test_code_tables_follow_the_standards() -> None:
    assert SEX == {"0": "未知", "1": "男", "2": "女", "9": "未说明"}
    assert len([c for c in ETHNICITY if int(c) <= 56]) == 56
    assert (ETHNICITY["01"], ETHNICITY["10"], ETHNICITY["29"], ETHNICITY["56"]) == ("汉", "朝鲜", "柯尔克孜", "基诺")
    assert (ETHNICITY["97"], ETHNICITY["98"]) == ("其他", "外国血统中国籍人士")
    assert FIELDS["valid_to"] == (204, 16) and FIELDS["card_type"] == (248, 2)


def test_json_shape_for_hpf_diag() -> None:
    data = parse_text_block(build_text_block(RESIDENT_PERMANENT)).as_json()
    assert list(data) == ["name", "sex", "ethnicity", "birth_date", "address", "id_number", "issuer",
                          "valid_from", "valid_to"]
    assert data["id_number"] == "1401**********2023"
    assert data["valid_to"] == "长期" and data["birth_date"] == "1985-06-15"
    assert RESIDENT.as_json(unmasked=True)["id_number"] == "140105199003071234"


def test_repr_masks_personal_data() -> None:
    text = repr(RESIDENT)
    assert "140105199003071234" not in text and "张三" not in text and "1401**********1234" in text


def _put(block: bytes, name: str, value: str) -> bytes:
    offset, size = FIELDS[name]
    return block[:offset] + _field(value, size) + block[offset + size:]


GOOD = build_text_block(RESIDENT)


@pytest.mark.parametrize(("block", "message"), [
    (GOOD[:200], "200 bytes"),
    (_put(GOOD, "sex", "5"), "sex code"),
    (_put(GOOD, "ethnicity", "77"), "ethnicity code"),
    (_put(GOOD, "birth_date", "19900230"), "not a real date"),
    (_put(GOOD, "valid_from", "2015-6-1"), "YYYYMMDD"),
    (_put(GOOD, "id_number", "140105199003071235"), "invalid"),
    (_put(GOOD, "birth_date", "19900308"), "birth date does not match"),
    (_put(GOOD, "sex", "2"), "sex does not match"),
    (_put(GOOD, "card_type", "Q"), "card-type flag"),
    (_put(GOOD, "card_type", "I"), "foreigner"),
    (_put(GOOD, "name", ""), "name field is empty"),
    (_put(GOOD, "valid_to", "20100101"), "ends before it starts"),
    (GOOD[:10] + b"\x00\xd8" + GOOD[12:], "not valid UCS-2"),
])
def test_bad_blocks_raise_a_clear_error_without_quoting_the_block(block: bytes, message: str) -> None:
    with pytest.raises(TextBlockError, match=message) as caught:
        parse_text_block(block)
    assert "张三" not in str(caught.value) and "140105199003071234" not in str(caught.value)
    assert caught.value.action_en and caught.value.message_zh


def test_an_expired_card_still_parses_and_says_so() -> None:
    old = replace(RESIDENT, valid_to=date(2020, 1, 1))
    record = parse_text_block(build_text_block(old))
    assert record.is_expired(date(2026, 11, 27))
    assert not RESIDENT_PERMANENT.is_expired(date(2099, 1, 1))
