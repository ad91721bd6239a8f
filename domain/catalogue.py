"""The business catalogue: what a member or clerk can start, where, with which materials, how fast.

Items and materials live in the city's policy file (`[catalogue.items.*]`, `[catalogue.materials.*]`)
so a second city changes data, not code. Loading checks every cross-reference (materials,
channels, withdrawal types) and names the bad key.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.evidence import Department
from domain.policy import PolicyError, Table, load_policy_table, require, section
from domain.withdrawals.application import WithdrawalType
from domain.workdays import Deadline, WorkCalendar


class Channel(enum.StrEnum):
    KIOSK = "kiosk"  # 自助终端
    ONLINE = "online"  # 网上业务大厅 / app / WeChat
    COUNTER = "counter"  # 柜面

    @property
    def zh(self) -> str:
        return {"kiosk": "自助终端", "online": "网上办理", "counter": "柜面"}[self.value]


class Category(enum.StrEnum):
    QUERY = "query"
    TOOL = "tool"
    WITHDRAWAL = "withdrawal"
    LOAN = "loan"
    SIGNING = "signing"
    TRANSFER = "transfer"
    EMPLOYER = "employer"


@dataclass(frozen=True)
class Material:
    code: str
    name: str
    name_en: str
    shared_by: Department | None = None  # data sharing with this department replaces the paper
    note: str = ""


@dataclass(frozen=True)
class BusinessItem:
    code: str
    name: str
    name_en: str
    category: Category
    channels: frozenset[Channel]
    zero_material: bool  # 零资料: shared data answers everything
    at_most_one_trip: bool  # 最多跑一次
    time_limit: int  # working days; 0 = on the spot (即时办)
    materials: tuple[str, ...]
    withdrawal_type: WithdrawalType | None = None

    def offered_on(self, channel: Channel) -> bool:
        return channel in self.channels


@dataclass(frozen=True)
class Catalogue:
    version: str
    items: dict[str, BusinessItem]
    materials: dict[str, Material]

    def item(self, code: str) -> BusinessItem:
        try:
            return self.items[code]
        except KeyError:
            raise KeyError(f"目录中没有业务 {code!r} / no business item {code!r} in the catalogue") from None

    def material(self, code: str) -> Material:
        try:
            return self.materials[code]
        except KeyError:
            raise KeyError(f"目录中没有材料 {code!r} / no material {code!r} in the catalogue") from None

    def for_channel(self, channel: Channel) -> list[BusinessItem]:
        return [i for i in self.items.values() if i.offered_on(channel)]

    def for_withdrawal(self, kind: WithdrawalType) -> BusinessItem:
        for item in self.items.values():
            if item.withdrawal_type is kind:
                return item
        raise KeyError(f"目录中没有{kind.value}提取业务 / no catalogue item for the {kind.value} withdrawal")

    def deadline(self, code: str, start: date, calendar: WorkCalendar) -> Deadline:
        """When the centre must have finished the item, counted in working days."""
        return calendar.add_working_days(start, self.item(code).time_limit)


def _material(code: str, table: Table) -> Material:
    where = f"catalogue.materials.{code}"
    shared: Department | None = None
    if "shared_by" in table:
        try:
            shared = Department(require(table, "shared_by", str, where))
        except ValueError:
            raise PolicyError(f"policy: {where}.shared_by = {table['shared_by']!r} is not a known department") from None
    return Material(
        code,
        require(table, "name", str, where),
        require(table, "name_en", str, where),
        shared,
        str(table.get("note", "")),
    )


def _enum(kind: Any, value: Any, where: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise PolicyError(f"policy: {where} = {value!r} must be one of {allowed}") from None


def _item(code: str, table: Table, materials: dict[str, Material]) -> BusinessItem:
    where = f"catalogue.items.{code}"
    channels = require(table, "channels", list, where)
    needed = require(table, "materials", list, where)
    for m in needed:
        if m not in materials:
            raise PolicyError(f"policy: {where}.materials names {m!r}, which is not in [catalogue.materials]")
    time_limit = require(table, "time_limit", int, where)
    if time_limit < 0:
        raise PolicyError(f"policy: {where}.time_limit = {time_limit} must be >= 0 working days")
    kind = table.get("withdrawal_type")
    return BusinessItem(
        code=code,
        name=require(table, "name", str, where),
        name_en=require(table, "name_en", str, where),
        category=_enum(Category, require(table, "category", str, where), f"{where}.category"),
        channels=frozenset(_enum(Channel, c, f"{where}.channels") for c in channels),
        zero_material=require(table, "zero_material", bool, where),
        at_most_one_trip=require(table, "at_most_one_trip", bool, where),
        time_limit=time_limit,
        materials=tuple(needed),
        withdrawal_type=None if kind is None else _enum(WithdrawalType, kind, f"{where}.withdrawal_type"),
    )


def catalogue_from_policy(raw: Table) -> Catalogue:
    meta = section(raw, "meta")
    mats_table = section(raw, "catalogue.materials")
    materials = {code: _material(code, section(raw, f"catalogue.materials.{code}")) for code in mats_table}
    items_table = section(raw, "catalogue.items")
    items = {code: _item(code, section(raw, f"catalogue.items.{code}"), materials) for code in items_table}
    return Catalogue(require(meta, "version", str, "meta"), items, materials)


def load_catalogue(city: str = "taiyuan") -> Catalogue:
    return catalogue_from_policy(load_policy_table(city))
