"""Direct access to a ledger database for the proofs: seed it, and read what it holds."""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

DEMO_TERMINAL = "DEMO-KIOSK-01"
MEMBERS = 40


def seed_template(path: Path, members: int = MEMBERS) -> Path:
    from ledger.db import make_engine
    from ledger.seed import seed_demo

    engine = make_engine(f"sqlite:///{path}")
    seed_demo(engine, members=members)
    engine.dispose()  # the last close checkpoints the WAL, so copying the main file is enough
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@dataclass(frozen=True)
class LedgerFacts:
    per_key: Counter[str]  # idempotency key -> rows in `transactions`
    order: dict[str, list[str]]  # member -> keys in the order the ledger applied them
    status: dict[str, str]  # idempotency key -> accepted | rejected
    ledger_id: dict[str, str]
    withdrawals_per_key: Counter[str]  # approved withdrawal rows per key
    withdrawn_fen: dict[str, int]  # member -> sum of withdrawal rows written by our keys
    amount_fen: int  # sum of transactions.amount_fen of accepted rows
    balances: dict[str, int]  # member -> balance_fen


def facts(engine: Engine, terminal_id: str = DEMO_TERMINAL) -> LedgerFacts:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT idempotency_key, status, ledger_id, amount_fen, member_id FROM transactions "
                                 "WHERE terminal_id = :t ORDER BY id"), {"t": terminal_id}).all()
        withdrawals = conn.execute(text("SELECT idempotency_key, member_id, amount_fen FROM withdrawals "
                                        "WHERE idempotency_key IS NOT NULL AND status = 'approved'")).all()
        balances = {r[0]: r[1] for r in conn.execute(text("SELECT member_id, balance_fen FROM accounts"))}
    withdrawn: Counter[str] = Counter()
    for _key, member, amount in withdrawals:
        withdrawn[member] += amount
    order: dict[str, list[str]] = {}
    for r in rows:
        if r[4] is not None:
            order.setdefault(r[4], []).append(r[0])
    return LedgerFacts(
        per_key=Counter(r[0] for r in rows),
        order=order,
        status={r[0]: r[1] for r in rows},
        ledger_id={r[0]: r[2] for r in rows},
        withdrawals_per_key=Counter(w[0] for w in withdrawals),
        withdrawn_fen=dict(withdrawn),
        amount_fen=sum(r[3] for r in rows if r[1] == "accepted"),
        balances={str(k): int(v) for k, v in balances.items()},
    )


def members_with_balance(engine: Engine, minimum_fen: int) -> list[str]:
    """Members whose rent withdrawals the ledger can accept: usable account, enough money, no open loan, a
    co-branded card to pay to, and no home in the city (the demo registry of the exchange simulator agrees)."""
    with engine.connect() as conn:
        return [r[0] for r in conn.execute(text(
            "SELECT member_id FROM accounts WHERE status_code = '01' AND NOT frozen AND balance_fen >= :m "
            "AND member_id NOT IN (SELECT member_id FROM loans WHERE status != 'settled') "
            "AND member_id IN (SELECT member_id FROM members WHERE cobranded_card != '' AND NOT owns_home_in_city) "
            "ORDER BY member_id"),
            {"m": minimum_fen})]
