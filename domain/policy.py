"""Loading a city's policy file (`resources/policy/<city>.toml`).

Every city-specific number lives in that file with its source in a comment; typed sections are
built from the raw tables by the modules that use them (calculator rates, loan limits,
withdrawals, catalogue, SLA), each with `PolicyError` messages that name the missing or bad key.
Reading the file is the one bit of I/O in `domain`: it is data shipped with the package.
"""

from __future__ import annotations

import tomllib
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

Table = dict[str, Any]


class PolicyError(Exception):
    """A policy file is missing, unreadable, or lacks a key / holds a bad value."""


def policy_path(city: str) -> Path:
    return Path(str(resources.files("resources.policy") / f"{city}.toml"))


def load_policy_table(city: str = "taiyuan", path: Path | None = None) -> Table:
    """The raw tables of a city's policy file."""
    path = path or policy_path(city)
    table = _read_toml(path, city)
    # The service catalogue is its own file beside the policy (`<city>.catalogue.toml`), merged in
    # as [catalogue]; a policy file that carries its own [catalogue] keeps it.
    companion = path.with_name(f"{path.stem}.catalogue.toml")
    if "catalogue" not in table and companion.is_file():
        table["catalogue"] = _read_toml(companion, city).get("catalogue", {})
    return table


def _read_toml(path: Path, city: str) -> Table:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PolicyError(f"no policy file for city {city!r} ({path.name})") from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{path.name}: not valid TOML: {exc}") from None


def section(table: Table, dotted: str) -> Table:
    """`section(t, "loan.limits")` or a PolicyError naming the missing table."""
    node: Any = table
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            raise PolicyError(f"policy: missing table [{dotted}]")
        node = node[part]
    if not isinstance(node, dict):
        raise PolicyError(f"policy: [{dotted}] must be a table")
    return node


def require(table: Table, key: str, kind: type, where: str) -> Any:
    """A value of the given kind, or a PolicyError that names `where.key`."""
    if key not in table:
        raise PolicyError(f"policy: missing key {where}.{key}")
    value = table[key]
    if kind is Decimal:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise PolicyError(f"policy: {where}.{key} = {value!r} is not a number")
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise PolicyError(f"policy: {where}.{key} = {value!r} is not a number") from None
    if kind is date and isinstance(value, date):
        return value
    if kind is int and isinstance(value, bool):
        raise PolicyError(f"policy: {where}.{key} = {value!r} must be a whole number")
    if not isinstance(value, kind):
        raise PolicyError(f"policy: {where}.{key} = {value!r} must be {kind.__name__}")
    return value
