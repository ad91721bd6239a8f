"""hpf-diag enrol and set-pin: a terminal enrols with a one-time code against a real ledger on loopback,
signs with its own 0600 key, and is refused at once after `terminals revoke`/`rotate`."""

from __future__ import annotations

import io
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from hardware.diag import main
from infra.config import load_config
from infra.pin import verify_pin
from ledger.db import make_engine, session_factory
from ledger.seed import seed_demo
from ledger.terminals import add, revoke, rotate
from ledger.testing import LedgerThread
from sync import errors
from sync.client import LedgerClient
from sync.credentials import load_terminal_key


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    db = f"sqlite:///{tmp_path_factory.mktemp('enrol-ledger') / 'ledger.db'}"
    engine = make_engine(db)
    seed_demo(engine, 2)
    engine.dispose()
    with LedgerThread(db) as server:
        yield server.url, db


def _sessions(db: str):  # type: ignore[no-untyped-def]
    return session_factory(make_engine(db))


def test_enrol_writes_a_0600_key_and_the_config_and_the_terminal_can_sign(
        ledger: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url, db = ledger
    issued = add(_sessions(db), "TY-K-21", "kiosk", "小店服务大厅")
    config_path = tmp_path / "terminal.toml"
    config_path.write_text("# this terminal's file\ndemo = false\n[kiosk]\nfullscreen = true\n", encoding="utf-8")
    key_file = tmp_path / "keys" / "terminal-key.pem"
    config_path.write_text(config_path.read_text() + f'[ledger]\nkey_file = "{key_file}"\n', encoding="utf-8")
    assert main(["--config", str(config_path), "enrol", "--ledger", url, "--code", issued.code.lower(), "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["ok"] and answer["terminal_id"] == "TY-K-21"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert "# this terminal's file" in config_path.read_text()  # comments kept
    config = load_config(config_path)
    assert (config.terminal.id, config.ledger.key_id, config.ledger.url) == ("TY-K-21", answer["key_id"], url)
    client = LedgerClient(url, config.ledger.key_id, load_terminal_key(config), timeout_s=10)
    try:
        assert client.reference("outlets").body is not None
        rotate(_sessions(db), "TY-K-21")
        with pytest.raises(errors.AuthError):  # refused at once, no cache anywhere
            client.reference("outlets")
    finally:
        client.close()


def test_a_revoked_terminal_is_refused_at_once(ledger: tuple[str, str], tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    url, db = ledger
    issued = add(_sessions(db), "TY-K-22", "kiosk")
    config_path = tmp_path / "terminal.toml"
    config_path.write_text(f'[ledger]\nkey_file = "{tmp_path / "k.pem"}"\n', encoding="utf-8")
    assert main(["--config", str(config_path), "enrol", "--ledger", url, "--code", issued.code]) == 0
    config = load_config(config_path)
    client = LedgerClient(url, config.ledger.key_id, load_terminal_key(config), timeout_s=10)
    try:
        client.heartbeat("TY-K-22", {})
        revoke(_sessions(db), "TY-K-22")
        with pytest.raises(errors.AuthError):
            client.heartbeat("TY-K-22", {})
    finally:
        client.close()


def test_a_spent_or_garbled_code_fails_with_a_sentence(ledger: tuple[str, str], tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    url, db = ledger
    issued = add(_sessions(db), "TY-K-23", "kiosk")
    config_path = tmp_path / "terminal.toml"
    config_path.write_text(f'[ledger]\nkey_file = "{tmp_path / "k.pem"}"\n', encoding="utf-8")
    assert main(["--config", str(config_path), "enrol", "--ledger", url, "--code", issued.code]) == 0
    capsys.readouterr()
    assert main(["--config", str(config_path), "enrol", "--ledger", url, "--code", issued.code]) == 1
    assert "登记码无效" in capsys.readouterr().err
    assert main(["--config", str(config_path), "enrol", "--ledger", url, "--code", "hello"]) == 1
    assert "not an enrolment code" in capsys.readouterr().err


def test_set_pin_writes_an_argon2_hash_and_refuses_a_weak_pin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    config_path = tmp_path / "terminal.toml"
    monkeypatch.setattr("sys.stdin", io.StringIO("111111\n"))
    assert main(["--config", str(config_path), "set-pin"]) == 1
    assert "too easy" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("739164\n"))
    assert main(["--config", str(config_path), "set-pin"]) == 0
    stored = load_config(config_path).kiosk.technician_pin_hash
    assert stored.startswith("$argon2id$") and "739164" not in config_path.read_text()
    assert verify_pin(stored, "739164") and not verify_pin(stored, "246810")
