"""`./dev screenshots` (`python -m counter_app.screenshots`): every counter screen as PNG, in Chinese
and English, into docs/screenshots/counter/<screen>_<language>.png.

Runs offscreen against a throwaway local ledger seeded with fictitious demo members (names and ID
numbers are masked on screen anyway), with a temporary data directory, so nothing real is shown
and nothing of this machine is touched. The scenes walk a working day: sign-in, the queue with
kiosk tickets, intakes ending in a one-time notice, 秒批 and a supervisor referral, the work
list, the review, the one-window bundle, the day-end report, the hall display and the rating.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots" / "counter"
LANGUAGES = ("zh_CN", "en")


def _settle(app: QApplication, ops: Any, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    app.processEvents()
    while ops.busy and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()


class Shooter:
    def __init__(self, app: QApplication, counter: Any, out: Path) -> None:
        self.app, self.counter, self.out = app, counter, out
        self.saved: list[Path] = []

    def __call__(self, name: str, widget: QWidget | None = None) -> None:
        widget = widget or self.counter.window
        languages = self.counter.ctx.languages
        for language in LANGUAGES:
            languages.set_language(language)
            _settle(self.app, self.counter.ctx.ops)
            path = self.out / f"{name}_{language}.png"
            widget.grab().save(str(path))
            self.saved.append(path)
        languages.set_language("zh_CN")


def _kiosk_batch(url: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from ledger.testing import SignedClient

    client = SignedClient(url, "DEMO-KIOSK-01")
    try:
        now = datetime.now(UTC).isoformat()
        return client.send_batch([{"idempotency_key": f"shot-{uuid.uuid4()}", "created_at": now, **i} for i in items])
    finally:
        client.close()


def _taken_earlier(db_url: str, minutes: dict[str, int]) -> None:
    """The scene's tickets as if taken some minutes ago (a throwaway ledger), so the wait column is real."""
    from datetime import timedelta

    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session

    from ledger.models import QueueTicketRow

    engine = create_engine(db_url)
    try:
        with Session(engine) as s, s.begin():
            for row in s.scalars(select(QueueTicketRow).where(QueueTicketRow.ticket_no.in_(list(minutes)))):
                row.issued_at = row.issued_at - timedelta(minutes=minutes[row.ticket_no])
    finally:
        engine.dispose()


def run(app: QApplication, out: Path) -> list[Path]:
    work = Path(tempfile.mkdtemp(prefix="hpf-counter-shots-"))
    os.environ["HPF_HOME"] = str(work)  # logs, keys and case files of this run stay in the temp dir
    from argon2 import PasswordHasher, profiles
    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session

    from counter_app.app import build_counter
    from counter_app.demo import DEMO_STAFF, demo_config
    from domain.account import AccountSnapshot
    from domain.evidence import Department, RetirementFact, SharedData
    from ledger.models import Account, Loan, Member
    from ledger.seed import seed_demo
    from ledger.testing import LedgerThread
    from sync.engine import EngineSettings
    from sync.runtime import SyncRuntime
    from sync.staff_store import StaffStore

    db_url = f"sqlite:///{work / 'ledger.db'}"
    engine = create_engine(db_url)
    seed_demo(engine, 120)
    with Session(engine) as s:
        rows = s.execute(select(Member, Account).join(Account, Account.member_id == Member.member_id)
                         .where(Account.balance_fen > 100_00, Member.cobranded_card != "")
                         .order_by(Member.member_id)).all()
        borrowers = set(s.scalars(select(Loan.member_id).where(Loan.status != "settled")).all())
        # the 秒批 scene needs a retired member without an open loan (a loan sends it to a supervisor)
        retired = sorted((m for m, a in rows if m.retired and not a.frozen),
                         key=lambda m: m.member_id in borrowers)
        working = [m for m, _a in rows if not m.retired]
    engine.dispose()

    class Shared:
        def facts_for(self, snapshot: AccountSnapshot) -> SharedData:
            if snapshot.member.member_id == retired[0].member_id:
                return SharedData(retirement=RetirementFact(True, None, Department.HRSS))
            return SharedData()

    out.mkdir(parents=True, exist_ok=True)
    with LedgerThread(db_url) as ledger:
        config = demo_config(ledger.url, work)
        config = replace(config, devices=replace(config.devices, id_reader=replace(config.devices.id_reader,
                                                                                    kind="none")))
        outlet = config.terminal.outlet
        _kiosk_batch(ledger.url, [{"kind": "queue.ticket", "member_id": None,
                                   "payload": {"ticket_no": no, "outlet": outlet, "business": b, "priority": p}}
                                  for no, b, p in (("A001", "withdrawal", False), ("A002", "withdrawal", True),
                                                   ("B001", "loan", False), ("C001", "transfer", False),
                                                   ("A003", "withdrawal", True))])
        _taken_earlier(db_url, {"A001": 23, "A002": 17, "B001": 12, "C001": 6, "A003": 4})
        _kiosk_batch(ledger.url, [{"kind": "transfer.apply", "member_id": working[3].member_id,
                                   "payload": {"direction": "in", "counterpart_centre": "北京住房公积金管理中心",
                                               "counterpart_account": "110000123456", "channel": "kiosk"}}])
        runtime = SyncRuntime.from_config(config, key_path=work / "cache.key",
                                          settings=EngineSettings(interval_s=0.3))
        staff = StaffStore(runtime.store, config.terminal.id, hasher=PasswordHasher.from_parameters(profiles.CHEAPEST))
        for staff_id, name, role, password in DEMO_STAFF:
            staff.add_account(staff_id, name, role, password)
        from counter_app.services import attach_devices, build_services

        services = build_services(config, runtime, window="3", shared_source=Shared(), staff=staff)
        services.case_files = work / "case_files"
        runtime.start()
        attach_devices(services, config)  # the simulated printer and document camera
        counter = build_counter(services, voice=False)
        window = counter.window
        window.resize(1920, 1080)  # a counter PC's screen
        window.show()
        shoot = Shooter(app, counter, out)
        ops = counter.ctx.ops
        settle = lambda: _settle(app, ops)  # noqa: E731 - a one-line local helper

        def delivered() -> None:
            """Wait for the runtime's own sender (a second sender could reorder a case's steps)."""
            deadline = time.monotonic() + 20
            while runtime.outbox.counts().unsent and time.monotonic() < deadline:
                settle()

        def sign_in(staff_id: str, password: str) -> None:
            screen = window.signin
            screen.staff_id.setText(staff_id)
            screen.password.setText(password)
            screen.attempt()
            settle()

        sign_in("clerk-01", "wrong-password")
        shoot("signin")
        sign_in("clerk-01", DEMO_STAFF[0][3])
        queue = window.screens["queue"]
        queue.refresh()
        settle()
        queue.call_next()
        settle()
        shoot("queue")
        counter.hall.resize(1280, 720)
        counter.hall.show()
        settle()
        shoot("hall_display", counter.hall)

        intake = window.screens["intake"]
        window.show_screen("intake")

        def receipt_png(name: str, print_it: Any = None) -> None:
            """Print a receipt on the simulated printer and keep the emulator's picture."""
            before = set((work / "printed").glob("*.png"))
            (print_it or intake.print_receipt)()
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and set((work / "printed").glob("*.png")) == before:
                settle()
            for png in set((work / "printed").glob("*.png")) - before:
                target = out / f"{name}.png"
                target.write_bytes(png.read_bytes())
                shoot.saved.append(target)

        def intake_for(member: Any, item: str) -> None:
            intake.use_card(member.id_number, member.name)
            settle()
            intake.item.setCurrentIndex(intake.item.findData(item))
            intake.start_case()
            settle()

        intake_for(working[0], "withdraw_illness")
        shoot("intake_checklist")
        intake.decide()
        settle()
        shoot("intake_notice")
        receipt_png("receipt_notice")
        intake_for(retired[0], "withdraw_retirement")
        intake.decide()
        settle()
        shoot("intake_instant")
        receipt_png("receipt_instant")
        counter.customer.resize(1024, 600)
        counter.customer.show()
        settle()
        shoot("customer_rating", counter.customer)
        intake_for(retired[1] if len(retired) > 1 else working[1], "card_signing")
        row = next(r for r in range(intake.table.rowCount())
                   if intake.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == "bank_card")
        intake.table.item(row, 1).setCheckState(Qt.CheckState.Checked)
        settle()
        intake.decide()
        settle()
        shoot("intake_routed")
        delivered()
        # Issue 11: an employer item from the catalogue, taken in from the employer's agent (no screen of its own)
        intake_for(working[1] if len(working) > 1 else working[0], "employer_deferral")
        settle()
        shoot("intake_employer")
        intake.decide()
        settle()
        shoot("intake_employer_notice")
        delivered()

        # paper evidence: the clerk copies the figures from the retirement certificate (柜员核验)
        intake_for(retired[2] if len(retired) > 2 else working[2], "withdraw_retirement")
        row = next(r for r in range(intake.table.rowCount())
                   if intake.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == "retirement_certificate")
        intake.table.item(row, 1).setCheckState(Qt.CheckState.Checked)
        intake.table.setCurrentCell(row, 0)
        settle()
        intake.capture()  # the simulated document camera: the supervisor sees this page as a thumbnail
        settle()
        intake.table.setCurrentCell(row, 0)
        settle()
        form = intake.attest_form
        form.inputs["retired_on"].setText("2025-06-30")
        form.inputs["certificate_no"].setText("晋退2025-0042")
        form.scan_ref.setText("retirement_certificate.jpg")
        shoot("intake_attestation")
        form.record_btn.click()
        settle()
        assert intake.intake is not None
        paper_case = intake.intake.case_id
        intake.decide()
        settle()
        shoot("intake_attested")
        delivered()

        window.show_screen("worklist")
        settle()
        worklist = window.screens["worklist"]
        shoot("worklist")
        worklist.table.selectRow(0)
        worklist.review()
        settle()
        shoot("review_clerk")

        # a step the centre refuses (its case is unknown there), as a clerk would find it the next morning
        counter.ctx.desk.case_action("CT-20261126-0000DEAD", "comment", member_id=None, note="补充说明")
        delivered()
        window.show_screen("refused")
        settle()
        shoot("refused")

        window.show_screen("bundle")
        bundle = window.screens["bundle"]
        bundle.property_id.setText("140105001001GB00001F00010001")
        bundle.open_bundle()
        for r in range(2):
            bundle.table.selectRow(r)
            bundle.step_done()
        settle()
        shoot("bundle")
        receipt_png("receipt_bundle", bundle.print_status)
        window.show_screen("report")
        settle()
        shoot("report")

        window.sign_out()
        sign_in("supervisor-01", DEMO_STAFF[1][3])
        worklist.refresh()
        settle()
        routed = next((n for n, w in enumerate(worklist.worklist.items) if w.status == "routed"), 0)
        worklist.table.selectRow(routed)
        worklist.review()
        settle()
        window.screens["review"].comment.setPlainText("联名卡原件核验无误")
        shoot("review_supervisor")
        paper_row = next((n for n, w in enumerate(worklist.worklist.items) if w.case_id == paper_case), None)
        if paper_row is not None:
            worklist.table.selectRow(paper_row)
            worklist.review()
            settle()
            review = window.screens["review"]
            review.comment.setPlainText("退休证原件与录入信息一致")
            shoot("review_attested")
            if review.scans:  # the scanned page, zoomed
                review.open_scan(*review.scans[0])
                assert review.zoom is not None
                review.zoom.resize(1000, 900)
                settle()
                shoot("review_zoom", review.zoom)
                review.zoom.close()
        for _ in range(5):  # someone mistyped: the supervisor sees the lock (the ledger's central accounts)
            services.desk.remote.sign_in("clerk-02", "nope")
        window.show_screen("staff")
        settle()
        shoot("staff")

        # the centre unreachable: only staff seen online at this counter recently sign in (offline verifier)
        window.sign_out()
        online_url = runtime.client.base_url
        from ledger.testing import free_port

        runtime.client.base_url = f"http://127.0.0.1:{free_port()}"
        sign_in("tech-01", DEMO_STAFF[2][3])
        shoot("signin_offline_refused")
        sign_in("clerk-01", DEMO_STAFF[0][3])
        shoot("signin_offline")
        window.sign_out()
        runtime.client.base_url = online_url
        sign_in("tech-01", DEMO_STAFF[2][3])
        window.screens["devices"].check()
        settle()
        shoot("devices")

        counter.close()
        counter.ctx.languages.release()  # the loan scenes after this run build a counter of their own
        app.processEvents()
        services.close()
    return shoot.saved


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="counter_app.screenshots", description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT, help="output directory (default docs/screenshots/counter)")
    args = parser.parse_args(argv)
    from counter_app.app import ensure_app

    app = ensure_app()  # outlives every widget of the run
    from counter_app import loan_screenshots

    for path in run(app, args.out) + loan_screenshots.run(app, args.out):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
