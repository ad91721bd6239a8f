"""Issue 11: one queue for the hall — tickets from the ledger, one window per ticket, priority, offline blocks."""

from __future__ import annotations

from sqlalchemy import Engine

from domain.hall_queue import offline_number
from ledger.testing import enrolled_terminal
from tests.ledger.conftest import SignedTestClient
from tests.ledger.items import item

HALL = "测试大厅"


def take(client: SignedTestClient, business: str, priority: bool = False, outlet: str = HALL) -> dict:
    r = client.post("/v1/queue/tickets", {"outlet": outlet, "business": business, "priority": priority})
    assert r.status_code == 200, r.text
    return r.json()


def test_tickets_are_numbered_per_hall_line_and_day_with_the_people_ahead(kiosk: SignedTestClient,
                                                                           counter: SignedTestClient) -> None:
    a1 = take(kiosk, "退休提取")  # the kiosk writes the item's name
    a2 = take(counter, "withdraw_rent")  # the counter desk an item code
    b1 = take(kiosk, "loan_application")
    assert (a1["ticket_no"], a2["ticket_no"], b1["ticket_no"]) == ("A001", "A002", "B001")
    assert (a1["ahead"], a2["ahead"], b1["ahead"]) == (0, 1, 0)  # ahead counts the same line only
    elder = take(kiosk, "withdraw_retirement", priority=True)
    assert elder["ticket_no"] == "A003" and elder["ahead"] == 0  # the priority lane goes first
    assert take(kiosk, "withdraw_rent", outlet="另一大厅")["ticket_no"] == "A001"  # per hall
    assert take(kiosk, "lottery")["line"] == "other"
    bad = kiosk.post("/v1/queue/tickets", {"outlet": "", "business": "x"})
    assert bad.status_code == 400 and bad.json()["error"]["zh"]


def test_two_windows_calling_the_same_ticket_one_wins(kiosk: SignedTestClient, counter: SignedTestClient,
                                                      engine: Engine) -> None:
    key_id, key = enrolled_terminal(engine, "COUNTER-02", "counter", HALL)
    counter2 = SignedTestClient(counter.client, key_id=key_id, key=key)
    t = take(kiosk, "withdraw_rent")["ticket_no"]
    first = counter.post(f"/v1/queue/tickets/{t}/call", {"outlet": HALL, "window": "3"})
    second = counter2.post(f"/v1/queue/tickets/{t}/call", {"outlet": HALL, "window": "5"})
    assert first.status_code == 200 and first.json()["window"] == "3"
    assert second.status_code == 409 and second.json()["error"]["code"] == "ticket_taken"
    assert "3号窗口" in second.json()["error"]["zh"]
    # call-next never hands the same ticket to two windows
    take(kiosk, "withdraw_rent")
    take(kiosk, "withdraw_rent")
    got = [c.post("/v1/queue/call-next", {"outlet": HALL, "window": w, "lines": ["withdrawal"]}).json()["ticket"]
           for c, w in ((counter, "3"), (counter2, "5"), (counter, "3"))]
    assert got[0]["ticket_no"] == "A002" and got[1]["ticket_no"] == "A003" and got[2] is None
    # a kiosk may not call
    assert kiosk.post("/v1/queue/call-next", {"outlet": HALL, "window": "1"}).status_code == 403
    assert counter.post("/v1/queue/call-next", {"outlet": HALL, "window": "3", "lines": ["nope"]}).status_code == 400


def test_priority_is_called_first_and_the_hall_list_shows_windows(kiosk: SignedTestClient,
                                                                  counter: SignedTestClient) -> None:
    take(kiosk, "withdraw_rent")
    take(kiosk, "withdraw_rent", priority=True)
    first = counter.post("/v1/queue/call-next", {"outlet": HALL, "window": "2", "lines": ["withdrawal"]}).json()
    assert first["ticket"]["ticket_no"] == "A002" and first["ticket"]["priority"] is True
    hall = counter.get(f"/v1/queue?outlet={HALL}").json()
    assert {t["ticket_no"]: t["window"] for t in hall["tickets"] if t["status"] == "called"} == {"A002": "2"}


def test_offline_blocks_cannot_collide(kiosk: SignedTestClient, counter: SignedTestClient) -> None:
    b1 = kiosk.post("/v1/queue/offline-block", {"outlet": HALL}).json()
    b2 = counter.post("/v1/queue/offline-block", {"outlet": HALL}).json()
    assert b1["prefix"] != b2["prefix"] and b1["first"].startswith("X") and b1["last"].endswith("99")
    assert kiosk.post("/v1/queue/offline-block", {"outlet": HALL}).json() == b1  # the same block every day
    mine = {offline_number(b1["slot"], n) for n in range(1, 100)}
    theirs = {offline_number(b2["slot"], n) for n in range(1, 100)}
    assert not mine & theirs and all(t[:1] not in "ABCDEFGH" for t in mine)
    # offline tickets arrive later through the outbox (the existing path) and join the same queue
    no = offline_number(b1["slot"], 1)
    [res] = kiosk.batch([item("queue.ticket", {"ticket_no": no, "outlet": HALL, "business": "withdraw_rent"})])
    assert res["status"] == "accepted", res
    assert take(kiosk, "withdraw_rent")["ahead"] == 1  # the offline ticket counts
