"""`./dev demo` (`python -m kiosk.demo`): the whole kiosk on one machine.

It starts the data-sharing exchange simulator (`python -m exchange.cli serve`, the departments that
know the same demo people), a local ledger (a `python -m ledger.cli serve` subprocess on a seeded
demo database under the data directory) that fetches its facts from it, the simulated devices (the
ID card reader's pty emulator, the network receipt printer emulator, the scanner's simulated
camera), the sync engine, then the kiosk
window in Chinese at 1920×1080, and a small "demo controls" window that plays the member's part:
put a demo member's ID card on the reader, take it away, show the app's QR code, run the printer
out of paper, cut the network. Closing the kiosk stops everything it started.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import requests
from PySide6.QtCore import QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QVBoxLayout, QWidget

from exchange.testing import ExchangeProcess
from infra import paths
from infra.config import Config, DeviceSection, StoreSection
from infra.logs import get_logger, setup_logging
from kiosk.app import build_kiosk, ensure_app, run_window
from kiosk.wiring import install_keyboard_scanner, services_from_config, start_input_loops
from sync.centre_facts import CentreFacts

log = get_logger("kiosk")

DEMO_PORT = 8765
DEMO_EXCHANGE_PORT = 8770  # the ledger's default exchange URL
HEALTH_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class DemoPerson:
    member_id: str
    id_number: str
    name: str
    sex_code: str
    label: str


class LocalLedger:
    """The demo's ledger subprocess on a seeded SQLite database."""

    def __init__(self, db: Path, port: int, exchange_url: str = "") -> None:
        self.db_url = f"sqlite:///{db}"
        self.exchange_url = exchange_url
        self.db = db
        self.port = port
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = paths.log_dir() / "demo-ledger.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def seed_if_new(self) -> None:
        if self.db.exists():
            return
        self.db.parent.mkdir(parents=True, exist_ok=True)
        log.info("seeding the demo ledger database %s", self.db)
        subprocess.run([sys.executable, "-m", "ledger.cli", "seed-demo", "--db", self.db_url], check=True,
                       stdout=subprocess.DEVNULL)

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as out:
            exchange = ["--exchange-url", self.exchange_url] if self.exchange_url else []
            self.proc = subprocess.Popen([sys.executable, "-m", "ledger.cli", "serve", "--db", self.db_url,
                                          "--port", str(self.port), "--log-level", "WARNING", *exchange],
                                         stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + HEALTH_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the demo ledger exited; see {self.log_path}")
            try:
                if requests.get(f"{self.url}/v1/health", timeout=1).ok:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        raise RuntimeError(f"the demo ledger did not answer within {HEALTH_TIMEOUT_S:.0f} s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.proc = None

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def people(self, count: int = 8) -> list[DemoPerson]:
        """A few demo members for the control panel: retired ones, borrowers, others."""
        from sqlalchemy import create_engine, select
        from sqlalchemy.orm import Session

        from ledger.models import Loan, Member

        engine = create_engine(self.db_url)
        try:
            with Session(engine) as s:
                borrowers = set(s.scalars(select(Loan.member_id)).all())
                rows = s.scalars(select(Member).order_by(Member.member_id).limit(60)).all()
                picked: list[DemoPerson] = []
                for wanted in ("retired", "loan", "plain"):
                    for m in rows:
                        kind = "retired" if m.retired else "loan" if m.member_id in borrowers else "plain"
                        if kind == wanted and len([p for p in picked if p.label.startswith(kind)]) < count // 3 + 1:
                            picked.append(DemoPerson(m.member_id, m.id_number, m.name, m.sex,
                                                     f"{kind}: {m.name} {m.id_number}"))
                return picked
        finally:
            engine.dispose()


def demo_config(ledger_url: str, data: Path, windowed: bool) -> Config:
    base = Config()
    sim = DeviceSection(kind="simulator")
    return replace(
        base,
        ledger=replace(base.ledger, url=ledger_url),
        store=StoreSection(path=str(data / "terminal.db")),
        kiosk=replace(base.kiosk, fullscreen=not windowed),
        devices=replace(base.devices, id_reader=sim,
                        printer=replace(sim, options={"png_dir": str(data / "printed")}),
                        scanner=replace(sim, options={"realtime": True}), camera=DeviceSection(kind="none")),
    )


GAP = 12


def place_beside(kiosk: QRect, controls: QSize, screen: QRect) -> QPoint:
    """Where the demo controls go so they cover none of the kiosk: right of its window if the
    screen has room, else left of it; with no room on either side (a kiosk window as wide as the
    screen), at the screen's right edge under the header, over the last column of tiles rather
    than the first ones (退休提取, 我的账户 …)."""
    y = max(screen.top(), min(kiosk.top(), screen.bottom() - controls.height()))
    if screen.right() - kiosk.right() >= controls.width() + GAP:
        return QPoint(kiosk.right() + 1 + GAP, y)
    if kiosk.left() - screen.left() >= controls.width() + GAP:
        return QPoint(kiosk.left() - GAP - controls.width(), y)
    header = 140  # the kiosk's header: the language and large-text switches stay visible
    return QPoint(screen.right() + 1 - controls.width(),
                  max(screen.top(), min(kiosk.top() + header, screen.bottom() + 1 - controls.height())))


class DemoControls(QWidget):
    """Plays the member's and the world's part in the demo."""

    def __init__(self, services: object, ledger: LocalLedger, people: list[DemoPerson]) -> None:
        super().__init__(None, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle("演示控制台 · Demo controls")
        self.services = services
        self.ledger = ledger
        self.people = people
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("演示成员 Demo member"))
        self.who = QComboBox()
        for p in people:
            self.who.addItem(p.label)
        lay.addWidget(self.who)
        for text, action in (("放身份证 Put ID card on reader", self.put_card),
                             ("取走身份证 Take card away", self.take_card),
                             ("出示 App 二维码 Show app QR code", self.show_qr),
                             ("打印机缺纸 Printer out of paper", self.paper_out),
                             ("装纸 Load paper", self.paper_in),
                             ("断网 / 联网 Network off / on", self.toggle_ledger)):
            b = QPushButton(text)
            b.clicked.connect(action)
            lay.addWidget(b)
        self.state = QLabel("")
        lay.addWidget(self.state)

    def _person(self) -> DemoPerson | None:
        i = self.who.currentIndex()
        return self.people[i] if 0 <= i < len(self.people) else None

    def put_card(self) -> None:
        from datetime import date

        from hardware.idcard.samples import RESIDENT

        person, reader = self._person(), getattr(self.services, "id_reader", None)
        if person is None or reader is None or getattr(reader, "emulator", None) is None:
            self.state.setText("no simulated reader")
            return
        born = date(int(person.id_number[6:10]), int(person.id_number[10:12]), int(person.id_number[12:14]))
        card = replace(RESIDENT, name=person.name, id_number=person.id_number, birth_date=born,
                       sex="男" if int(person.id_number[16]) % 2 else "女",
                       sex_code="1" if int(person.id_number[16]) % 2 else "2")
        reader.emulator.present(card)
        # online the card alone only identifies: the kiosk asks for the query password (or the app's QR code)
        password = person.id_number[-6:].upper().replace("X", "0")
        self.state.setText(f"查询密码 password: {password}（或出示 App 二维码 / or show the app QR code）")

    def take_card(self) -> None:
        reader = getattr(self.services, "id_reader", None)
        if reader is not None and getattr(reader, "emulator", None) is not None:
            reader.emulator.remove()

    def show_qr(self) -> None:
        from domain.member_token import issue_token
        from kiosk.demo_keys import DEMO_KEY_ID, load_demo_private_key

        person, scanner = self._person(), getattr(self.services, "scanner", None)
        if person is None or scanner is None or not hasattr(scanner, "present"):
            self.state.setText("no simulated scanner")
            return
        scanner.present(issue_token(load_demo_private_key(), DEMO_KEY_ID, person.member_id, int(time.time())))

    def _printer_emulator(self) -> object | None:
        return getattr(getattr(self.services, "printer", None), "emulator", None)

    def paper_out(self) -> None:
        emulator = self._printer_emulator()
        if emulator is not None:
            emulator.run_out_of_paper()  # type: ignore[attr-defined]

    def paper_in(self) -> None:
        emulator = self._printer_emulator()
        if emulator is not None:
            emulator.load_paper()  # type: ignore[attr-defined]

    def toggle_ledger(self) -> None:
        if self.ledger.running:
            self.ledger.stop()
            self.state.setText("网络已断开 network off")
        else:
            self.ledger.start()
            self.state.setText("网络已恢复 network on")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.demo", description=__doc__)
    parser.add_argument("--windowed", action="store_true", default=True,
                        help="a 1920×1080 window with the demo controls beside it (default)")
    parser.add_argument("--kiosk", dest="windowed", action="store_false", help="full-screen kiosk mode")
    parser.add_argument("--port", type=int, default=DEMO_PORT, help="port of the demo ledger")
    parser.add_argument("--exchange-port", type=int, default=DEMO_EXCHANGE_PORT,
                        help="port of the data-sharing exchange simulator")
    parser.add_argument("--exit-after", type=float, metavar="S", help="quit after S seconds (smoke tests)")
    parser.add_argument("--put-card", type=int, metavar="N", help="put demo member N's card on the reader at start")
    parser.add_argument("--grab", type=Path, metavar="PNG", help="with --exit-after: save the window first")
    args = parser.parse_args(argv)
    setup_logging("INFO", to_file=True)
    data = paths.data_dir() / "demo"
    paths.log_dir().mkdir(parents=True, exist_ok=True)
    # the departments (人社, 不动产, 民政 …) behind the provincial exchange, knowing the same demo people
    exchange = ExchangeProcess(port=args.exchange_port, log_path=paths.log_dir() / "demo-exchange.log").start()
    ledger = LocalLedger(data / "ledger.db", args.port, exchange.url)
    services = None
    try:
        ledger.seed_if_new()
        ledger.start()
        app = ensure_app()
        config = demo_config(ledger.url, data, args.windowed)
        services = services_from_config(config)
        # the provisional preview (秒批) on the facts the centre fetched from the exchange; the ledger decides
        services.extras["shared_data"] = CentreFacts(services.ledger) if services.ledger is not None else None
        window = build_kiosk(config, services)
        install_keyboard_scanner(window, config)
        start_input_loops(services)
        controls = DemoControls(services, ledger, ledger.people())

        def place_controls() -> None:  # beside the kiosk window, once both have their size
            screen = (window.screen() or app.primaryScreen()).availableGeometry()
            controls.adjustSize()
            at = place_beside(window.frameGeometry(), controls.frameGeometry().size(), screen)
            controls.move(at)
            controls.show()
            log.info("demo controls at %d,%d; kiosk window %s on a %dx%d screen", at.x(), at.y(),
                     window.frameGeometry().getRect(), screen.width(), screen.height())
        QTimer.singleShot(0, place_controls)
        if args.put_card is not None:
            def put() -> None:
                controls.who.setCurrentIndex(args.put_card)
                controls.put_card()
            QTimer.singleShot(1000, put)
        if args.exit_after:
            def leave() -> None:
                if args.grab:
                    window.grab().save(str(args.grab))
                window.shutdown()
            QTimer.singleShot(int(args.exit_after * 1000), leave)
        return run_window(app, window, fullscreen=not args.windowed)
    finally:
        if services is not None:
            services.close()
        ledger.stop()
        exchange.stop()


if __name__ == "__main__":
    raise SystemExit(main())
