"""Local HTTP services started by tests, the demo and the build's smoke checks: a free port, and
waiting until a service answers its health check (the ledger and the exchange simulator alike)."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable

import requests

HEALTH_TIMEOUT_S = 30.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_healthy(url: str, what: str, timeout_s: float = HEALTH_TIMEOUT_S,
                 alive: Callable[[], bool] | None = None) -> None:
    """Poll GET {url}/v1/health until it answers 200; `alive()` returning False aborts early."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if alive is not None and not alive():
            raise RuntimeError(f"the {what} at {url} exited before it became healthy")
        try:
            if requests.get(f"{url}/v1/health", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"the {what} at {url} did not become healthy within {timeout_s} s")
