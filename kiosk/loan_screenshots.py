"""The loan application's kiosk screenshots (called from `kiosk.screenshots`): the application started
from the pre-check with its one-time notice, the started application (married: the spouse comes too),
and "my loan" of a newly disbursed loan (the plan from period 1, the next due date).

Fictitious sample data only (`kiosk.sample`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from domain.account import LoanStatus
from domain.calculator import RepaymentMethod, repayment_schedule
from kiosk.loan_applying import PrecheckFacts, load_policy
from kiosk.sample import sample_snapshot

SAMPLE_FACTS = PrecheckFacts(Decimal("1000000"), "first", "commercial", Decimal("600000.00"))


def new_loan_snapshot(source: str = "ledger") -> Any:
    """The sample member the day after the payout of a 30-year loan of ¥600,000 at 2.85 %."""
    snap = sample_snapshot(source)
    amount, rate = Decimal("600000.00"), Decimal("2.85")
    first = repayment_schedule(amount, rate, 360, RepaymentMethod.EQUAL_INSTALLMENT)[0]
    loan = replace(snap.loan, contract_no="JK2026-1127-0001", amount=amount, balance=amount, term_months=360,
                   rate_percent=rate, method_code="10", disbursed_on=date(2026, 11, 27),
                   maturity_on=date(2056, 11, 27), repayment_day=27, status=LoanStatus.NORMAL,
                   due_principal=first.principal, due_interest=first.interest, periods_paid=0, periods_left=360,
                   next_due_on=date(2026, 12, 27))
    return replace(snap, loan=loan)


def loan_scenes(app: Any, window: Any, out: Path, language: str, mode: str, settle: Any, save: Any,
                sample_member: Any) -> list[Path]:
    written: list[Path] = []
    window.wipe_session("screenshot", keep_preferences=True)
    sample_member(window)
    window.ctx.session.snapshot = replace(window.ctx.session.snapshot, loan=None)  # no loan yet: may apply
    window.go("precheck")
    settle(app, window)
    written.append(out / f"precheck-apply_{language}_{mode}.png")
    save(window, written[-1])
    window.go("loan_apply", facts=SAMPLE_FACTS)
    settle(app, window)
    written.append(out / f"loan_apply_{language}_{mode}.png")
    save(window, written[-1])
    screen = window.screens["loan_apply"]
    screen.keypad.press("1")
    policy = load_policy("taiyuan")
    if policy is not None:
        from types import SimpleNamespace

        from domain.loan_application import loan_notice

        notice = loan_notice(policy, notice_no="N-20261127-0001", married=True, down_payment_on_record=True,
                             supplied_topics={m.topic for m in policy.materials if m.topic})
        screen._started(SimpleNamespace(application_id="LA-20261127-0001", notice=notice,
                                        spouse=SimpleNamespace(required=True)))
    settle(app, window)
    written.append(out / f"loan-apply-started_{language}_{mode}.png")
    save(window, written[-1])
    window.wipe_session("screenshot", keep_preferences=True)
    sample_member(window)
    window.ctx.session.snapshot = new_loan_snapshot()
    window.go("loan")
    settle(app, window)
    written.append(out / f"loan-new_{language}_{mode}.png")
    save(window, written[-1])
    window.wipe_session("screenshot", keep_preferences=True)
    return written
