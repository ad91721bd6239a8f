"""Staged rollout: the ledger takes the previous wire-protocol version beside the current one and
refuses a newer one before anything is applied (infra/wire.py, ledger/protocol_gate.py)."""

from __future__ import annotations

import warnings

from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from infra import wire
from ledger.models import Transaction
from ledger.protocol_gate import ProtocolGate
from tests.ledger.conftest import SignedTestClient
from tests.ledger.items import rating

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient


def _post(kiosk: SignedTestClient, version: str | None, key: str) -> object:
    headers = {} if version is None else {wire.PROTOCOL_HEADER: version}
    return kiosk.post("/v1/transactions", {"terminal_id": kiosk.key_id, "items": [rating(5, key=key)]},
                      headers=headers)


def test_a_release_0_1_terminal_without_the_header_and_a_current_one_are_both_served(
        kiosk: SignedTestClient) -> None:
    for version, key in ((None, "k-old"), (str(wire.PROTOCOL_VERSION), "k-now")):
        answer = _post(kiosk, version, key)
        assert answer.status_code == 200, answer.text  # type: ignore[attr-defined]
        assert answer.headers[wire.ACCEPTED_HEADER] == ",".join(map(str, wire.ACCEPTED_VERSIONS))  # type: ignore[attr-defined]


def test_a_terminal_newer_than_the_ledger_is_refused_with_426_and_nothing_is_applied(
        kiosk: SignedTestClient, sessions: sessionmaker[Session]) -> None:
    for stated in (str(wire.PROTOCOL_VERSION + 1), "abc", "1" * 30):
        answer = _post(kiosk, stated, f"k-{stated[:8]}")
        assert answer.status_code == 426  # type: ignore[attr-defined]
        error = answer.json()["error"]  # type: ignore[attr-defined]
        assert error["code"] == wire.UNSUPPORTED_CODE and error["accepted"] == list(wire.ACCEPTED_VERSIONS)
        assert "中心系统尚不支持" in error["zh"] and "does not speak protocol version" in error["en"]
    with sessions() as session:
        assert session.scalars(select(Transaction.idempotency_key).where(
            Transaction.idempotency_key.like("k-%"))).all() == []
    health = kiosk.client.get("/v1/health", headers={wire.PROTOCOL_HEADER: "99"})
    assert health.status_code == 200  # health stays open: a terminal can still see the ledger is up


def test_a_ledger_of_the_next_version_accepts_the_previous_and_the_current() -> None:
    app = FastAPI()

    @app.get("/v1/ping")
    def ping() -> dict[str, str]:
        return {"ok": "yes"}

    app.add_middleware(ProtocolGate, accepted=(1, 2))
    client = TestClient(app)
    assert client.get("/v1/ping").status_code == 200  # unversioned: release 0.1
    assert client.get("/v1/ping", headers={wire.PROTOCOL_HEADER: "1"}).status_code == 200
    assert client.get("/v1/ping", headers={wire.PROTOCOL_HEADER: "2"}).status_code == 200
    refused = client.get("/v1/ping", headers={wire.PROTOCOL_HEADER: "3"})
    assert refused.status_code == 426 and refused.json()["error"]["accepted"] == [1, 2]
    assert refused.headers[wire.ACCEPTED_HEADER] == "1,2"


def test_the_accepted_versions_are_the_current_and_the_previous() -> None:
    assert wire.PROTOCOL_VERSION in wire.ACCEPTED_VERSIONS
    assert set(wire.ACCEPTED_VERSIONS) <= {wire.PROTOCOL_VERSION - 1, wire.PROTOCOL_VERSION}
    assert wire.parse_version(None) == wire.parse_version("") == 1
    assert wire.parse_version(" 2 ") == 2 and wire.parse_version("2.0") is None and wire.parse_version("-1") is None
