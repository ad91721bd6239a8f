"""Money at its edges: capitals (大写) for the tricky groupings, a fen either side of every bound (issue 16)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.money import InvalidAmount, Money, as_money, chinese_capital, format_yuan, parse_amount, round_fen

Y = Money.yuan


@pytest.mark.parametrize(
    ("yuan", "capital"),
    [
        # whole thousands in the 万 group and below it
        ("11000", "人民币壹万壹仟元整"),
        ("10000", "人民币壹万元整"),
        ("1000", "人民币壹仟元整"),
        ("1900", "人民币壹仟玖佰元整"),
        ("21000000", "人民币贰仟壹佰万元整"),
        # 零 between groups and inside a group
        ("10001", "人民币壹万零壹元整"),
        ("10010", "人民币壹万零壹拾元整"),
        ("10100", "人民币壹万零壹佰元整"),
        ("10999", "人民币壹万零玖佰玖拾玖元整"),
        ("100700", "人民币壹拾万零柒佰元整"),
        ("1009", "人民币壹仟零玖元整"),
        ("1090", "人民币壹仟零玖拾元整"),
        ("1001", "人民币壹仟零壹元整"),
        ("10", "人民币壹拾元整"),
        # around 亿
        ("100000000", "人民币壹亿元整"),
        ("100000001", "人民币壹亿零壹元整"),
        ("100010000", "人民币壹亿零壹万元整"),
        ("100001000", "人民币壹亿零壹仟元整"),
        ("110000000", "人民币壹亿壹仟万元整"),
        ("101000000", "人民币壹亿零壹佰万元整"),
        ("1000000000000", "人民币壹万亿元整"),
        ("1000000000001", "人民币壹万亿零壹元整"),
        ("9999999999999999", "人民币玖仟玖佰玖拾玖万亿玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元整"),
        # jiao and fen
        ("0.01", "人民币壹分"),
        ("0.10", "人民币壹角整"),
        ("0.11", "人民币壹角壹分"),
        ("1.01", "人民币壹元零壹分"),
        ("1.10", "人民币壹元壹角整"),
        ("10000.05", "人民币壹万元零伍分"),
        ("0", "人民币零元整"),
    ],
)
def test_capitals(yuan: str, capital: str) -> None:
    assert chinese_capital(Y(yuan)) == capital


def test_capital_signs_prefix_and_rounding() -> None:
    assert chinese_capital(Money(-1)) == "人民币负壹分"
    assert chinese_capital(Y("-11000")) == "人民币负壹万壹仟元整"
    assert chinese_capital(Money(0), prefix="") == "零元整"
    assert chinese_capital(Y("5"), prefix="") == "伍元整"
    assert chinese_capital(Decimal("0.005")) == "人民币壹分"  # half-up to a fen
    assert chinese_capital(Decimal("0.004")) == "人民币零元整"


def test_capital_refuses_more_than_four_groups() -> None:
    with pytest.raises(InvalidAmount, match="^金额过大 / amount too large for capitals$"):
        chinese_capital(Y("10000000000000000"))


def test_format_yuan_signs_and_rounding() -> None:
    assert format_yuan(Money(0)) == "¥0.00"
    assert format_yuan(Money(-1)) == "-¥0.01"
    assert format_yuan(Money(1)) == "¥0.01"
    assert format_yuan(Y("1234567.8")) == "¥1,234,567.80"
    assert format_yuan(Decimal("0.005")) == "¥0.01" and format_yuan(Decimal("-0.005")) == "-¥0.01"
    assert format_yuan(Money(100), symbol="") == "1.00"


def test_bounds_of_money_a_unit_either_side() -> None:
    largest_yuan = Decimal(10) ** 20 - Decimal("0.01")
    assert Money.yuan(largest_yuan).fen == 10**22 - 1
    with pytest.raises(InvalidAmount, match="金额 amount: 金额过大 / amount too large"):
        Money.yuan(Decimal(10) ** 20)
    with pytest.raises(InvalidAmount, match="金额 amount: 金额过大"):
        Money.yuan(-(Decimal(10) ** 20))
    assert Money(10**22 - 1).fen == 10**22 - 1 and Money(-(10**22) + 1).fen == -(10**22) + 1
    with pytest.raises(InvalidAmount, match="金额过大 / amount too large: "):
        Money(10**22)
    with pytest.raises(InvalidAmount, match="Money needs integer fen"):
        Money(True)


def test_conversion_errors_name_what() -> None:
    with pytest.raises(InvalidAmount, match="^金额 amount: 不是有效金额 / not a valid amount: 'x'$"):
        Money.yuan("x")
    with pytest.raises(InvalidAmount, match="^金额 amount: 不是有效金额 / not a valid amount: Decimal"):
        Money.yuan(Decimal("Infinity"))
    with pytest.raises(InvalidAmount, match="^金额 amount: 金额不能用浮点数 / amounts must not be float: 1.5$"):
        Money.yuan(1.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidAmount, match="^金额 amount: 不是有效金额"):
        Money.round_yuan(Decimal("NaN"))
    with pytest.raises(InvalidAmount, match="^金额最多两位小数 / an amount has at most 2 decimal places: '0.001'$"):
        Money.yuan("0.001")


def test_round_half_up_at_the_half_fen() -> None:
    assert round_fen(Decimal("0.005")) == Decimal("0.01")
    assert round_fen(Decimal("0.0049999")) == Decimal("0.00")
    assert round_fen(Decimal("-0.005")) == Decimal("-0.01")
    assert Money.round_yuan(Decimal("1.005")) == Money(101)
    assert Money.round_yuan(Decimal("1.00499")) == Money(100)


def test_multiplying_rounds_half_up_and_refuses_bools() -> None:
    assert Money(1) * Decimal("0.5") == Money(1)
    assert Money(1) * Decimal("0.49") == Money(0)
    assert Money(3) * Decimal("0.5") == Money(2)
    assert Money(-1) * Decimal("0.5") == Money(-1)
    assert 3 * Money(7) == Money(21)
    with pytest.raises(TypeError):
        Money(1) * True  # type: ignore[operator]
    with pytest.raises(TypeError):
        Money(1) * 1.5  # type: ignore[operator]


def test_truth_sign_and_helpers() -> None:
    assert bool(Money(1)) and bool(Money(-1)) and not Money(0)
    assert Money(-1).is_negative() and not Money(0).is_negative()
    assert Money.zero() == Money(0)
    assert as_money(Money(5)) == Money(5) and as_money("1.5") == Money(150) and as_money(Decimal(2)) == Money(200)
    assert -Money(5) == Money(-5) and Money(5) - Money(7) == Money(-2)
    assert Money(5).as_yuan == Decimal("0.05") and str(Money(123456)) == "¥1,234.56"


@pytest.mark.parametrize(
    ("text", "fen"),
    [("1 234", 123400), ("+5", 500), ("+¥5", 500), ("-¥5", -500), ("￥5", 500), ("5元", 500), ("¥5元", 500),
     ("０．０１", 1), ("1,000.10", 100010)],
)
def test_parse_amount_forms(text: str, fen: int) -> None:
    assert parse_amount(text, allow_negative=True) == Money(fen)


def test_parse_amount_messages_name_what_was_typed() -> None:
    with pytest.raises(InvalidAmount, match="^金额 amount: 不是有效金额 / not a valid amount: 'abc'$"):
        parse_amount("abc")
    with pytest.raises(InvalidAmount, match="^金额 amount: 金额不能为负数 / must not be negative: '-0.01'$"):
        parse_amount("-0.01")
    with pytest.raises(InvalidAmount, match="^房价: 不是有效金额"):
        parse_amount("", what="房价")
    assert parse_amount("0") == Money(0) and parse_amount("-0") == Money(0)
