"""Issue 11 end to end: a loan application through `hpf-ledger serve` and `hpf-exchange serve` as real processes.

The kiosk pre-checks and applies in the member's session; the counter takes it in, the ledger reviews on
the exchange's facts, a supervisor approves, the contract is signed, the mortgage is registered at the
registry (through the exchange), the loan is paid to the seller's account of the contract's record; the
kiosk then shows the new loan and its schedule, to the fen with domain.calculator. Another is refused
with the limiting factor named. The clock across National Day 2026 is read back through the ledger's
day-end report (`hpf-ledger loans late-report`).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text

from domain import demo_loans
from domain.account import AccountSnapshot
from domain.calculator import RepaymentMethod, repayment_schedule
from domain.demo_people import demo_people
from domain.loan_limits import Purchase, load_loan_limit_policy, max_hpf_loan
from domain.money import Money
from domain.policy import load_policy_table
from domain.precheck import borrower_from_snapshot
from domain.rates import load_rate_table
from exchange.testing import ExchangeProcess, set_mode
from ledger.testing import LedgerProcess, demo_key_path
from sync.client import LedgerClient
from sync.loan_applications import CreateRequest, CreditAuthorisation, LoanApplications
from tests.ledger.memberproof import member_token
from tests.sync.ledgerdb import MEMBERS, seed_template

TZ = ZoneInfo("Asia/Shanghai")
PEOPLE = {p.member_id: p for p in demo_people(MEMBERS)}
AUTH = CreditAuthorisation(reference="CAM-AUTH-1", signature="SIG-1")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_template(tmp_path_factory.mktemp("loan-e2e-template") / "ledger.db")


@pytest.fixture(scope="module")
def exchange(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ExchangeProcess]:
    with ExchangeProcess(members=MEMBERS, log_path=tmp_path_factory.mktemp("exchange") / "exchange.log") as process:
        yield process


@pytest.fixture
def db_url(template: Path, tmp_path: Path) -> str:
    shutil.copyfile(template, tmp_path / "ledger.db")
    return f"sqlite:///{tmp_path / 'ledger.db'}"


@pytest.fixture
def ledger(db_url: str, tmp_path: Path, exchange: ExchangeProcess) -> Iterator[LedgerProcess]:
    set_mode(exchange.url, "normal")
    with LedgerProcess(db_url, log_path=tmp_path / "ledger.log", exchange_url=exchange.url) as process:
        yield process


def _candidates(db_url: str) -> list[str]:
    """Members with a normal account, no loan, born 1975 or later, unmarried, a clean demo credit report."""
    db = create_engine(db_url)
    with db.connect() as conn:
        rows = conn.execute(text(
            "SELECT m.member_id FROM members m JOIN accounts a ON a.member_id = m.member_id "
            "WHERE a.status_code = '01' AND NOT a.frozen AND NOT a.pledged AND a.balance_fen > 3000000 "
            "AND m.member_id NOT IN (SELECT member_id FROM loans) ORDER BY m.member_id")).all()
    db.dispose()
    found = [str(r[0]) for r in rows if PEOPLE[str(r[0])].birth_date.year >= 1975 and not PEOPLE[str(r[0])].married
             and demo_loans.credit_class(PEOPLE[str(r[0])]) == "clean"]
    assert len(found) >= 2, "the template has two members fit for a loan"
    return found


def _clients(url: str) -> tuple[LedgerClient, LedgerClient]:
    return (LedgerClient(url, "DEMO-KIOSK-01", demo_key_path("DEMO-KIOSK-01")),
            LedgerClient(url, "DEMO-COUNTER-01", demo_key_path("DEMO-COUNTER-01")))


def test_a_kiosk_application_is_disbursed_and_the_kiosk_shows_the_loan_to_the_fen(
        ledger: LedgerProcess, db_url: str) -> None:
    member_id = _candidates(db_url)[0]
    kiosk, counter = _clients(ledger.url)
    kiosk_loans, counter_loans = LoanApplications(kiosk), LoanApplications(counter)
    try:
        # the kiosk: the member verifies, pre-checks on their own snapshot, and applies from the pre-check
        session = kiosk.open_session("qr", token=member_token(member_id)).token
        snapshot = AccountSnapshot.from_json(json.loads(kiosk.session_snapshot(session)))
        raw = load_policy_table("taiyuan")
        contract = demo_loans.purchase_contract(PEOPLE[member_id])
        limit = max_hpf_loan(borrower_from_snapshot(snapshot), Purchase(Money(contract["price_fen"])),
                             load_loan_limit_policy(raw), load_rate_table(raw), datetime.now(TZ).date(), months=240)
        assert limit.eligible, limit.explanation_en
        amount = min(limit.max_amount.fen, 20_000_000)
        view = kiosk_loans.create(CreateRequest(amount_fen=amount, term_months=240,
                                                purchase_contract_no=contract["contract_no"],
                                                precheck_ref="PRECHECK-1"), session_token=session)
        assert view.state == "submitted" and view.channel == "kiosk" and view.member_id == member_id
        assert {m.material for m in view.notice.missing} == {"income_proof", "credit_authorisation"}
        assert view.notice.lines and view.clock.state == "not_started"
        aid = view.application_id
        # the counter: intake, the ledger's review, a supervisor's approval
        clerk = counter.staff_sign_in("clerk-01", "Clerk-2026")["token"]
        supervisor = counter.staff_sign_in("supervisor-01", "Super-2026")["token"]
        view = counter_loans.intake(aid, {"income_proof": "CAM-INCOME-1"}, AUTH, staff_token=clerk)
        assert view.state == "accepted"
        view = counter_loans.review(aid, staff_token=clerk)
        assert view.state == "reviewed" and view.review is not None and view.review.eligible, view.review
        assert view.clock.started_at is not None and view.clock.state in ("running", "warning", "due_today")
        listed = counter_loans.work_list(clerk)
        assert aid in {e.application_id for e in listed}
        view = counter_loans.decide(aid, approve=True, staff_token=supervisor)
        assert view.state == "approved" and view.decision is not None and view.decision.amount_fen == amount
        view = counter_loans.sign_contract(aid, party="borrower", signature_ref="SIG-C-1", staff_token=clerk)
        assert view.state == "contract_signed"
        # the registry: a receipt at once, registered at the first status poll; the clock pauses meanwhile
        view = counter_loans.request_registration(aid, staff_token=clerk)
        assert view.state == "registration_requested" and view.registration and view.registration.receipt_no
        assert view.clock.paused
        view = counter_loans.poll_registration(aid, staff_token=clerk)
        assert view.state == "registered" and view.registration and view.registration.certificate_no
        view = counter_loans.disburse(aid, staff_token=clerk)
        assert view.state == "disbursed" and view.disbursement is not None and view.clock.state == "done"
        assert view.disbursement.payee_account_masked[-4:] == contract["seller_account"][-4:]
        loan_id = view.disbursement.loan_id
        # the kiosk shows the new loan, its plan and its next due date, to the fen
        snapshot = AccountSnapshot.from_json(json.loads(kiosk.session_snapshot(session)))
        assert snapshot.loan is not None and snapshot.loan.contract_no == loan_id
        assert snapshot.loan.amount == Decimal(amount) / 100
        assert snapshot.loan.next_due_on == view.disbursement.first_due_on
        plan = kiosk.session_schedule(session, loan_id)["periods"]
        expected = repayment_schedule(Decimal(amount) / 100, snapshot.loan.rate_percent, 240,
                                      RepaymentMethod.EQUAL_INSTALLMENT)
        assert [(Decimal(p["principal"]), Decimal(p["interest"])) for p in plan] == [
            (r.principal, r.interest) for r in expected]
        assert plan[0]["due_on"] == view.disbursement.first_due_on.isoformat()
        mine = kiosk_loans.mine(session)
        assert [a.state for a in mine] == ["disbursed"]
    finally:
        kiosk.close()
        counter.close()


def test_an_application_above_the_limit_is_refused_with_the_limiting_factor_named(
        ledger: LedgerProcess, db_url: str) -> None:
    member_id = _candidates(db_url)[1]
    _, counter = _clients(ledger.url)
    loans = LoanApplications(counter)
    try:
        clerk = counter.staff_sign_in("clerk-02", "Clerk2-2026")["token"]
        supervisor = counter.staff_sign_in("supervisor-01", "Super-2026")["token"]
        view = loans.create(CreateRequest(member_id=member_id, amount_fen=3_000_000_000, term_months=240,
                                          purchase_contract_no=demo_loans.contract_no_for(PEOPLE[member_id])),
                            staff_token=clerk)
        view = loans.intake(view.application_id, {"income_proof": "CAM-2"}, AUTH, staff_token=clerk)
        view = loans.review(view.application_id, staff_token=clerk)
        assert view.review is not None and not view.review.eligible
        factor = view.review.limiting_factor
        assert factor and view.review.reasons[0].code == f"limit_{factor}"
        view = loans.decide(view.application_id, approve=False, reasons=["申请金额超过可贷额度"],
                            staff_token=supervisor)
        assert view.state == "refused" and view.decision is not None
        named = view.decision.reasons[1]
        assert named.code == f"limit_{factor}" and view.review.limiting_zh in named.zh and named.en
    finally:
        counter.close()


def test_the_clock_across_national_day_in_the_ledgers_day_end_report(ledger: LedgerProcess, db_url: str) -> None:
    """An application reviewed from Tuesday 29 September 2026, at the registry 8-12 October, not yet paid:
    day 5 is Tuesday 13 October (1-7 October off, Saturday 10 October inside the registry's time), late on
    the 14th; the same without the registry would have been due on the 调休 Saturday."""
    member_id = _candidates(db_url)[0]
    _, counter = _clients(ledger.url)
    try:
        clerk = counter.staff_sign_in("clerk-01", "Clerk-2026")["token"]
        view = LoanApplications(counter).create(CreateRequest(
            member_id=member_id, amount_fen=10_000_000, term_months=120,
            purchase_contract_no=demo_loans.contract_no_for(PEOPLE[member_id])), staff_token=clerk)
    finally:
        counter.close()

    def utc(day: int, month: int, hour: int) -> str:
        return datetime(2026, month, day, hour, tzinfo=TZ).astimezone(ZoneInfo("UTC")).strftime(
            "%Y-%m-%d %H:%M:%S.000000")

    db = create_engine(db_url)
    with db.begin() as conn:
        conn.execute(text("UPDATE loan_applications SET state = 'registered', review_started_at = :s, "
                          "registration_requested_at = :r, registration_completed_at = :c "
                          "WHERE application_id = :a"),
                     {"s": utc(29, 9, 10), "r": utc(8, 10, 11), "c": utc(12, 10, 15), "a": view.application_id})
    db.dispose()

    def report(day: str) -> list[dict[str, object]]:
        out = subprocess.run([sys.executable, "-m", "ledger.cli", "loans", "late-report", "--db", db_url,
                              "--day", day, "--json"], capture_output=True, text=True, timeout=60, check=True)
        rows: list[dict[str, object]] = json.loads(out.stdout)
        return [r for r in rows if r["application_id"] == view.application_id]

    assert report("2026-10-13") == [], "day 5 on 13 October: due, not late"
    late = report("2026-10-14")
    assert [(r["day"], r["clock"]) for r in late] == [(6, "late")]
