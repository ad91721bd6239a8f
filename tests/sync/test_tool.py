"""`hpf-sync status|send`: what waits in the outbox (the package's purge check) and sending it now."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from infra.config import load_config
from ledger.testing import free_port
from sync.runtime import SyncRuntime
from sync.tool import EXIT_OK, EXIT_UNSENT_REMAIN, EXIT_WAITING, main
from tests.sync.crashkit import SECRET, TERMINAL
from tests.sync.helpers import rating


def _config(tmp_path: Path, url: str) -> Path:
    path = tmp_path / "terminal.toml"
    path.write_text(f'[terminal]\nid = "{TERMINAL}"\n[ledger]\nurl = "{url}"\nkey_id = "{TERMINAL}"\n'
                    f'key_file = "{SECRET}"\ntimeout_s = 2.0\n[store]\npath = "{(tmp_path / "t.db").as_posix()}"\n'
                    '[logging]\nfile = false\n', encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HPF_HOME", str(tmp_path / "home"))  # the cache key lives in the data directory


def _queue(config: Path, n: int) -> None:
    runtime = SyncRuntime.from_config(load_config(config))
    try:
        for _ in range(n):
            runtime.enqueue("rating", rating())
    finally:
        runtime.stop()


def test_status_of_a_terminal_without_a_store_is_nothing_waiting(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--config", str(_config(tmp_path, "http://127.0.0.1:9")), "--json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out) == {"store": str(tmp_path / "t.db"), "unsent": 0, "for_clerk": 0,
                                                   "exists": False}
    assert not (tmp_path / "t.db").exists()  # asking creates nothing


def test_waiting_items_are_reported_then_sent_to_the_ledger(ledger: Any, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    config = _config(tmp_path, ledger.url)
    _queue(config, 3)
    assert main(["status", "--config", str(config)]) == EXIT_WAITING
    assert "3 transaction(s) not yet at the centre" in capsys.readouterr().out
    assert main(["send", "--config", str(config), "--timeout", "30"]) == EXIT_OK
    assert "everything is at the centre" in capsys.readouterr().out
    assert main(["status", "--config", str(config), "--json"]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["unsent"] == 0


def test_send_to_an_unreachable_ledger_keeps_the_items_and_says_why(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    config = _config(tmp_path, f"http://127.0.0.1:{free_port()}")
    _queue(config, 2)
    assert main(["send", "--config", str(config), "--timeout", "1"]) == EXIT_UNSENT_REMAIN
    said = capsys.readouterr().out
    assert "2 still waiting" in said and "离线" in said
    assert main(["status", "--config", str(config)]) == EXIT_WAITING
