"""Issue 11: the kiosk's tickets come from the hall's one queue; offline, from its own block, delivered later."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from ledger.models import QueueTicketRow
from sync import errors
from tests.kiosk.conftest import Kiosk, LedgerFixture


def ledger_tickets(ledger: LedgerFixture, outlet: str) -> dict[str, QueueTicketRow]:
    engine = create_engine(ledger.db_url)
    with Session(engine) as s:
        rows = {r.ticket_no: r for r in s.scalars(select(QueueTicketRow).where(QueueTicketRow.outlet == outlet))}
    engine.dispose()
    return rows


def test_online_priority_then_offline_block_then_delivered(kiosk_devices: Kiosk, ledger: LedgerFixture,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    k = kiosk_devices
    outlet = k.window.ctx.config.terminal.outlet
    k.click(k.window.screens["home"].tiles["queue"])
    queue = k.screen()
    queue.priority.setChecked(True)
    k.click(queue.tiles["transfer"])
    k.qtbot.wait_until(lambda: bool(queue.ticket.text()), timeout=10_000)
    online = queue.ticket.text()
    rows = ledger_tickets(ledger, outlet)
    [mine] = [r for r in rows.values() if r.ticket_no in online]
    assert mine.ticket_no.startswith("C") and mine.priority and "前面还有" in online
    # the ledger goes away: the kiosk numbers from its own block and the outbox keeps the ticket
    client = k.runtime.client

    def down(*_a: Any, **_k: Any) -> Any:
        raise errors.LedgerUnavailable("test: ledger down")

    monkeypatch.setattr(client, "queue_take", down)
    k.wait_for("queue-ticket")  # the number on a screen of its own (issue 13), with 完成
    assert mine.ticket_no in k.screen().result.title.text() and mine.ticket_no == k.screen().big.text()
    k.window.back()
    queue.ticket.setText("")
    k.click(queue.tiles["transfer"])
    k.qtbot.wait_until(lambda: bool(queue.ticket.text()), timeout=10_000)
    [item] = [i for i in k.runtime.outbox.items() if i.kind == "queue.ticket"]
    number = json.loads(item.payload)["ticket_no"]
    assert number.startswith("X") and number in queue.ticket.text() and "前面还有" not in queue.ticket.text()
    k.qtbot.wait_until(lambda: number in ledger_tickets(ledger, outlet), timeout=15_000)  # delivered by the outbox
    assert ledger_tickets(ledger, outlet)[number].status == "waiting"
