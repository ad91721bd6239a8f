from pathlib import Path

import pytest

from infra.cli import base_parser, config_or_exit


def test_bad_config_prints_one_line_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "t.toml"
    bad.write_text('[terminal]\nrole = "toaster"\n', encoding="utf-8")
    args = base_parser("hpf-test", "test").parse_args(["--config", str(bad)])
    with pytest.raises(SystemExit) as done:
        config_or_exit(args)
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "terminal.role = 'toaster'" in err and "Traceback" not in err


def test_help_config_lists_keys(capsys: pytest.CaptureFixture[str]) -> None:
    args = base_parser("hpf-test", "test").parse_args(["--help-config"])
    with pytest.raises(SystemExit) as done:
        config_or_exit(args)
    assert done.value.code == 0
    assert "ledger.timeout_s = 5.0" in capsys.readouterr().out


def test_good_config_is_loaded(tmp_path: Path) -> None:
    good = tmp_path / "t.toml"
    good.write_text('[terminal]\nid = "TY-C-02"\nrole = "counter"\n', encoding="utf-8")
    cfg = config_or_exit(base_parser("x", "y").parse_args(["--config", str(good)]))
    assert (cfg.terminal.id, cfg.terminal.role) == ("TY-C-02", "counter")
