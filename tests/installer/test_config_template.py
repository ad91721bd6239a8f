"""installer/linux/terminal.toml is the schema's own description, and every default in it is valid TOML."""

from __future__ import annotations

import re
import tomllib

from hypothesis import given
from hypothesis import strategies as st

from infra.config import Config, describe_schema, parse_config
from installer import bundle
from installer.config_template import render, toml_value

TEMPLATE = bundle.INSTALLER / "linux" / "terminal.toml"
COMMENTED_KEY = re.compile(r"^#([A-Za-z_][A-Za-z0-9_]*) = (.*)$")


def test_the_committed_template_is_what_the_schema_generates() -> None:
    assert TEMPLATE.read_text(encoding="utf-8") == render(), (
        "the configuration schema changed: python -m installer.config_template > installer/linux/terminal.toml")


def test_as_shipped_the_template_means_all_defaults() -> None:
    assert parse_config(TEMPLATE.read_text(encoding="utf-8"), "terminal.toml") == Config()


def test_every_key_appears_once_and_uncommented_gives_the_defaults_back() -> None:
    lines = render().splitlines()
    uncommented = [COMMENTED_KEY.sub(r"\1 = \2", line) for line in lines]
    section, keys = "", []
    for line in uncommented:
        if line.startswith("["):
            section = line.strip("[]") + "."
        elif (m := re.match(r"^([A-Za-z_][A-Za-z0-9_]*) = ", line)):
            keys.append(section + m.group(1))
    assert keys == sorted((key for key, _d, _h in describe_schema()), key=lambda k: "." in k)
    assert parse_config("\n".join(uncommented), "uncommented") == Config()


def test_each_key_carries_its_help_and_allowed_values() -> None:
    text = render()
    for _key, _default, help_text in describe_schema():
        assert f"# {help_text}" in text
    assert '# What this terminal is (one of: "kiosk", "counter")\n#role = "kiosk"' in text
    assert "(from 10 to 3600)\n#idle_timeout_s = 90" in text


@given(st.text())
def test_any_string_default_is_written_as_a_toml_string(value: str) -> None:
    assert tomllib.loads(f"x = {toml_value(value)}")["x"] == value


simple = st.one_of(st.booleans(), st.integers(-10**12, 10**12), st.text(max_size=20),
                   st.floats(allow_nan=False, allow_infinity=False))


@given(st.dictionaries(st.text(max_size=10), st.one_of(simple, st.lists(st.integers(-99, 99), max_size=4)),
                       max_size=5))
def test_any_table_default_is_written_as_an_inline_table(value: dict[str, object]) -> None:
    assert tomllib.loads(f"x = {toml_value(value)}")["x"] == value
