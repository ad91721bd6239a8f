"""Reference data served at `GET /v1/reference/{name}`, each with a strong ETag.

policy, rates and catalogue come from the city's policy file (domain.policy), holidays from
the official calendar package (holidays and adjusted working weekends), outlets from
`resources/demo/outlets.toml` (demo data, clearly marked). Documents are built once per
process: they change only with a deployment.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Callable
from datetime import date, datetime, time
from functools import cache
from importlib import resources
from typing import Any

from domain.policy import PolicyError, load_policy_table

NAMES = ("policy", "rates", "catalogue", "holidays", "outlets")


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return value


def _policy(city: str) -> dict[str, Any]:
    table: dict[str, Any] = _jsonable(load_policy_table(city))
    return table


def _find(table: dict[str, Any], *paths: str) -> dict[str, Any]:
    """The first of several possible tables (the policy blocks are still being filled in)."""
    for dotted in paths:
        node: Any = table
        for part in dotted.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict):
            return node
    return {}


def _rates(city: str) -> dict[str, Any]:
    policy = _policy(city)
    return {"city": city, "policy_version": policy.get("meta", {}).get("version"),
            "rates": _find(policy, "rates", "loan.rates")}


def _catalogue(city: str) -> dict[str, Any]:
    policy = _policy(city)
    return {"city": city, "policy_version": policy.get("meta", {}).get("version"),
            "catalogue": _find(policy, "catalogue")}


def _holidays(_city: str) -> dict[str, Any]:
    from chinese_calendar import constants  # the official calendar (State Council notices)

    return {"source": "chinesecalendar (State Council holiday notices)",
            "holidays": {d.isoformat(): str(name) for d, name in sorted(constants.holidays.items())},
            "adjusted_workdays": {d.isoformat(): str(name) for d, name in sorted(constants.workdays.items())}}


def _outlets(_city: str) -> dict[str, Any]:
    text = (resources.files("resources.demo") / "outlets.toml").read_text(encoding="utf-8")
    table: dict[str, Any] = _jsonable(tomllib.loads(text))
    return table


_BUILDERS: dict[str, Callable[[str], dict[str, Any]]] = {
    "policy": _policy, "rates": _rates, "catalogue": _catalogue, "holidays": _holidays, "outlets": _outlets,
}


@cache
def document(name: str, city: str) -> tuple[bytes, str]:
    """(JSON bytes, ETag) of one reference document; KeyError for an unknown name."""
    data = _BUILDERS[name](city)
    body = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
    return "*" in tags or etag in tags


__all__ = ["NAMES", "PolicyError", "document", "etag_matches"]
