"""The fictitious demo people, the same every run, shared by `hpf-ledger seed-demo` and `hpf-exchange serve`.

The ledger seeds its members from these people and the exchange simulator answers department
look-ups about the same people, so the demo's 秒批 happens on facts the centre fetched, not on
facts copied into the ledger. Pure and seeded: no I/O. None of it describes a real person: ID
numbers use real Taiyuan GB/T 2260 county codes and a correct GB 11643 check character.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from domain.identity import check_character
from domain.regions import regions_in

DEFAULT_SEED = 11643

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国晋红梅志刚海燕文博宇轩子涵浩然欣怡晓东丽娟鹏飞俊杰"
_EMPLOYERS = ("太原市示例机械制造有限公司", "山西示例能源集团有限公司", "太原示例软件科技有限公司",
              "太原市示例第一中学", "山西示例建设工程有限公司", "太原示例商贸有限公司",
              "太原市示例人民医院", "山西示例物流有限公司", "太原示例食品有限公司", "太原市示例区人民政府")
BANKS = (("中国建设银行", "621700"), ("中国工商银行", "622202"), ("中国银行", "621661"),
         ("中国农业银行", "622848"), ("交通银行", "622260"))
_PHONE_PREFIXES = ("139", "138", "137", "135", "150", "151", "158", "186", "187", "189")
RETIREMENT_AGE = 60  # the demo's simplification: every demo person born before 1964 has retired


@dataclass(frozen=True)
class DemoPerson:
    member_id: str     # 个人账号 at the fund centre
    id_number: str     # 18-character GB 11643 number
    name: str
    sex: str           # "1" male, "2" female (GB 11643 sequence parity)
    birth_date: date
    region_code: str   # GB/T 2260 county of the ID number
    phone: str
    employer: str
    bank: str          # trustee bank of the co-branded card ("" = none)
    card: str          # co-branded card number with a Luhn digit ("" = none)
    owns_home_in_city: bool
    retired: bool
    married: bool

    @property
    def retired_on(self) -> date | None:
        if not self.retired:
            return None
        return date(self.birth_date.year + RETIREMENT_AGE, self.birth_date.month, min(self.birth_date.day, 28))

    @property
    def home_property_id(self) -> str:
        """The 不动产单元号 the demo registry gives the member's home ("" when none)."""
        return f"DEMO-{self.member_id}" if self.owns_home_in_city else ""


def luhn_complete(prefix_digits: str) -> str:
    """A card number: the prefix plus its Luhn check digit (bank cards carry one)."""
    total = 0
    for i, ch in enumerate(reversed(prefix_digits)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return prefix_digits + str((10 - total % 10) % 10)


def demo_people(count: int, seed: int = DEFAULT_SEED) -> list[DemoPerson]:
    """`count` demo people; the first n of a larger count are the same n people."""
    rng = random.Random(seed)
    counties = sorted(c for c in regions_in("1401") if not c.endswith("00"))
    seen: set[str] = set()
    people: list[DemoPerson] = []
    for index in range(count):
        while True:
            region = rng.choice(counties)
            birth = date(1962, 1, 1) + timedelta(days=rng.randrange(0, 40 * 365))
            seq = rng.randrange(1, 1000)
            first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
            number = first17 + check_character(first17)
            if number not in seen:
                seen.add(number)
                break
        name = rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))
        bank, bin_ = rng.choice(BANKS)
        card = luhn_complete(bin_ + "".join(str(rng.randrange(10)) for _ in range(12))) if rng.random() < 0.85 else ""
        people.append(DemoPerson(
            member_id=f"1401{index + 1:08d}", id_number=number, name=name, sex="1" if seq % 2 else "2",
            birth_date=birth, region_code=region, phone=rng.choice(_PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}",
            employer=rng.choice(_EMPLOYERS), bank=bank if card else "", card=card,
            owns_home_in_city=rng.random() < 0.5, retired=birth.year < 1964, married=rng.random() < 0.4))
    return people
