"""What one ID card holds, after the text block is parsed. Its repr masks the personal fields."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date

from domain.masking import mask_id_number, mask_name

PERMANENT = "长期"  # the literal "valid to" of a card that never expires


class CardType(enum.StrEnum):
    RESIDENT = "resident"  # 居民身份证
    HK_MACAU_TAIWAN = "hk_macau_taiwan"  # 港澳台居民居住证 (flag "J")
    FOREIGNER = "foreigner"  # 外国人永久居留身份证 (flag "I"/"Y")


@dataclass(frozen=True, repr=False)
class IdCardRecord:
    """What an ID card holds, as read by a card reader."""
    name: str
    sex: str  # 男 / 女 / 未知 / 未说明
    sex_code: str
    ethnicity: str  # 汉 ...; empty on permits, which carry no ethnicity
    ethnicity_code: str
    birth_date: date
    address: str
    id_number: str
    issuer: str
    valid_from: date
    valid_to: date | None  # None = 长期 (permanent)
    card_type: CardType = CardType.RESIDENT
    pass_number: str = ""  # 通行证号码 on HK/Macau/Taiwan permits
    issue_count: str = ""  # 签发次数 on HK/Macau/Taiwan permits
    photo_wlt: bytes = field(default=b"", compare=False)  # vendor WLT format; needs a licensed decoder

    @property
    def valid_to_text(self) -> str:
        return PERMANENT if self.valid_to is None else self.valid_to.isoformat()

    def is_expired(self, today: date) -> bool:
        return self.valid_to is not None and self.valid_to < today

    def as_json(self, *, unmasked: bool = False) -> dict[str, str]:
        """The fields `hpf-diag read-id --json` prints; the ID number is masked unless asked."""
        return {
            "name": self.name,
            "sex": self.sex,
            "ethnicity": self.ethnicity,
            "birth_date": self.birth_date.isoformat(),
            "address": self.address,
            "id_number": self.id_number if unmasked else mask_id_number(self.id_number),
            "issuer": self.issuer,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to_text,
        }

    def __repr__(self) -> str:
        return (f"IdCardRecord(name={mask_name(self.name)!r}, id_number={mask_id_number(self.id_number)!r}, "
                f"card_type={self.card_type.value}, valid_to={self.valid_to_text!r})")

    __str__ = __repr__
