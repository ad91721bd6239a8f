"""JSON-safe dicts for the domain's frozen dataclasses, driven by their type hints.

Decimal travels as a string (never a float), date/datetime as ISO 8601, enums by value,
tuples as lists, nested dataclasses as dicts. `from_json` rebuilds the exact types and raises
`ValueError` naming the field when a value does not fit, so a corrupt cache entry or a bad
ledger reply gives a clear message instead of a half-built object.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, Self, TypeVar

T = TypeVar("T")
JsonDict = dict[str, Any]


def to_json(obj: Any) -> Any:
    """A value made only of dict, list, str, int, bool and None."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_json(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, (datetime, date)):
        return obj.isoformat()
    if isinstance(obj, (tuple, list, frozenset, set)):
        return [to_json(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): to_json(v) for k, v in obj.items()}
    return obj


@cache
def _hints(cls: Any) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_json(cls: type[T], data: Any, where: str = "") -> T:
    """Rebuild a dataclass of type `cls` from what `to_json` produced."""
    where = where or cls.__name__
    if not isinstance(data, dict):
        raise ValueError(f"{where}: expected an object, got {type(data).__name__}")
    kwargs: dict[str, Any] = {}
    hints = _hints(typing.cast(Any, cls))
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name not in data:
            if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING:
                continue
            raise ValueError(f"{where}.{f.name}: missing")
        kwargs[f.name] = _decode(hints[f.name], data[f.name], f"{where}.{f.name}")
    return cls(**kwargs)


def _decode(hint: Any, value: Any, where: str) -> Any:  # noqa: PLR0911 - one branch per kind
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(hint)
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return _decode(inner[0], value, where)
    if origin is typing.Literal:
        if value not in typing.get_args(hint):
            raise ValueError(f"{where}: {value!r} is not one of {typing.get_args(hint)}")
        return value
    if origin is tuple:
        if not isinstance(value, list):
            raise ValueError(f"{where}: expected a list")
        item = typing.get_args(hint)[0]
        return tuple(_decode(item, v, f"{where}[{i}]") for i, v in enumerate(value))
    if origin is frozenset:
        if not isinstance(value, list):
            raise ValueError(f"{where}: expected a list")
        return frozenset(_decode(typing.get_args(hint)[0], v, where) for v in value)
    try:
        return _decode_scalar(hint, value, where)
    except (TypeError, InvalidOperation):
        raise ValueError(f"{where}: {value!r} is not a valid {getattr(hint, '__name__', hint)}") from None


def _decode_scalar(hint: Any, value: Any, where: str) -> Any:  # noqa: PLR0911
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return from_json(hint, value, where)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        try:
            return hint(value)
        except ValueError:
            raise ValueError(f"{where}: {value!r} is not a valid {hint.__name__}") from None
    if hint is Decimal:
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise ValueError(f"{where}: {value!r} must be a decimal string")
        return Decimal(value)
    if hint is datetime:
        if not isinstance(value, str):
            raise ValueError(f"{where}: {value!r} must be an ISO datetime")
        return _iso(datetime.fromisoformat, value, where)
    if hint is date:
        if not isinstance(value, str):
            raise ValueError(f"{where}: {value!r} must be an ISO date")
        return _iso(date.fromisoformat, value, where)
    if hint in (str, int, bool):
        if not isinstance(value, hint) or (hint is int and isinstance(value, bool)):
            raise ValueError(f"{where}: {value!r} must be {hint.__name__}")
        return value
    return value


def _iso(parse: Any, value: str, where: str) -> Any:
    try:
        return parse(value)
    except ValueError:
        raise ValueError(f"{where}: {value!r} is not ISO 8601") from None


class JsonMixin:
    """`to_json()` / `from_json()` for a dataclass, through this module's type-hint-driven codec."""

    def to_json(self) -> dict[str, Any]:
        result: dict[str, Any] = to_json(self)
        return result

    @classmethod
    def from_json(cls, data: Any) -> Self:
        return from_json(cls, data)
