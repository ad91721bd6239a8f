"""What devices hand back: a data event, an error event, a scanned code, an output command's outcome,
and what a device says it is and can do (its `info` and `capabilities`, for diagnostics and health).

`hardware.events` (the events) and `hardware.model` (all six) re-export them and import this module
at the first one a device makes: no device reads, scans, prints, fails or is described before an app's
first frame, and each frozen dataclass generates its methods when its module is imported (a few million
instructions each, before the first frame if they were defined with the model).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from hardware.events import DeviceEvent, _now


@dataclass(frozen=True)
class DataEvent(DeviceEvent):
    """Input from a device: an `IdCardRecord`, a `ScanResult`, a captured page ..."""

    data: object
    time: datetime = field(default_factory=_now)


@dataclass(frozen=True)
class ErrorEvent(DeviceEvent):
    """Something went wrong; `action_*` tells the person what to do about it."""

    code: str
    message_zh: str
    message_en: str
    action_zh: str = ""
    action_en: str = ""
    time: datetime = field(default_factory=_now)


@dataclass(frozen=True)
class CommandResult:
    """The outcome of one idempotent device command."""
    command_id: str
    duplicate: bool = False  # True: this id had completed before; nothing was done this time
    detail: str = ""


@dataclass(frozen=True)
class ScanResult:
    """One decoded code. `text` is checked and capped by the scanner; `raw` is what was read."""

    format: str  # "QR_CODE", "CODE_128", "EAN_13", ...
    text: str
    raw: bytes = b""
    source: str = ""  # "camera", "wedge", "serial", "image"


@dataclass(frozen=True)
class DeviceInfo:
    """What a device says it is."""
    model: str = ""
    serial: str = ""
    firmware: str = ""
    driver: str = ""  # "<kind>: <driver class>"

    def as_dict(self) -> dict[str, str]:
        return {"model": self.model, "serial": self.serial, "firmware": self.firmware, "driver": self.driver}


@dataclass(frozen=True)
class Capabilities:
    """What a device can do. `features` holds class-specific flags ("cut", "qr", "photo", ...)."""

    status_query: bool = False  # can report status without a side effect
    external_check: bool = False  # has a test operation for the external health check
    features: frozenset[str] = frozenset()
    limits: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))  # e.g. {"dots": 576}

    def has(self, feature: str) -> bool:
        return feature in self.features
