"""The counter under test: the real window, a real local ledger with seeded demo members, the real
sync runtime (store, outbox, engine) and staff accounts hashed with argon2's cheapest profile."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher, profiles
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from counter_app.app import CounterApp, build_counter
from counter_app.services import build_services
from domain.account import AccountSnapshot
from domain.evidence import Department, RetirementFact, SharedData
from domain.staff import StaffRole
from hardware.model import Availability, DeviceInfo, DeviceStatus, PaperState
from infra.config import Config, StoreSection
from ledger.models import Account, Loan, Member
from ledger.seed import seed_demo
from ledger.testing import LedgerThread, SignedClient, demo_key_path, free_port
from sync.engine import EngineSettings
from sync.runtime import SyncRuntime
from sync.staff_auth import StaffAuth
from sync.staff_store import StaffStore

OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"
HERE = Path(__file__).resolve().parent
STAFF = {"clerk-01": ("王柜员", StaffRole.CLERK, "Clerk-2026"),
         "clerk-02": ("陈柜员", StaffRole.CLERK, "Clerk2-2026"),
         "supervisor-01": ("李主管", StaffRole.SUPERVISOR, "Super-2026"),
         "tech-01": ("赵技术", StaffRole.TECHNICIAN, "Tech-2026")}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@dataclass(frozen=True)
class DemoMember:
    member_id: str
    id_number: str
    name: str
    retired: bool
    payable: bool  # has a co-branded card, a balance and no open loan: a withdrawal can be paid at once


@dataclass
class LedgerFixture:
    url: str
    members: list[DemoMember]
    db_url: str = ""

    def member(self, *, retired: bool, nth: int = 0) -> DemoMember:
        """The nth payable member (a retirement withdrawal empties an account: each test takes its own)."""
        return [m for m in self.members if m.retired == retired and m.payable][nth]

    def kiosk(self) -> SignedClient:
        return SignedClient(self.url, "DEMO-KIOSK-01")

    def add_staff(self, role: str, password: str = "Test-pass-2026") -> str:
        """A central staff account of its own for one test (lockouts must not leak into others)."""
        from ledger import staff as central

        username = f"{role[:5]}-{uuid.uuid4().hex[:8]}"
        engine = create_engine(self.db_url)
        try:
            with Session(engine) as session, session.begin():
                central.add_account(session, username, "测试员", password, [role], by="test",
                                    hasher=PasswordHasher.from_parameters(profiles.CHEAPEST))
        finally:
            engine.dispose()
        return username


@pytest.fixture(scope="session")
def ledger(tmp_path_factory: pytest.TempPathFactory, exchange_url: str) -> Iterator[LedgerFixture]:
    db = tmp_path_factory.mktemp("counter-ledger") / "ledger.db"
    url = f"sqlite:///{db}"
    engine = create_engine(url)
    seed_demo(engine, 200)  # birth years are random: 200 members include enough payable retired ones
    with Session(engine) as s:
        borrowers = set(s.scalars(select(Loan.member_id).where(Loan.status != "settled")).all())
        rows = s.execute(select(Member, Account).join(Account, Account.member_id == Member.member_id)
                         .order_by(Member.member_id)).all()
        members = [DemoMember(m.member_id, m.id_number, m.name, m.retired,
                              bool(m.cobranded_card) and a.balance_fen > 100_00 and not a.frozen
                              and m.member_id not in borrowers)
                   for m, a in rows]
    engine.dispose()
    with LedgerThread(url, exchange_url=exchange_url) as server:
        yield LedgerFixture(server.url, members, url)


class FakeShared:
    """Departments' data for the tests: retirement from 人社 for the members listed."""

    def __init__(self) -> None:
        self.retired: set[str] = set()

    def facts_for(self, snapshot: AccountSnapshot) -> SharedData:
        if snapshot.member.member_id in self.retired:
            return SharedData(retirement=RetirementFact(True, None, Department.HRSS))
        return SharedData()


class RecordingPrinter:
    """Keeps what the counter prints (the printer itself is tested in tests/hardware)."""

    status = DeviceStatus(Availability.ONLINE, PaperState.OK)
    info = DeviceInfo(model="recording printer")

    def __init__(self) -> None:
        self.printed: list[Any] = []

    def print_receipt(self, receipt: Any, *, command_id: str) -> Any:
        self.printed.append((command_id, receipt))
        return command_id


@dataclass
class Counter:
    app: CounterApp
    runtime: SyncRuntime
    shared: FakeShared
    printer: RecordingPrinter
    qtbot: QtBot
    ledger: LedgerFixture

    @property
    def window(self) -> Any:
        return self.app.window

    @property
    def desk(self) -> Any:
        return self.app.ctx.desk

    def screen(self, key: str) -> Any:
        return self.window.screen_for(key)

    def click(self, widget: Any) -> None:
        from PySide6.QtCore import Qt
        assert widget.isVisible() and widget.isEnabled(), f"{widget.objectName()} is not clickable"
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
        # decisions and reviews run off the GUI thread: what the click started has answered
        self.qtbot.wait_until(lambda: not self.app.ctx.ops.busy, timeout=20_000)

    def sign_in(self, staff_id: str, password: str | None = None) -> None:
        s = self.screen("signin")
        s.staff_id.setText(staff_id)
        s.password.setText(password if password is not None else STAFF[staff_id][2] if staff_id in STAFF
                           else "Test-pass-2026")
        self.click(s.submit)
        self.qtbot.wait_until(lambda: s.submit.isEnabled(), timeout=10_000)

    def sign_out(self) -> None:
        self.click(self.window.sign_out_btn)

    def drain(self) -> None:
        """Deliver everything now, in this thread (the runtime's sender thread is not started in
        tests: two senders in one process could deliver a case's steps out of order)."""
        assert self.runtime.engine.drain_until_empty(30), "the outbox did not drain"

    def go_offline(self) -> None:
        self.runtime.client.base_url = f"http://127.0.0.1:{free_port()}"


def counter_config(tmp_path: Path, ledger_url: str) -> Config:
    base = Config()
    return replace(
        base,
        # an outlet of its own per test, so each test sees only the tickets it took
        terminal=replace(base.terminal, id="DEMO-COUNTER-01", role="counter", outlet=f"大厅-{uuid.uuid4().hex[:6]}"),
        ledger=replace(base.ledger, url=ledger_url, key_id="DEMO-COUNTER-01",
                       key_file=str(demo_key_path("DEMO-COUNTER-01")), timeout_s=2.0,
                       sync_interval_s=0.2),
        store=StoreSection(path=str(tmp_path / "counter.db")),
    )


@pytest.fixture
def counter(qtbot: QtBot, tmp_path: Path, ledger: LedgerFixture) -> Iterator[Counter]:
    config = counter_config(tmp_path, ledger.url)
    runtime = SyncRuntime.from_config(config, key_path=tmp_path / "cache.key",
                                      settings=EngineSettings(interval_s=0.2))
    staff = StaffStore(runtime.store, config.terminal.id, hasher=PasswordHasher.from_parameters(profiles.CHEAPEST))
    for staff_id, (name, role, password) in STAFF.items():
        staff.add_account(staff_id, name, role, password)
    shared = FakeShared()
    staff_auth = StaffAuth(runtime.client, tmp_path / "staff_verifiers.json",
                           hasher=PasswordHasher.from_parameters(profiles.CHEAPEST))
    services = build_services(config, runtime, window="3", shared_source=shared, staff=staff, staff_auth=staff_auth)
    services.case_files = tmp_path / "case_files"
    printer = RecordingPrinter()
    services.printer = printer
    app = build_counter(services, language="zh_CN", voice_engine="mock")
    for widget in (app.window, app.hall, app.customer):
        qtbot.add_widget(widget)
        widget.show()
    app.window.resize(1280, 860)
    yield Counter(app, runtime, shared, printer, qtbot, ledger)
    app.close()  # its translator too: the next test's counter translates with its own, not this one's
    runtime.stop()


def kiosk_ticket(ledger: LedgerFixture, outlet: str, business: str, *, priority: bool = False) -> str:
    """A ticket taken at a lobby kiosk (its own credential), straight to the ledger."""
    ticket_no = f"K{uuid.uuid4().hex[:5].upper()}"
    client = ledger.kiosk()
    try:
        [result] = client.send_batch([{"idempotency_key": f"t-{uuid.uuid4()}", "kind": "queue.ticket",
                                       "member_id": None, "created_at": datetime.now(UTC).isoformat(),
                                       "payload": {"ticket_no": ticket_no, "outlet": outlet, "business": business,
                                                   "priority": priority}}])
    finally:
        client.close()
    assert result["status"] == "accepted", result
    return ticket_no
