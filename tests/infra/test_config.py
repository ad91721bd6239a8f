from pathlib import Path

import pytest

from infra.config import Config, ConfigError, describe_schema, load_config, parse_config


def test_defaults_run_the_demo() -> None:
    cfg = Config()
    assert cfg.demo is True
    assert cfg.terminal.role == "kiosk"
    assert cfg.devices.printer.kind == "simulator"
    assert cfg.ledger.url.startswith("http://127.0.0.1")


def test_a_file_overrides_only_what_it_names() -> None:
    cfg = parse_config('[terminal]\nid = "TY-K-07"\n[kiosk]\nidle_timeout_s = 120\n')
    assert cfg.terminal.id == "TY-K-07"
    assert cfg.kiosk.idle_timeout_s == 120
    assert cfg.kiosk.idle_warning_s == Config().kiosk.idle_warning_s


def test_nested_device_tables() -> None:
    cfg = parse_config('[devices.printer]\nkind = "escpos"\nuri = "tcp://127.0.0.1:9100"\n')
    assert cfg.devices.printer.uri == "tcp://127.0.0.1:9100"
    assert cfg.devices.id_reader.kind == "simulator"


def test_an_int_is_accepted_where_a_float_is_expected() -> None:
    assert parse_config("[ledger]\ntimeout_s = 3\n").ledger.timeout_s == 3.0


@pytest.mark.parametrize(("text", "expected"), [
    ('[terminal]\nrole = "toaster"\n', "terminal.role = 'toaster': not allowed; use one of 'kiosk', 'counter'"),
    ("[kiosk]\nidle_timeout_s = 2\n", "kiosk.idle_timeout_s = 2: must be between 10 and 3600"),
    ('[kiosk]\nidle_timeout_s = "soon"\n', "kiosk.idle_timeout_s = 'soon': expected a whole number"),
    ("[kiosk]\nfullscreen = 1\n", "kiosk.fullscreen = 1: expected true or false"),
    ("[kiosk]\nidle_timout_s = 30\n", "kiosk.idle_timout_s: unknown key; allowed here:"),
    ('[devices.printer]\nkind = "laser"\n', "devices.printer.kind = 'laser': not allowed"),
    ("terminal = 5\n", "terminal: expected a table"),
    ("[terminal\n", "not valid TOML"),
])
def test_bad_values_name_the_key_the_value_and_what_is_allowed(text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_config(text, "terminal.toml")
    assert str(err.value).startswith("terminal.toml: ")
    assert expected in str(err.value)


def test_missing_default_file_gives_defaults_but_a_missing_named_file_is_an_error(tmp_path: Path) -> None:
    assert load_config(None) == Config()
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "absent.toml")


def test_schema_lists_every_leaf_option_with_help() -> None:
    rows = {key: help_text for key, _default, help_text in describe_schema()}
    assert "devices.scanner.kind" in rows
    assert "kiosk.idle_timeout_s" in rows
    assert all(rows.values())


def test_counter_section_sets_lockout_and_window() -> None:
    cfg = parse_config('[counter]\nwindow = "A3"\nlockout_failures = 3\n')
    assert (cfg.counter.window, cfg.counter.lockout_failures, cfg.counter.lockout_minutes) == ("A3", 3, 15)
    with pytest.raises(ConfigError, match="counter.lockout_failures = 1: must be between 3 and 20"):
        parse_config("[counter]\nlockout_failures = 1\n")


@pytest.mark.parametrize("text", ["[ledger]\ntimeout_s = nan\n", "[ledger]\ntimeout_s = inf\n",
                                  "[ledger]\nsync_interval_s = -inf\n",
                                  "[devices.printer.options]\nx = nan\n"])
def test_nan_and_infinity_are_refused_with_the_key(text: str) -> None:
    from infra.config import ConfigError, parse_config

    with pytest.raises(ConfigError, match="finite") as caught:
        parse_config(text)
    assert "ledger." in str(caught.value) or "devices.printer.options.x" in str(caught.value)


@pytest.mark.parametrize("text", ["[devices.printer.options]\n" + "x = " + "[" * 50 + "]" * 50 + "\n",
                                  "[devices.printer.options]\nx = " + "{a = " * 20 + "1" + "}" * 20 + "\n",
                                  "x = " + "[" * 100000 + "]" * 100000 + "\n"])
def test_deeply_nested_toml_is_refused_with_a_clear_message(text: str) -> None:
    from infra.config import ConfigError, parse_config

    with pytest.raises(ConfigError, match="nested"):
        parse_config(text)
