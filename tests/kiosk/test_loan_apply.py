"""The loan at the kiosk, against the real ledger and exchange (threads): the pre-check's "apply" starts an
application in the member's ledger session and shows the ledger's one-time notice (what the exchange supplied is
not asked for); a card read alone cannot apply; after a counter has taken an application to disbursement, "my
loan" shows the new loan, its next due date and its plan, to the fen as domain.calculator computes it."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QWidget
from sqlalchemy import create_engine, text

from domain import demo_loans
from domain.calculator import RepaymentMethod, repayment_schedule
from domain.demo_people import DemoPerson, demo_people
from domain.money import format_yuan
from ledger.testing import demo_key_path
from sync.client import LedgerClient
from sync.loan_applications import CreateRequest, CreditAuthorisation, LoanApplications
from tests.kiosk.conftest import Kiosk, LedgerFixture
from tests.kiosk.test_identify_account import sign_in_with_password, type_on


def _fit(ledger: LedgerFixture) -> list[tuple[DemoPerson, str]]:
    """(person, password) of unmarried members with no loan, a clean credit report and a good balance."""
    db = create_engine(ledger.db_url)
    with db.connect() as conn:
        rows = conn.execute(text(
            "SELECT m.member_id FROM members m JOIN accounts a ON a.member_id = m.member_id "
            "WHERE a.status_code = '01' AND NOT a.frozen AND NOT a.pledged AND a.balance_fen > 3000000 "
            "AND m.member_id NOT IN (SELECT member_id FROM loans) ORDER BY m.member_id DESC")).all()
    db.dispose()
    people = {p.member_id: p for p in demo_people(200)}
    passwords = {m.member_id: m.password for m in ledger.members}
    return [(people[str(r[0])], passwords[str(r[0])]) for r in rows
            if people[str(r[0])].birth_date.year >= 1975 and not people[str(r[0])].married
            and demo_loans.credit_class(people[str(r[0])]) == "clean"]


def test_apply_from_the_precheck_shows_the_ledgers_notice(kiosk: Kiosk, ledger: LedgerFixture) -> None:
    person, password = _fit(ledger)[0]
    sign_in_with_password(kiosk, person.id_number, password)
    kiosk.wait_for("account")
    kiosk.window.go("precheck")
    pre = kiosk.screen()
    price_wan = demo_loans.purchase_contract(person)["price_fen"] // 1_000_000
    kiosk.click(pre.keypad.clear_button)
    type_on(kiosk, pre.keypad, str(price_wan))
    assert pre.answer.text().startswith("¥"), pre.explanation.text()
    kiosk.click(pre.apply_button)
    assert kiosk.window.current == "loan_apply"
    apply = kiosk.screen()
    assert "收入证明" in apply.bring.text() and "住建" in apply.fetched.text()  # the policy's notice, before
    steps = kiosk.window.steps  # the window's one step indicator (kiosk.flows "loan"), not a line of its own
    assert steps.isVisible() and steps.current == 1 and "✓ 额度预审" in steps.text() and "② 申请与告知" in steps.text()
    assert apply.findChildren(QWidget, "step-indicator") == []
    kiosk.click(apply.apply_button)  # no contract number yet: said, nothing sent
    kiosk.qtbot.wait_until(lambda: apply.result.text().startswith("✖"), timeout=10_000)
    assert "合同号" in apply.result.text() and apply.view is None
    for ch in person.member_id:  # WQ + digits: the demo contract of this member
        kiosk.click(apply.keypad.keys[ch])
    kiosk.click(apply.apply_button)
    kiosk.qtbot.wait_until(lambda: apply.view is not None or apply.result.text().startswith("✖"), timeout=15_000)
    view = apply.view
    assert view is not None and view.state == "submitted" and view.channel == "kiosk", apply.result.text()
    assert view.member_id == person.member_id and view.application_id in apply.result.text()
    lines = apply.bring.text().splitlines()
    assert len(lines) == len(view.notice.missing) and all(m.name in apply.bring.text() for m in view.notice.missing)
    assert "购房合同" in apply.fetched.text()  # supplied by the exchange: not asked for
    assert apply.done_button.isVisible() and not apply.apply_button.isVisible()  # 完成, not a second start
    assert steps.current == 2 and "✓ 申请与告知" in steps.text()  # registered: the counter is next
    assert "本人到柜台即可" in apply.spouse.text()
    kiosk.window.go("loan")  # "my loan" shows the application on its way
    note = kiosk.screen().none_note
    kiosk.qtbot.wait_until(lambda: view.application_id in note.text(), timeout=10_000)
    assert "您的贷款申请" in note.text()


def test_a_card_read_alone_cannot_apply(kiosk: Kiosk, ledger: LedgerFixture) -> None:
    from kiosk.loan_applying import PrecheckFacts

    person, _ = _fit(ledger)[1]
    kiosk.window.ctx.session.begin(person.member_id, "card", id_number=person.id_number, name=person.name)
    kiosk.window.go("loan_apply", facts=PrecheckFacts(Decimal("1000000"), "first", "commercial", Decimal("100000")))
    apply = kiosk.screen()
    assert not apply.apply_button.isEnabled()  # no ledger session: the button says no before anything is sent


def test_my_loan_shows_a_disbursed_loan_to_the_fen(kiosk: Kiosk, ledger: LedgerFixture) -> None:
    person, password = _fit(ledger)[2]
    counter = LedgerClient(ledger.url, "DEMO-COUNTER-01", demo_key_path("DEMO-COUNTER-01"))
    loans = LoanApplications(counter)
    auth = CreditAuthorisation(reference="CAM-AUTH-1", signature="SIG-1")
    try:
        clerk = counter.staff_sign_in("clerk-01", "Clerk-2026")["token"]
        supervisor = counter.staff_sign_in("supervisor-01", "Super-2026")["token"]
        view = loans.create(CreateRequest(member_id=person.member_id, amount_fen=100_000_00, term_months=240,
                                          purchase_contract_no=demo_loans.contract_no_for(person)), staff_token=clerk)
        aid = view.application_id
        loans.intake(aid, {"income_proof": "CAM-INCOME-1"}, auth, staff_token=clerk)
        assert loans.review(aid, staff_token=clerk).review.eligible
        loans.decide(aid, approve=True, staff_token=supervisor)
        loans.sign_contract(aid, party="borrower", signature_ref="SIG-C", staff_token=clerk)
        loans.request_registration(aid, staff_token=clerk)
        loans.poll_registration(aid, staff_token=clerk)
        view = loans.disburse(aid, staff_token=clerk)
        assert view.state == "disbursed"
    finally:
        counter.close()
    sign_in_with_password(kiosk, person.id_number, password)
    kiosk.wait_for("account")
    kiosk.click(kiosk.screen().more["loan"])
    screen = kiosk.screen()
    loan = kiosk.window.ctx.session.snapshot.loan
    assert kiosk.window.current == "loan" and loan.contract_no == view.disbursement.loan_id
    facts = {n.text(): v.text() for n, v in screen._facts}
    assert facts["下次还款日"] == view.disbursement.first_due_on.isoformat()
    assert list(facts.values()).count(format_yuan(Decimal("100000.00"))) == 2  # amount and balance: nothing repaid
    expected = repayment_schedule(Decimal("100000.00"), loan.rate_percent, 240, RepaymentMethod.EQUAL_INSTALLMENT)
    plan = screen.plan
    assert plan.rowCount() == 240
    shown = [(plan.item(r, 2).text(), plan.item(r, 3).text(), plan.item(r, 4).text()) for r in range(240)]
    assert shown == [(format_yuan(i.principal), format_yuan(i.interest), format_yuan(i.balance)) for i in expected]
