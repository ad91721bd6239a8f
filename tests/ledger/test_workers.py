"""`[server] workers = N`: each worker rebuilds the parent's checked settings from the environment."""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from ledger import workers
from ledger.exchange.settings import ExchangeSettings
from ledger.settings import LedgerSettings


@pytest.fixture(autouse=True)
def _process_state() -> Iterator[None]:
    """workers.app() sets up the `hpf` loggers and freezes the collector, as a worker process does: undone here."""
    hpf = logging.getLogger("hpf")
    saved = (list(hpf.handlers), hpf.level, hpf.propagate)
    yield
    gc.unfreeze()
    for h in list(hpf.handlers):
        hpf.removeHandler(h)
    for h in saved[0]:
        hpf.addHandler(h)
    hpf.setLevel(saved[1])
    hpf.propagate = saved[2]


def test_a_worker_gets_the_parents_exchange_and_rule_settings(monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    settings = LedgerSettings(fraud_screening=False, session_ttl_s=120,
                              exchange=ExchangeSettings(url="http://127.0.0.1:9999", retries=0, key_id="EX-1"))
    monkeypatch.setattr("os.environ", {**workers.environment(f"sqlite:///{tmp_path / 'l.db'}", settings)})
    app = workers.app()
    got: LedgerSettings = app.state.settings
    assert isinstance(got.exchange, ExchangeSettings)
    assert (got.exchange.url, got.exchange.retries, got.exchange.key_id) == ("http://127.0.0.1:9999", 0, "EX-1")
    assert (got.fraud_screening, got.session_ttl_s) == (False, 120)
    app.state.engine.dispose()


def test_a_worker_logs_at_the_parents_level(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A worker process configures the `hpf` loggers itself (spawned, it inherits none of the parent's set-up)."""
    monkeypatch.setattr("os.environ", {**workers.environment(f"sqlite:///{tmp_path / 'l.db'}", LedgerSettings(),
                                                             log_level="WARNING")})
    app = workers.app()
    hpf = logging.getLogger("hpf")
    assert hpf.level == logging.WARNING
    assert any(isinstance(h, logging.StreamHandler) for h in hpf.handlers), "no console handler in the worker"
    app.state.engine.dispose()
