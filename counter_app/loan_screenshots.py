"""The loan-application workspace's screenshots (`python -m counter_app.loan_screenshots`, also run by
`./dev screenshots` through `counter_app.screenshots`): one application walked from the start to the payout
against a throwaway local ledger and the exchange simulator (fictitious demo members, masked on screen),
into docs/screenshots/counter/loan_<step>_<language>.png."""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from counter_app.screenshots import OUT, Shooter, _settle


def _age_clocks(db_url: str, days: dict[str, int]) -> None:
    """Put review starts in the past so the work list shows day 3/4 and late applications (a picture only)."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from domain.workdays import load_calendar
    from ledger.models_loans import LoanApplicationRow

    tz, cal = ZoneInfo("Asia/Shanghai"), load_calendar()
    engine = create_engine(db_url)
    with Session(engine) as session, session.begin():
        for aid, n in days.items():
            d, counted = datetime.now(tz).date(), 0
            while counted < n:
                counted += cal.is_workday(d)
                d -= timedelta(days=1)
            row = session.get(LoanApplicationRow, aid)
            if row is not None:
                row.state, row.review_started_at = "reviewed", datetime(d.year, d.month, d.day, 9, tzinfo=tz) \
                    + timedelta(days=1)
    engine.dispose()


def _applicants(db_url: str, members: int) -> list[tuple[str, str]]:
    from sqlalchemy import create_engine, text

    from domain import demo_loans
    from domain.demo_people import demo_people

    db = create_engine(db_url)
    with db.connect() as conn:
        rows = conn.execute(text(
            "SELECT m.member_id FROM members m JOIN accounts a ON a.member_id = m.member_id "
            "WHERE a.status_code = '01' AND NOT a.frozen AND NOT a.pledged AND a.balance_fen > 3000000 "
            "AND m.member_id NOT IN (SELECT member_id FROM loans) ORDER BY m.member_id")).all()
    db.dispose()
    people = {p.member_id: p for p in demo_people(members)}
    fit = [(p.member_id, demo_loans.contract_no_for(p)) for p in (people[str(r[0])] for r in rows)
           if p.birth_date.year >= 1975 and not p.married and demo_loans.credit_class(p) == "clean"]
    if len(fit) < 4:
        raise LookupError("not enough demo members fit for a loan")
    return fit


def run(app: QApplication, out: Path = OUT) -> list[Path]:
    work = Path(tempfile.mkdtemp(prefix="hpf-counter-loan-shots-"))
    os.environ["HPF_HOME"] = str(work)
    from argon2 import PasswordHasher, profiles
    from sqlalchemy import create_engine

    from counter_app.app import build_counter
    from counter_app.demo import DEMO_STAFF, demo_config
    from counter_app.services import attach_devices, build_services
    from exchange.testing import ExchangeThread
    from ledger.seed import seed_demo
    from ledger.testing import LedgerThread
    from sync.engine import EngineSettings
    from sync.runtime import SyncRuntime
    from sync.staff_store import StaffStore

    members = 120
    db_url = f"sqlite:///{work / 'ledger.db'}"
    engine = create_engine(db_url)
    seed_demo(engine, members)
    engine.dispose()
    fit = _applicants(db_url, members)
    member_id, contract = fit[0]
    out.mkdir(parents=True, exist_ok=True)
    with ExchangeThread(members=members) as exchange, LedgerThread(db_url, exchange_url=exchange.url) as ledger:
        config = demo_config(ledger.url, work)
        config = replace(config, devices=replace(config.devices, id_reader=replace(config.devices.id_reader,
                                                                                    kind="none")))
        runtime = SyncRuntime.from_config(config, key_path=work / "cache.key", settings=EngineSettings(interval_s=0.3))
        staff = StaffStore(runtime.store, config.terminal.id, hasher=PasswordHasher.from_parameters(profiles.CHEAPEST))
        for staff_id, name, role, password in DEMO_STAFF:
            staff.add_account(staff_id, name, role, password)
        services = build_services(config, runtime, window="3", staff=staff)
        services.case_files = work / "case_files"
        runtime.start()
        attach_devices(services, config)  # the simulated document camera
        counter = build_counter(services, voice=False)
        window = counter.window
        window.resize(1680, 1000)
        window.show()
        shoot = Shooter(app, counter, out)
        passwords = {s[0]: s[3] for s in DEMO_STAFF}

        def settle() -> None:
            _settle(app, counter.ctx.ops, 10.0)

        def sign_in(staff_id: str) -> Any:
            window.signin.staff_id.setText(staff_id)
            window.signin.password.setText(passwords[staff_id])
            window.signin.attempt()
            settle()
            window.show_screen("loan_application")
            settle()
            return window.screens["loan_application"]

        try:
            s = sign_in("clerk-01")
            s.member_id.setText(member_id)
            s.amount.setText("500000")
            s.contract.setText(contract)
            s.create()
            settle()
            for row in range(s.checklist.rowCount()):
                if s.checklist.item(row, 0).data(256) == "income_proof":
                    s.checklist.setCurrentCell(row, 0)
            s.capture()
            settle()
            s.auth_ref.setText("CAM-AUTH-0001")
            s.auth_sig.setText("SIG-0001")
            shoot("loan_intake")
            s.tabs.setCurrentIndex(1)
            shoot("loan_spouse")
            s.tabs.setCurrentIndex(0)
            s.intake()
            settle()
            s.run_review()
            settle()
            s.tabs.setCurrentIndex(2)
            shoot("loan_review")
            aid = s.view.application_id if s.view is not None else ""
            window.sign_out()
            s = sign_in("supervisor-01")
            s.app_id.setText(aid)
            s.open_typed()
            settle()
            s.reasons.setText("材料齐全，额度内批准")
            shoot("loan_decision")
            s.approve_btn.click()
            settle()
            s.signature_ref.setText("SIG-CONTRACT-0001")
            s.sign("borrower")
            settle()
            s.register_btn.click()
            settle()
            shoot("loan_registration")
            s.poll_btn.click()
            settle()
            s.disburse_btn.click()
            settle()
            s.tabs.setCurrentIndex(4)
            shoot("loan_disbursed")
            window.sign_out()
            s = sign_in("clerk-01")
            s.app_id.setText(aid)
            s.open_typed()
            settle()
            s.early_amount.setText("100000")
            s.quote()
            settle()
            shoot("loan_early_repayment")
            days = {}
            for (other, other_contract), day in zip(fit[1:4], (2, 3, 6), strict=True):
                days[s.loans.create(member_id=other, amount_fen=30_000_000, term_months=240,
                                    contract_no=other_contract).application_id] = day
            _age_clocks(db_url, days)
            s.tabs.setCurrentIndex(6)
            s.load_worklist()
            settle()
            shoot("loan_worklist")
        finally:
            counter.close()
            counter.ctx.languages.release()  # its translator goes with it
            app.processEvents()
            services.close()
    return shoot.saved


def main() -> int:
    from counter_app.app import ensure_app

    app = ensure_app()
    for path in run(app):  # docs/screenshots/counter
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
