"""Queue calling (叫号): the outlet's tickets from the ledger, kiosk tickets included, and this window's calls.

The ledger's GET /v1/queue is the one queue of the hall: tickets taken at kiosks and at the
counter land there through the outbox. The counter overlays its own events that are still in its
outbox, so a ticket it called is never offered again while offline; once delivered (or refused),
the ledger's copy is the truth again. When the ledger
cannot be reached the last copy is kept and marked stale with its time.

Who is next: a ticket transferred to this window first (it has waited once already), then the
priority lane (老年人, 孕妇, 军人 … flagged at issue), then the rest by issue time; only tickets
whose business belongs to the categories this window serves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from counter_app.desk import Desk
from domain.catalogue import Catalogue, Category
from domain.staff import Permission
from infra.logs import get_logger
from sync import errors

log = get_logger("counter")

WAITING, CALLED, TRANSFERRED = "waiting", "called", "transferred"
OTHER = "other"


@dataclass(frozen=True)
class Ticket:
    ticket_no: str
    business: str
    priority: bool
    status: str
    window: str
    issued_at: str

    def category(self, catalogue: Catalogue) -> str:
        """The business category of the ticket. Kiosks write the item's name (退休提取), other
        terminals an item code or a category; anything else is "other" (still callable)."""
        if self.business in {c.value for c in Category}:
            return self.business
        for item in catalogue.items.values():
            if self.business in (item.code, item.name, item.name_en):
                return item.category.value
        return OTHER


def announcement(ticket_no: str, window: str) -> tuple[str, str]:
    return f"请 {ticket_no} 号到 {window} 号窗口办理", f"Number {ticket_no}, please go to window {window}"


def next_ticket(tickets: Iterable[Ticket], categories: frozenset[str], window: str,
                catalogue: Catalogue) -> Ticket | None:
    """The ticket this window should call next, or None."""
    mine = [t for t in tickets if t.status == TRANSFERRED and t.window == window]
    if mine:
        return min(mine, key=lambda t: t.issued_at)
    waiting = [t for t in tickets if t.status == WAITING and t.category(catalogue) in categories]
    if not waiting:
        return None
    return min(waiting, key=lambda t: (not t.priority, t.issued_at, t.ticket_no))


class QueueDesk:
    """This window's view of the hall queue and its calls."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.tickets: list[Ticket] = []
        self.fetched_at: datetime | None = None
        self.stale = True
        self.current: Ticket | None = None
        # ticket_no -> (status, window, outbox key) of this window's events the ledger has not applied yet
        self._overlay: dict[str, tuple[str, str, str]] = {}

    def refresh(self) -> None:
        """Pull the hall queue; keep the last copy (stale) when the ledger is unreachable."""
        try:
            data: Any = self.desk.runtime.client.queue(self.desk.settings.outlet)
        except Exception as exc:  # any ledger failure: work from the last copy
            log.info("queue not refreshed, working from the copy of %s: %s", self.fetched_at, exc)
            self.stale = True
            return
        fresh = [Ticket(t["ticket_no"], t.get("business", ""), bool(t.get("priority")), t["status"],
                        t.get("window") or "", t.get("issued_at", "")) for t in data.get("tickets", [])]
        self.tickets = [self._overlaid(t) for t in fresh]
        self.fetched_at = datetime.now(UTC)
        self.stale = False

    def _overlaid(self, t: Ticket) -> Ticket:
        local = self._overlay.get(t.ticket_no)
        if local is None:
            return t
        status, window, key = local
        if not self._unsent(key):  # delivered (the ledger's copy says the rest) or refused (see 中心退回)
            self._overlay.pop(t.ticket_no)
            return t
        return replace(t, status=status, window=window)

    def _unsent(self, key: str) -> bool:
        outbox = getattr(self.desk.runtime, "outbox", None)
        item = outbox.get(key) if outbox is not None and key else None
        return item is not None and item.state in ("pending", "in_flight")

    def waiting(self, categories: frozenset[str] | None = None) -> list[Ticket]:
        cat = self.desk.catalogue
        return [t for t in self.tickets
                if t.status == WAITING and (categories is None or t.category(cat) in categories)]

    def _event(self, ticket: Ticket, event: str, window: str, action: str) -> Ticket:
        me = self.desk.guard(Permission.CALL_QUEUE, f"queue.{action}", detail=f"{ticket.ticket_no} {window}")
        receipt = self.desk.enqueue("queue.event", {"ticket_no": ticket.ticket_no, "outlet": self.desk.settings.outlet,
                                                    "event": event, "window": window, "clerk": me.staff_id})
        updated = replace(ticket, status=event, window=window)
        self._overlay[ticket.ticket_no] = (event, window, str(getattr(receipt, "idempotency_key", "")))
        self.tickets = [updated if t.ticket_no == ticket.ticket_no else t for t in self.tickets]
        return updated

    def call_next(self, categories: frozenset[str]) -> Ticket | None:
        """The hall's one queue: the ledger hands this window its next ticket, and no other window gets
        it (ledger/hall_queue.py). Offline, the window calls from its last copy through the outbox."""
        window = self.desk.settings.window
        client = getattr(self.desk.runtime, "client", None)
        if client is not None and hasattr(client, "queue_call_next"):
            me = self.desk.guard(Permission.CALL_QUEUE, "queue.call", detail=window)
            try:
                got = client.queue_call_next(self.desk.settings.outlet, window, sorted(categories), me.staff_id)
            except (errors.LedgerUnavailable, errors.LedgerTimeout, errors.LedgerServerError) as exc:
                log.info("calling from the last copy of the queue (ledger unreachable): %s", exc)
            else:
                if got is None:
                    return None
                ticket = Ticket(got["ticket_no"], got.get("business", ""), bool(got.get("priority")), CALLED,
                                window, got.get("issued_at", ""))
                self.tickets = [t for t in self.tickets if t.ticket_no != ticket.ticket_no] + [ticket]
                self.current = ticket
                return ticket
        ticket = next_ticket(self.tickets, categories, window, self.desk.catalogue)
        if ticket is None:
            return None
        self.current = self._event(ticket, CALLED, window, "call")
        return self.current

    def recall(self) -> Ticket | None:
        if self.current is None:
            return None
        self.current = self._event(self.current, CALLED, self.desk.settings.window, "recall")
        return self.current

    def skip(self) -> None:
        """过号: the member did not come; the ticket is finished as a no-show."""
        if self.current is not None:
            self._event(self.current, "no_show", self.desk.settings.window, "skip")
            self.current = None

    def transfer(self, window: str) -> None:
        if self.current is not None and window.strip():
            self._event(self.current, TRANSFERRED, window.strip(), "transfer")
            self.current = None

    def done(self) -> Ticket | None:
        finished = self.current
        if finished is not None:
            self._event(finished, "done", self.desk.settings.window, "done")
            self.current = None
        return finished

    def recent_calls(self, limit: int = 6) -> list[Ticket]:
        """What the hall display shows: the latest called tickets, newest first."""
        called = [t for t in self.tickets if t.status in (CALLED, "serving")]
        return sorted(called, key=lambda t: t.issued_at, reverse=True)[:limit]
