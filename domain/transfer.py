"""异地转移接续 intake: which centres a member can transfer in from, and what the form must hold.

The member applies at the transfer-IN centre (BRIEF §6), so a kiosk application is always
direction "in"; the transfer-out centre is picked from the GB/T 2260 table (domain.regions): one
centre per municipality, per prefecture-level city and per county-level city directly under a
province. The city-specific facts (this centre's own region, the account-number shape) are in
the policy file's `[transfer]` table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.account import AccountSnapshot
from domain.catalogue import Catalogue
from domain.policy import PolicyError, Table, load_policy_table, require, section
from domain.regions import province_name, regions_in
from domain.workdays import Deadline, WorkCalendar

# Municipalities (直辖市): the province is the centre.
_MUNICIPALITIES = frozenset({"11", "12", "31", "50"})
# County-level cities directly under a province carry "90" as their prefecture digits (429004 仙桃市).
_DIRECT_COUNTY_PREFECTURE = "90"
CATALOGUE_CODE = "transfer"


@dataclass(frozen=True)
class TransferRules:
    own_region: str  # six digits, this centre's prefecture
    excluded_provinces: frozenset[str]
    account_min_digits: int
    account_max_digits: int


@dataclass(frozen=True)
class Centre:
    """A transfer-out centre: the region it serves and the name the national platform shows."""

    code: str  # GB/T 2260, six digits
    region: str  # 北京市 / 晋中市 / 仙桃市

    @property
    def name(self) -> str:
        return f"{self.region}住房公积金管理中心"


@dataclass(frozen=True)
class FormError:
    zh: str
    en: str


def rules_from_policy(raw: Table) -> TransferRules:
    t = section(raw, "transfer")
    own = require(t, "own_region", str, "transfer")
    if len(own) != 6 or not own.isdigit():
        raise PolicyError(f"policy: transfer.own_region = {own!r} must be a six-digit GB/T 2260 code")
    lo, hi = require(t, "account_min_digits", int, "transfer"), require(t, "account_max_digits", int, "transfer")
    if not 1 <= lo <= hi <= 64:
        raise PolicyError(f"policy: transfer.account_min_digits/max_digits = {lo}/{hi} must satisfy 1 <= min <= max"
                          " <= 64")
    excluded = require(t, "excluded_provinces", list, "transfer")
    return TransferRules(own, frozenset(str(p) for p in excluded), lo, hi)


def load_transfer_rules(city: str = "taiyuan") -> TransferRules:
    return rules_from_policy(load_policy_table(city))


def provinces(rules: TransferRules) -> list[tuple[str, str]]:
    """(two-digit code, name) of every province with a housing provident fund, in code order."""
    return sorted((code[:2], name) for code, name in regions_in("").items()
                  if code.endswith("0000") and code[:2] not in rules.excluded_provinces)


def centres_in(province: str, rules: TransferRules) -> list[Centre]:
    """The centres a member can transfer in from, in one province (this centre itself left out)."""
    if province in rules.excluded_provinces:
        return []
    if province in _MUNICIPALITIES:
        name = province_name(province)
        found = [Centre(province + "0000", name)] if name else []
    else:
        found = [Centre(code, name) for code, name in sorted(regions_in(province).items())
                 if (code.endswith("00") and not code.endswith("0000"))
                 or code[2:4] == _DIRECT_COUNTY_PREFECTURE]
    return [c for c in found if c.code[:4] != rules.own_region[:4]]


def centre_by_code(code: str, rules: TransferRules) -> Centre | None:
    return next((c for c in centres_in(code[:2], rules) if c.code == code), None)


def check_account(number: str, rules: TransferRules) -> tuple[str, FormError | None]:
    """The account number at the transfer-out centre, cleaned; "" is allowed (the platform finds the
    account by the ID number)."""
    cleaned = number.replace(" ", "").strip()
    if not cleaned:
        return "", None
    if not (cleaned.isascii() and cleaned.isdigit()):
        return cleaned, FormError("原公积金账号只能由数字组成。", "The account number there has digits only.")
    if not rules.account_min_digits <= len(cleaned) <= rules.account_max_digits:
        lo, hi = rules.account_min_digits, rules.account_max_digits
        return cleaned, FormError(f"原公积金账号应为 {lo} 至 {hi} 位数字。",
                                  f"The account number there has {lo} to {hi} digits.")
    return cleaned, None


def check_member(snapshot: AccountSnapshot) -> FormError | None:
    """Whether the member's account here can take a transfer in: the new employer must have opened
    it and it must be in normal deposit (正常), not sealed (封存) [P: national platform practice]."""
    if snapshot.account.is_normal:
        return None
    return FormError("您在本中心的账户不是正常缴存状态，暂不能转入。请新单位为您开户缴存后再办理，或到柜台咨询。",
                     "Your account here is not in normal deposit, so nothing can be transferred into it yet. "
                     "Apply once your new employer has opened it and paid into it, or ask at a counter.")


def transfer_in_payload(centre: Centre, account: str, channel: str) -> dict[str, Any]:
    """The "transfer.apply" payload (domain.transactions.TransferApply) of an intake here."""
    return {"direction": "in", "counterpart_centre": centre.name, "counterpart_account": account,
            "channel": channel}


def transfer_deadline(catalogue: Catalogue, start: date, calendar: WorkCalendar) -> Deadline:
    """When this centre must have acted (the catalogue's time limit, in working days)."""
    return catalogue.deadline(CATALOGUE_CODE, start, calendar)


def time_limit_sentences(deadline: Deadline) -> tuple[str, str]:
    """The time limit as the receipt states it: counted from acceptance, so an application still
    waiting in a terminal's outbox promises nothing (each side acts within the limit, BRIEF §6)."""
    n, due = deadline.working_days, deadline.due
    zh = (f"时限：本中心受理后 {n} 个工作日内发起转移（今日受理则于 {due:%Y-%m-%d} 前），"
          f"转出地中心收到后 {n} 个工作日内办理。")
    en = (f"Time limit: this centre starts the transfer within {n} working days of accepting it (by "
          f"{due:%Y-%m-%d} if accepted today); the transfer-out centre then acts within {n} working days.")
    if deadline.provisional:
        zh, en = f"{zh}（{deadline.note_zh}）", f"{en} ({deadline.note_en})"
    return zh, en
