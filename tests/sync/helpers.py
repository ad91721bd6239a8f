"""Shared helpers of the sync tests: payload builders and a scripted fake ledger client."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sync.client import ItemResult, Reason
from tests.ledger.memberproof import qr_proof

if TYPE_CHECKING:
    from sync.outbox import Outbox

# A rent withdrawal (租房提取) the ledger's rules approve for demo members who own no home in the city
# (the ledger asks the exchange, with the member's authorisation) paid to the co-branded card on file;
# the district is urban (higher cap). `members_with_balance` picks such members.
AUTHORISED = {"method": "kiosk_confirm", "granted_at": "2026-12-01T08:00:00+00:00", "reference": "sync-test"}


def withdrawal(amount_fen: int = 123, **extra: Any) -> dict[str, Any]:
    return {"withdrawal_type": "rent", "amount_fen": amount_fen, "channel": "kiosk", "district": "140105",
            "authorisation": AUTHORISED, **extra}


def queue_ticket(n: int) -> dict[str, Any]:
    return {"ticket_no": f"A{n:03d}", "outlet": "总部服务大厅", "business": "withdrawal"}


def device_report(n: int) -> dict[str, Any]:
    return {"device": "printer", "status": "paper_low" if n % 2 else "online"}


def rating(score: int = 5) -> dict[str, Any]:
    return {"score": score, "service_item": "withdrawal", "channel": "kiosk"}


Handler = Callable[[str, Sequence[Mapping[str, Any]]], list[ItemResult]]


def enqueue_mix(outbox: Outbox, members: Sequence[str], n: int, rng: random.Random, *, max_fen: int,
                each: Callable[[int], None] | None = None) -> None:
    """The mix the proofs and the benchmark send: half withdrawals, then ratings, tickets, device reports."""
    for i in range(n):
        roll = rng.random()
        if roll < 0.5:
            amount, member = rng.randint(1, max_fen), rng.choice(members)
            # a kiosk's money-moving item carries the member's proof (here the app's QR token)
            outbox.enqueue("withdrawal.apply", withdrawal(amount, proof=qr_proof(member)), member_id=member)
        elif roll < 0.75:
            outbox.enqueue("rating", rating(rng.randint(1, 5)), member_id=rng.choice(members))
        elif roll < 0.9:
            outbox.enqueue("queue.ticket", queue_ticket(i))
        else:
            outbox.enqueue("device.report", device_report(i))
        if each is not None:
            each(i)


def accept_all(_terminal: str, items: Sequence[Mapping[str, Any]]) -> list[ItemResult]:
    return [ItemResult(str(i["idempotency_key"]), "accepted", f"L-{i['idempotency_key'][:8]}", None, {})
            for i in items]


class FakeClient:
    """Stands in for LedgerClient in engine unit tests: each call to post_transactions runs the
    next scripted step (an exception to raise or a handler), then `accept_all` once the script ends."""

    def __init__(self, *steps: BaseException | Handler) -> None:
        self.steps = list(steps)
        self.batches: list[list[dict[str, Any]]] = []
        self.health_calls = 0
        self.heartbeats: list[Mapping[str, Any]] = []
        self.clock_offset_s: float | None = None
        self.timeouts: list[float | None] = []  # the read timeout of each post (None: the client's own)

    def post_transactions(self, terminal_id: str, items: Sequence[Mapping[str, Any]],
                          timeout_s: float | None = None) -> list[ItemResult]:
        self.batches.append([dict(i) for i in items])
        self.timeouts.append(timeout_s)
        step = self.steps.pop(0) if self.steps else accept_all
        if isinstance(step, BaseException):
            raise step
        return step(terminal_id, items)

    def health(self) -> dict[str, Any]:
        self.health_calls += 1
        return {"status": "ok"}

    def heartbeat(self, terminal_id: str, status: Mapping[str, Any]) -> None:
        self.heartbeats.append(status)

    def sent_keys(self) -> list[str]:
        return [str(i["idempotency_key"]) for batch in self.batches for i in batch]


def reject_member(member_id: str) -> Handler:
    def handler(_terminal: str, items: Sequence[Mapping[str, Any]]) -> list[ItemResult]:
        out = []
        for i in items:
            key = str(i["idempotency_key"])
            if i["member_id"] == member_id:
                out.append(ItemResult(key, "rejected", f"L-{key[:8]}",
                                      Reason("insufficient_balance", "余额不足。", "Balance too low."), {}))
            else:
                out.append(ItemResult(key, "accepted", f"L-{key[:8]}", None, {}))
        return out
    return handler
