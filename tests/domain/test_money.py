"""Money: integer fen, ¥ formatting, Chinese capital amounts (PBoC bill-writing examples)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.money import InvalidAmount, Money, chinese_capital, format_yuan, parse_amount, round_fen, total


@pytest.mark.parametrize(
    ("yuan", "capital"),
    [
        ("12345.67", "人民币壹万贰仟叁佰肆拾伍元陆角柒分"),
        ("0", "人民币零元整"),
        ("0.05", "人民币伍分"),
        ("0.50", "人民币伍角整"),
        ("10", "人民币壹拾元整"),
        ("1409.50", "人民币壹仟肆佰零玖元伍角整"),
        ("6007.14", "人民币陆仟零柒元壹角肆分"),
        ("16409.02", "人民币壹万陆仟肆佰零玖元零贰分"),
        ("325.04", "人民币叁佰贰拾伍元零肆分"),
        ("107000.53", "人民币壹拾万柒仟元伍角叁分"),
        ("100700", "人民币壹拾万零柒佰元整"),
        ("1000007000", "人民币壹拾亿零柒仟元整"),
        ("100000000", "人民币壹亿元整"),
        ("700000", "人民币柒拾万元整"),
    ],
)
def test_chinese_capital_follows_bill_writing_rules(yuan: str, capital: str) -> None:
    assert chinese_capital(Money.yuan(yuan)) == capital


def test_capital_of_negative_and_decimal_input() -> None:
    assert chinese_capital(Money.yuan("-3.20")) == "人民币负叁元贰角整"
    assert chinese_capital(Decimal("2067.786")) == "人民币贰仟零陆拾柒元柒角玖分"


@pytest.mark.parametrize(
    ("yuan", "text"),
    [("1234.56", "¥1,234.56"), ("0", "¥0.00"), ("-0.5", "-¥0.50"), ("1000000", "¥1,000,000.00")],
)
def test_format_yuan(yuan: str, text: str) -> None:
    assert format_yuan(Money.yuan(yuan)) == text
    assert str(Money.yuan(yuan)) == text


def test_money_is_integer_fen_and_refuses_float_and_sub_fen() -> None:
    assert Money.yuan("1234.5").fen == 123450
    assert Money.yuan(3).as_yuan == Decimal("3.00")
    with pytest.raises(InvalidAmount, match="float"):
        Money.yuan(1.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidAmount, match="2 decimal places"):
        Money.yuan("1.005")
    with pytest.raises(InvalidAmount, match="integer fen"):
        Money(1.5)  # type: ignore[arg-type]


def test_arithmetic_and_rounding_half_up() -> None:
    a, b = Money.yuan("10.10"), Money.yuan("0.95")
    assert a + b == Money.yuan("11.05") and a - b == Money.yuan("9.15")
    assert Money.yuan("700000") * Decimal("1.3") == Money.yuan("910000")
    assert Money(5) * Decimal("0.5") == Money(3)  # 2.5 fen -> 3 fen, half-up
    assert round_fen(Decimal("0.125")) == Decimal("0.13")
    assert Money.round_yuan(Decimal("1187.4999")) == Money.yuan("1187.50")
    assert total([a, b, -b]) == a
    assert a > b and sorted([a, b]) == [b, a]


@pytest.mark.parametrize(
    ("text", "fen"),
    [("1234.5", 123450), ("1,234.50", 123450), ("¥1234", 123400), ("１２３４.５元", 123450), (" 0.01 ", 1)],
)
def test_parse_amount_accepts_what_people_type(text: str, fen: int) -> None:
    assert parse_amount(text).fen == fen


@pytest.mark.parametrize(
    ("text", "message"),
    [("-5", "negative"), ("abc", "not a valid amount"), ("1.234", "2 decimal places"), ("", "not a valid amount"),
     ("1e5", "not a valid amount"), ("NaN", "not a valid amount")],
)
def test_parse_amount_rejects_bad_input_with_named_value(text: str, message: str) -> None:
    with pytest.raises(InvalidAmount, match=message) as err:
        parse_amount(text)
    assert repr(text) in str(err.value) or message == "2 decimal places"


def test_parse_amount_negative_when_allowed() -> None:
    assert parse_amount("-5", allow_negative=True) == Money.yuan(-5)


@given(st.integers(min_value=0, max_value=10**15))
def test_capital_always_well_formed(fen: int) -> None:
    text = chinese_capital(Money(fen))
    assert text.startswith("人民币")
    assert "零零" not in text
    assert text.endswith(("整", "分"))
    assert not text.endswith("分整")


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_format_then_parse_round_trips(fen: int) -> None:
    assert parse_amount(format_yuan(Money(fen)), allow_negative=True) == Money(fen)


@given(st.text(max_size=20))
def test_any_text_gives_an_amount_or_a_clear_error(text: str) -> None:
    try:
        money = parse_amount(text)
    except InvalidAmount as exc:
        assert "/" in str(exc)
    else:
        assert money.fen >= 0


def test_absurdly_large_amounts_are_refused_not_crashed() -> None:
    with pytest.raises(InvalidAmount, match="too large"):
        parse_amount("1" * 40)
    with pytest.raises(InvalidAmount, match="too large"):
        Money.round_yuan(Decimal("1E+40"))
    with pytest.raises(InvalidAmount, match="too large"):
        Money(10**30)


def test_format_wan_reads_as_a_person_says_a_price() -> None:
    from domain.money import format_wan

    assert format_wan("60", chinese=False) == "600,000 yuan"
    assert format_wan("60", chinese=True) == "60 万元"
    assert format_wan("12.5", chinese=False) == "125,000 yuan"
    assert format_wan("0.01234", chinese=False) == "123.40 yuan"
    assert format_wan("", chinese=False) == "0 yuan"
