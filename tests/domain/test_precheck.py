from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from domain.account import DepositKind, DepositRecord
from domain.precheck import borrower_from_snapshot, deposit_months
from kiosk.sample import sample_snapshot


def test_consecutive_months_stop_at_the_first_gap() -> None:
    snap = sample_snapshot()  # 2026-04 .. 2026-11 paid, paid up to 2026-11
    assert deposit_months(snap) == (8, 8)
    gap = replace(snap, deposits=tuple(d for d in snap.deposits if d.month != "2026-09"))
    assert deposit_months(gap) == (2, 7)


def test_interest_and_withdrawals_are_not_deposit_months() -> None:
    snap = sample_snapshot()
    extra = DepositRecord(date(2026, 6, 30), DepositKind.INTEREST, Decimal("900.00"), "结息", "2025-12")
    assert deposit_months(replace(snap, deposits=(*snap.deposits, extra))) == (8, 8)


def test_the_borrower_carries_the_open_loan_and_balance() -> None:
    b = borrower_from_snapshot(sample_snapshot())
    assert b.open_hpf_loan and b.previous_hpf_loans == 1
    assert b.account_balance.fen == 8642357
    assert b.monthly_income.fen == 860000
