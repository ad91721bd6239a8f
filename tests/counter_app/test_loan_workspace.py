"""The counter's loan-application workspace, clicked through against the real ledger and exchange (threads):
new application → materials (the document camera's references) → intake → review → a supervisor approves with
the materials and key facts in view → contract → mortgage registration (receipt, then completion) →
disbursement; then the early-repayment quote on the new loan. A clerk cannot approve; a refusal needs reasons."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import create_engine, text

from domain import demo_loans
from domain.calculator import RepaymentMethod, repayment_schedule
from domain.demo_people import demo_people
from tests.counter_app.conftest import Counter


def _applicant(counter: Counter) -> tuple[str, str]:
    """(member id, contract no.) of an unmarried member with no loan, a clean credit report and a good balance."""
    db = create_engine(counter.ledger.db_url)
    with db.connect() as conn:
        rows = conn.execute(text(
            "SELECT m.member_id FROM members m JOIN accounts a ON a.member_id = m.member_id "
            "WHERE a.status_code = '01' AND NOT a.frozen AND NOT a.pledged AND a.balance_fen > 3000000 "
            "AND m.member_id NOT IN (SELECT member_id FROM loans) ORDER BY m.member_id")).all()
    db.dispose()
    people = {p.member_id: p for p in demo_people(200)}
    for (member_id,) in rows:
        p = people.get(str(member_id))
        if p and p.birth_date.year >= 1975 and not p.married and demo_loans.credit_class(p) == "clean":
            return p.member_id, demo_loans.contract_no_for(p)
    raise AssertionError("no demo member fit for a loan")


def _loan_rows(counter: Counter, member_id: str) -> list[tuple[str, int, str]]:
    db = create_engine(counter.ledger.db_url)
    with db.connect() as conn:
        rows = conn.execute(text("SELECT loan_id, principal_fen, status FROM loans WHERE member_id = :m"),
                            {"m": member_id}).all()
    db.dispose()
    return [(str(r[0]), int(r[1]), str(r[2])) for r in rows]


def test_the_workspace_takes_an_application_from_intake_to_disbursement(counter: Counter) -> None:
    member_id, contract = _applicant(counter)
    counter.sign_in("clerk-01")
    counter.window.show_screen("loan_application")
    s = counter.screen("loan_application")
    s.member_id.setText(member_id)
    s.amount.setText("abc")
    counter.click(s.create_btn)
    assert s.view is None and "金额" in s.result.text()  # bad input: a clear sentence, nothing sent
    s.amount.setText("100000")
    s.contract.setText(contract)
    counter.click(s.create_btn)
    assert s.view is not None and s.view.state == "submitted", s.result.text()
    aid = s.view.application_id
    missing = {m.material for m in s.view.notice.missing}
    assert "income_proof" in missing and "purchase_contract" not in missing  # the exchange supplied the contract
    assert s.checklist.rowCount() == len(s.view.notice.missing) + len(s.view.notice.supplied)
    # intake without the income proof is refused by the ledger, with words
    s.auth_ref.setText("CAM-AUTH-1")
    s.auth_sig.setText("SIG-AUTH-1")
    counter.click(s.intake_btn)
    assert s.view.state == "submitted" and s.result.text().startswith("✖")
    for row in range(s.checklist.rowCount()):
        if s.checklist.item(row, 0).data(256) == "income_proof":
            s.checklist.setCurrentCell(row, 0)
    s.evidence_ref.setText("CAM-INCOME-1")
    counter.click(s.record_ref_btn)
    counter.click(s.intake_btn)
    assert s.view.state == "accepted", s.result.text()
    counter.click(s.review_btn)
    assert s.view.state == "reviewed" and s.view.review is not None and s.view.review.eligible, s.result.text()
    assert "征信" in s.review_text.toPlainText() and "房产" in s.review_text.toPlainText()
    assert "第" in s.clock.text()  # working day n of 5
    # the clerk may not approve: the button is the supervisor's (the ledger refuses it too, tested in tests/ledger)
    s.tabs.setCurrentIndex(3)
    assert not s.approve_btn.isEnabled() and not s.refuse_btn.isEnabled()
    counter.sign_out()
    counter.sign_in("supervisor-01")
    counter.window.show_screen("loan_application")
    s.app_id.setText(aid)
    counter.click(s.open_btn)
    assert s.thumbs.count() >= 1 and "CAM-INCOME-1" in "".join(s.thumbs.item(i).text() for i in range(s.thumbs.count()))
    assert "可贷上限" in s.key_facts.toPlainText()
    counter.click(s.refuse_btn)  # a refusal without reasons is not sent
    assert s.view.state == "reviewed" and "理由" in s.result.text()
    counter.click(s.approve_btn)
    assert s.view.state == "approved", s.result.text()
    s.signature_ref.setText("SIG-C-1")
    counter.click(s.borrower_sign_btn)
    assert s.view.state == "contract_signed", s.result.text()
    counter.click(s.register_btn)
    assert s.view.state == "registration_requested" and s.view.registration.receipt_no
    assert s.view.clock.paused
    counter.click(s.poll_btn)
    assert s.view.state == "registered", s.result.text()
    counter.click(s.disburse_btn)
    assert s.view.state == "disbursed" and s.result.text().startswith("✔"), s.result.text()
    loan_id = s.view.disbursement.loan_id
    assert loan_id in s.contract_state.text() and s.loan_id.text() == loan_id
    assert _loan_rows(counter, member_id) == [(loan_id, 100_000_00, "normal")]
    # early repayment on the new loan (a clerk's case): the quote, through the same workspace
    counter.sign_out()
    counter.sign_in("clerk-01")
    counter.window.show_screen("loan_application")
    s.app_id.setText(aid)
    counter.click(s.open_btn)
    assert s.tabs.currentIndex() == 5 and s.loan_id.text() == loan_id
    s.early_amount.setText("20000")
    counter.click(s.quote_btn)
    assert "¥" in s.quote_text.text() and s.result.text().startswith("→"), s.result.text()
    # the loan's first installment is domain.calculator's, to the fen (the review's monthly payment)
    first = repayment_schedule(Decimal("100000.00"), Decimal(s.view.review.rate_percent), s.view.term_months,
                               RepaymentMethod.EQUAL_INSTALLMENT)[0]
    assert first.payment * 100 == s.view.review.monthly_payment_fen
    counter.click(s.early_btn)  # the application itself: a case on the generic case path
    assert s.result.text().startswith("✔") and "案件" in s.result.text(), s.result.text()
    counter.click(s.offset_btn)  # 冲还贷 signing, the same way
    assert s.result.text().startswith("✔") and "案件" in s.result.text(), s.result.text()


def test_day_3_and_late_applications_stand_out_on_the_work_lists(counter: Counter) -> None:
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from sqlalchemy.orm import Session

    from domain.workdays import WorkCalendar
    from ledger.models_loans import LoanApplicationRow

    tz, cal = ZoneInfo("Asia/Shanghai"), WorkCalendar()

    def started_on_day(n: int) -> datetime:
        d, counted = datetime.now(tz).date(), 0
        while True:
            counted += cal.is_workday(d)
            if counted == n:
                return datetime(d.year, d.month, d.day, 9, tzinfo=tz)
            d -= timedelta(days=1)

    counter.sign_in("clerk-02")
    counter.window.show_screen("loan_application")
    s = counter.screen("loan_application")
    db = create_engine(counter.ledger.db_url)
    people = {p.member_id: p for p in demo_people(200)}
    with db.connect() as conn:
        free = [str(r[0]) for r in conn.execute(text(
            "SELECT member_id FROM members WHERE member_id NOT IN (SELECT member_id FROM loans) "
            "AND member_id NOT IN (SELECT member_id FROM loan_applications) ORDER BY member_id DESC")).all()]
    days: dict[str, int] = {}
    for member_id, day in zip(free[:2], (3, 6), strict=True):
        s.member_id.setText(member_id)
        s.amount.setText("50000")
        s.contract.setText(demo_loans.contract_no_for(people[member_id]))
        counter.click(s.create_btn)
        assert s.view is not None, s.result.text()
        days[s.view.application_id] = day
    with Session(db) as session, session.begin():
        for aid, day in days.items():
            row = session.get(LoanApplicationRow, aid)
            assert row is not None
            row.state, row.review_started_at = "reviewed", started_on_day(day)
    db.dispose()
    s.load_worklist()
    counter.qtbot.wait_until(lambda: days.keys() <= {r.application_id for r in s.rows}, timeout=10_000)
    colours = {s.worklist.item(r, 0).text(): s.worklist.item(r, 0).background().color().name()
               for r in range(s.worklist.rowCount())}
    assert colours[next(a for a, d in days.items() if d == 3)] == "#fde8c4"  # day 3: warning
    assert colours[next(a for a, d in days.items() if d == 6)] == "#f6d8d6"  # day 6: late
    counter.window.show_screen("worklist")
    label = counter.screen("worklist").stale
    counter.qtbot.wait_until(lambda: "贷款申请" in label.text(), timeout=10_000)
    assert "已超时" in label.text() and "第3/4个工作日" in label.text()


def test_a_married_applicants_spouse_is_taken_in_before_the_review(counter: Counter) -> None:
    db = create_engine(counter.ledger.db_url)
    with db.connect() as conn:
        rows = [str(r[0]) for r in conn.execute(text(
            "SELECT m.member_id FROM members m JOIN accounts a ON a.member_id = m.member_id "
            "WHERE a.status_code = '01' AND NOT a.frozen AND a.balance_fen > 3000000 "
            "AND m.member_id NOT IN (SELECT member_id FROM loans) "
            "AND m.member_id NOT IN (SELECT member_id FROM loan_applications) ORDER BY m.member_id")).all()]
    db.dispose()
    people = {p.member_id: p for p in demo_people(200)}
    person = next(people[m] for m in rows if people[m].married and people[m].birth_date.year >= 1975
                  and demo_loans.credit_class(people[m]) == "clean")
    counter.sign_in("clerk-01")
    counter.window.show_screen("loan_application")
    s = counter.screen("loan_application")
    s.member_id.setText(person.member_id)
    s.amount.setText("80000")
    s.contract.setText(demo_loans.contract_no_for(person))
    counter.click(s.create_btn)
    assert s.view is not None and s.view.spouse is not None and s.view.spouse.required, s.result.text()
    assert "spouse_id_card" in {m.material for m in s.view.notice.missing}
    for material, ref in (("income_proof", "CAM-IN-2"), ("spouse_id_card", "CAM-SPID-2")):
        for row in range(s.checklist.rowCount()):
            if s.checklist.item(row, 0).data(256) == material:
                s.checklist.setCurrentCell(row, 0)
        s.evidence_ref.setText(ref)
        counter.click(s.record_ref_btn)
    s.auth_ref.setText("CAM-AUTH-2")
    s.auth_sig.setText("SIG-AUTH-2")
    counter.click(s.intake_btn)
    assert s.view.state == "accepted" and s.tabs.currentIndex() == 1, s.result.text()  # the spouse's tab is next
    s.tabs.setCurrentIndex(2)
    counter.click(s.review_btn)  # not before the co-borrower has consented and authorised: the ledger says so
    assert s.result.text().startswith("✖") and "配偶" in s.result.text()
    assert s.view.state in ("accepted", "under_review")  # as the ledger now has it (the clock may have started)
    s.tabs.setCurrentIndex(1)
    s.spouse_id.setText("140105199003071234")
    s.spouse_id_ref.setText("IDCARD-1234")
    s.spouse_consent.setChecked(True)
    s.spouse_auth.setText("CAM-SP-AUTH")
    s.spouse_sig.setText("SIG-SP")
    counter.click(s.spouse_btn)
    assert s.view.spouse.identity_verified and s.view.spouse.consented and s.view.spouse.credit_authorised, \
        s.result.text()
    assert s.spouse_state.text().count("✔") == 3 and "140105199003071234" not in s.spouse_state.text()  # masked
    s.tabs.setCurrentIndex(2)
    counter.click(s.review_btn)
    assert s.view.state == "reviewed", s.result.text()
    assert "配偶（共同借款人）" in s.key_facts.toPlainText()
