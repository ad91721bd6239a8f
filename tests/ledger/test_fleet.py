"""Heartbeats with device states, alert rules (raise, acknowledge, clear by themselves, webhooks to a
loopback receiver), the fleet page behind technician sign-in, /metrics, and the demo fleet."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any, ClassVar

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ledger import fleet
from ledger.fleet_alerts import AlertRule, RuleError, load_rules, parse_rules
from ledger.metrics import EXCHANGE_FAILURES, EXCHANGE_LOOKUPS
from ledger.models import Heartbeat, Terminal
from ledger.models_fleet import FleetAlert, TechnicianActionRow
from tests.ledger.conftest import SignedTestClient

TECH = ("tech-fleet", "Fleet-Pass-2026")  # noqa: S105 - the test technician account


def status(**devices: dict[str, str]) -> dict[str, Any]:
    base = {"availability": "online", "paper": "ok", "cover": "closed", "card": "not_supported", "detail": ""}
    return {"state": "online", "unsent": 2, "oldest_unsent_age_s": 30.0, "clock_offset_s": 0.5,
            "disk_free_ratio": 0.5, "app_version": "0.1.0",
            "devices": {name: {**base, **d} for name, d in (devices or {"printer": {}}).items()}}


@pytest.fixture
def technician(app_client: TestClient) -> tuple[str, str]:
    """A technician account: the sign-in interface answers for this one user only."""
    app_client.app.state.fleet_verify = lambda _s, u, p: u if (u, p) == TECH else None  # type: ignore[attr-defined]
    return TECH


def sign_in(client: TestClient, user: str, password: str) -> Any:
    return client.post("/fleet/login", data={"username": user, "password": password}, follow_redirects=False)


def open_alerts(app_client: TestClient, terminal: str = "DEMO-KIOSK-01") -> list[FleetAlert]:
    sessions: sessionmaker[Session] = app_client.app.state.sessions  # type: ignore[attr-defined]
    with sessions() as s:
        rows = list(s.scalars(select(FleetAlert).where(FleetAlert.terminal_id == terminal,
                                                       FleetAlert.cleared_at.is_(None))))
        s.expunge_all()
    return rows


def beat(kiosk: SignedTestClient, st: dict[str, Any]) -> None:
    r = kiosk.post("/v1/terminals/heartbeat", {"terminal_id": "DEMO-KIOSK-01", "status": st})
    assert r.status_code == 200, r.text


def test_heartbeat_keeps_device_states_and_alerts_raise_and_clear(kiosk: SignedTestClient,
                                                                  app_client: TestClient) -> None:
    beat(kiosk, status(printer={"paper": "low"}, id_reader={"availability": "offline", "detail": "reconnecting"}))
    sessions: sessionmaker[Session] = app_client.app.state.sessions  # type: ignore[attr-defined]
    with sessions() as s:
        t = s.get(Terminal, "DEMO-KIOSK-01")
        assert t is not None and t.last_status["devices"]["printer"]["paper"] == "low"
        assert s.scalar(select(Heartbeat).where(Heartbeat.terminal_id == "DEMO-KIOSK-01")) is not None
    assert {(a.rule, a.subject) for a in open_alerts(app_client)} == {("paper", "printer"),
                                                                      ("device_offline", "id_reader")}
    beat(kiosk, status(printer={"paper": "low"}, id_reader={}))  # the reader came back
    assert {(a.rule, a.subject) for a in open_alerts(app_client)} == {("paper", "printer")}
    beat(kiosk, status(printer={}, id_reader={}))
    assert open_alerts(app_client) == []
    st = status()
    st["oldest_unsent_age_s"], st["clock_offset_s"], st["disk_free_ratio"] = 3600.0, -95.0, 0.01
    st["devices"]["printer"]["cover"] = "open"
    beat(kiosk, st)
    assert {a.rule for a in open_alerts(app_client)} == {"outbox_age", "clock_skew", "disk_low", "cover_open"}


def test_a_silent_terminal_raises_an_alert_that_clears_when_it_speaks(kiosk: SignedTestClient,
                                                                      app_client: TestClient) -> None:
    beat(kiosk, status())
    sessions: sessionmaker[Session] = app_client.app.state.sessions  # type: ignore[attr-defined]
    with sessions.begin() as s:
        t = s.get(Terminal, "DEMO-KIOSK-01")
        assert t is not None
        t.last_heartbeat_at = datetime.now(UTC) - timedelta(minutes=30)
    fleet.sweep(app_client.app, force=True)  # type: ignore[arg-type]
    assert [a.rule for a in open_alerts(app_client)] == ["silent"]
    beat(kiosk, status())
    assert open_alerts(app_client) == []


class Receiver(BaseHTTPRequestHandler):
    got: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        length = int(self.headers.get("Content-Length", "0"))
        Receiver.got.append(json.loads(self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return None


@pytest.fixture
def receiver() -> Iterator[str]:
    Receiver.got = []
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


def test_webhook_per_rule_posts_raised_and_cleared(kiosk: SignedTestClient, app_client: TestClient,
                                                   receiver: str) -> None:
    app_client.app.state.fleet_rules = [AlertRule("paper", "paper", webhook=receiver),  # type: ignore[attr-defined]
                                        AlertRule("cover", "cover_open")]
    beat(kiosk, status(printer={"paper": "out", "cover": "open"}))
    deadline = time.monotonic() + 10
    while not Receiver.got and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [(g["event"], g["alert"]["rule"], g["alert"]["terminal_id"]) for g in Receiver.got] == [
        ("raised", "paper", "DEMO-KIOSK-01")]  # the cover rule has no webhook
    beat(kiosk, status(printer={}))
    while len(Receiver.got) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert Receiver.got[1]["event"] == "cleared" and Receiver.got[1]["alert"]["cleared_at"]


def test_rules_load_and_bad_rules_are_refused_with_a_clear_message() -> None:
    rules = load_rules()
    assert {r.kind for r in rules} == {"silent", "device_offline", "paper", "cover_open", "outbox_age", "disk_low",
                                       "clock_skew"}
    with pytest.raises(RuleError, match="webhook"):
        parse_rules('[[rule]]\nname = "x"\nkind = "paper"\nwebhook = "file:///etc/passwd"\n')
    with pytest.raises(RuleError, match="kind"):
        parse_rules('[[rule]]\nname = "x"\nkind = "weather"\n')


def test_fleet_page_needs_a_technician_and_acknowledges_alerts(kiosk: SignedTestClient, app_client: TestClient,
                                                               technician: tuple[str, str]) -> None:
    beat(kiosk, status(printer={"paper": "out"}))
    assert app_client.get("/fleet", follow_redirects=False).headers["location"] == "/fleet/login"
    app_client.cookies.set("hpf_fleet", "dGVjaC1mbGVldHw5OTk5OTk5OTk5fGZvcmdlZA==")  # forged: no valid MAC
    assert app_client.get("/fleet", follow_redirects=False).status_code == 303
    app_client.cookies.clear()
    assert sign_in(app_client, "tech-fleet", "wrong").headers["location"] == "/fleet/login?error=1"
    assert sign_in(app_client, "clerk-01", "Clerk-2026").headers["location"] == "/fleet/login?error=1"
    assert sign_in(app_client, *technician).headers["location"] == "/fleet"
    page = app_client.get("/fleet").text
    assert "DEMO-KIOSK-01" in page and "st-alert" in page and "缺纸" in page
    detail = app_client.get("/fleet/t/DEMO-KIOSK-01").text
    assert 'id="devices"' in detail and "printer" in detail and 'id="heartbeats"' in detail
    alert = open_alerts(app_client)[0]
    # a forged acknowledgement (no page token) is refused
    refused = app_client.post(f"/fleet/alerts/{alert.id}/ack", data={"csrf": "nope"})
    assert "expired" in refused.text and open_alerts(app_client)[0].acked_at is None
    token = detail.split('name="csrf" value="')[1].split('"')[0]
    done = app_client.post(f"/fleet/alerts/{alert.id}/ack", data={"csrf": token}, follow_redirects=False)
    assert done.headers["location"] == "/fleet/t/DEMO-KIOSK-01"
    acked = open_alerts(app_client)[0]
    assert acked.acked_by == "tech-fleet" and acked.acked_at is not None and acked.cleared_at is None
    assert app_client.get("/fleet/t/NOPE").status_code == 200  # a clear page, not a 500
    beat(kiosk, status(printer={}))
    assert open_alerts(app_client) == []  # acknowledged, then cleared by itself


def test_metrics_in_prometheus_format(kiosk: SignedTestClient, app_client: TestClient) -> None:
    beat(kiosk, status(printer={"paper": "out"}))
    EXCHANGE_LOOKUPS.labels(source="provincial").inc()
    EXCHANGE_FAILURES.labels(source="provincial", reason="timeout").inc()
    text = app_client.get("/metrics").text
    for needle in ('hpf_terminals{state="alert"} 1.0', 'hpf_open_alerts{kind="paper"} 1.0', "hpf_heartbeats_total",
                   "hpf_heartbeat_ingest_seconds_bucket", "hpf_outbox_backlog{",
                   'hpf_exchange_lookups_total{source="provincial"}',
                   'hpf_exchange_failures_total{reason="timeout",source="provincial"}'):
        assert needle in text, needle
    names = {line.split("{")[0].split(" ")[0] for line in text.splitlines() if line and not line.startswith("#")}
    assert names and all(n.startswith("hpf_") for n in names)


def test_technician_actions_are_accepted_by_the_ledger(kiosk: SignedTestClient, app_client: TestClient) -> None:
    results = kiosk.batch([{"idempotency_key": "TA-1", "kind": "technician.action", "member_id": None,
                            "created_at": datetime.now(UTC).isoformat(),
                            "payload": {"action": "diagnostics.check_done", "technician": "tech-01",
                                        "detail": {"check": "card", "ok": "True"}}}])
    assert results[0]["status"] == "accepted", results
    sessions: sessionmaker[Session] = app_client.app.state.sessions  # type: ignore[attr-defined]
    with sessions() as s:
        row = s.scalar(select(TechnicianActionRow))
        assert row is not None and (row.terminal_id, row.technician, row.action) == (
            "DEMO-KIOSK-01", "tech-01", "diagnostics.check_done")
        from ledger import audit
        from ledger.models_staff import AuditEntryRow

        action = "technician.diagnostics.check_done"
        entry = s.scalars(select(AuditEntryRow).where(AuditEntryRow.action == action)).one()
        assert (entry.staff_id, entry.terminal_id) == ("tech-01", "DEMO-KIOSK-01")  # in the signed chain too
        assert audit.verify(s, audit.current_key(), None).ok


def test_seed_demo_fleet_gives_the_page_something_to_show(app_client: TestClient) -> None:
    sessions: sessionmaker[Session] = app_client.app.state.sessions  # type: ignore[attr-defined]
    assert fleet.seed_demo_fleet(sessions) == 4
    rules = {(a.terminal_id, a.rule) for t in ("TY-K-02", "TY-K-03", "TY-C-01") for a in open_alerts(app_client, t)}
    assert {("TY-K-02", "paper"), ("TY-K-03", "device_offline"), ("TY-K-03", "outbox_age"),
            ("TY-C-01", "silent")} <= rules
    assert open_alerts(app_client, "TY-K-01") == []


def test_batched_heartbeats_are_written_together_with_their_alerts(engine: Any) -> None:
    from ledger.app import create_app
    from ledger.settings import LedgerSettings

    app = create_app(engine=engine, settings=LedgerSettings(fraud_screening=False, heartbeat_batch_s=60.0))
    with TestClient(app, raise_server_exceptions=False) as client:
        kiosk, counter = SignedTestClient(client), SignedTestClient(client, key_id="DEMO-COUNTER-01")
        beat(kiosk, status(printer={"paper": "out"}))
        r = counter.post("/v1/terminals/heartbeat", {"terminal_id": "DEMO-COUNTER-01", "status": status()})
        assert r.status_code == 200
        sessions: sessionmaker[Session] = app.state.sessions
        with sessions() as s:  # answered at once, not written yet (the batch is due in a minute)
            assert s.scalar(select(Heartbeat)) is None
        assert app.state.fleet_buffer.flush() == 2
        with sessions() as s:
            assert len(s.scalars(select(Heartbeat)).all()) == 2
            t = s.get(Terminal, "DEMO-KIOSK-01")
            assert t is not None and t.last_status["devices"]["printer"]["paper"] == "out"
            assert [a.rule for a in s.scalars(select(FleetAlert))] == ["paper"]
        text = client.get("/metrics").text
        assert 'hpf_terminals{state="alert"} 1.0' in text and 'hpf_terminals{state="ok"} 1.0' in text


def test_the_fleet_signs_in_central_technicians_only(app_client: TestClient) -> None:
    """The real sign-in: ledger.staff's accounts and roles (seed-demo's tech-01 and clerk-01), with their lockout."""
    assert sign_in(app_client, "clerk-01", "Clerk-2026").headers["location"] == "/fleet/login?error=1"
    assert sign_in(app_client, "tech-01", "wrong-password").headers["location"] == "/fleet/login?error=1"
    assert sign_in(app_client, "tech-01", "Tech-2026").headers["location"] == "/fleet"
    assert app_client.get("/fleet", follow_redirects=False).status_code == 200
