"""The terminal.toml template, generated from the configuration schema so it never drifts.

    python -m installer.config_template > installer/linux/terminal.toml

Every key appears commented out with its help text, allowed values and default, so the file as
shipped means "all defaults" and a technician uncomments what this terminal needs. The test in
tests/installer compares the committed template with this output.
"""

from __future__ import annotations

import dataclasses
import math
import sys
import typing
from typing import Any

from infra.config import Config, describe_schema

HEADER = """\
# HPF Terminal configuration: one file per terminal (TOML).
# 住房公积金终端配置文件：每台终端一份。
#
# Every key is listed, commented out, with its default: as shipped this file means "all defaults",
# which is the DEMO (simulated devices, local ledger). For a real lobby kiosk set at least
# demo = false and the [devices.*] sections; `hpf-diag enrol` writes [terminal] id and [ledger]
# url / key_id, `hpf-diag set-pin` the technician PIN (see "Enrol a terminal" in the README).
# Check a file with:  hpf-diag --config /etc/hpf-terminal/terminal.toml list
#
# Generated from the schema in infra/config.py (python -m installer.config_template); do not edit
# the template by hand.
"""


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and every control character escaped (TOML forbids them raw)."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_value(value: Any) -> str:
    """A TOML literal for a default value (strings, numbers, booleans, tables, arrays)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"no TOML literal for {value!r}")
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, dict):
        inner = ", ".join(f"{toml_string(str(k))} = {toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML literal for {type(value).__name__} {value!r}")


def _field(key: str) -> dataclasses.Field[Any]:
    """The dataclass field behind a dotted key, for its allowed values and bounds."""
    cls: Any = Config
    *sections, name = key.split(".")
    for section in sections:
        cls = typing.get_type_hints(cls)[section]
    found: dataclasses.Field[Any] = {f.name: f for f in dataclasses.fields(cls)}[name]
    return found


def _allowed(key: str) -> str:
    meta = _field(key).metadata
    choices = meta.get("choices") or ()
    if choices:
        return "one of: " + ", ".join(toml_value(c) for c in choices)
    lo, hi = meta.get("minval"), meta.get("maxval")
    if lo is not None and hi is not None:
        return f"from {lo:g} to {hi:g}"
    if lo is not None:
        return f"at least {lo:g}"
    if hi is not None:
        return f"at most {hi:g}"
    return ""


def render() -> str:
    rows = describe_schema()
    # TOML wants keys of the root table before the first [section] header.
    rows = sorted(rows, key=lambda row: "." in row[0])
    lines = [HEADER]
    section: str | None = None
    for key, default, help_text in rows:
        table, _, name = key.rpartition(".")
        if table != section:
            if table:
                lines.append(f"[{table}]")
            section = table
        allowed = _allowed(key)
        lines.append(f"# {help_text}" + (f" ({allowed})" if allowed else ""))
        lines.append(f"#{name} = {toml_value(default)}")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def main() -> int:
    sys.stdout.write(render())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
