"""The hall's help calls over HTTP (issue 13): a kiosk calls staff, the counters of its hall see it."""

from __future__ import annotations

from typing import Any

from protocol.signing import TerminalKey
from tests.ledger.conftest import SignedTestClient

HALL = "总部服务大厅"


def _code(response: Any) -> str:
    return str(response.json()["error"]["code"])


def test_a_kiosk_call_reaches_the_counters_of_its_hall_once(kiosk: SignedTestClient,
                                                             counter: SignedTestClient) -> None:
    first = kiosk.post("/v1/help-calls", {"outlet": HALL, "reason": "printer"})
    assert first.status_code == 200, first.text
    call = first.json()
    assert call["terminal_id"] == "DEMO-KIOSK-01" and call["status"] == "open" and call["repeated"] is False
    again = kiosk.post("/v1/help-calls", {"outlet": HALL, "reason": "printer"})
    assert again.json()["call_id"] == call["call_id"] and again.json()["repeated"] is True  # a second tap
    listed = counter.get(f"/v1/help-calls?outlet={HALL}")
    assert listed.status_code == 200
    assert [c["call_id"] for c in listed.json()["calls"]] == [call["call_id"]]
    answered = counter.post(f"/v1/help-calls/{call['call_id']}/answer", {"window": "3"})
    assert answered.json()["status"] == "answered" and answered.json()["answered_by"] == "3"
    assert counter.get(f"/v1/help-calls?outlet={HALL}").json()["calls"] == []


def test_the_hall_is_the_enrolled_one_not_what_the_body_claims(kiosk: SignedTestClient,
                                                               counter: SignedTestClient) -> None:
    kiosk.post("/v1/help-calls", {"outlet": "另一个大厅", "reason": "general"})
    assert len(counter.get(f"/v1/help-calls?outlet={HALL}").json()["calls"]) == 1
    assert counter.get("/v1/help-calls?outlet=另一个大厅").json()["calls"] == []


def test_an_unenrolled_or_forged_terminal_is_refused(kiosk: SignedTestClient, counter: SignedTestClient) -> None:
    forged = kiosk.post("/v1/help-calls", {"outlet": HALL}, key=TerminalKey.generate())
    assert forged.status_code == 401 and _code(forged) == "bad_signature"
    kiosk.key_id = "NO-SUCH-KIOSK"
    unknown = kiosk.post("/v1/help-calls", {"outlet": HALL})
    assert unknown.status_code == 401 and _code(unknown) == "unknown_key"
    assert counter.get(f"/v1/help-calls?outlet={HALL}").json()["calls"] == []


def test_roles_personal_data_and_rate_limit(kiosk: SignedTestClient, counter: SignedTestClient) -> None:
    refused = counter.post("/v1/help-calls", {"outlet": HALL})
    assert refused.status_code == 403 and _code(refused) == "kiosk_only"
    assert kiosk.get(f"/v1/help-calls?outlet={HALL}").status_code == 403  # a kiosk can't read the hall's calls
    personal = kiosk.post("/v1/help-calls", {"outlet": HALL, "id_number": "140105199003071234"})
    assert personal.status_code == 400 and "zh" in personal.json()["error"]  # bilingual, never a 500
    bad_reason = kiosk.post("/v1/help-calls", {"outlet": HALL, "reason": "张三的余额"})
    assert bad_reason.status_code == 400
    for n in range(6):  # each answered at once, so each is a new call
        call = kiosk.post("/v1/help-calls", {"outlet": HALL}).json()
        assert call["repeated"] is False, n
        counter.post(f"/v1/help-calls/{call['call_id']}/answer", {"window": "1"})
    limited = kiosk.post("/v1/help-calls", {"outlet": HALL})
    assert limited.status_code == 429 and _code(limited) == "rate_limited"
    assert counter.post("/v1/help-calls/999999/answer", {"window": "1"}).status_code == 404
