"""`[server] workers = N`: each worker rebuilds the parent's checked settings from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from ledger import workers
from ledger.exchange.settings import ExchangeSettings
from ledger.settings import LedgerSettings


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
