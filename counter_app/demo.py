"""`hpf-counter --demo`: the counter on one machine.

Starts the data-sharing exchange simulator (`python -m exchange.cli serve`) and a local ledger
(`python -m ledger.cli serve` on a seeded demo database under the data directory) that fetches
the departments' facts from it, adds demo staff (printed at start), puts a few kiosk tickets in the hall queue, and
opens the counter window, the hall display and the customer screen with simulated devices (ID
card reader on its pty emulator, network receipt printer emulator saving PNGs, document camera).
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine

from counter_app.app import build_counter, ensure_app, run
from counter_app.services import attach_devices, build_services
from domain.staff import StaffRole
from exchange.testing import ExchangeProcess
from infra import paths
from infra.config import Config, DeviceSection, StoreSection
from infra.logs import get_logger, setup_logging
from ledger.seed import seed_demo
from ledger.testing import LedgerProcess, SignedClient, demo_key_path
from sync.centre_facts import CentreFacts

log = get_logger("counter")

DEMO_STAFF = (("clerk-01", "王柜员", StaffRole.CLERK, "Clerk-2026"),
              ("supervisor-01", "李主管", StaffRole.SUPERVISOR, "Super-2026"),
              ("tech-01", "赵技术", StaffRole.TECHNICIAN, "Tech-2026"),
              ("clerk-02", "陈柜员", StaffRole.CLERK, "Clerk2-2026"))
DEMO_TICKETS = (("A001", "withdrawal", False), ("B001", "loan", False), ("A002", "withdrawal", True),
                ("C001", "transfer", False))


def demo_config(ledger_url: str, data: Path) -> Config:
    base = Config()
    sim = DeviceSection(kind="simulator")
    return replace(
        base,
        terminal=replace(base.terminal, id="DEMO-COUNTER-01", role="counter"),
        ledger=replace(base.ledger, url=ledger_url, key_id="DEMO-COUNTER-01",
                      key_file=str(demo_key_path("DEMO-COUNTER-01"))),
        store=StoreSection(path=str(data / "counter.db")),
        devices=replace(base.devices, id_reader=replace(sim, options={"present": True}),
                        printer=replace(sim, options={"png_dir": str(data / "printed")}),
                        camera=sim, scanner=DeviceSection(kind="none")),
    )


def kiosk_tickets(url: str, outlet: str) -> None:
    """Tickets as a lobby kiosk takes them: queue.ticket transactions from the kiosk's credential."""
    client = SignedClient(url, "DEMO-KIOSK-01")
    now = datetime.now(UTC).isoformat()
    try:
        client.send_batch([{"idempotency_key": f"demo-ticket-{uuid.uuid4()}", "kind": "queue.ticket",
                            "member_id": None, "created_at": now,
                            "payload": {"ticket_no": no, "outlet": outlet, "business": business,
                                        "priority": priority}} for no, business, priority in DEMO_TICKETS])
    finally:
        client.close()


def _has_members(engine: Engine) -> bool:
    from sqlalchemy import inspect, text

    if not inspect(engine).has_table("members"):
        return False
    with engine.connect() as conn:
        return conn.execute(text("SELECT 1 FROM members LIMIT 1")).first() is not None


def main(window: str = "3") -> int:
    setup_logging("INFO", to_file=False)
    data = paths.data_dir() / "counter-demo"
    data.mkdir(parents=True, exist_ok=True)
    db = data / "ledger.db"
    db_url = f"sqlite:///{db}"
    engine = create_engine(db_url)
    if not db.exists() or not _has_members(engine):
        seed_demo(engine)
    else:  # a demo database from before central staff: add the demo accounts (kept if present)
        from ledger.db import create_schema, session_factory
        from ledger.staff import seed_demo_staff

        create_schema(engine)
        with session_factory(engine).begin() as session:
            seed_demo_staff(session)
    engine.dispose()
    app = ensure_app()
    paths.log_dir().mkdir(parents=True, exist_ok=True)
    with ExchangeProcess(log_path=paths.log_dir() / "counter-demo-exchange.log") as exchange, \
            LedgerProcess(db_url, log_path=paths.log_dir() / "counter-demo-ledger.log",
                          exchange_url=exchange.url) as ledger:
        config = demo_config(ledger.url, data)
        kiosk_tickets(ledger.url, config.terminal.outlet)
        from sync.runtime import SyncRuntime

        runtime = SyncRuntime.from_config(config)
        # the intake checklist's provisional facts come from the centre, which fetched them from the exchange
        shared = CentreFacts(runtime.client, method="counter_form")
        services = build_services(config, runtime, window=window, shared_source=shared)
        known = {a.staff_id for a in services.desk.staff.accounts()}
        for staff_id, name, role, password in DEMO_STAFF:
            if staff_id not in known:
                services.desk.staff.add_account(staff_id, name, role, password)
            print(f"demo staff {staff_id} ({role.value}) password {password}")
        runtime.start()
        attach_devices(services, config)
        counter = build_counter(services, language=config.terminal.language)
        return run(app, counter, on_exit=services.close)
