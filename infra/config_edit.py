"""Write one option into a TOML configuration file, keeping its comments and layout (tomlkit).

Used by `hpf-diag enrol` (ledger.url, ledger.key_id, ledger.key_file) and `hpf-diag set-pin`
(kiosk.technician_pin_hash). The result is checked with the schema before it replaces the file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import tomlkit

from infra.config import ConfigError, parse_config


def set_options(path: Path, values: Mapping[str, Any]) -> None:
    """Set `section.key = value` for each entry (creating the file or section), atomically."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    try:
        doc = tomlkit.parse(text)
    except Exception as exc:  # tomlkit raises its own ParseError family
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    for dotted, value in values.items():
        section, key = dotted.rsplit(".", 1)
        table: Any = doc
        for part in section.split("."):
            if part not in table:
                table[part] = tomlkit.table()
            table = table[part]
        table[key] = value
    new_text = tomlkit.dumps(doc)
    parse_config(new_text, str(path))  # never write a file the programs would refuse
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o600
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(new_text)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, path)
