"""The other services end to end: rating at the end, one-time notice + queue ticket, the technician."""

from __future__ import annotations

import json

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from domain.evidence import NoSharedData
from domain.withdrawals import WithdrawalType
from ledger.models import QueueTicketRow
from sync.outbox import REJECTED
from tests.kiosk.conftest import Kiosk, LedgerFixture
from tests.kiosk.test_identify_account import sign_in_with_password, type_on
from tests.kiosk.test_withdrawal_flow import apply_for_retirement, put_card

TOUCHES_QUEUE_TICKET = 2  # home → 取号 → the business


def test_finish_after_a_service_asks_for_a_rating_and_records_it(kiosk_devices: Kiosk,
                                                                ledger: LedgerFixture) -> None:
    k = kiosk_devices
    put_card(k, [m for m in ledger.members if m.retired][2])
    apply_for_retirement(k)
    k.click(k.window.finish_button)  # 完成 after a submission: take the card and the receipt first (issue 13)
    assert k.window.current == "take-card"
    k.click(k.window.finish_button)
    assert k.window.current == "rating"
    with k.qtbot.wait_signal(k.window.session_wiped, timeout=5_000):
        k.click(k.screen().buttons[5])
    k.qtbot.wait_until(lambda: any(i.kind == "rating" for i in k.runtime.outbox.items()), timeout=5_000)
    rating = next(i for i in k.runtime.outbox.items() if i.kind == "rating")
    payload = json.loads(rating.payload)
    assert payload["score"] == 5 and payload["channel"] == "kiosk"
    assert rating.member_id is None  # ratings are anonymous


def test_missing_materials_lead_to_the_notice_and_a_queue_ticket(kiosk_devices: Kiosk,
                                                                 ledger: LedgerFixture) -> None:
    k = kiosk_devices
    k.services.extras["shared_data"] = NoSharedData()  # no data link: the paper is needed
    sign_in_with_password(k, ledger.members[3].id_number, ledger.members[3].password)
    k.wait_for("account")
    k.click(k.screen().more["withdraw"])
    k.click(k.screen().tiles[WithdrawalType.RETIREMENT])
    decision = k.screen()
    k.qtbot.wait_until(lambda: decision.decision is not None, timeout=10_000)
    assert decision.notice_button.isVisible() and not decision.confirm.isVisible()
    k.click(decision.notice_button)
    notice = k.screen()
    assert k.window.current == "notice" and notice.items.text().startswith("1.")
    k.click(notice.print_button)
    k.qtbot.wait_until(lambda: any("一次性告知书" in t for t in k.services.printer.emulator.texts()), timeout=10_000)
    k.click(notice.queue_button)
    assert k.window.current == "queue"
    queue = k.screen()
    k.click(queue.tiles["withdraw_retirement"])
    k.qtbot.wait_until(lambda: bool(queue.ticket.text()), timeout=10_000)
    # Issue 11: the ledger numbered it in the hall's withdrawal line and said how many are ahead
    text = queue.ticket.text()
    engine = create_engine(ledger.db_url)
    with Session(engine) as s:
        row = s.scalars(select(QueueTicketRow).where(QueueTicketRow.business == "退休提取")
                        .order_by(QueueTicketRow.id.desc())).first()
    engine.dispose()
    assert row is not None and row.ticket_no.startswith("A") and row.ticket_no in text and "前面还有" in text
    assert not any(i.kind == "queue.ticket" for i in k.runtime.outbox.items())  # online: nothing to send later


def test_a_queue_ticket_from_home_takes_two_touches(kiosk_devices: Kiosk) -> None:
    k = kiosk_devices
    k.window.ctx.session.touches = 0
    k.click(k.window.screens["home"].tiles["queue"])
    queue = k.screen()
    k.click(queue.tiles["loan_application"])
    k.qtbot.wait_until(lambda: bool(queue.ticket.text()), timeout=10_000)
    assert k.window.ctx.session.touches == TOUCHES_QUEUE_TICKET
    k.qtbot.wait_until(lambda: any("公积金贷款申请" in t for t in k.services.printer.emulator.texts()),
                       timeout=10_000)


def test_the_technician_gesture_pin_lockout_and_maintenance(kiosk_devices: Kiosk) -> None:
    k = kiosk_devices
    for _ in range(5):
        k.click(k.window.centre_label)
    assert k.window.current == "technician"
    tech = k.screen()
    for _ in range(3):
        type_on(k, tech.keypad, "111111")
    assert tech.locked and not tech.keypad.isEnabled()
    tech.clock = lambda: 1e12  # five minutes later
    tech.enter()
    type_on(k, tech.keypad, "246810")  # the demo PIN (sha256 in the default configuration)
    assert k.window.current == "maintenance"
    maintenance = k.screen()
    assert maintenance.rows["printer"][1].text().startswith("正常")  # in words, not the code "online"
    assert maintenance.rows["scanner"][1].text().startswith("正常")
    k.click(maintenance.run_checks)
    k.qtbot.wait_until(lambda: "✓" in maintenance.rows["printer"][2].text(), timeout=15_000)
    assert "自检" in maintenance.rows["id_reader"][2].text() or "…" in maintenance.rows["id_reader"][2].text()


def _members_with_a_trustee_bank(ledger: LedgerFixture) -> set[str]:
    from sqlalchemy import create_engine, select

    from ledger.models import Member

    engine = create_engine(ledger.db_url)
    with engine.connect() as conn:
        found = set(conn.scalars(select(Member.member_id).where(Member.cobranded_bank != "")).all())
    engine.dispose()
    return found


def test_card_signing_asks_twice_queues_and_prints(kiosk_devices: Kiosk, ledger: LedgerFixture) -> None:
    k = kiosk_devices
    with_bank = _members_with_a_trustee_bank(ledger)
    put_card(k, next(m for m in ledger.members[11:] if m.member_id in with_bank))  # the bank signs the card
    k.window.go("card")
    card = k.screen()
    type_on(k, card.keypad, "6217001234567891234")
    type_on(k, card.keypad, "6217001234567891235")  # a slip: the two differ
    assert "不一致" in card.banner.text()
    type_on(k, card.keypad, "6217001234567891234")
    type_on(k, card.keypad, "6217001234567891234")
    k.qtbot.wait_until(lambda: any(i.kind == "cobranded_card.sign" for i in k.runtime.outbox.items()), timeout=10_000)
    item = next(i for i in k.runtime.outbox.items() if i.kind == "cobranded_card.sign")
    assert json.loads(item.payload)["card_number"] == "6217001234567891234"
    k.qtbot.wait_until(lambda: "6217***********1234" in card.banner.text(), timeout=5_000)  # GUI callback
    k.qtbot.wait_until(lambda: any("联名卡签约" in t for t in k.services.printer.emulator.texts()), timeout=10_000)
    assert json.loads(item.payload)["authorisation"]["method"] == "kiosk_confirm"
    # the centre asks the bank through the exchange: this typed card is not the member's, so it is not bound

    def answered() -> bool:
        return next(i for i in k.runtime.outbox.items() if i.kind == "cobranded_card.sign").state == REJECTED

    k.qtbot.wait_until(answered, timeout=15_000)
    refused = next(i for i in k.runtime.outbox.items() if i.kind == "cobranded_card.sign")
    assert refused.reason is not None and refused.reason.code == "card_not_members"
