"""The 256-byte text block of a 2nd-generation ID card (UCS-2 LE, space padded; BRIEF §5).

Offsets (bytes): name 0/30, sex 30/2, ethnicity 32/4, birth 36/16, address 52/70, ID number
122/36, issuer 158/30, valid from 188/16, valid to 204/16 ("长期" when permanent), reserved
220/36. Hong Kong / Macau / Taiwan residence permits reuse the block with the pass number at
220/18, the issue count at 238/4 and a card-type flag at 248/2 ("J"); "I"/"Y" marks a foreigner
card, whose layout differs and is not parsed here.

The ID number is checked with `domain.identity` and must agree with the birth date and sex on
the card. Parse errors never quote the block: it is personal data.
"""

from __future__ import annotations

from datetime import date

from domain.identity import IdKind, InvalidIdNumber, parse_id_number
from hardware.idcard.record import PERMANENT, CardType, IdCardRecord
from hardware.model import Availability, DeviceError

TEXT_BLOCK_SIZE = 256

# (offset, length) in bytes
FIELDS: dict[str, tuple[int, int]] = {
    "name": (0, 30),
    "sex": (30, 2),
    "ethnicity": (32, 4),
    "birth_date": (36, 16),
    "address": (52, 70),
    "id_number": (122, 36),
    "issuer": (158, 30),
    "valid_from": (188, 16),
    "valid_to": (204, 16),
    "pass_number": (220, 18),
    "issue_count": (238, 4),
    "card_type": (248, 2),
}

# GB/T 2261.1 sex codes
SEX = {"0": "未知", "1": "男", "2": "女", "9": "未说明"}

# GB 3304 ethnicity codes (BRIEF §5 code table)
_ETHNIC_NAMES = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 "
    "满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 "
    "佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 "
    "达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 "
    "塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 "
    "独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
ETHNICITY = {f"{i:02d}": name for i, name in enumerate(_ETHNIC_NAMES, start=1)} | {
    "97": "其他",
    "98": "外国血统中国籍人士",
}

_FLAG_TYPES = {"": CardType.RESIDENT, "J": CardType.HK_MACAU_TAIWAN, "I": CardType.FOREIGNER,
               "Y": CardType.FOREIGNER}


class TextBlockError(DeviceError):
    """The card's text block is not a valid ID card record (a damaged read, or an odd card)."""

    code = "CARD_DATA"
    availability = Availability.ONLINE

    def __init__(self, message_en: str, message_zh: str = "身份证信息无法识别") -> None:
        super().__init__(message_en, message_zh, action_zh="请取走身份证后重新放置",
                         action_en="Remove the card and place it on the reader again")


def _text(block: bytes, name: str) -> str:
    offset, length = FIELDS[name]
    try:
        value = block[offset:offset + length].decode("utf-16-le")
    except UnicodeDecodeError:
        raise TextBlockError(f"field {name} is not valid UCS-2") from None
    return value.replace("\x00", " ").strip()


def _date(block: bytes, name: str) -> date:
    value = _text(block, name)
    if len(value) != 8 or not value.isdigit():
        raise TextBlockError(f"field {name} is not a YYYYMMDD date")
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        raise TextBlockError(f"field {name} is not a real date") from None


def parse_text_block(block: bytes, photo_wlt: bytes = b"", today: date | None = None) -> IdCardRecord:
    """Parse the text block; raises `TextBlockError` with the field at fault."""
    if len(block) != TEXT_BLOCK_SIZE:
        raise TextBlockError(f"text block has {len(block)} bytes, expected {TEXT_BLOCK_SIZE}")
    flag = _text(block, "card_type")
    card_type = _FLAG_TYPES.get(flag)
    if card_type is None:
        raise TextBlockError(f"unknown card-type flag {flag!r}")
    if card_type is CardType.FOREIGNER:
        raise TextBlockError("foreigner permanent-residence cards use another layout, not supported yet",
                             "暂不支持外国人永久居留身份证")
    sex_code = _text(block, "sex")
    if sex_code not in SEX:
        raise TextBlockError(f"unknown sex code {sex_code!r}")
    ethnicity_code = _text(block, "ethnicity")
    if card_type is CardType.RESIDENT and ethnicity_code not in ETHNICITY:
        raise TextBlockError(f"unknown ethnicity code {ethnicity_code!r}")
    valid_to_text = _text(block, "valid_to")
    valid_to = None if valid_to_text == PERMANENT else _date(block, "valid_to")
    record = IdCardRecord(
        name=_text(block, "name"),
        sex=SEX[sex_code],
        sex_code=sex_code,
        ethnicity=ETHNICITY.get(ethnicity_code, ""),
        ethnicity_code=ethnicity_code,
        birth_date=_date(block, "birth_date"),
        address=_text(block, "address"),
        id_number=_text(block, "id_number").upper(),
        issuer=_text(block, "issuer"),
        valid_from=_date(block, "valid_from"),
        valid_to=valid_to,
        card_type=card_type,
        pass_number=_text(block, "pass_number") if card_type is CardType.HK_MACAU_TAIWAN else "",
        issue_count=_text(block, "issue_count") if card_type is CardType.HK_MACAU_TAIWAN else "",
        photo_wlt=photo_wlt,
    )
    _check_id_number(record, today)
    return record


def _check_id_number(record: IdCardRecord, today: date | None) -> None:
    if not record.name:
        raise TextBlockError("the name field is empty")
    try:
        number = parse_id_number(record.id_number, today)
    except InvalidIdNumber as exc:
        raise TextBlockError(f"ID number on the card is invalid: {exc.en}", f"证件号码无效：{exc.zh}") from None
    permit = number.kind in (IdKind.HK_MACAO_PERMIT, IdKind.TAIWAN_PERMIT)
    if permit != (record.card_type is CardType.HK_MACAU_TAIWAN):
        raise TextBlockError("the ID number does not match the card type")
    if number.birth_date != record.birth_date:
        raise TextBlockError("the birth date does not match the ID number")
    if record.sex_code in ("1", "2") and number.sex.value != record.sex_code:
        raise TextBlockError("the sex does not match the ID number")
    if record.valid_to is not None and record.valid_to < record.valid_from:
        raise TextBlockError("the card's validity ends before it starts")


def _put(block: bytearray, name: str, value: str) -> None:
    offset, length = FIELDS[name]
    encoded = value.ljust(length // 2).encode("utf-16-le")
    if len(encoded) != length:
        raise ValueError(f"{name} is longer than {length // 2} characters")
    block[offset:offset + length] = encoded


def build_text_block(record: IdCardRecord) -> bytes:
    """The block a card holding `record` would return (used by the emulator and tests)."""
    block = bytearray(" ".encode("utf-16-le") * (TEXT_BLOCK_SIZE // 2))
    _put(block, "name", record.name)
    _put(block, "sex", record.sex_code)
    _put(block, "ethnicity", record.ethnicity_code)
    _put(block, "birth_date", record.birth_date.strftime("%Y%m%d"))
    _put(block, "address", record.address)
    _put(block, "id_number", record.id_number)
    _put(block, "issuer", record.issuer)
    _put(block, "valid_from", record.valid_from.strftime("%Y%m%d"))
    _put(block, "valid_to", record.valid_to_text.replace("-", ""))
    if record.card_type is CardType.HK_MACAU_TAIWAN:
        _put(block, "pass_number", record.pass_number)
        _put(block, "issue_count", record.issue_count)
        _put(block, "card_type", "J")
    return bytes(block)
