"""The ledger's TOML configuration and `hpf-ledger terminals ...` from the command line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from infra.config import ConfigError
from ledger import cli
from ledger.config import LedgerConfig, parse_ledger_config


def test_defaults_and_a_full_file() -> None:
    assert parse_ledger_config("") == LedgerConfig()
    config = parse_ledger_config('demo = false\n[database]\nurl = "postgresql://hpf@db:5432/hpf"\n'
                                 '[server]\nhost = "0.0.0.0"\nport = 9000\nworkers = 4\n'
                                 '[exchange]\nurl = "https://exchange.example"\n'
                                 '[keys]\ndir = "/var/lib/hpf-ledger/keys"\n[rules]\nfraud_screening = false\n')
    assert (config.demo, config.server.port, config.server.workers, config.exchange.url) == (
        False, 9000, 4, "https://exchange.example")


@pytest.mark.parametrize(("text", "named"), [
    ("[server]\nport = 70000\n", "server.port"),
    ("[server]\nworkers = nan\n", "server.workers"),
    ("[terminals]\nenrolment_code_ttl_h = inf\n", "terminals.enrolment_code_ttl_h"),
    ("[database]\nuri = 'x'\n", "database.uri"),
    ("[server]\nport = '8765'\n", "server.port"),
])
def test_a_bad_value_names_its_key(text: str, named: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(named)):
        parse_ledger_config(text, "ledger.toml")


def test_serve_with_a_bad_file_exits_2_with_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "ledger.toml"
    bad.write_text("[server]\nport = 0\n", encoding="utf-8")
    assert cli.main(["serve", "--config", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "server.port = 0" in err and "配置错误" in err and "Traceback" not in err


def test_help_config_lists_every_section(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help-config"]) == 0
    out = capsys.readouterr().out
    for key in ("demo = True", "database.url", "server.workers", "exchange.url", "keys.dir"):
        assert key in out


def test_terminals_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'ledger.db'}"]
    assert cli.main(["terminals", "add", "TY-K-30", "--role", "kiosk", "--outlet", "小店", *db]) == 0
    out = capsys.readouterr().out
    code = re.search(r"--code (\S+)", out)
    assert code and "valid until" in out and "有效期至" in out
    assert cli.main(["terminals", "list", *db]) == 0
    assert "TY-K-30\tkiosk\tactive" in capsys.readouterr().out
    assert cli.main(["terminals", "rotate", "TY-K-30", *db]) == 0
    assert cli.main(["terminals", "revoke", "TY-K-30", *db]) == 0
    capsys.readouterr()
    assert cli.main(["terminals", "revoke", "NOPE", *db]) == 2
    assert "no terminal NOPE" in capsys.readouterr().err
    assert cli.main(["terminals", "add", "TY-K-31", "--role", "kiosk", "--code-ttl-h", "0", *db]) == 2


def test_member_session_limits_come_from_the_sessions_section() -> None:
    config = parse_ledger_config("[sessions]\nttl_s = 300\nreads_per_minute = 12\n", "ledger.toml")
    assert (config.sessions.ttl_s, config.sessions.reads_per_minute, config.sessions.window_s) == (300, 12, 3600)
    with pytest.raises(ConfigError, match="sessions.ttl_s"):
        parse_ledger_config("[sessions]\nttl_s = 5\n", "ledger.toml")
