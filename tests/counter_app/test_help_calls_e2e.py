"""A kiosk's "call staff" reaches the counter's work list and the hall display through the ledger (issue 13)."""

from __future__ import annotations

import uuid

from sqlalchemy import create_engine

from ledger.testing import enrolled_terminal
from sync.client import LedgerClient
from sync.help_calls import call_staff
from tests.counter_app.conftest import Counter


def test_a_kiosk_help_call_shows_on_the_work_list_and_the_hall_display(counter: Counter) -> None:
    engine = create_engine(counter.ledger.db_url)  # a kiosk enrolled in this counter's hall (each test has its own)
    key_id, key = enrolled_terminal(engine, f"K-{uuid.uuid4().hex[:8]}", "kiosk", counter.desk.settings.outlet)
    engine.dispose()
    kiosk = LedgerClient(counter.ledger.url, key_id, key)
    try:
        call = call_staff(kiosk, counter.desk.settings.outlet, "printer")
    finally:
        kiosk.close()
    counter.sign_in("clerk-01")
    worklist = counter.screen("worklist")
    counter.window.show_screen("worklist")  # the clerk opens the work list
    counter.qtbot.wait_until(lambda: bool(worklist.help_calls), timeout=10_000)
    assert [c.call_id for c in worklist.help_calls] == [call["call_id"]]
    assert worklist.help_label.isVisible() and call["terminal_id"] in worklist.help_label.text()
    assert "打印" in worklist.help_label.text()
    hall = counter.app.hall
    assert call["terminal_id"] in hall.help.text() and not hall.help.isHidden()
    counter.click(worklist.help_answer)
    counter.qtbot.wait_until(lambda: not worklist.help_calls, timeout=10_000)
    assert not worklist.help_label.isVisible() and hall.help.isHidden()
