"""Per-terminal credentials: enrolment with one-time codes, revoke and rotate at once, no secret stored,
idempotency keys scoped per terminal, hostile auth headers answered 401."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, sessionmaker

from ledger import terminals
from ledger.models_credentials import EnrolmentCode, TerminalKey
from protocol.signing import TerminalKey as PrivateKey
from tests.ledger.conftest import SignedTestClient
from tests.ledger.items import clean_members, rent


def _enrol(kiosk: SignedTestClient, code: str, key: PrivateKey) -> Any:
    return kiosk.client.post("/v1/terminals/enrol", json={"code": code, "public_key": key.public_key})


def _enrolled(kiosk: SignedTestClient, sessions: sessionmaker[Session], terminal_id: str = "TY-K-07",
              role: str = "kiosk") -> SignedTestClient:
    issued = terminals.add(sessions, terminal_id, role, "总部服务大厅")
    key = PrivateKey.generate()
    answer = _enrol(kiosk, issued.code, key)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["terminal_id"] == terminal_id and body["role"] == role
    return SignedTestClient(kiosk.client, key_id=body["key_id"], key=key)


def test_an_enrolled_terminal_signs_with_its_own_key_and_the_ledger_keeps_only_the_public_half(
        kiosk: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    terminal = _enrolled(kiosk, sessions)
    assert terminal.get("/v1/reference/outlets").status_code == 200
    assert terminal.key is not None
    with sessions() as session:
        row = session.get(TerminalKey, terminal.key_id)
        assert row is not None and row.public_key == terminal.key.public_key
        codes = session.scalars(select(EnrolmentCode.code_hash)).all()
        bind = session.get_bind()
    columns = {c["name"] for c in inspect(bind).get_columns("terminals")}
    assert "secret" not in columns  # no shared secret column any more
    assert all(len(c) == 64 for c in codes)  # codes kept as their SHA-256 only


def test_a_code_is_single_use_and_expires(kiosk: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    issued = terminals.add(sessions, "TY-K-08", "kiosk")
    assert _enrol(kiosk, issued.code, PrivateKey.generate()).status_code == 200
    again = _enrol(kiosk, issued.code, PrivateKey.generate())
    assert again.status_code == 403 and again.json()["error"]["code"] == "bad_enrolment_code"
    old = terminals.add(sessions, "TY-K-09", "kiosk", now=datetime.now(UTC) - timedelta(hours=25))
    late = _enrol(kiosk, old.code, PrivateKey.generate())
    assert late.status_code == 403 and late.json()["error"]["zh"]


@pytest.mark.parametrize("body", [
    {"code": "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF", "public_key": "x"},
    {"code": "é" * 30, "public_key": "AAAA"},
    {"code": "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF", "public_key": "+zla9HD9CCLrIsVkGHk7/3ySyr9TaavA+9u6dcRvvaQ="},
])
def test_forged_enrolments_are_refused_with_sentences(kiosk: SignedTestClient, body: dict[str, str]) -> None:
    response = kiosk.client.post("/v1/terminals/enrol", json=body)
    assert response.status_code in (400, 403)
    assert response.json()["error"]["zh"] and response.json()["error"]["en"]


def test_revoke_refuses_the_very_next_request(kiosk: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    terminal = _enrolled(kiosk, sessions)
    assert terminal.get("/v1/reference/outlets").status_code == 200
    assert terminals.revoke(sessions, "TY-K-07") == 1
    refused = terminal.get("/v1/reference/outlets")
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "unknown_key"


def test_rotate_stops_the_old_key_at_once_and_the_new_code_enrols_a_new_one(
        kiosk: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    old = _enrolled(kiosk, sessions)
    issued = terminals.rotate(sessions, "TY-K-07")
    assert old.get("/v1/reference/outlets").status_code == 401
    key = PrivateKey.generate()
    answer = _enrol(kiosk, issued.code, key)
    assert answer.status_code == 200 and answer.json()["key_id"] != old.key_id
    new = SignedTestClient(kiosk.client, key_id=answer.json()["key_id"], key=key)
    assert new.get("/v1/reference/outlets").status_code == 200
    assert old.get("/v1/reference/outlets").status_code == 401
    listed = {t.terminal_id: t for t in terminals.listing(sessions)}["TY-K-07"]
    assert [s for _, s, _ in listed.keys] == ["rotated", "active"]


def test_a_key_from_another_terminal_cannot_be_used_under_a_demo_key_id(kiosk: SignedTestClient) -> None:
    intruder = SignedTestClient(kiosk.client, key_id="DEMO-KIOSK-01", key=PrivateKey.generate())
    assert intruder.get("/v1/reference/outlets").status_code == 401


def test_another_terminal_replaying_an_idempotency_key_gets_a_refusal_not_the_stored_result(
        kiosk: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    item = rent(clean_members(sessions, limit=1)[0].member_id, 100)
    first = kiosk.batch([item])[0]
    assert first["status"] in ("accepted", "rejected")
    other = _enrolled(kiosk, sessions, "TY-K-10")
    response = other.post("/v1/transactions", {"terminal_id": "TY-K-10", "items": [item]})
    assert response.status_code == 200
    replay = response.json()["results"][0]
    assert replay["status"] == "conflict" and replay["reason"]["code"] == "idempotency_key_foreign"
    assert replay["ledger_id"] is None and replay["result"] == {}
    assert kiosk.batch([item])[0] == first  # the owner still gets its own stored answer


@pytest.mark.parametrize(("header", "value"), [
    ("X-HPF-Signature", "签名" * 44),
    ("X-HPF-Signature", "ü" * 88),
    ("X-HPF-Timestamp", "9" * 500),
    ("X-HPF-Timestamp", "99999999999999999999999"),
    ("X-HPF-Key", "DEMO-KIOSK-01" + "é"),
    ("X-HPF-Nonce", "ff" * 500),
])
def test_hostile_auth_headers_answer_401_not_500(kiosk: SignedTestClient, header: str, value: str) -> None:
    from ledger.auth import signed_headers

    assert kiosk.key is not None
    headers = signed_headers(kiosk.key_id, kiosk.key, "GET", "/v1/reference/outlets", b"")
    headers[header] = value
    # Raw UTF-8 bytes on the wire, as a hostile client would send them.
    response = kiosk.client.get("/v1/reference/outlets", headers={k: v.encode("utf-8") for k, v in headers.items()})
    assert response.status_code == 401, response.text
    assert response.json()["error"]["zh"] and response.json()["error"]["en"]


def test_registry_refuses_operator_mistakes(sessions: sessionmaker[Session]) -> None:
    with pytest.raises(terminals.RegistryError, match="letters"):
        terminals.add(sessions, "bad id/..", "kiosk")
    with pytest.raises(terminals.RegistryError, match="exists"):
        terminals.add(sessions, "DEMO-KIOSK-01", "kiosk")
    with pytest.raises(terminals.RegistryError, match="no terminal"):
        terminals.revoke(sessions, "NOPE")


def test_the_test_helper_enrols_another_terminal(kiosk: SignedTestClient, engine: Any) -> None:
    from ledger.testing import enrolled_terminal

    key_id, key = enrolled_terminal(engine, "TY-C-05", "counter")
    counter = SignedTestClient(kiosk.client, key_id=key_id, key=key)
    assert counter.get("/v1/cases").status_code == 200  # a counter route: the role came from the registry
