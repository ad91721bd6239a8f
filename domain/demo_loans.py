"""Demo facts the loan topics of the exchange simulator answer, the same every run (domain.demo_people style).

Pure and seeded by the demo people's own numbers. None of it describes a real person or home.

  credit report (人民银行征信)   clean for most people; a member whose number ends in 4 (mod 9) has
                                 adverse records (连三累六), one ending in 7 (mod 9) an amount overdue now
  purchase contract (网签备案)   "WQ" + member id: the member buys a home (price from their number, 30 %
                                 down payment paid into supervision) from a demo seller; "WQ" + member id
                                 + "-M": the same, but the home still carries the seller's mortgage
  property (不动产登记)          by the certificate number or the address of such a contract
  mortgage registration          a write: a receipt "DY…", completed later (exchange.loans.MortgageDesk)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from domain.demo_people import DemoPerson, luhn_complete

CONTRACT_PREFIX = "WQ"
MORTGAGED_SUFFIX = "-M"
SELLER_BANK = "中国建设银行太原分行"


def _number(text: str, lo: int, hi: int) -> int:
    return lo + int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16) % (hi - lo + 1)


def credit_class(person: DemoPerson) -> str:
    """clean | adverse (连三累六) | overdue_now."""
    n = int(person.member_id) % 9
    return {4: "adverse", 7: "overdue_now"}.get(n, "clean")


def credit_report(person: DemoPerson) -> dict[str, Any]:
    kind = credit_class(person)
    debt = _number(person.id_number + "debt", 0, 3) * 50_000  # 0-1,500 yuan a month of other debt, in fen
    if kind == "adverse":
        return {"overdue_now": False, "max_consecutive_overdue": 3, "overdue_count_24m": 7,
                "monthly_debt_fen": debt, "open_housing_loans": 0, "report_no": f"ZX{person.member_id}"}
    if kind == "overdue_now":
        return {"overdue_now": True, "max_consecutive_overdue": 1, "overdue_count_24m": 1,
                "monthly_debt_fen": debt, "open_housing_loans": 0, "report_no": f"ZX{person.member_id}"}
    return {"overdue_now": False, "max_consecutive_overdue": 0, "overdue_count_24m": 0, "monthly_debt_fen": debt,
            "open_housing_loans": 0, "report_no": f"ZX{person.member_id}"}


@dataclass(frozen=True)
class DemoHome:
    certificate_no: str
    address: str
    seller_id_number: str
    mortgaged: bool


def contract_no_for(person: DemoPerson, *, mortgaged: bool = False) -> str:
    return f"{CONTRACT_PREFIX}{person.member_id}{MORTGAGED_SUFFIX if mortgaged else ''}"


def home_for(person: DemoPerson, *, mortgaged: bool = False) -> DemoHome:
    n = int(person.member_id) % 100_000
    tag = "M" if mortgaged else ""
    address = f"太原市小店区示例路{n % 300 + 1}号{n % 30 + 1}01{tag}室"
    return DemoHome(f"晋(2026)太原市不动产权第{n:07d}{tag}号", address, f"14010519700101{n % 1000:03d}X", mortgaged)


def purchase_contract(person: DemoPerson, *, mortgaged: bool = False) -> dict[str, Any]:
    home = home_for(person, mortgaged=mortgaged)
    price = _number(person.id_number + "price", 60, 250) * 10_000 * 100  # fen
    down = price * 3 // 10
    account = luhn_complete("621700" + f"{int(person.member_id) % 10**12:012d}")
    return {"contract_no": contract_no_for(person, mortgaged=mortgaged), "buyer_id_numbers": [person.id_number],
            "price_fen": price, "down_payment_fen": down, "down_payment_paid": True,
            "seller_name": "示例房地产开发有限公司", "seller_bank": SELLER_BANK, "seller_account": account,
            "certificate_no": home.certificate_no, "address": home.address, "housing": "commercial"}


def property_record(person: DemoPerson, *, mortgaged: bool = False) -> dict[str, Any]:
    home = home_for(person, mortgaged=mortgaged)
    return {"certificate_no": home.certificate_no, "address": home.address,
            "owner_id_numbers": [home.seller_id_number], "mortgaged": home.mortgaged, "seized": False,
            "mortgages": [{"mortgagee": "中国工商银行太原分行", "released": False}] if mortgaged else []}
