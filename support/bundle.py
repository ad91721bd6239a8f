"""The support bundle: one zip a technician attaches to a support case.

    manifest.json      when, which terminal, versions (app, Python, Qt, OS), what is inside
    config.json        the configuration, every secret redacted
    devices.json       each device: driver, state, status, last health result
    outbox.json        pending, in flight, parked (with reasons), oldest unsent age
    logs/...           the log files and the in-memory log lines (masked)
    crashes/...        fault.log (hard crashes) and the uncaught exceptions found in the logs

Every text that goes in passes the `Scrubber` (support.redact): no secret, no full ID number,
no full card number. Log files are cut to their last `LOG_TAIL_BYTES`.
"""

from __future__ import annotations

import dataclasses
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from infra import paths
from infra.config import Config
from support.redact import Scrubber, redact_mapping
from support.state import OutboxStats, load_device_state, outbox_stats_from_store, versions

LOG_TAIL_BYTES = 2_000_000
CRASH_MARKERS = re.compile(r"uncaught exception|Traceback \(most recent call last\)|Fatal Python error")


@dataclass(frozen=True)
class BundleReport:
    path: Path
    members: tuple[str, ...]
    size: int


def redacted_config(config: Config) -> tuple[dict[str, Any], list[str]]:
    """The configuration as a dict with every secret redacted, and the secret values found."""
    secrets: list[str] = []
    return redact_mapping(dataclasses.asdict(config), secrets), secrets


def _tail(path: Path, limit: int = LOG_TAIL_BYTES) -> str:
    with path.open("rb") as f:
        size = f.seek(0, 2)
        f.seek(max(0, size - limit))
        data = f.read()
    return data.decode("utf-8", errors="replace")


def _crash_excerpts(text: str, context_lines: int = 30) -> list[str]:
    lines = text.splitlines()
    return ["\n".join(lines[i:i + context_lines]) for i, line in enumerate(lines) if CRASH_MARKERS.search(line)
            and "uncaught exception" in line or line.startswith("Fatal Python error")]


def write_bundle(out: Path, config: Config, *, device_rows: list[dict[str, Any]] | None = None,
                 outbox: OutboxStats | None = None, log_lines: Iterable[str] | None = None,
                 log_dir: Path | None = None, extra: dict[str, Any] | None = None) -> BundleReport:
    """Write the bundle to `out` (a .zip). Devices and outbox default to what the running app saved
    and what the store holds; log lines default to the in-memory ring of this process."""
    config_data, secrets = redacted_config(config)
    scrub = Scrubber(secrets)
    log_dir = log_dir or paths.log_dir()
    if device_rows is None:
        saved = load_device_state()
        device_rows = list(saved.get("devices", [])) if saved else _configured_rows(config)
    if outbox is None:
        outbox = outbox_stats_from_store(config.store_path(), config.terminal.id)
    if log_lines is None:
        from infra.logs import ram_handler

        log_lines = list(ram_handler.lines)
    members: dict[str, str] = {
        "config.json": _json(config_data),
        "devices.json": _json({"devices": device_rows}),
        "outbox.json": _json(outbox.as_dict() if outbox is not None else {"store": "no local store found"}),
        "logs/recent.log": "\n".join(log_lines),
    }
    crashes: list[str] = []
    if log_dir.is_dir():
        for path in sorted(log_dir.glob("*.log*")):
            if not path.is_file():
                continue
            text = _tail(path)
            if path.name.startswith("fault"):
                members[f"crashes/{path.name}"] = text
            else:
                members[f"logs/{path.name}"] = text
                crashes += _crash_excerpts(text)
    if crashes:
        members["crashes/uncaught.txt"] = "\n\n----\n\n".join(crashes[-20:])
    manifest = {"created_at": datetime.now(UTC).isoformat(timespec="seconds"), "terminal": config.terminal.id,
                "role": config.terminal.role, "outlet": config.terminal.outlet, "versions": versions(),
                "demo": config.demo, "members": sorted([*members, "manifest.json"]), **(extra or {})}
    members["manifest.json"] = _json(manifest)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, text in sorted(members.items()):
            zf.writestr(name, scrub(text))
    tmp.replace(out)
    return BundleReport(out, tuple(sorted(members)), out.stat().st_size)


def _configured_rows(config: Config) -> list[dict[str, Any]]:
    """Without a saved state: the configured devices, not opened (the app may hold them)."""
    rows = []
    for name in ("id_reader", "scanner", "printer", "camera"):
        section = getattr(config.devices, name)
        rows.append({"name": name, "kind": section.kind, "uri": section.uri, "state": "unknown (no saved state)",
                     "options": redact_mapping(dict(section.options))})
    return rows


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
