"""The terminal's diagnostic state, as plain data: devices, health results, outbox statistics.

The apps keep a copy on disk (`save_device_state`) after each health check and status change so
that `hpf-diag bundle`, run beside a running app, can report what the app saw without opening the
devices the app holds.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from infra import paths

STATE_FILE = "device-state.json"


def state_path() -> Path:
    return paths.data_dir() / "diagnostics" / STATE_FILE


def save_device_state(rows: list[dict[str, Any]], path: Path | None = None) -> None:
    """Write the device rows (`DeviceManager.rows()` as dicts) atomically."""
    target = path or state_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps({"saved_at": _now(), "devices": rows}, ensure_ascii=False, indent=2),
                   encoding="utf-8")
    os.replace(tmp, target)


def load_device_state(path: Path | None = None) -> dict[str, Any] | None:
    target = path or state_path()
    try:
        data: dict[str, Any] = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return ""


def versions() -> dict[str, str]:
    """App, Python, Qt (when installed: read from its metadata, Qt itself is not loaded) and OS."""
    return {"app": _version("hpf-terminal") or "unknown", "python": sys.version.split()[0],
            "qt": _version("PySide6") or "not installed", "os": platform.platform(),
            "machine": platform.machine()}


@dataclass(frozen=True)
class ParkedItem:
    seq: int
    kind: str
    created_at: str
    attempts: int
    reason_code: str
    reason_zh: str
    reason_en: str


@dataclass(frozen=True)
class OutboxStats:
    pending: int
    in_flight: int
    parked: int
    rejected: int
    acknowledged: int
    oldest_unsent_at: str | None
    oldest_unsent_age_s: float | None
    parked_items: tuple[ParkedItem, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["parked_items"] = [asdict(p) for p in self.parked_items]
        return data


def outbox_stats(outbox: Any, now: datetime | None = None) -> OutboxStats:
    """Statistics of a `sync.outbox.Outbox`: counts, the oldest unsent item's age, parked items with
    their reasons (never a payload or a member)."""
    from sync.outbox import PARKED, age_seconds

    counts = outbox.counts()
    parked = tuple(ParkedItem(i.seq, i.kind, i.created_at, i.attempts, i.reason.code if i.reason else "",
                              i.reason.zh if i.reason else "", i.reason.en if i.reason else "")
                   for i in outbox.items(PARKED))
    age = age_seconds(counts.oldest_pending_at, now)
    return OutboxStats(counts.pending, counts.in_flight, counts.parked, counts.rejected, counts.acknowledged,
                       counts.oldest_pending_at, round(age, 1) if age is not None else None, parked)


def outbox_stats_from_store(store_path: Path, terminal_id: str) -> OutboxStats | None:
    """The same from the store file (the CLI beside a running app); None when there is no store."""
    if not store_path.exists():
        return None
    from sync.outbox import Outbox
    from sync.store import Store

    store = Store(store_path)
    try:
        return outbox_stats(Outbox(store, terminal_id))
    finally:
        store.close()
