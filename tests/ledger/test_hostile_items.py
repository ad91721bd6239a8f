"""Item-level hostile content (issue 10 item 8): times near year 1 / 9999 and lone surrogates are that
item's rejection, never a 500 for the batch, and the neighbours are decided normally."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from ledger.auth import signed_headers
from tests.ledger.conftest import SignedTestClient
from tests.ledger.items import clean_members, rating, rent


def _post_raw(kiosk: SignedTestClient, text: str) -> Any:
    """JSON text as sent (json.dumps keeps "\\ud800" as an escape, which the ledger decodes to a lone surrogate)."""
    data = text.encode("utf-8")
    assert kiosk.key is not None
    headers = {**signed_headers(kiosk.key_id, kiosk.key, "POST", "/v1/transactions", data),
               "Content-Type": "application/json"}
    return kiosk.client.post("/v1/transactions", content=data, headers=headers)


@pytest.mark.parametrize("created_at", ["0001-01-01T00:00:00+00:00", "0001-01-01T00:00:00+14:00",
                                        "9999-12-31T23:59:59-12:00", "9999-12-31T23:59:59+00:00",
                                        "1899-12-31T23:59:59+08:00"])
def test_times_near_the_ends_of_the_calendar_are_item_rejections(
        kiosk: SignedTestClient, sessions: sessionmaker[Session], created_at: str) -> None:
    first, second = clean_members(sessions, limit=2)
    odd = rent(first.member_id, 100)
    odd["created_at"] = created_at
    response = kiosk.post("/v1/transactions", {"terminal_id": kiosk.key_id,
                                               "items": [odd, rent(second.member_id, 100)]})
    assert response.status_code == 200, response.text
    bad, good = response.json()["results"]
    assert bad["status"] == "rejected" and "created_at" in bad["reason"]["en"] and bad["reason"]["zh"]
    assert good["status"] == "accepted"


@pytest.mark.parametrize("where", ["payload", "member_id", "kind", "key"])
def test_a_lone_surrogate_is_that_items_rejection(kiosk: SignedTestClient, sessions: sessionmaker[Session],
                                                  where: str) -> None:
    member = clean_members(sessions, limit=1)[0]
    odd = rating(4)
    if where == "payload":
        odd["payload"]["comment"] = "\ud800"
    elif where == "member_id":
        odd["member_id"] = "\udfff" + member.member_id
    elif where == "kind":
        odd["kind"] = "rating\ud800"
    else:
        odd["idempotency_key"] = "k\ud800"
    good = rent(member.member_id, 100)
    response = _post_raw(kiosk, json.dumps({"terminal_id": kiosk.key_id, "items": [odd, good]}))
    assert response.status_code == 200, response.text
    bad, fine = response.json()["results"]
    assert bad["status"] == "rejected" and bad["reason"]["zh"] and bad["reason"]["en"]
    assert fine["status"] == "accepted"


@pytest.mark.allow_log_warnings
def test_an_unexpected_error_in_one_item_is_its_rejection_and_the_neighbours_go_through(
        kiosk: SignedTestClient, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch) -> None:
    from ledger import rules

    first = clean_members(sessions, limit=1)[0]
    original = rules.HANDLERS["rating"]

    def explode(session: Any, ctx: Any, payload: Any) -> Any:
        if getattr(payload, "score", None) == 1 or (isinstance(payload, dict) and payload.get("score") == 1):
            raise ZeroDivisionError("a bug in one rule")
        return original(session, ctx, payload)

    monkeypatch.setitem(rules.HANDLERS, "rating", explode)
    response = kiosk.post("/v1/transactions", {"terminal_id": kiosk.key_id,
                                               "items": [rating(1), rent(first.member_id, 100), rating(5)]})
    assert response.status_code == 200
    codes = [(r["status"], (r["reason"] or {}).get("code")) for r in response.json()["results"]]
    assert codes == [("rejected", "item_unprocessable"), ("accepted", None), ("accepted", None)]
