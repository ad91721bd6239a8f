"""Unplug and replug the reader and the printer under a running kiosk: "reconnecting", then back,
without a restart. The reader is the SAM emulator on a pty behind a stable link (as a udev rule's
/dev/hpf-idreader would be), the printer the network ESC/POS emulator (which port polling cannot see)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from domain.member_token import TokenVerifier, load_public_keys
from hardware.idcard.emulator import SamReaderEmulator
from hardware.idcard.samples import RESIDENT
from hardware.model import Availability
from hardware.printer.emulator.server import Offline, PrinterEmulator
from hardware.printer.samples import test_receipt
from infra.config import DeviceSection
from kiosk.app import build_kiosk
from kiosk.services import Services
from kiosk.wiring import attach_devices, attach_sync, start_input_loops
from sync.centre_facts import CentreFacts
from sync.runtime import SyncRuntime
from tests.kiosk.conftest import Kiosk, LedgerFixture, card_of, kiosk_config, stop_kiosk
from tests.kiosk.test_withdrawal_flow import confirm_card


def fleet_view(ledger: LedgerFixture, k: Kiosk) -> tuple[str, set[str]]:
    """What the fleet page knows of this kiosk's reader: its availability and the open alert rules,
    after a heartbeat sent now."""
    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session

    from ledger.models import Terminal
    from ledger.models_fleet import FleetAlert

    k.runtime.engine._next_heartbeat = 0.0  # the next sync round sends one (normally once a minute)
    engine = create_engine(ledger.db_url)
    try:
        with Session(engine) as s:
            t = s.get(Terminal, k.window.ctx.config.terminal.id)
            reader = ((t.last_status or {}).get("devices") or {}).get("id_reader", {}) if t else {}
            rules = set(s.scalars(select(FleetAlert.rule).where(FleetAlert.terminal_id == t.terminal_id,
                                                                 FleetAlert.cleared_at.is_(None)))) if t else set()
        return str(reader.get("availability", "")), rules
    finally:
        engine.dispose()

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the reader emulator needs a pseudo-terminal")


@pytest.fixture
def plugged(qtbot: QtBot, tmp_path: Path, ledger: LedgerFixture
            ) -> Iterator[tuple[Kiosk, SamReaderEmulator, PrinterEmulator]]:
    reader_emu = SamReaderEmulator(RESIDENT, link=str(tmp_path / "hpf-idreader"))
    reader_emu.start()
    printer_emu = PrinterEmulator().start()
    config = kiosk_config(tmp_path, ledger.url)
    config = replace(config, devices=replace(
        config.devices,
        id_reader=DeviceSection(kind="serial", uri=str(tmp_path / "hpf-idreader"),
                                options={"answer_timeout_s": 0.3, "poll_interval_s": 0.05,
                                         "reconnect_first_s": 0.05, "reconnect_max_s": 0.3}),
        printer=DeviceSection(kind="escpos", uri=printer_emu.uri,
                              options={"mode": "text", "status_timeout_s": 0.5,
                                       "reconnect_first_s": 0.05, "reconnect_max_s": 0.3}),
        scanner=DeviceSection(kind="none"), camera=DeviceSection(kind="none")))
    services = Services(config)
    runtime = SyncRuntime.from_config(config, key_path=tmp_path / "cache.key")
    attach_sync(services, runtime)
    runtime.start()
    services.token_verifier = TokenVerifier(load_public_keys())
    services.extras["shared_data"] = CentreFacts(runtime.client)  # facts the ledger fetched (never the terminal's)
    attach_devices(services, config)
    window = build_kiosk(config, services, voice_engine="mock")
    start_input_loops(services)
    qtbot.add_widget(window)
    window.resize(1920, 1080)
    window.show()
    k = Kiosk(window, services, runtime, qtbot)
    yield k, reader_emu, printer_emu
    stop_kiosk(k)
    reader_emu.stop()
    printer_emu.stop()


def test_reader_and_printer_unplugged_and_replugged_under_a_running_kiosk(
        plugged: tuple[Kiosk, SamReaderEmulator, PrinterEmulator], ledger: LedgerFixture) -> None:
    k, reader_emu, printer_emu = plugged
    assert k.services.devices is not None  # the devices come through the manager
    reader, printer = k.services.id_reader, k.services.printer
    assert reader.status.availability is Availability.ONLINE
    assert printer.status.availability is Availability.ONLINE
    identify = k.window.screens["identify"]
    k.window.go("identify")
    card_note_online = identify.card_text.text()  # type: ignore[attr-defined]
    k.window.go("maintenance")
    row = k.window.screens["maintenance"].rows["id_reader"][1]  # type: ignore[attr-defined]

    # the reader's cable is pulled: the maintenance screen says "reconnecting"
    reader_emu.unplug()
    k.qtbot.wait_until(lambda: "正在重新连接" in row.text() or "reconnecting" in row.text(), timeout=10_000)
    assert reader.status.availability is Availability.OFFLINE
    # a member who comes now is told to use the other ways, not to put the card on a dead reader
    k.window.go("identify")
    assert identify.card_text.text() != card_note_online  # type: ignore[attr-defined]
    k.window.go("maintenance")
    # the heartbeat tells the centre: the fleet page shows the reader offline, with an alert
    k.qtbot.wait_until(lambda: fleet_view(ledger, k) == ("offline", {"device_offline"}), timeout=15_000)
    # the printer goes away too (network printer: its connection drops)
    printer_emu.go_offline(Offline.DROP)
    k.qtbot.wait_until(lambda: printer.status.availability is Availability.OFFLINE, timeout=10_000)

    # both come back: no restart, the same device objects
    reader_emu.replug()
    printer_emu.go_online()
    k.qtbot.wait_until(lambda: reader.status.availability is Availability.ONLINE, timeout=10_000)
    k.qtbot.wait_until(lambda: printer.status.availability is Availability.ONLINE, timeout=10_000)
    assert k.services.id_reader is reader and k.services.printer is printer
    k.qtbot.wait_until(lambda: fleet_view(ledger, k) == ("online", set()), timeout=15_000)  # and back

    # and they work: a card read opens the member's account, the printer prints
    k.window.go("identify")
    assert identify.card_text.text() == card_note_online  # type: ignore[attr-defined]
    k.window.go("home")
    member = ledger.member()
    reader_emu.present(card_of(member))
    confirm_card(k, member)  # online, a card opens the account once the ledger checked the password
    k.wait_for("account")
    assert k.window.ctx.session.method == "card"
    result = printer.print_receipt(test_receipt("printer"), command_id="after-replug")
    assert not result.duplicate and printer_emu.texts()
