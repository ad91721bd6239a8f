"""Amounts of money: one type, integer fen underneath, never float.

`Money` is what every layer passes around (balances, caps, payments, receipts). Computed
values (interest, a share of a cap) are Decimal until they are rounded to the fen, half-up,
as production HPF software does (BRIEF §3). Two renderings: `format_yuan` (¥1,234.56) for
screens, and `chinese_capital` (人民币壹万贰仟叁佰肆拾伍元陆角柒分) for receipts and certificates,
following the PBoC rules for writing amounts on bills (《支付结算办法》附件一).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
_HUNDRED = Decimal(100)
_TOO_LARGE = Decimal(10) ** 20  # yuan


class InvalidAmount(ValueError):  # noqa: N818 - named like InvalidIdNumber
    """An amount that cannot be accepted; the message names the value, in Chinese and English."""


def round_fen(value: Decimal) -> Decimal:
    """Round to the fen, half-up (String.format("%.2f") in the reference HPF code)."""
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def _to_decimal(value: Decimal | int | str, what: str) -> Decimal:
    if isinstance(value, bool) or isinstance(value, float):
        raise InvalidAmount(f"{what}: 金额不能用浮点数 / amounts must not be float: {value!r}")
    try:
        result = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidAmount(f"{what}: 不是有效金额 / not a valid amount: {value!r}") from None
    if not result.is_finite():
        raise InvalidAmount(f"{what}: 不是有效金额 / not a valid amount: {value!r}")
    if abs(result) >= _TOO_LARGE:  # also keeps quantize() inside Decimal's 28 digits
        raise InvalidAmount(f"{what}: 金额过大 / amount too large: {value!r}")
    return result


@dataclass(frozen=True, order=True, slots=True)
class Money:
    """An amount in integer fen (分). `Money.yuan("1234.56")`, `Money(123456)`."""

    fen: int

    def __post_init__(self) -> None:
        if isinstance(self.fen, bool) or not isinstance(self.fen, int):
            raise InvalidAmount(f"Money 需要整数分 / Money needs integer fen, got {self.fen!r}")
        if abs(self.fen) >= _TOO_LARGE * _HUNDRED:
            raise InvalidAmount(f"金额过大 / amount too large: {self.fen} fen")

    @classmethod
    def yuan(cls, value: Decimal | int | str) -> Money:
        """Exact yuan amount; more than two decimal places is an error, not a silent rounding."""
        d = _to_decimal(value, "金额 amount")
        if d != d.quantize(FEN):
            raise InvalidAmount(f"金额最多两位小数 / an amount has at most 2 decimal places: {value!r}")
        return cls(int(d * _HUNDRED))

    @classmethod
    def round_yuan(cls, value: Decimal) -> Money:
        """A computed yuan amount rounded to the fen, half-up."""
        return cls(int(round_fen(_to_decimal(value, "金额 amount")) * _HUNDRED))

    @classmethod
    def zero(cls) -> Money:
        return cls(0)

    @property
    def as_yuan(self) -> Decimal:
        """The amount in yuan as a two-place Decimal."""
        return (Decimal(self.fen) / _HUNDRED).quantize(FEN)

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.fen + other.fen)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.fen - other.fen)

    def __neg__(self) -> Money:
        return Money(-self.fen)

    def __mul__(self, factor: int | Decimal) -> Money:
        """Scale by a count or a ratio (e.g. a 1.3 uplift); the result is rounded half-up."""
        if isinstance(factor, bool) or not isinstance(factor, int | Decimal):
            return NotImplemented
        return Money(int((Decimal(self.fen) * factor).quantize(Decimal(1), rounding=ROUND_HALF_UP)))

    __rmul__ = __mul__

    def __bool__(self) -> bool:
        return self.fen != 0

    def is_negative(self) -> bool:
        return self.fen < 0

    def __str__(self) -> str:
        return format_yuan(self)


def total(amounts: list[Money]) -> Money:
    return Money(sum(a.fen for a in amounts))


def as_money(value: Money | Decimal | int | str) -> Money:
    """Accept Money or an exact yuan value (Decimal / int / str)."""
    return value if isinstance(value, Money) else Money.yuan(value)


def format_yuan(amount: Money | Decimal, symbol: str = "¥") -> str:
    """`¥1,234.56`; negatives as `-¥1,234.56`."""
    m = Money.round_yuan(amount) if isinstance(amount, Decimal) else amount
    sign = "-" if m.fen < 0 else ""
    return f"{sign}{symbol}{abs(m.as_yuan):,.2f}"


def format_wan(wan: str | Decimal, chinese: bool) -> str:
    """An amount typed in 万元 as a person reads it: "60 万元" in Chinese, "600,000 yuan" in English
    (English has no word for ten thousand; "60 × 10,000 yuan" is not how anyone says a price)."""
    try:
        value = Decimal(str(wan).strip() or "0")
    except ArithmeticError:
        value = Decimal(0)
    if chinese:
        return f"{str(wan).strip() or '0'} 万元"
    yuan = value * 10000
    return f"{yuan:,.2f}".removesuffix(".00") + " yuan"


_AMOUNT_RE = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?\Z")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－＋", "0123456789.,-+")


def parse_amount(text: str, *, allow_negative: bool = False, what: str = "金额 amount") -> Money:
    """Parse what a person typed: `1234.5`, `1,234.50`, `¥1234`, full-width digits, `元` suffix.

    Raises InvalidAmount for garbage, negative amounts (unless allowed) and sub-fen digits.
    """
    s = text.strip().translate(_FULLWIDTH).replace(",", "").replace(" ", "")
    sign = s[0] if s[:1] in ("+", "-") else ""
    s = sign + s.removeprefix(sign).removeprefix("¥").removeprefix("￥").removesuffix("元")
    if not _AMOUNT_RE.match(s):
        raise InvalidAmount(f"{what}: 不是有效金额 / not a valid amount: {text!r}")
    money = Money.yuan(s)
    if money.is_negative() and not allow_negative:
        raise InvalidAmount(f"{what}: 金额不能为负数 / must not be negative: {text!r}")
    return money


# ---- Chinese capital amount (大写金额) ----

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_GROUP_UNITS = ("", "万", "亿", "万亿")


def _group_capital(n: int) -> str:
    """0 < n < 10000 -> e.g. 1009 -> 壹仟零玖; inner zero runs collapse to one 零."""
    out: list[str] = []
    zero_pending = False
    for pos in range(3, -1, -1):
        digit = n // 10**pos % 10
        if digit == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        out.append(_DIGITS[digit] + _SMALL_UNITS[pos])
    return "".join(out)


def _integer_capital(n: int) -> str:
    """Whole yuan in capitals, 壹拾 kept (bills require the 壹 before 拾)."""
    groups: list[int] = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    if len(groups) > len(_GROUP_UNITS):
        raise InvalidAmount("金额过大 / amount too large for capitals")
    out: list[str] = []
    gap = False  # a whole zero group was skipped since the last written one
    for index in range(len(groups) - 1, -1, -1):
        g = groups[index]
        if g == 0:
            gap = bool(out)
            continue
        # zeros between two written digits become one 零 (10,0700 -> 壹拾万零柒佰)
        if out and (g < 1000 or gap):
            out.append("零")
        out.append(_group_capital(g) + _GROUP_UNITS[index])
        gap = False
    return "".join(out)


def chinese_capital(amount: Money | Decimal, prefix: str = "人民币") -> str:
    """`Money.yuan("12345.67")` -> `人民币壹万贰仟叁佰肆拾伍元陆角柒分`.

    整 follows 元 when there are no jiao or fen, and follows 角 when there are no fen
    (the rules allow it there and receipts conventionally write it); never after 分.
    A zero jiao before a non-zero fen is written 零 (325.04 -> 叁佰贰拾伍元零肆分).
    """
    m = Money.round_yuan(amount) if isinstance(amount, Decimal) else amount
    sign = "负" if m.fen < 0 else ""
    fen_total = abs(m.fen)
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    head = _integer_capital(yuan)
    if fen_total == 0:
        return f"{prefix}零元整"
    if jiao == 0 and fen == 0:
        return f"{prefix}{sign}{head}元整"
    text = f"{head}元" if yuan else ""
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    text += _DIGITS[fen] + "分" if fen else "整"
    return f"{prefix}{sign}{text}"
