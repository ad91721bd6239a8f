"""Fixtures of the ledger tests: a seeded SQLite template, an in-process signed API client, PostgreSQL."""

from __future__ import annotations

import json
import shutil
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from exchange.app import create_app as create_exchange_app
from exchange.registry import DemoRegistry
from ledger.app import create_app
from ledger.auth import signed_headers
from ledger.db import make_engine, session_factory
from ledger.exchange.client import ExchangeClient
from ledger.exchange.settings import ExchangeSettings
from ledger.exchange.source import CentreEvidence
from ledger.seed import seed_demo
from ledger.settings import LedgerSettings
from ledger.testing import demo_key
from protocol.signing import TerminalKey
from tests.ledger.pg import PostgresCluster, throwaway_postgres, unavailable_reason

with warnings.catch_warnings():
    # Starlette 1.x warns that its TestClient will move from httpx to httpx2; httpx is what we install.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

TEMPLATE_MEMBERS = 40


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seeded SQLite file per session; tests work on copies of it."""
    path = tmp_path_factory.mktemp("ledger-template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    seed_demo(engine, TEMPLATE_MEMBERS)
    engine.dispose()
    return path


@pytest.fixture
def db_url(seeded_template: Path, tmp_path: Path) -> str:
    target = tmp_path / "ledger.db"
    shutil.copyfile(seeded_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)


@dataclass
class SignedTestClient:
    """FastAPI's TestClient, signing each request like a terminal (protocol v1, Ed25519).

    `key` defaults to the demo key of `key_id` (DEMO-KIOSK-01, DEMO-COUNTER-01); pass an enrolled
    terminal's key for any other. `request(..., key=other)` signs one request with another key.
    """

    client: TestClient
    key_id: str = "DEMO-KIOSK-01"
    key: TerminalKey | None = field(default=None, repr=False)
    clock_offset_s: float = 0.0

    def __post_init__(self) -> None:
        if self.key is None:
            self.key = demo_key(self.key_id)

    def request(self, method: str, path: str, body: Any = None, *, nonce: str | None = None,
                headers: dict[str, str] | None = None, key: TerminalKey | None = None) -> Any:
        data = b"" if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        signing_key = key or self.key
        assert signing_key is not None
        signed = signed_headers(self.key_id, signing_key, method, path, data,
                                now=time.time() + self.clock_offset_s, nonce=nonce)
        content_type = {"Content-Type": "application/json"} if body is not None else {}
        return self.client.request(method, path, content=data, headers={**signed, **content_type, **(headers or {})})

    def get(self, path: str, **kw: Any) -> Any:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any, **kw: Any) -> Any:
        return self.request("POST", path, body, **kw)

    def batch(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        response = self.post("/v1/transactions", {"terminal_id": self.key_id, "items": items})
        assert response.status_code == 200, response.text
        results: list[dict[str, Any]] = response.json()["results"]
        return results


@dataclass
class InProcessExchange:
    """The ledger's HTTP poster, served by the simulator app in this process (no timeout: nothing to wait for)."""

    client: TestClient

    def post(self, url: str, *, json: Any, timeout: float) -> Any:
        return self.client.post(url, json=json)


@pytest.fixture
def exchange_app() -> FastAPI:
    """The data-sharing exchange simulator's app (the same demo people as the template), fresh per test."""
    return create_exchange_app(DemoRegistry.seeded(TEMPLATE_MEMBERS))


@pytest.fixture
def evidence(sessions: sessionmaker[Session], exchange_app: FastAPI) -> CentreEvidence:
    """The ledger's evidence source over the in-process simulator, for tests that call ledger.service directly."""
    settings = ExchangeSettings()
    return CentreEvidence(sessions, ExchangeClient(settings, InProcessExchange(TestClient(exchange_app))), settings)


@pytest.fixture
def app_client(engine: Engine, exchange_app: FastAPI) -> Iterator[TestClient]:
    """The API in-process. Fraud signals are off here (each rule is tested on its own); see `screening_kiosk`.
    The ledger asks the exchange simulator, in-process too, through its real client."""
    with TestClient(exchange_app) as exchange:
        app = create_app(engine=engine, settings=LedgerSettings(fraud_screening=False),
                         exchange_http=InProcessExchange(exchange))
        with TestClient(app, raise_server_exceptions=False) as client:
            yield client


@pytest.fixture
def screening_kiosk(engine: Engine, exchange_app: FastAPI) -> Iterator[SignedTestClient]:
    """A kiosk talking to a ledger with the production default: cross-member fraud signals on."""
    with TestClient(exchange_app) as exchange, \
            TestClient(create_app(engine=engine, exchange_http=InProcessExchange(exchange)),
                       raise_server_exceptions=False) as client:
        yield SignedTestClient(client)


@pytest.fixture
def kiosk(app_client: TestClient) -> SignedTestClient:
    return SignedTestClient(app_client)


@pytest.fixture
def counter(app_client: TestClient) -> SignedTestClient:
    return SignedTestClient(app_client, key_id="DEMO-COUNTER-01")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    with throwaway_postgres() as cluster:
        yield cluster
