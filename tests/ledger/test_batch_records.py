"""The one-pass apply's per-request shortcuts give what the item-by-item path builds (ledger.batch, domain)."""

from __future__ import annotations

from datetime import date

import pytest

from domain import transactions as tx
from domain.transactions import TransactionError
from domain.withdrawals import WithdrawalType
from ledger.batch import _Deposited, _known_deposit
from ledger.snapshot import deposit_record


@pytest.mark.parametrize("kind", ["regular", "back_pay"])
def test_a_deposit_record_is_built_once_and_is_the_rows_own(kind: str) -> None:
    row = _Deposited(date(2026, 11, 5), kind, 123_45, "2026-11")
    first = _known_deposit(tuple(row))
    assert first == deposit_record(row)
    assert _known_deposit(tuple(row)) is first, "built once for every request that reads the row"
    other = _known_deposit((date(2026, 11, 5), kind, 123_46, "2026-11"))
    assert other != first and other.amount != first.amount


def test_every_withdrawal_type_parses_and_an_unknown_one_is_refused() -> None:
    base = {"amount_fen": 100, "application_no": "A-1", "channel": "kiosk"}
    for t in WithdrawalType:
        parsed = tx.parse_payload("withdrawal.apply", {**base, "withdrawal_type": t.value})
        assert isinstance(parsed, tx.WithdrawalApply) and parsed.withdrawal_type is t
    with pytest.raises(TransactionError) as refused:
        tx.parse_payload("withdrawal.apply", {**base, "withdrawal_type": "holiday"})
    assert refused.value.code.startswith("bad") or "withdrawal_type" in str(refused.value.as_reason())
