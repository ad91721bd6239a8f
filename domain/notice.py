"""一次性告知书 (one-time notice): everything still missing for one business item, in one document.

"最多跑一次" only works if the member learns every missing item at once (BRIEF §6), so the notice
lists all of them, says why each is needed and whether a department's shared data could replace
it, and carries the rule version it was produced under. It is a structured value; screens and
printers lay it out, `lines()` gives a plain-text rendering for receipts and logs (masked).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from domain.catalogue import BusinessItem, Catalogue
from domain.decision import Decision, Verdict
from domain.evidence import Department
from domain.masking import mask_id_number, mask_name

BEIJING = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class MissingItem:
    material: str  # catalogue material code
    name: str
    name_en: str
    why: str  # the rule's own words, Chinese
    why_en: str
    clause: str
    alternative: str = ""  # e.g. "可授权查询不动产登记数据代替"
    alternative_en: str = ""


@dataclass(frozen=True)
class OneTimeNotice:
    notice_no: str
    item_code: str
    item_name: str
    item_name_en: str
    member_name: str  # masked
    member_id_number: str  # masked
    issued_at: datetime  # UTC
    issued_by: str  # terminal or clerk id
    policy_version: str
    missing: tuple[MissingItem, ...]
    time_limit: int  # working days once complete
    also_checked: tuple[str, ...] = ()  # review points the clerk will look at, Chinese

    @property
    def complete(self) -> bool:
        return not self.missing

    def lines(self) -> list[str]:
        """A printable rendering, Chinese first, English second: member-facing only (the clerk's review
        points, `also_checked`, stay in the record, not on the member's paper)."""
        local = self.issued_at.astimezone(BEIJING)
        out = [
            "一次性告知书 / One-time notice",
            f"编号 No.: {self.notice_no}",
            f"事项 Item: {self.item_name} / {self.item_name_en}",
            f"申请人 Applicant: {self.member_name}  {self.member_id_number}",
            f"时间 Issued: {local:%Y-%m-%d %H:%M} (北京时间)  经办 By: {self.issued_by}",
            f"规则版本 Rule version: {self.policy_version}",
        ]
        if self.complete:
            out.append("材料齐全，无需补充。/ Nothing is missing.")
        else:
            out.append(f"尚需补充以下{len(self.missing)}项材料 / Still needed ({len(self.missing)}):")
            for row in notice_rows(self):
                out.append(f"{row.number}. {row.name} / {row.name_en}")
                out.append(f"   原因：{row.why} / {row.why_en}")
                if row.alternative:
                    out.append(f"   或：{row.alternative} / or: {row.alternative_en}")
        limit = "当场办结" if self.time_limit == 0 else f"材料齐全后{self.time_limit}个工作日内办结"
        out.append(f"办理时限 Time limit: {limit}")
        out.append("本告知书一次性告知全部所需材料。/ This notice lists everything required, once.")
        return out


def _alternative(department: Department | None) -> tuple[str, str]:
    if department is None or not department.is_shared_data or department is Department.FUND_CENTRE:
        return ("", "")  # no department's data can replace this paper
    return (f"授权本中心查询{department.value}共享数据代替",
            f"authorise us to check {department.en} records through data sharing instead")


def _missing_line(catalogue: Catalogue, code: str, why: str, why_en: str, clause: str,
                  source: Department | None = None) -> MissingItem:
    m = catalogue.material(code)
    alt, alt_en = _alternative(m.shared_by or source)
    return MissingItem(code, m.name, m.name_en, why, why_en, clause, alt, alt_en)


def _fact_line(key: str, why: str, why_en: str, clause: str, source: Department | None) -> MissingItem:
    alt, alt_en = _alternative(source)
    return MissingItem(key, "证明材料", "proof", why, why_en, clause, alt, alt_en)


@dataclass(frozen=True)
class NoticeRow:
    """One missing item as every place shows it: the kiosk's screen, the receipt and A4 paper, and the
    counter's checklist (the one function `notice_rows` feeds all of them)."""

    number: int
    material: str
    name: str
    name_en: str
    why: str
    why_en: str
    alternative: str
    alternative_en: str

    def text(self, chinese: bool) -> str:
        if chinese:
            alternative = f"（或：{self.alternative}）" if self.alternative else ""
            return f"{self.number}. {self.name}：{self.why}{alternative}"
        return f"{self.number}. {self.name_en}: {self.why_en}" + (
            f" (or: {self.alternative_en})" if self.alternative_en else "")


def notice_rows(notice: OneTimeNotice) -> tuple[NoticeRow, ...]:
    """Every missing item of a notice, numbered, with its reason and the alternative."""
    return tuple(NoticeRow(n, m.material, m.name, m.name_en, m.why, m.why_en, m.alternative, m.alternative_en)
                 for n, m in enumerate(notice.missing, 1))


def checklist_missing(notice: OneTimeNotice, checklist: Iterable[str]) -> tuple[set[str], list[str]]:
    """Reconcile a counter checklist (its materials still unticked) with the notice issued for it: the
    ones the notice does not ask for (the rules do not need them) and the notice's items the checklist
    lacks. After this the checklist's missing lines are exactly the notice's rows."""
    asked = [row.material for row in notice_rows(notice)]
    unticked = list(checklist)
    return {c for c in unticked if c not in asked}, [c for c in asked if c not in unticked]


def notice_for_decision(
    decision: Decision,
    item: BusinessItem,
    catalogue: Catalogue,
    *,
    member_name: str,
    member_id_number: str,
    notice_no: str,
    issued_by: str,
    issued_at: datetime | None = None,
) -> OneTimeNotice:
    """Every missing material of a withdrawal decision, with the rule that asked for it."""
    seen: dict[str, MissingItem] = {}
    for r in decision.having(Verdict.MISSING):
        key = r.material or f"rule:{r.rule}"
        if key in seen:
            continue
        if r.material and r.material in catalogue.materials:
            seen[key] = _missing_line(catalogue, r.material, r.zh, r.en, r.clause, r.source)
        else:  # a rule that asks for a fact, not a catalogue paper: the reason itself is the item
            seen[key] = _fact_line(key, r.zh, r.en, r.clause, r.source)
    review = tuple(r.zh for r in decision.having(Verdict.REVIEW))
    return _notice(
        item,
        tuple(seen.values()),
        review,
        member_name,
        member_id_number,
        notice_no,
        issued_by,
        issued_at,
        decision.policy_version,
    )


def notice_for_checklist(
    item: BusinessItem,
    catalogue: Catalogue,
    presented: Iterable[str],
    *,
    member_name: str,
    member_id_number: str,
    notice_no: str,
    issued_by: str,
    issued_at: datetime | None = None,
) -> OneTimeNotice:
    """A counter intake: the item's required materials minus what the member brought."""
    have = set(presented)
    unknown = have - set(catalogue.materials)
    if unknown:
        raise KeyError(f"未知材料 / unknown material codes: {sorted(unknown)}")
    missing = tuple(
        _missing_line(
            catalogue,
            code,
            f"办理“{item.name}”需要此材料",
            f"required for {item.name_en}",
            f"[catalogue.items.{item.code}] materials",
        )
        for code in catalogue.counter_materials(item)
        if code not in have
    )
    return _notice(item, missing, (), member_name, member_id_number, notice_no, issued_by, issued_at, catalogue.version)


def _notice(
    item: BusinessItem,
    missing: tuple[MissingItem, ...],
    review: tuple[str, ...],
    member_name: str,
    member_id_number: str,
    notice_no: str,
    issued_by: str,
    issued_at: datetime | None,
    version: str,
) -> OneTimeNotice:
    when = issued_at or datetime.now(UTC)
    if when.tzinfo is None:
        raise ValueError("issued_at must be timezone-aware")
    return OneTimeNotice(
        notice_no,
        item.code,
        item.name,
        item.name_en,
        mask_name(member_name),
        mask_id_number(member_id_number),
        when.astimezone(UTC),
        issued_by,
        version,
        missing,
        item.time_limit,
        review,
    )
