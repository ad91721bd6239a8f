"""The business catalogue: what a member or clerk can start, where, with which materials, how fast.

Items and materials live in the city's catalogue file (`resources/policy/<city>.catalogue.toml`:
`[catalogue.items.*]`, `[catalogue.materials.*]`, `[catalogue.tools.*]`) so a second city changes data,
not code. The 67 service items carry audience, channel (全程网办 / 最多跑一次), materials with the
department that can supply each, removed steps, legal basis, time limit, decider and terminals; the
loader checks that the counts add up to what the centre reports ([catalogue.reform]) and that an
`online` item needs no paper. Loading checks every cross-reference (materials,
channels, withdrawal types) and names the bad key.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
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
    ACCOUNT = "account"  # a member's own account (details, merging, flexible employment)


class Audience(enum.StrEnum):
    MEMBER = "member"  # 缴存职工
    EMPLOYER = "employer"  # 缴存单位 (at the counter: its agent, 单位经办人)

    @property
    def zh(self) -> str:
        return {"member": "个人", "employer": "单位"}[self.value]


class ServiceChannel(enum.StrEnum):
    """How the centre reports an item: 全程网办 or 最多跑一次 (seed article: 51 and 16 of 67)."""

    ONLINE = "online"  # 全程网办: zero materials, zero approval, no counter visit
    ONE_TRIP = "one_trip"  # 最多跑一次: the applicant comes to a counter once

    @property
    def zh(self) -> str:
        return {"online": "全程网办", "one_trip": "最多跑一次"}[self.value]


class Decider(enum.StrEnum):
    RULES = "rules"  # 秒批 on shared data
    CLERK = "clerk"  # 柜员 / back office
    SUPERVISOR = "supervisor"  # 主管审批


UNSOURCED_FIELDS = frozenset({"name_zh", "name_en", "audience", "channel", "time_limit", "materials"})


@dataclass(frozen=True)
class Material:
    code: str
    name: str
    name_en: str
    shared_by: Department | None = None  # data sharing with this department replaces the paper
    note: str = ""
    self_service: bool = False  # read or filled in on the terminal itself (ID chip, on-screen form)

    @property
    def needs_no_paper(self) -> bool:
        return self.self_service or self.shared_by is not None


@dataclass(frozen=True)
class BusinessItem:
    code: str
    name: str
    name_en: str
    category: Category
    terminals: frozenset[Channel]  # where it can be started
    time_limit: int  # working days; 0 = on the spot (即时办)
    materials: tuple[str, ...]
    withdrawal_type: WithdrawalType | None = None
    audience: Audience = Audience.MEMBER
    channel: ServiceChannel = ServiceChannel.ONLINE
    decided_by: Decider = Decider.SUPERVISOR
    legal_basis: tuple[str, ...] = ()
    removed_steps: tuple[str, ...] = ()
    removed_materials: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    unsourced: tuple[str, ...] = ()
    service: bool = True  # False for the terminal tools (calculator, outlets, ticket): not among the 67

    @property
    def channels(self) -> frozenset[Channel]:
        return self.terminals

    @property
    def zero_material(self) -> bool:  # 零资料
        return self.channel is ServiceChannel.ONLINE

    @property
    def at_most_one_trip(self) -> bool:  # every item of the catalogue is at most one trip
        return True

    def offered_on(self, channel: Channel) -> bool:
        return channel in self.terminals


@dataclass(frozen=True)
class Catalogue:
    version: str
    items: dict[str, BusinessItem]
    materials: dict[str, Material]
    agent_materials: tuple[str, ...] = ()  # an employer's agent at the counter
    legal: dict[str, str] = field(default_factory=dict)

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

    def services(self) -> list[BusinessItem]:
        """The service items (the centre's 67), without the terminal tools."""
        return [i for i in self.items.values() if i.service]

    def for_channel(self, channel: Channel) -> list[BusinessItem]:
        return [i for i in self.items.values() if i.offered_on(channel)]

    def counter_materials(self, item: BusinessItem) -> tuple[str, ...]:
        """What a counter intake checks: an employer's agent first, then the item's own materials."""
        extra = self.agent_materials if item.audience is Audience.EMPLOYER else ()
        return (*extra, *(m for m in item.materials if m not in extra))

    def for_withdrawal(self, kind: WithdrawalType) -> BusinessItem:
        for item in self.items.values():
            if item.withdrawal_type is kind:
                return item
        raise KeyError(f"目录中没有{kind.value}提取业务 / no catalogue item for the {kind.value} withdrawal")

    def deadline(self, code: str, start: date, calendar: WorkCalendar) -> Deadline:
        """When the centre must have finished the item, counted in working days."""
        return calendar.add_working_days(start, self.item(code).time_limit)

    def _material_row(self, code: str) -> dict[str, Any]:
        m = self.materials[code]
        return {"code": code, "name_zh": m.name, "name_en": m.name_en,
                "supplied_by": m.shared_by.value if m.shared_by is not None else None,
                "self_service": m.self_service}

    def rows(self) -> list[dict[str, Any]]:
        """The service items as plain rows (`hpf-ledger catalogue --json`)."""
        out = []
        for i in self.services():
            out.append({
                "code": i.code, "name_zh": i.name, "name_en": i.name_en, "audience": i.audience.value,
                "channel": i.channel.value, "category": i.category.value,
                "materials": [self._material_row(m) for m in i.materials],
                "counter_materials": list(self.counter_materials(i)),
                "time_limit_workdays": i.time_limit, "decided_by": i.decided_by.value,
                "terminals": sorted(t.value for t in i.terminals),
                "legal_basis": [self.legal.get(code, code) for code in i.legal_basis],
                "removed_steps": list(i.removed_steps), "removed_materials": list(i.removed_materials),
                "sources": list(i.sources), "unsourced": list(i.unsourced),
            })
        return out


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
        bool(table.get("self_service", False)),
    )


def _enum(kind: Any, value: Any, where: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise PolicyError(f"policy: {where} = {value!r} must be one of {allowed}") from None


def _codes(table: Table, key: str, known: Any, where: str, what: str) -> tuple[str, ...]:
    values = table.get(key, [])
    if not isinstance(values, list):
        raise PolicyError(f"policy: {where}.{key} must be a list")
    for v in values:
        if v not in known:
            raise PolicyError(f"policy: {where}.{key} names {v!r}, which is not in {what}")
    return tuple(str(v) for v in values)


def _item(code: str, table: Table, materials: dict[str, Material], legal: dict[str, str]) -> BusinessItem:
    where = f"catalogue.items.{code}"
    needed = _codes(table, "materials", materials, where, "[catalogue.materials]")
    require(table, "materials", list, where)
    terminals = require(table, "terminals", list, where)
    time_limit = require(table, "time_limit", int, where)
    if time_limit < 0:
        raise PolicyError(f"policy: {where}.time_limit = {time_limit} must be >= 0 working days")
    kind = table.get("withdrawal_type")
    channel = _enum(ServiceChannel, require(table, "channel", str, where), f"{where}.channel")
    decider = _enum(Decider, require(table, "decided_by", str, where), f"{where}.decided_by")
    if channel is ServiceChannel.ONLINE:
        paper = [m for m in needed if not materials[m].needs_no_paper]
        if paper:
            raise PolicyError(f"policy: {where} is channel 'online' (零资料) but material {paper[0]!r} is paper: "
                              "give it a shared_by department or make the item 'one_trip'")
        if decider is Decider.SUPERVISOR:
            raise PolicyError(f"policy: {where} is channel 'online' (零审批) but decided_by = 'supervisor'")
    unsourced = _codes(table, "unsourced", UNSOURCED_FIELDS, where, sorted(UNSOURCED_FIELDS).__str__())
    return BusinessItem(
        code=code,
        name=require(table, "name", str, where),
        name_en=require(table, "name_en", str, where),
        category=_enum(Category, require(table, "category", str, where), f"{where}.category"),
        terminals=frozenset(_enum(Channel, c, f"{where}.terminals") for c in terminals),
        time_limit=time_limit,
        materials=needed,
        withdrawal_type=None if kind is None else _enum(WithdrawalType, kind, f"{where}.withdrawal_type"),
        audience=_enum(Audience, require(table, "audience", str, where), f"{where}.audience"),
        channel=channel,
        decided_by=decider,
        legal_basis=_codes(table, "legal_basis", legal, where, "[catalogue.legal]"),
        removed_steps=tuple(str(s) for s in table.get("removed_steps", [])),
        removed_materials=_codes(table, "removed_materials", materials, where, "[catalogue.materials]"),
        sources=tuple(str(s) for s in table.get("sources", [])),
        unsourced=unsourced,
    )


def _tool(code: str, table: Table) -> BusinessItem:
    where = f"catalogue.tools.{code}"
    return BusinessItem(
        code=code, name=require(table, "name", str, where), name_en=require(table, "name_en", str, where),
        category=Category.TOOL,
        terminals=frozenset(_enum(Channel, c, f"{where}.terminals") for c in require(table, "terminals", list, where)),
        time_limit=0, materials=(), decided_by=Decider.RULES, service=False,
    )


def _check_reform(raw: Table, items: dict[str, BusinessItem]) -> None:
    """The totals the centre reports (seed article): the file must add up to them."""
    if "reform" not in section(raw, "catalogue"):
        return
    reform = section(raw, "catalogue.reform")
    services = [i for i in items.values() if i.service]
    counts = {"items": len(services),
              "online": sum(i.channel is ServiceChannel.ONLINE for i in services),
              "one_trip": sum(i.channel is ServiceChannel.ONE_TRIP for i in services)}
    for key, have in counts.items():
        want = require(reform, key, int, "catalogue.reform")
        if have != want:
            raise PolicyError(f"policy: the catalogue has {have} {key} items but [catalogue.reform].{key} = {want}")


def catalogue_from_policy(raw: Table) -> Catalogue:
    meta = section(raw, "meta")
    cat = section(raw, "catalogue")
    mats_table = section(raw, "catalogue.materials")
    materials = {code: _material(code, section(raw, f"catalogue.materials.{code}")) for code in mats_table}
    legal = {str(k): str(v) for k, v in cat.get("legal", {}).items()}
    items_table = section(raw, "catalogue.items")
    items = {code: _item(code, section(raw, f"catalogue.items.{code}"), materials, legal) for code in items_table}
    for code in cat.get("tools", {}):
        if code in items:
            raise PolicyError(f"policy: catalogue.tools.{code} repeats an item code")
        items[code] = _tool(code, section(raw, f"catalogue.tools.{code}"))
    agent: tuple[str, ...] = ()
    if "counter_agent" in cat:
        agent = _codes(section(raw, "catalogue.counter_agent"), "materials", materials, "catalogue.counter_agent",
                       "[catalogue.materials]")
    _check_reform(raw, items)
    return Catalogue(require(meta, "version", str, "meta"), items, materials, agent, legal)


def load_catalogue(city: str = "taiyuan") -> Catalogue:
    return catalogue_from_policy(load_policy_table(city))
