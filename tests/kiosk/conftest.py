"""The kiosk under test: the real window, a real local ledger with seeded demo members, the real
sync runtime (store, outbox, engine), and the simulated ID card reader on its pty emulator."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from domain.member_token import TokenVerifier, load_public_keys
from hardware.idcard.record import IdCardRecord
from hardware.idcard.samples import RESIDENT
from infra.config import Config, DeviceSection, StoreSection
from kiosk.app import build_kiosk
from kiosk.services import Services
from kiosk.window import KioskWindow
from kiosk.wiring import attach_devices, attach_sync, start_input_loops
from ledger.models import Loan, Member
from ledger.seed import demo_password, seed_demo
from ledger.testing import LedgerThread, free_port
from sync.centre_facts import CentreFacts
from sync.runtime import SyncRuntime

# The offscreen platform plugin (tests only) says this whenever a top-level window with size
# constraints is shown; it has no such plugin in production and means nothing here.
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@dataclass(frozen=True)
class DemoMember:
    member_id: str
    id_number: str
    name: str
    password: str
    retired: bool
    has_loan: bool
    carded: bool = False  # a co-branded card on file: the only card the centre pays a kiosk withdrawal to


@dataclass
class LedgerFixture:
    url: str
    db_url: str
    members: list[DemoMember]

    def member(self, *, retired: bool | None = None, has_loan: bool | None = None) -> DemoMember:
        for m in self.members:
            if (retired is None or m.retired == retired) and (has_loan is None or m.has_loan == has_loan):
                return m
        raise LookupError("no such demo member")


@pytest.fixture(scope="session")
def ledger(tmp_path_factory: pytest.TempPathFactory, exchange_url: str) -> Iterator[LedgerFixture]:
    db = tmp_path_factory.mktemp("ledger") / "ledger.db"
    url = f"sqlite:///{db}"
    engine = create_engine(url)
    seed_demo(engine, 200)  # enough retired members (born before 1964) for one per test
    with Session(engine) as s:
        borrowers = set(s.scalars(select(Loan.member_id)).all())
        rows = s.scalars(select(Member).order_by(Member.member_id)).all()
        members = [DemoMember(m.member_id, m.id_number, m.name, demo_password(m.id_number), m.retired,
                              m.member_id in borrowers, bool(m.cobranded_card)) for m in rows]
    engine.dispose()
    with LedgerThread(url, exchange_url=exchange_url) as server:
        yield LedgerFixture(server.url, url, members)


def kiosk_config(tmp_path: Path, ledger_url: str, **kiosk: Any) -> Config:
    base = Config()
    return replace(
        base,
        terminal=replace(base.terminal, language=kiosk.pop("language", "zh_CN")),
        ledger=replace(base.ledger, url=ledger_url, sync_interval_s=0.2, timeout_s=2.0),
        store=StoreSection(path=str(tmp_path / "terminal.db")),
        kiosk=replace(base.kiosk, fullscreen=False, **kiosk),
    )


@dataclass
class Kiosk:
    window: KioskWindow
    services: Services
    runtime: SyncRuntime
    qtbot: QtBot

    def go_offline(self) -> None:
        """The network is gone: the client now talks to a port nobody listens on."""
        self.runtime.client.base_url = f"http://127.0.0.1:{free_port()}"

    def click(self, widget: Any) -> None:
        from PySide6.QtCore import Qt
        self.turn_to(widget)
        assert widget.isVisible() and widget.isEnabled(), f"{widget.objectName()} is not clickable"
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)

    def turn_to(self, widget: Any) -> None:
        """On a paged screen (ui.paging), turn to the page that holds `widget`, as the member would
        with 上一页/下一页 (a touch each)."""
        from ui.paging import PagedList
        parent = widget.parentWidget()
        while parent is not None and not widget.isVisible():
            if isinstance(parent, PagedList):
                item = next((i for i in parent.items if i is widget or i.isAncestorOf(widget)), None)
                if item is not None:
                    parent.show_item(item)
                    self.window.ctx.session.touches += 1
            parent = parent.parentWidget()

    def wait_for(self, screen: str, timeout_ms: int = 10_000) -> None:
        self.qtbot.wait_until(lambda: self.window.current == screen, timeout=timeout_ms)

    def screen(self) -> Any:
        return self.window.current_screen()


def start_kiosk(qtbot: QtBot, tmp_path: Path, ledger: LedgerFixture, *, devices: bool) -> Kiosk:
    config = kiosk_config(tmp_path, ledger.url)
    services = Services(config)
    runtime = SyncRuntime.from_config(config, key_path=tmp_path / "cache.key")
    attach_sync(services, runtime)
    runtime.start()
    services.token_verifier = TokenVerifier(load_public_keys())
    # the preview's facts come from the ledger, which fetched them from the exchange simulator
    services.extras["shared_data"] = CentreFacts(runtime.client)
    if devices:
        sim = DeviceSection(kind="simulator")
        # text mode: the emulator then logs the printed lines, which the tests read back
        printer = replace(sim, options={"mode": "text"})
        config = replace(config, devices=replace(config.devices, id_reader=sim, printer=printer, scanner=sim,
                                                 camera=DeviceSection(kind="none")))
        attach_devices(services, config)
    window = build_kiosk(config, services, voice_engine="mock")
    start_input_loops(services)
    qtbot.add_widget(window)
    window.resize(1920, 1080)
    window.show()
    return Kiosk(window, services, runtime, qtbot)


def stop_kiosk(k: Kiosk) -> None:
    k.window.shutdown()
    k.window.ctx.ops.shutdown()
    # delete, not just close: the application's style sheet re-polishes every living widget,
    # and windows left over from earlier tests would make each theme switch slower
    k.window.deleteLater()
    k.services.close()


@pytest.fixture
def kiosk(qtbot: QtBot, tmp_path: Path, ledger: LedgerFixture) -> Iterator[Kiosk]:
    k = start_kiosk(qtbot, tmp_path, ledger, devices=False)
    yield k
    stop_kiosk(k)


@pytest.fixture
def kiosk_devices(qtbot: QtBot, tmp_path: Path, ledger: LedgerFixture) -> Iterator[Kiosk]:
    """The kiosk with the simulated ID card reader (pty emulator), receipt printer (network
    emulator) and QR scanner (camera frames decoded by the real decoder)."""
    k = start_kiosk(qtbot, tmp_path, ledger, devices=True)
    yield k
    stop_kiosk(k)


def card_of(member: DemoMember) -> IdCardRecord:
    born = date(int(member.id_number[6:10]), int(member.id_number[10:12]), int(member.id_number[12:14]))
    male = int(member.id_number[16]) % 2 == 1
    return replace(RESIDENT, name=member.name, id_number=member.id_number, birth_date=born,
                   sex="男" if male else "女", sex_code="1" if male else "2")

