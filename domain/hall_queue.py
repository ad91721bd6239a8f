"""One queue for the hall (issue 11): business lines, ticket numbers, call order, people ahead.

The ledger issues every ticket of a hall: per hall, per business line, per day, numbered
`<line letter><3 digits>` (A001 …). A terminal that cannot reach the ledger issues from its own
offline block `X<slot 2 digits><2 digits>` (X0701 …): the ledger allots each terminal of a hall
its own slot, and no online number starts with X, so offline tickets never collide with each
other or with the ledger's. Priority tickets (the elderly, the disabled) are called before the
others of their line; otherwise first come, first served.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from domain.catalogue import Catalogue, Category

# Business line -> ticket letter. "other" takes anything the catalogue doesn't know.
LINE_LETTERS: dict[str, str] = {
    Category.WITHDRAWAL.value: "A", Category.LOAN.value: "B", Category.TRANSFER.value: "C",
    Category.SIGNING.value: "D", Category.EMPLOYER.value: "E", Category.ACCOUNT.value: "F",
    Category.QUERY.value: "G", Category.TOOL.value: "G", "other": "H",
}
OFFLINE_PREFIX = "X"
MAX_ONLINE = 999  # per line per day
MAX_SLOTS = 99  # terminals per hall with an offline block
MAX_OFFLINE = 99  # offline tickets per terminal per day


def line_of(business: str, catalogue: Catalogue | None) -> str:
    """The business line of a ticket: a category value, an item code or an item's name; else "other"."""
    if business in LINE_LETTERS:
        return business
    if catalogue is not None:
        for item in catalogue.items.values():
            if business in (item.code, item.name, item.name_en):
                return item.category.value
    return "other"


def online_number(line: str, n: int) -> str:
    if not 1 <= n <= MAX_ONLINE:
        raise ValueError(f"今日该业务取号已满 / the {line} line has issued its {MAX_ONLINE} tickets today")
    return f"{LINE_LETTERS.get(line, LINE_LETTERS['other'])}{n:03d}"


def offline_number(slot: int, n: int) -> str:
    if not 1 <= slot <= MAX_SLOTS:
        raise ValueError("离线号段编号无效 / the offline block's slot is out of range")
    if not 1 <= n <= MAX_OFFLINE:
        raise ValueError("本机离线号段已用完，请联网取号 / this terminal's offline block is used up today")
    return f"{OFFLINE_PREFIX}{slot:02d}{n:02d}"


def line_letter_of(ticket_no: str) -> str:
    return ticket_no[:1]


@dataclass(frozen=True)
class Waiting:
    ticket_no: str
    line: str
    priority: bool
    issued_at: str  # ISO time; same clock for all tickets of a hall (the ledger's)


def call_order(t: Waiting) -> tuple[bool, str, str]:
    return (not t.priority, t.issued_at, t.ticket_no)


def ahead_of(me: Waiting, waiting: Iterable[Waiting]) -> int:
    """How many waiting tickets of the same line will be called before this one."""
    mine = call_order(me)
    return sum(1 for t in waiting if t.line == me.line and t.ticket_no != me.ticket_no and call_order(t) < mine)


def next_for(waiting: Sequence[Waiting], lines: Iterable[str]) -> Waiting | None:
    """The ticket a window serving `lines` calls next: priority first, then first come."""
    wanted = set(lines)
    candidates = [t for t in waiting if t.line in wanted]
    return min(candidates, key=call_order) if candidates else None
