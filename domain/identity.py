"""Citizen ID numbers (GB 11643-1999) and the permits that share their layout.

Layout: 6-digit GB/T 2260 region + YYYYMMDD birth date + 3-digit sequence (odd = male) + a
check character over ISO 7064 MOD 11-2 (BRIEF §5). 15-digit first-generation numbers are
upgraded by inserting "19" and appending the check character. Hong Kong / Macau / Taiwan
residence permits (810000 / 820000 / 830000) and the 2023 foreigner permanent-residence card
(leading 9) use the same checksum and birth-date position.

`IdNumber` prints masked (`str()` and `repr()`), so a stray log line never carries a whole
number; `.number` is the full value for the few places that must see it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from domain.masking import mask_id_number
from domain.regions import Region, lookup_region

__all__ = [
    "IdKind",
    "IdNumber",
    "InvalidIdNumber",
    "Sex",
    "check_character",
    "is_valid_id_number",
    "mask_id_number",
    "parse_id_number",
]

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
# The standard's own example (440524188001010014) was born in 1880; nothing earlier is plausible.
_EARLIEST_BIRTH = date(1850, 1, 1)
_FULLWIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789XX")
_PERMIT_REGIONS = {"810000": "HK", "820000": "MO", "830000": "TW"}


class InvalidIdNumber(ValueError):  # noqa: N818 - the name is the public API (issue 3)
    """A number that is not a valid ID number. `reason` is a stable code for screens and logs."""

    def __init__(self, reason: str, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.reason = reason
        self.zh = zh
        self.en = en


class Sex(Enum):
    MALE = "1"
    FEMALE = "2"

    @property
    def zh(self) -> str:
        return "男" if self is Sex.MALE else "女"

    @property
    def en(self) -> str:
        return "male" if self is Sex.MALE else "female"


class IdKind(Enum):
    RESIDENT = "resident"  # 居民身份证
    HK_MACAO_PERMIT = "hk_macao_permit"  # 港澳居民居住证
    TAIWAN_PERMIT = "taiwan_permit"  # 台湾居民居住证
    FOREIGN_PERMANENT = "foreign_permanent"  # 外国人永久居留身份证 (2023)

    @property
    def zh(self) -> str:
        return {
            IdKind.RESIDENT: "居民身份证",
            IdKind.HK_MACAO_PERMIT: "港澳居民居住证",
            IdKind.TAIWAN_PERMIT: "台湾居民居住证",
            IdKind.FOREIGN_PERMANENT: "外国人永久居留身份证",
        }[self]


@dataclass(frozen=True, slots=True)
class IdNumber:
    """A checked ID number and what it says."""
    number: str = field(repr=False)  # 18 characters, upper-case X
    kind: IdKind
    region_code: str
    region: Region | None  # None for permits and foreigner cards (no GB/T 2260 county)
    birth_date: date
    sex: Sex
    upgraded_from_15: bool = False

    @property
    def masked(self) -> str:
        return mask_id_number(self.number)

    def age_on(self, day: date) -> int:
        """Full years (周岁) on `day`; someone born on 29 Feb turns a year older on 1 Mar."""
        if day < self.birth_date:
            raise ValueError(f"{day} is before the birth date / 日期早于出生日期")
        return day.year - self.birth_date.year - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"IdNumber({self.masked}, {self.kind.value}, {self.birth_date}, {self.sex.en})"


def check_character(first17: str) -> str:
    """The 18th character for 17 digits (ISO 7064 MOD 11-2)."""
    if len(first17) != 17 or not _ascii_digits(first17):
        raise ValueError(f"need 17 digits, got {len(first17)} characters")
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def _ascii_digits(text: str) -> bool:
    """str.isdigit() also accepts ² or Arabic-Indic digits; an ID number has 0-9 only."""
    return text.isascii() and text.isdigit()


def _normalise(text: str) -> str:
    return re.sub(r"[\s-]", "", text.translate(_FULLWIDTH)).upper()


def _birth_date(digits: str, today: date) -> date:
    try:
        born = date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise InvalidIdNumber("birth_date", f"出生日期 {digits} 不存在",
                              f"birth date {digits} does not exist") from None
    if born > today:
        raise InvalidIdNumber("birth_date", f"出生日期 {born} 晚于今天", f"birth date {born} is in the future")
    if born < _EARLIEST_BIRTH:
        raise InvalidIdNumber("birth_date", f"出生日期 {born} 不可能", f"birth date {born} is not possible")
    return born


def _kind_and_region(number: str) -> tuple[IdKind, Region | None]:
    head = number[:6]
    if head in _PERMIT_REGIONS:
        kind = IdKind.TAIWAN_PERMIT if head == "830000" else IdKind.HK_MACAO_PERMIT
        return kind, None
    if number[0] == "9":
        region = lookup_region(number[1:3] + "0000")
        if region is None:
            raise InvalidIdNumber("region", f"发证地代码 {number[1:3]} 无效", f"issuing province {number[1:3]} unknown")
        return IdKind.FOREIGN_PERMANENT, region
    region = lookup_region(head)
    if region is None or head[:2] in ("71", "81", "82"):
        raise InvalidIdNumber("region", f"地区代码 {head} 无效", f"region code {head} does not exist")
    return IdKind.RESIDENT, region


def parse_id_number(text: str, today: date | None = None) -> IdNumber:
    """Validate and decode an ID number; `today` bounds the birth date (default: the real today).

    Accepts 18 characters (lower-case x allowed, spaces and full-width digits tolerated) and
    15-digit first-generation numbers, which are upgraded. Raises InvalidIdNumber naming the fault.
    """
    today = today or date.today()
    number = _normalise(text)
    upgraded = False
    if len(number) == 15:
        if not _ascii_digits(number):
            raise InvalidIdNumber("characters", "15位身份证号只能是数字", "a 15-digit ID number has digits only")
        number = number[:6] + "19" + number[6:]
        number += check_character(number)
        upgraded = True
    if len(number) != 18:
        raise InvalidIdNumber("length", f"身份证号应为18位，输入了{len(number)}位",
                              f"an ID number has 18 characters, got {len(number)}")
    if not _ascii_digits(number[:17]) or number[17] not in "0123456789X":
        raise InvalidIdNumber("characters", "身份证号前17位为数字，最后一位为数字或X",
                              "17 digits then a digit or X expected")
    expected = check_character(number[:17])
    if number[17] != expected:
        raise InvalidIdNumber("checksum", "身份证号校验位不符，请核对是否输错",
                              "the check character does not match; please check for a typo")
    kind, region = _kind_and_region(number)
    born = _birth_date(number[6:14], today)
    sex = Sex.MALE if int(number[16]) % 2 else Sex.FEMALE
    return IdNumber(number, kind, number[:6], region, born, sex, upgraded)


def is_valid_id_number(text: str, today: date | None = None) -> bool:
    try:
        parse_id_number(text, today)
    except InvalidIdNumber:
        return False
    return True
