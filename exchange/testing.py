"""Start the exchange simulator for tests and the demo: in a thread, or as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import requests

from domain.demo_people import DEFAULT_SEED
from infra.services import free_port, wait_healthy


def set_mode(url: str, mode: str, **delays: float) -> None:
    requests.post(f"{url}/admin/mode", json={"mode": mode, **delays}, timeout=5).raise_for_status()


def set_record(url: str, id_number: str, topic: str, facts: dict[str, Any], status: str = "ok") -> None:
    requests.post(f"{url}/admin/records", json={"id_number": id_number, "topic": topic, "status": status,
                                                "facts": facts}, timeout=5).raise_for_status()


class ExchangeThread:
    """`with ExchangeThread() as exchange: exchange.url` — the simulator in a daemon thread."""

    def __init__(self, *, members: int = 200, seed: int = DEFAULT_SEED, port: int | None = None) -> None:
        import uvicorn

        from exchange.app import create_app
        from exchange.registry import DemoRegistry

        self.port = port or free_port()
        self.app = create_app(DemoRegistry.seeded(members, seed))
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning",
                                access_log=False, lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="exchange-uvicorn", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Self:
        self.thread.start()
        wait_healthy(self.url, "exchange", alive=self.thread.is_alive)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.server.should_exit = True
        self.thread.join(10)


class ExchangeProcess:
    """`with ExchangeProcess() as exchange:` — `python -m exchange.cli serve` as a subprocess."""

    def __init__(self, *, members: int = 200, seed: int = DEFAULT_SEED, port: int | None = None,
                 mode: str = "normal", log_path: Path | None = None) -> None:
        self.members, self.seed, self.mode, self.log_path = members, seed, mode, log_path
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Self:
        command = [sys.executable, "-m", "exchange.cli", "serve", "--port", str(self.port), "--members",
                   str(self.members), "--seed", str(self.seed), "--mode", self.mode, "--log-level", "WARNING"]
        out = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115 - the child keeps it
        try:
            self.proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=dict(os.environ))
        finally:
            if self.log_path and not isinstance(out, int):
                out.close()
        try:
            wait_healthy(self.url, "exchange", alive=lambda: self.proc is not None and self.proc.poll() is None)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self, timeout_s: float = 10.0) -> None:
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

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
