"""Start a ledger for tests and benchmarks, and talk to it with signed requests.

`LedgerProcess` runs `python -m ledger.cli serve` as a subprocess (a real, separately killable
server: what the sync engineer's fault-proxy and crash tests need); `LedgerThread` runs
uvicorn in a thread of the current process (cheaper, for API tests). Both pick a free
loopback port, wait for GET /v1/health, and stop cleanly. `SignedClient` signs like a terminal.

Test ledgers skip the cross-member fraud signals unless asked (`fraud_screening=True`): proofs
that push thousands of withdrawals through a few members would all trip the velocity signal.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import requests

from infra.services import free_port, wait_healthy
from ledger.auth import signed_headers
from protocol.signing import TerminalKey


class LedgerProcess:
    """`with LedgerProcess(db_url) as ledger: ledger.url` — a ledger server subprocess."""

    def __init__(self, db_url: str, *, port: int | None = None, host: str = "127.0.0.1",
                 log_path: Path | None = None, env: dict[str, str] | None = None,
                 fraud_screening: bool = False, exchange_url: str | None = None,
                 heartbeat_batch_s: float = 0.0, workers: int = 1) -> None:
        self.db_url, self.host = db_url, host
        self.workers = workers
        self.exchange_url = exchange_url
        self.heartbeat_batch_s = heartbeat_batch_s  # 0: each heartbeat written before it is answered
        self.fraud_screening = fraud_screening
        self.port = port or free_port()
        self.log_path = log_path
        self.env = env
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> Self:
        env = {**os.environ, **(self.env or {})}
        command = [sys.executable, "-m", "ledger.cli", "serve", "--db", self.db_url, "--host", self.host,
                   "--port", str(self.port), "--log-level", "WARNING",
                   "--heartbeat-batch-s", str(self.heartbeat_batch_s)]
        if not self.fraud_screening:
            command.append("--no-fraud-screening")
        if self.exchange_url:
            command += ["--exchange-url", self.exchange_url]
        if self.workers != 1:
            command += ["--workers", str(self.workers)]
        if self.log_path:
            with open(self.log_path, "ab") as out:  # the child keeps its own copy of the descriptor
                self.proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
        else:
            self.proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, env=env)
        try:
            wait_healthy(self.url, "ledger", alive=lambda: self.proc is not None and self.proc.poll() is None)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self, timeout_s: float = 10.0) -> None:
        """SIGTERM, then SIGKILL if it does not exit in time."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def kill(self) -> None:
        """SIGKILL, no goodbye: a ledger crash."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class LedgerThread:
    """`with LedgerThread(db_url) as ledger:` — uvicorn in a daemon thread of this process."""

    def __init__(self, db_url: str, *, port: int | None = None, fraud_screening: bool = False,
                 exchange_url: str | None = None, settings: Any = None) -> None:
        import uvicorn

        from ledger.app import create_app
        from ledger.exchange.settings import ExchangeSettings
        from ledger.settings import LedgerSettings

        self.port = port or free_port()
        exchange = ExchangeSettings(url=exchange_url) if exchange_url else ExchangeSettings()
        # A test ledger serves one terminal id to a whole test session: the per-terminal member read limits
        # (tested on their own in tests/ledger/test_sessions.py) are lifted, as fraud screening is switched off.
        settings = settings or LedgerSettings(fraud_screening=fraud_screening, exchange=exchange,
                                              member_reads_per_minute=100_000, distinct_members_alert=100_000)
        self.app = create_app(db_url, settings=settings)
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning",
                                access_log=False, lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="ledger-uvicorn", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Self:
        self.thread.start()
        wait_healthy(self.url, "ledger", alive=self.thread.is_alive)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.app.state.engine.dispose()


def demo_key_path(key_id: str = "DEMO-KIOSK-01") -> Path:
    """The PEM file of a demo terminal's private key (tests and benchmarks only)."""
    from resources.demo.keys import demo_terminal_key_path

    path = demo_terminal_key_path(key_id)
    if path is None:
        raise KeyError(f"{key_id} is not a demo terminal")
    return path


def demo_key(key_id: str = "DEMO-KIOSK-01") -> TerminalKey:
    return TerminalKey.load(demo_key_path(key_id))


class SignedClient:
    """A minimal terminal-side client: signs each request like protocol v1 says."""

    def __init__(self, url: str, key_id: str = "DEMO-KIOSK-01", key: TerminalKey | None = None,
                 *, clock_offset_s: float = 0.0, timeout_s: float = 10.0) -> None:
        self.url, self.key_id = url.rstrip("/"), key_id
        self.key = key or demo_key(key_id)
        self.clock_offset_s, self.timeout_s = clock_offset_s, timeout_s
        self.http = requests.Session()

    def request(self, method: str, path: str, body: Any = None, *, headers: dict[str, str] | None = None,
                nonce: str | None = None) -> requests.Response:
        data = b"" if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        path = requests.utils.requote_uri(path)  # sign exactly what goes on the wire
        signed = signed_headers(self.key_id, self.key, method, path, data,
                                now=time.time() + self.clock_offset_s, nonce=nonce)
        all_headers = {**signed, **({"Content-Type": "application/json"} if body is not None else {}),
                       **(headers or {})}
        return self.http.request(method, self.url + path, data=data, headers=all_headers, timeout=self.timeout_s)

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any, **kw: Any) -> requests.Response:
        return self.request("POST", path, body, **kw)

    def send_batch(self, items: list[dict[str, Any]], terminal_id: str | None = None) -> list[dict[str, Any]]:
        response = self.post("/v1/transactions", {"terminal_id": terminal_id or self.key_id, "items": items})
        response.raise_for_status()
        results: list[dict[str, Any]] = response.json()["results"]
        return results

    def close(self) -> None:
        self.http.close()


def enrolled_terminal(engine: Any, terminal_id: str, role: str = "kiosk", outlet: str = "") -> tuple[str, TerminalKey]:
    """Register a terminal with a fresh key pair straight in the database (tests: another kiosk or counter).

    Returns (key id, private key): sign with `SignedClient(url, key_id, key)` or the ledger tests'
    `SignedTestClient(client, key_id=key_id, key=key)`.
    """
    from ledger.db import create_schema, session_factory
    from ledger.terminals import register_key

    create_schema(engine)
    key = TerminalKey.generate()
    with session_factory(engine).begin() as session:
        register_key(session, terminal_id, role, outlet, terminal_id, key.public_key)
    return terminal_id, key
