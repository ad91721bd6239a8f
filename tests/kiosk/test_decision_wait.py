"""Sending an application at once: the centre's final decision within the wait, the provisional result
when the wait runs out, and the ID card alone (offline) that cannot move money until the QR code is shown."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import replace
from typing import Any

from domain.withdrawals import WithdrawalType
from sync import errors
from tests.kiosk.conftest import Kiosk, LedgerFixture, card_of
from tests.kiosk.test_withdrawal_flow import apply_for_retirement, put_card
from tests.kiosk.tokens import fresh_token


def _record_waits(k: Kiosk) -> list[float]:
    """The limits the progress indicator was started with (it shows while the kiosk waits)."""
    screen = k.window.screens["withdraw_decision"]
    started: list[float] = []
    original = screen.wait.start  # type: ignore[attr-defined]

    def start(limit_s: float, text: str) -> None:
        started.append(limit_s)
        assert text and screen.wait.bar.maximum() >= 0  # type: ignore[attr-defined]
        original(limit_s, text)

    screen.wait.start = start  # type: ignore[attr-defined]
    return started


def _retired(ledger: LedgerFixture, *, card: bool, loan: bool, nth: int = 0) -> Any:
    """A retired member with or without a co-branded card and a loan, whom the other kiosk tests do not use
    (the ledger is shared, and a retirement withdrawal empties the account)."""
    from sqlalchemy import create_engine, select
    from sqlalchemy.orm import Session

    from ledger.models import Member

    retired = [m for m in ledger.members if m.retired]
    taken = {m.member_id for m in (retired[0], retired[1], retired[2], retired[-1])}
    engine = create_engine(ledger.db_url)
    with Session(engine) as s:
        carded = set(s.scalars(select(Member.member_id).where(Member.cobranded_card != "")).all())
    engine.dispose()
    return [m for m in retired if (m.member_id in carded) == card and m.has_loan == loan
            and m.member_id not in taken][nth]


def test_online_the_centres_decision_comes_back_at_once_and_is_final(kiosk_devices: Kiosk,
                                                                      ledger: LedgerFixture) -> None:
    k = kiosk_devices
    put_card(k, _retired(ledger, card=True, loan=False))
    waits = _record_waits(k)
    apply_for_retirement(k)
    receipt = k.window.screens["receipt"]  # the printing state screen may be in front
    item = next(i for i in k.runtime.outbox.items() if i.kind == "withdrawal.apply")
    # the receipt opened with the ledger's answer already stored: sent at once, not by a later round
    assert item.state == "acknowledged" and item.ledger_id, item.reason
    assert waits == [k.window.ctx.config.kiosk.decision_wait_s]  # the progress indicator was shown
    assert not k.window.screens["withdraw_decision"].wait.isVisible()  # and is gone with the answer
    result = json.loads(item.result or "{}")
    assert result["status"] == "approved" and result["instant"] is True
    assert receipt._app.final and "中心审批结果" in receipt.provisional.text() and "秒批" in receipt.provisional.text()
    assert "中心将确认" not in receipt.provisional.text() and receipt.title.text() == "中心审批结果"
    assert json.loads(item.payload)["proof"] == {"session_id": k.window.ctx.session.ledger_session.session_id}
    k.qtbot.wait_until(lambda: receipt._state in ("printed", "failed"), timeout=15_000)
    assert "中心审批结果" in "\n".join(k.services.printer.emulator.texts())


def test_when_the_wait_runs_out_the_result_is_provisional_and_the_item_still_lands(kiosk_devices: Kiosk,
                                                                                  ledger: LedgerFixture) -> None:
    k = kiosk_devices
    k.window.ctx.config = replace(k.window.ctx.config, kiosk=replace(k.window.ctx.config.kiosk, decision_wait_s=1.0))
    put_card(k, _retired(ledger, card=True, loan=False, nth=1))  # not the member the test above empties
    client = k.runtime.client
    real_post = client.post_transactions
    # the background sender (a round every 0.2 s) must not deliver the item while the kiosk waits, or
    # the answer is final before the wait runs out: it is held until the provisional result is seen
    hold = threading.Event()

    def slow_post(terminal_id: str, items: Any, timeout_s: float | None = None) -> Any:
        if timeout_s is not None:  # the "send now" request: the ledger does not answer in time
            time.sleep(timeout_s)
            raise errors.LedgerTimeout("no answer in time")
        hold.wait(30)
        return real_post(terminal_id, items)

    client.post_transactions = slow_post  # type: ignore[method-assign]
    waits = _record_waits(k)
    apply_for_retirement(k)
    receipt = k.window.screens["receipt"]  # the printing state screen may be in front
    assert waits == [1.0]
    assert not receipt._app.final
    assert "中心将确认" in receipt.provisional.text() and "初步结果" in receipt.provisional.text()
    assert receipt.title.text() == "您的申请已保存"
    hold.set()
    item = next(i for i in k.runtime.outbox.items() if i.kind == "withdrawal.apply")
    # the background sender takes it from here
    answered_states = ("acknowledged", "rejected")
    k.qtbot.wait_until(lambda: k.runtime.outbox.get(item.idempotency_key).state in answered_states, timeout=15_000)
    answered = k.runtime.outbox.get(item.idempotency_key)
    assert answered is not None and answered.ledger_id  # the centre answered it after the kiosk stopped waiting


def test_offline_an_id_card_alone_shows_the_account_but_asks_for_the_qr_code_to_apply(
        kiosk_devices: Kiosk, ledger: LedgerFixture) -> None:
    k = kiosk_devices
    member = _retired(ledger, card=False, loan=True)  # no co-branded card: the centre refuses the payout
    put_card(k, member)  # online once: the masked copy is cached on this terminal
    k.services.id_reader.emulator.remove()
    k.qtbot.wait_until(lambda: not k.window.ctx.session.active, timeout=10_000)
    k.go_offline()
    k.qtbot.wait_until(lambda: not k.window.sync.online, timeout=15_000)
    k.services.id_reader.emulator.present(card_of(member))
    k.wait_for("account")
    session = k.window.ctx.session
    assert session.method == "card" and not session.can_apply and session.ledger_session is None
    assert k.screen().stale.isVisible()
    # Offline the ledger cannot be asked for the department facts, so a preview would only list materials.
    # This test is about the proof, so the preview is given the retirement fact it saw while online.
    from domain.evidence import Department, RetirementFact, SharedData

    class _SeenOnline:
        def facts_for_withdrawal(self, _snapshot: Any, _type: Any, _token: Any = None) -> SharedData:
            return SharedData(retirement=RetirementFact(True, None, Department.HRSS))

    k.services.extras["shared_data"] = _SeenOnline()
    k.click(k.screen().more["withdraw"])
    k.click(k.screen().tiles[WithdrawalType.RETIREMENT])
    decision = k.screen()
    k.qtbot.wait_until(lambda: decision.decision is not None, timeout=10_000)
    assert "身份码" in decision.banner.text()  # says so before the member tries
    k.click(decision.confirm)
    assert "身份码" in decision.banner.text() and k.window.current == "withdraw_decision"
    assert not [i for i in k.runtime.outbox.items() if i.kind == "withdrawal.apply"]  # nothing queued
    token = fresh_token(member.member_id)
    k.services.scanner.present(token)
    k.qtbot.wait_until(lambda: session.can_apply, timeout=10_000)
    assert session.member_token == token
    k.click(decision.confirm)
    k.wait_for("receipt")
    assert "中心将确认" in k.screen().provisional.text()
    [item] = [i for i in k.runtime.outbox.items() if i.kind == "withdrawal.apply"]
    assert json.loads(item.payload)["proof"] == {"member_token": token}
    k.runtime.client.base_url = ledger.url  # back online: the centre checks the token, then decides
    k.qtbot.wait_until(lambda: k.runtime.outbox.get(item.idempotency_key).state in ("acknowledged", "rejected"),
                       timeout=20_000)
    answered = k.runtime.outbox.get(item.idempotency_key)
    assert answered is not None and answered.reason is not None
    assert answered.reason.code == "no_payout_card"  # the token was accepted: the rules, not the proof, refused


def test_taking_the_card_away_ends_the_ledger_session(kiosk_devices: Kiosk, ledger: LedgerFixture) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from ledger.models_sessions import MemberSession

    k = kiosk_devices
    put_card(k, ledger.members[20])
    session_id = k.window.ctx.session.ledger_session.session_id
    engine = create_engine(ledger.db_url)

    def ended() -> bool:
        with Session(engine) as s:
            row = s.get(MemberSession, session_id)
            return row is not None and row.ended_at is not None

    try:
        assert not ended()
        k.services.id_reader.emulator.remove()
        k.qtbot.wait_until(ended, timeout=10_000)
        assert k.window.ctx.session.ledger_session is None and not k.window.ctx.session.active
    finally:
        engine.dispose()
