"""Signed requests: unknown key, bad signature, tampering, clock skew with the server-time header, replay."""

from __future__ import annotations

import time

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ledger import auth
from ledger.models import Nonce
from protocol.signing import TerminalKey
from tests.ledger.conftest import SignedTestClient


def _error(response: object) -> str:
    code: str = response.json()["error"]["code"]  # type: ignore[attr-defined]
    return code


def test_a_signed_request_passes_and_every_response_carries_the_server_time(kiosk: SignedTestClient) -> None:
    response = kiosk.get("/v1/reference/outlets")
    assert response.status_code == 200
    assert abs(int(response.headers["X-HPF-Server-Time"]) - time.time()) < 5


def test_health_needs_no_signature(kiosk: SignedTestClient) -> None:
    response = kiosk.client.get("/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert "X-HPF-Server-Time" in response.headers


def test_unsigned_request_is_refused_with_a_bilingual_error(kiosk: SignedTestClient) -> None:
    response = kiosk.client.get("/v1/reference/outlets")
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "missing_auth" and error["zh"] and error["en"]
    assert "X-HPF-Server-Time" in response.headers


def test_unknown_key_is_refused(kiosk: SignedTestClient) -> None:
    kiosk.key_id = "NO-SUCH-TERMINAL"
    response = kiosk.get("/v1/reference/outlets")
    assert response.status_code == 401 and _error(response) == "unknown_key"


def test_another_key_is_a_bad_signature(kiosk: SignedTestClient) -> None:
    response = kiosk.get("/v1/reference/outlets", key=TerminalKey.generate())
    assert response.status_code == 401 and _error(response) == "bad_signature"


def test_a_body_changed_after_signing_is_refused(kiosk: SignedTestClient) -> None:
    body = b'{"id_number": "140105199003071234"}'
    headers = auth.signed_headers(kiosk.key_id, kiosk.key, "POST", "/v1/members/lookup", body)
    headers["Content-Type"] = "application/json"
    tampered = body.replace(b"1234", b"1235")
    response = kiosk.client.post("/v1/members/lookup", content=tampered, headers=headers)
    assert response.status_code == 401 and _error(response) == "bad_signature"


def test_a_signature_for_another_path_is_refused(kiosk: SignedTestClient) -> None:
    headers = auth.signed_headers(kiosk.key_id, kiosk.key, "GET", "/v1/reference/policy", b"")
    response = kiosk.client.get("/v1/reference/outlets", headers=headers)
    assert response.status_code == 401 and _error(response) == "bad_signature"


def test_clock_ten_minutes_off_is_refused_then_corrected_with_the_server_time(kiosk: SignedTestClient) -> None:
    kiosk.clock_offset_s = -600
    refused = kiosk.get("/v1/reference/outlets")
    assert refused.status_code == 401 and _error(refused) == "clock_skew"
    # The terminal measures its offset from the header and signs with corrected timestamps.
    kiosk.clock_offset_s += int(refused.headers["X-HPF-Server-Time"]) - (time.time() + kiosk.clock_offset_s)
    assert kiosk.get("/v1/reference/outlets").status_code == 200


def test_skew_just_inside_the_window_is_accepted(kiosk: SignedTestClient) -> None:
    kiosk.clock_offset_s = auth.MAX_SKEW_S - 10
    assert kiosk.get("/v1/reference/outlets").status_code == 200


def test_a_replayed_nonce_is_refused(kiosk: SignedTestClient) -> None:
    nonce = "0123456789abcdef0123456789abcdef"
    first = kiosk.get("/v1/reference/outlets", nonce=nonce)
    assert first.status_code == 200
    again = kiosk.get("/v1/reference/outlets", nonce=nonce)
    assert again.status_code == 401 and _error(again) == "replay"


def test_an_exact_replay_of_a_whole_request_is_refused(kiosk: SignedTestClient) -> None:
    body = b'{"terminal_id": "DEMO-KIOSK-01", "status": {}}'
    headers = auth.signed_headers(kiosk.key_id, kiosk.key, "POST", "/v1/terminals/heartbeat", body)
    headers["Content-Type"] = "application/json"
    assert kiosk.client.post("/v1/terminals/heartbeat", content=body, headers=headers).status_code == 200
    replay = kiosk.client.post("/v1/terminals/heartbeat", content=body, headers=headers)
    assert replay.status_code == 401 and _error(replay) == "replay"


def test_malformed_nonce_and_timestamp_are_refused(kiosk: SignedTestClient) -> None:
    assert _error(kiosk.get("/v1/reference/outlets", nonce="short")) == "bad_nonce"
    headers = auth.signed_headers(kiosk.key_id, kiosk.key, "GET", "/v1/reference/outlets", b"")
    headers[auth.H_TS] = "12.5"
    assert _error(kiosk.client.get("/v1/reference/outlets", headers=headers)) == "bad_timestamp"


def test_the_percent_encoded_path_on_the_wire_is_what_is_signed(kiosk: SignedTestClient) -> None:
    path = "/v1/queue?outlet=%E6%80%BB%E9%83%A8%E6%9C%8D%E5%8A%A1%E5%A4%A7%E5%8E%85"
    response = kiosk.get(path)
    assert response.status_code == 200
    assert response.json()["outlet"] == "总部服务大厅"


def test_old_nonces_are_purged(kiosk: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    assert kiosk.get("/v1/reference/outlets").status_code == 200
    assert auth.purge_nonces(sessions, now=time.time() + auth.NONCE_TTL_S + 1) >= 1
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Nonce)) == 0


def test_an_oversized_body_is_refused_before_it_is_read(kiosk: SignedTestClient) -> None:
    from ledger.app import MAX_BODY_BYTES

    body = b"x" * (MAX_BODY_BYTES + 1)
    headers = auth.signed_headers(kiosk.key_id, kiosk.key, "POST", "/v1/transactions", body)
    response = kiosk.client.post("/v1/transactions", content=body, headers=headers)
    assert response.status_code == 413 and _error(response) == "too_large"
    assert "X-HPF-Server-Time" in response.headers
