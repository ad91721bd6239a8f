"""Fictitious cards for the emulator, the demo and tests. No real person's data.

The ID numbers are constructed to pass the GB 11643 checksum (140105 = 太原市小店区; 810000 =
Hong Kong residence permit); names and addresses are invented.
"""

from __future__ import annotations

from datetime import date

from hardware.idcard.record import CardType, IdCardRecord

RESIDENT = IdCardRecord(
    name="张三", sex="男", sex_code="1", ethnicity="汉", ethnicity_code="01",
    birth_date=date(1990, 3, 7), address="山西省太原市小店区示例路1号", id_number="140105199003071234",
    issuer="太原市公安局小店分局", valid_from=date(2015, 6, 1), valid_to=date(2035, 6, 1),
)

RESIDENT_PERMANENT = IdCardRecord(
    name="李四娘", sex="女", sex_code="2", ethnicity="回", ethnicity_code="03",
    birth_date=date(1985, 6, 15), address="山西省太原市小店区样板街2号3单元401室", id_number="140105198506152023",
    issuer="太原市公安局小店分局", valid_from=date(2010, 1, 20), valid_to=None,
)

HK_PERMIT = IdCardRecord(
    name="陈大文", sex="男", sex_code="1", ethnicity="", ethnicity_code="",
    birth_date=date(1990, 1, 1), address="", id_number="810000199001011230",
    issuer="太原市公安局", valid_from=date(2020, 5, 1), valid_to=date(2025, 5, 1),
    card_type=CardType.HK_MACAU_TAIWAN, pass_number="H12345678", issue_count="01",
)

SAMPLES = {"resident": RESIDENT, "permanent": RESIDENT_PERMANENT, "hk": HK_PERMIT}


def sample_photo(seed: int = 0) -> bytes:
    """1024 bytes standing in for a WLT photo (the real format needs a vendor decoder)."""
    return bytes((seed + i * 7) & 0xFF for i in range(1024))
