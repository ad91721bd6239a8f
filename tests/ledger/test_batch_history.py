"""The batch apply reads a member's rent history as totals (ledger.batch._history): the same answers as item by
item, which reads every withdrawal, and a read that does not grow with the rent rows."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from domain.account import WithdrawalStatus
from ledger import batch
from ledger.db import make_engine, session_factory
from ledger.exchange.source import CentreEvidence
from ledger.models import Account, Withdrawal
from ledger.settings import CENTRE_TZ
from ledger.snapshot import build_snapshot
from tests.ledger.items import clean_members, rent
from tests.ledger.test_batch_apply import _shape, both_ways

NOW = datetime.now(UTC)
YEAR = NOW.astimezone(CENTRE_TZ).year


def _row(account: Account, n: int, *, subtype: str = "rent", code: str = "07", status: str = "approved",
         at: datetime, fen: int = 1000, property_id: str = "") -> Withdrawal:
    return Withdrawal(member_id=account.member_id, account_no=account.account_no, reason_code=code, subtype=subtype,
                      property_id=property_id, amount_fen=fen, status=status,
                      application_no=f"H-{account.member_id}-{n}", channel="counter", payout_card="", applied_at=at)


def _histories(sessions: sessionmaker[Session], members: list[str]) -> None:
    """Four members, four histories: many rent rows of this year (near the cap); one rent in flight; last year's
    rent and a refused one; rent beside a purchase on a property, with a cancelled row the newest of all."""
    start = datetime(YEAR, 1, 1, 12, tzinfo=CENTRE_TZ).astimezone(UTC)
    with sessions.begin() as session:
        accounts = {a.member_id: a for a in session.scalars(select(Account).where(Account.member_id.in_(members)))}
        heavy, in_flight, old, buyer = (accounts[m] for m in members)
        span = max((NOW - start).total_seconds(), 3600.0)
        session.add_all(_row(heavy, n, at=start + timedelta(seconds=span * n / 120), fen=20_000) for n in range(120))
        session.add_all(_row(in_flight, n, at=start + timedelta(seconds=n)) for n in range(5))
        session.add(_row(in_flight, 9, status="pending", at=start + timedelta(seconds=60)))
        session.add_all(_row(old, n, at=start - timedelta(days=30 + n), fen=500_000) for n in range(4))
        session.add(_row(old, 9, status="rejected", at=start + timedelta(seconds=5), fen=9_999_999))
        session.add_all(_row(buyer, n, at=start + timedelta(seconds=n)) for n in range(6))
        session.add(_row(buyer, 7, subtype="purchase_certificate_new", code="01", at=start - timedelta(days=400),
                         property_id="P-1"))
        session.add(_row(buyer, 8, status="cancelled", at=start + timedelta(seconds=90)))


@pytest.mark.parametrize("screening", [False, True])
def test_the_totals_decide_as_every_row_does(seeded_template: Path, tmp_path: Path, evidence: CentreEvidence,
                                             screening: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Members with long and odd histories: the batch apply (totals + the rows the rules read one by one) and
    item by item (every row) give the same answers, balances and rows, refusals included (a cap used up by
    the history and by the request's earlier items, a rent application in flight)."""
    engines: list[Engine] = []
    for name in ("fast", "slow"):
        shutil.copyfile(seeded_template, tmp_path / f"{name}.db")
        engines.append(make_engine(f"sqlite:///{tmp_path / name}.db"))
    fast, slow = (session_factory(e) for e in engines)
    members = [m.member_id for m in clean_members(fast, limit=4)]
    assert len(members) == 4
    for sessions in (fast, slow):
        _histories(sessions, members)
    wire = [rent(members[i % 4], 100_000 + i) for i in range(16)] + [rent(m, None) for m in members]
    answers_fast, answers_slow = both_ways(monkeypatch, evidence, fast, slow, wire, screening)
    assert _shape(answers_fast) == _shape(answers_slow)
    outcomes = {(a["status"], (a["reason"] or {}).get("code")) for a in answers_fast}
    assert ("accepted", None) in outcomes and ("rejected", "withdrawal_rejected") in outcomes, outcomes
    with fast() as f, slow() as s:
        rows = select(Withdrawal.member_id, Withdrawal.amount_fen, Withdrawal.status).order_by(Withdrawal.id)
        assert f.execute(rows).all() == s.execute(rows).all()
        balances = select(Account.member_id, Account.balance_fen).order_by(Account.member_id)
        assert f.execute(balances).all() == s.execute(balances).all()
    for e in engines:
        e.dispose()


def test_the_history_read_is_totals_and_a_few_rows(sessions: sessionmaker[Session]) -> None:
    """However many rent rows a member has, the batch apply reads the same few one by one (the newest, the one
    in flight, the purchase) and this year's totals exactly as the rows add up; the snapshot item by item
    still holds every row."""
    members = [m.member_id for m in clean_members(sessions, limit=4)]
    _histories(sessions, members)
    heavy, in_flight, old, buyer = members
    with sessions() as session:
        facts = batch._Facts(year=YEAR, years=frozenset({YEAR, YEAR - 1}))
        batch._history(session, facts, members, "taiyuan")
        every = {m: build_snapshot(session, m, now=NOW).withdrawals for m in members}
    for member in members:
        read = facts.withdrawals.get(member, [])
        for year in (YEAR, YEAR - 1):
            expected: dict[str, int] = {}
            for w in every[member]:
                if w.counts and w.on.year == year:
                    expected[w.subtype] = expected.get(w.subtype, 0) + int(w.amount * 100)
            assert facts.totals.get(member, {}).get(year, {}) == expected, (member, year)
        assert read and read[0].applied_at == max(w.applied_at for w in read), "newest first"
        approved_rent = [r for r in read if r.application_no.startswith("H-") and r.subtype == "rent"
                         and r.status == "approved"]
        assert len(approved_rent) <= 1, (member, approved_rent)  # at most the newest: the rest is in the totals
        assert len(read) <= 3 + _seeded(every[member]), (member, [tuple(r) for r in read])
    assert len(every[heavy]) == 120 + _seeded(every[heavy])
    newest_rent = max(w.on for w in every[heavy] if w.subtype == "rent" and w.counts)
    assert any(r.applied_at.astimezone(CENTRE_TZ).date() == newest_rent for r in facts.withdrawals[heavy])
    assert any(r.status == "pending" for r in facts.withdrawals[in_flight]), "the one in flight is read"
    assert {r.subtype for r in facts.withdrawals[buyer]} >= {"purchase_certificate_new", "rent"}
    assert facts.withdrawals[buyer][0].status == "cancelled", "the newest of all (the last business date)"


def _seeded(records: Any) -> int:
    """Withdrawals the demo seed gave the member (not written by `_histories`)."""
    return sum(1 for w in records if not w.application_no.startswith("H-"))


def test_a_counting_status_is_what_the_totals_count() -> None:
    """The totals count what the domain counts (in flight, approved, paid): the two lists must agree."""
    from ledger.snapshot import _COUNTED, _WITHDRAWAL_STATUS

    counting = {WithdrawalStatus.PENDING, WithdrawalStatus.APPROVED, WithdrawalStatus.PAID}
    assert {s for s, domain in _WITHDRAWAL_STATUS.items() if domain in counting} == set(_COUNTED)
