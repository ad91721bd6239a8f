"""Fleet alert rules: which conditions of a terminal's heartbeat raise an alert, and the webhooks.

Rules come from configuration (resources/fleet/alert_rules.toml by default, the source of every
threshold is commented there). `conditions(rule, ...)` says which subjects (a device, or "" for
the terminal) are in the rule's condition now; `reconcile` opens an alert for each new one, clears
the open ones whose condition ended, and returns what changed for the webhooks.
"""

from __future__ import annotations

import json
import threading
import tomllib
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from infra.logs import get_logger
from ledger.models_fleet import FleetAlert

log = get_logger("ledger")

KINDS = ("silent", "device_offline", "paper", "cover_open", "outbox_age", "disk_low", "clock_skew")
WEBHOOK_TIMEOUT_S = 3.0


@dataclass(frozen=True)
class AlertRule:
    name: str
    kind: str
    minutes: float = 0.0
    seconds: float = 0.0
    free_ratio: float = 0.0
    webhook: str = ""


class RuleError(ValueError):
    pass


def parse_rules(text: str) -> list[AlertRule]:
    data = tomllib.loads(text)
    rules: list[AlertRule] = []
    for i, raw in enumerate(data.get("rule", [])):
        where = f"rule #{i + 1}"
        if not isinstance(raw, dict) or not raw.get("name") or raw.get("kind") not in KINDS:
            raise RuleError(f"告警规则 {where} 缺少名称或类型无效 / {where}: needs a name and a kind in {KINDS}")
        webhook = str(raw.get("webhook", ""))
        if webhook and not webhook.startswith(("http://", "https://")):
            raise RuleError(f"告警规则 {raw['name']} 的 webhook 必须是 http(s) 地址 / "
                            f"{raw['name']}: webhook must be http(s)")
        try:
            rules.append(AlertRule(str(raw["name"]), str(raw["kind"]), float(raw.get("minutes", 0)),
                                   float(raw.get("seconds", 0)), float(raw.get("free_ratio", 0)), webhook))
        except (TypeError, ValueError) as exc:
            raise RuleError(f"告警规则 {raw['name']} 的阈值无效 / {raw['name']}: bad threshold: {exc}") from None
    if len({r.name for r in rules}) != len(rules):
        raise RuleError("告警规则名称重复 / two rules have the same name")
    return rules


def load_rules(path: Path | None = None) -> list[AlertRule]:
    if path is not None:
        return parse_rules(path.read_text(encoding="utf-8"))
    return parse_rules(resources.files("resources.fleet").joinpath("alert_rules.toml").read_text(encoding="utf-8"))


_DEVICE_NAMES = {"id_reader": "身份证阅读器", "scanner": "扫码器", "printer": "打印机", "camera": "高拍仪"}


def conditions(rule: AlertRule, status: Mapping[str, Any], last_seen: datetime | None,
               now: datetime) -> dict[str, tuple[str, str]]:
    """{subject: (message_zh, message_en)} of what is in this rule's condition now."""
    found: dict[str, tuple[str, str]] = {}
    devices = status.get("devices") if isinstance(status.get("devices"), dict) else {}
    assert isinstance(devices, dict)
    if rule.kind == "silent":
        if last_seen is None or now - last_seen > timedelta(minutes=rule.minutes):
            ago = "从未" if last_seen is None else f"{(now - last_seen).total_seconds() / 60:.0f} 分钟"
            found[""] = (f"终端已 {ago} 没有心跳", f"No heartbeat for {rule.minutes:g}+ minutes")
        return found
    if last_seen is not None and now - last_seen > timedelta(minutes=10):
        return found  # a silent terminal's last report is stale: only the silent rule speaks for it
    for name, d in devices.items():
        if not isinstance(d, dict):
            continue
        zh_name = _DEVICE_NAMES.get(name, name)
        if rule.kind == "device_offline" and d.get("availability") not in (None, "online", "busy", "user_error"):
            found[name] = (f"{zh_name}离线（{d.get('availability')}）", f"{name} is {d.get('availability')}")
        elif rule.kind == "paper" and d.get("paper") in ("low", "out"):
            paper_zh = "缺纸" if d.get("paper") == "out" else "纸将用完"
            found[name] = (f"{zh_name}{paper_zh}", f"{name}: paper {d.get('paper')}")
        elif rule.kind == "cover_open" and d.get("cover") == "open":
            found[name] = (f"{zh_name}盖未关闭", f"{name}: cover open")
    if rule.kind == "outbox_age":
        age = status.get("oldest_unsent_age_s")
        if isinstance(age, int | float) and age > rule.minutes * 60:
            found[""] = (f"最早未发送业务已等待 {age / 60:.0f} 分钟", f"Oldest unsent item is {age / 60:.0f} min old")
    elif rule.kind == "disk_low":
        ratio = status.get("disk_free_ratio")
        if isinstance(ratio, int | float) and ratio < rule.free_ratio:
            found[""] = (f"磁盘剩余 {ratio:.1%}", f"Disk {ratio:.1%} free")
    elif rule.kind == "clock_skew":
        offset = status.get("clock_offset_s")
        if isinstance(offset, int | float) and abs(offset) > rule.seconds:
            found[""] = (f"时钟偏差 {offset:+.0f} 秒", f"Clock {offset:+.0f} s off")
    return found


def reconcile(session: Session, terminal_id: str, rules: Sequence[AlertRule], status: Mapping[str, Any],
              last_seen: datetime | None, now: datetime) -> list[tuple[str, FleetAlert, AlertRule]]:
    """Open and clear this terminal's alerts; returns [("raised"|"cleared", alert, rule)]."""
    open_alerts = {(a.rule, a.subject): a for a in session.scalars(
        select(FleetAlert).where(FleetAlert.terminal_id == terminal_id, FleetAlert.cleared_at.is_(None)))}
    changed: list[tuple[str, FleetAlert, AlertRule]] = []
    by_name = {r.name: r for r in rules}
    active: set[tuple[str, str]] = set()
    for rule in rules:
        for subject, (zh, en) in conditions(rule, status, last_seen, now).items():
            active.add((rule.name, subject))
            if (rule.name, subject) not in open_alerts:
                alert = FleetAlert(terminal_id=terminal_id, rule=rule.name, kind=rule.kind, subject=subject,
                                   message_zh=zh[:300], message_en=en[:300], raised_at=now)
                session.add(alert)
                changed.append(("raised", alert, rule))
    for key, alert in open_alerts.items():
        if key not in active:
            alert.cleared_at = now
            cleared_by = by_name.get(alert.rule)
            if cleared_by is not None:
                changed.append(("cleared", alert, cleared_by))
    session.flush()
    return changed


def alert_json(alert: FleetAlert) -> dict[str, Any]:
    def iso(t: datetime | None) -> str | None:
        return None if t is None else t.isoformat(timespec="seconds")

    return {"id": alert.id, "terminal_id": alert.terminal_id, "rule": alert.rule, "kind": alert.kind,
            "subject": alert.subject, "message_zh": alert.message_zh, "message_en": alert.message_en,
            "raised_at": iso(alert.raised_at), "cleared_at": iso(alert.cleared_at), "acked_at": iso(alert.acked_at),
            "acked_by": alert.acked_by}


WebhookJob = tuple[str, dict[str, Any], str]  # (event, alert as JSON, url)


def webhook_jobs(changed: Sequence[tuple[str, FleetAlert, AlertRule]]) -> list[WebhookJob]:
    """The webhook calls for these changes, serialised while their session is still open."""
    return [(event, alert_json(alert), rule.webhook) for event, alert, rule in changed if rule.webhook]


def send_webhooks(sessions: sessionmaker[Session], jobs: Sequence[WebhookJob]) -> None:
    """POST each change to its rule's webhook on a thread (never delays the heartbeat); the outcome is
    kept on the alert (`webhook_status`). Call after the alerts were committed."""
    if not jobs:
        return
    jobs = list(jobs)

    def run() -> None:
        for event, data, url in jobs:
            body = json.dumps({"event": event, "alert": data}, ensure_ascii=False).encode("utf-8")
            request = urllib.request.Request(url, data=body, method="POST",
                                             headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT_S) as response:  # noqa: S310
                    outcome = f"{event} sent {response.status}"
            except OSError as exc:
                outcome = f"{event} failed: {type(exc).__name__}"
                log.info("alert webhook %s for alert %s failed: %s", url, data["id"], exc)
            with sessions.begin() as session:
                row = session.get(FleetAlert, data["id"])
                if row is not None:
                    row.webhook_status = outcome[:40]

    threading.Thread(target=run, name="fleet-webhook", daemon=True).start()
