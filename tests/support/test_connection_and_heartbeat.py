"""The ledger connection test's steps (DNS, TLS, clock, credential) against a real local ledger and
against failures, and what the heartbeat report carries."""

from __future__ import annotations

import socket
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from hardware.health import HealthLevel, HealthResult
from hardware.model import DeviceClass, DeviceSpec
from hardware.registry import build_device, load_builtin_drivers
from infra.config import Config
from ledger.testing import LedgerThread, enrolled_terminal
from protocol.signing import TerminalKey
from support.connection import connection_test
from support.heartbeat import HeartbeatReport
from support.state import load_device_state
from sync import errors
from sync.client import LedgerClient


def test_against_a_real_ledger_every_step_passes_and_a_wrong_key_is_caught(tmp_path: Path) -> None:
    with LedgerThread(f"sqlite:///{tmp_path / 'ledger.db'}") as ledger:
        key_id, key = enrolled_terminal(ledger.app.state.engine, "TY-K-09", "kiosk")
        good = LedgerClient(ledger.url, key_id, key)
        steps = connection_test(good, key_id, {"state": "online"})
        assert [(s.name, s.ok) for s in steps] == [("dns", True), ("tls", True), ("clock", True),
                                                   ("credential", True)]
        assert "http" in steps[1].text_en  # plain http is said, not hidden
        bad = LedgerClient(ledger.url, key_id, TerminalKey.generate())  # a key the ledger never enrolled
        last = connection_test(bad, key_id, {})[-1]
        assert (last.name, last.ok) == ("credential", False) and "enrol" in last.text_en


class FakeClient:
    def __init__(self, base_url: str, offset: float | None = 0.0, auth_fails: bool = False,
                 down: bool = False) -> None:
        self.base_url, self.clock_offset_s, self.auth_fails, self.down = base_url, offset, auth_fails, down

    def health(self) -> dict[str, Any]:
        if self.down:
            raise errors.LedgerUnavailable("connection refused")
        return {}

    def heartbeat(self, terminal_id: str, status: dict[str, Any]) -> None:
        if self.auth_fails:
            raise errors.AuthError("bad signature")


def test_failures_say_what_to_check() -> None:
    def no_dns(host: str, port: int) -> list[Any]:
        raise socket.gaierror("Name or service not known")

    steps = connection_test(FakeClient("http://ledger.example"), "T", {}, resolve=no_dns)
    assert [(s.name, s.ok) for s in steps] == [("dns", False)] and "DNS" in steps[0].text_en
    steps = connection_test(FakeClient("http://127.0.0.1:9", offset=-600.0), "T", {})
    assert steps[-2].name == "clock" and not steps[-2].ok and "NTP" in steps[-2].text_en
    steps = connection_test(FakeClient("http://127.0.0.1:9", down=True), "T", {})
    assert (steps[-1].name, steps[-1].ok) == ("clock", False)
    steps = connection_test(FakeClient("http://127.0.0.1:9", auth_fails=True), "T", {})
    assert (steps[-1].name, steps[-1].ok) == ("credential", False)


@pytest.mark.skipif(not hasattr(__import__("os"), "openpty"), reason="the reader emulator needs a pty")
def test_heartbeat_report_carries_device_states_errors_health_disk_and_version() -> None:
    load_builtin_drivers()
    printer = build_device(DeviceSpec(DeviceClass.PRINTER, "printer", "simulator", options={"mode": "text"})).start()
    try:
        printer.emulator.set_paper_low(True)
        printer.refresh_status()
        printer.record_health(HealthResult("printer", HealthLevel.INTERACTIVE, False, "ILLEGIBLE", "不清晰",
                                           "illegible"))
        config = replace(Config(), terminal=replace(Config().terminal, outlet="总部服务大厅"))
        report = HeartbeatReport(config, lambda: {"printer": printer}, printer.events)
        from hardware.events import ErrorEvent

        printer.events.emit(ErrorEvent("printer", "PAPER_OUT", "缺纸", "out of paper", "", ""))
        data = report()
    finally:
        printer.close()
    p = data["devices"]["printer"]
    assert (p["availability"], p["paper"], p["cover"]) == ("online", "low", "closed")
    assert p["last_error"]["code"] == "PAPER_OUT" and p["health"] == {**p["health"], "ok": False, "code": "ILLEGIBLE"}
    assert 0 < data["disk_free_ratio"] <= 1 and data["app_version"] and data["outlet"] == "总部服务大厅"
    saved = load_device_state()
    assert saved is not None and saved["devices"][0]["name"] == "printer"  # for hpf-diag bundle beside the app
