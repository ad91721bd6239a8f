"""The terminal's outbox and sync engine, each against the fastest thing doing the same job.

1. Durable enqueue (`Outbox.enqueue`: payload sealed with AES-GCM, outbox item + business row,
   one WAL/FULL commit) against a raw sqlite3 `INSERT` of the same two rows (plaintext) +
   `COMMIT` with the same pragmas, same disk, interleaved in blocks.
2. Draining N queued transactions (half rent withdrawals the ledger re-decides, the rest
   ratings, queue tickets and device reports) through the real ledger server over HTTP, in
   signed batches of 200, against the ledger's own bulk insert of the same rows (no HTTP, no
   rule checks, one DB transaction) — on SQLite, then on a throwaway PostgreSQL.
3. The crash run: SIGKILL a terminal process at many random points while it enqueues and syncs,
   then count acknowledged transactions lost or applied twice (must be 0).
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.harness import Result
from ledger.testing import demo_key_path
from sync.client import LedgerClient
from sync.crypto import Cipher, load_or_create_key
from sync.engine import EngineSettings, SyncEngine
from sync.outbox import REJECTED, Outbox
from sync.store import PRAGMAS, open_store, utc_now

TERMINAL = "DEMO-KIOSK-01"
SECRET = str(demo_key_path(TERMINAL))  # the demo kiosk's private key


@contextmanager
def _scratch() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="hpf-bench-sync-"))  # the system temp dir: a real disk here
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _enqueue(quick: bool) -> Result:
    """Subject and baseline alternate in blocks, so a load change on the machine hits both alike."""
    n, blocks = (200, 4) if quick else (2000, 10)
    from tests.sync.helpers import withdrawal

    with _scratch() as d:
        store = open_store(d / "outbox.db")
        outbox = Outbox(store, TERMINAL, Cipher(load_or_create_key(d / "terminal.key")))  # as SyncRuntime builds it
        raw_store = open_store(d / "raw.db")  # same schema, written by hand
        raw_store.close()
        raw = sqlite3.connect(d / "raw.db", isolation_level=None)
        for pragma in PRAGMAS:
            raw.execute(pragma)
        payload = json.dumps({**withdrawal(), "application_no": "DEMO-KIOSK-01-20261127-000001"},
                             ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        subject = baseline = 0.0
        seq = 0
        for _ in range(blocks):
            t0 = time.perf_counter()
            for _ in range(n // blocks):
                outbox.enqueue("withdrawal.apply", withdrawal(), member_id="100200300")
            subject += time.perf_counter() - t0
            t0 = time.perf_counter()
            for _ in range(n // blocks):  # the same two rows enqueue writes, by hand
                seq += 1
                now = utc_now()
                raw.execute("BEGIN IMMEDIATE")
                raw.execute("INSERT INTO outbox(seq, idempotency_key, kind, member_id, created_at, payload, state, "
                            "attempts) VALUES (?, ?, 'withdrawal.apply', '100200300', ?, ?, 'pending', 0)",
                            (seq, str(uuid.uuid4()), now, payload))
                raw.execute("INSERT INTO applications(outbox_seq, application_no, kind, member_id, amount_fen, "
                            "created_at) VALUES (?, ?, 'withdrawal.apply', '100200300', 123, ?)",
                            (seq, f"{TERMINAL}-20261127-{seq:06d}", now))
                raw.execute("COMMIT")
            baseline += time.perf_counter() - t0
        raw.close()
        store.close()
    return Result("sync", "durable enqueue (item + business row, payload sealed, WAL, synchronous=FULL)",
                  subject / n * 1000,
                  "raw sqlite3 INSERT (same 2 rows) + COMMIT, same pragmas", baseline / n * 1000, "ms",
                  notes=f"{n} of each, interleaved in {blocks} blocks; mean per enqueue", target_max=1.5)


def _warm_exchange_cache(ledger_url: str, members: list[str]) -> None:
    """The members' department facts fetched by the ledger before the drain: a counter previews each member's
    rent withdrawal (POST /v1/members/{id}/facts), which makes the ledger ask the exchange and keep the answers
    as its cache, as a member's preview at a terminal does before the application is queued."""
    from ledger.testing import SignedClient
    from tests.sync.helpers import AUTHORISED

    counter = SignedClient(ledger_url, "DEMO-COUNTER-01")
    for member in members:
        response = counter.post(f"/v1/members/{member}/facts", {"withdrawal_type": "rent", "authorisation": AUTHORISED})
        response.raise_for_status()
        if response.json()["unavailable"]:
            raise RuntimeError(f"the exchange did not answer the warm-up for {member}: {response.json()}")


def _exchange_calls(db_url: str) -> int:
    """Look-ups the ledger really sent to the exchange (not answered from its cache) so far."""
    from sqlalchemy import create_engine, text

    db = create_engine(db_url)
    with db.connect() as conn:
        calls = int(conn.execute(text("SELECT count(*) FROM exchange_lookups WHERE NOT from_cache")).scalar_one())
    db.dispose()
    return calls


def _drain_against(db_url: str, fresh_db: Callable[[], str], d: Path, n: int, label: str, *,
                   warm: bool = True) -> Result:
    from sqlalchemy import create_engine

    from exchange.testing import ExchangeThread
    from ledger.bulk import bulk_insert_items
    from ledger.testing import LedgerProcess
    from tests.sync.helpers import enqueue_mix
    from tests.sync.ledgerdb import members_with_balance

    db = create_engine(db_url)
    members = members_with_balance(db, 100_000)
    db.dispose()
    tag = f"{label}-{'warm' if warm else 'cold'}"
    store = open_store(d / f"drain-{tag}.db")
    outbox = Outbox(store, TERMINAL)
    enqueue_mix(outbox, members, n, random.Random(42), max_fen=300)
    wire = [i.wire() for i in outbox.items()]
    # the ledger fetches each withdrawal's facts from the exchange simulator (cached per member and topic)
    with ExchangeThread() as exchange, \
            LedgerProcess(db_url, log_path=d / f"ledger-{tag}.log", exchange_url=exchange.url) as ledger:
        if warm:
            _warm_exchange_cache(ledger.url, members)
        calls_before = _exchange_calls(db_url)
        engine = SyncEngine(outbox, LedgerClient(ledger.url, TERMINAL, SECRET, timeout_s=120),
                            lock_path=d / f"drain-{tag}.lock", settings=EngineSettings(batch_size=200))
        t0 = time.perf_counter()
        drained = engine.drain_until_empty(3600)
        subject = time.perf_counter() - t0
        engine.stop()
        calls = _exchange_calls(db_url) - calls_before
    counts = outbox.counts()
    reasons = Counter(i.reason.code for i in outbox.items(REJECTED) if i.reason)
    store.close()
    if not drained:
        raise RuntimeError(f"drain into {label} did not finish: {counts}")
    bulk = create_engine(fresh_db())
    t0 = time.perf_counter()
    bulk_insert_items(bulk, TERMINAL, wire)
    baseline = time.perf_counter() - t0
    bulk.dispose()
    cache = ("exchange cache warm (the ledger fetched these members' facts for a counter's preview just "
             "before)" if warm else "exchange cache cold (the ledger asks the exchange for each member's first "
             "withdrawal)")
    return Result("sync", f"drain {n} queued transactions to the ledger ({label}{'' if warm else ', cold cache'})",
                  subject, "ledger bulk insert of the same rows (no HTTP, no rules)", baseline, "s",
                  notes=f"{n / subject:.0f} tx/s; {counts.acknowledged} accepted, {counts.rejected} rejected "
                        f"by the ledger's re-check ({', '.join(f'{c} {k}' for k, c in reasons.most_common(3))}); "
                        f"batches of 200; {cache}: {calls} exchange calls during the drain",
                  target_max=10 if warm else None)


def _drains(quick: bool) -> list[Result]:
    from ledger.db import make_engine
    from ledger.seed import seed_demo
    from tests.sync.ledgerdb import seed_template

    n = 1000 if quick else 10_000
    results = []
    with _scratch() as d:
        template = seed_template(d / "template.db")
        copies = iter(range(1_000_000))

        def sqlite_copy() -> str:
            path = d / f"ledger-{next(copies)}.db"
            shutil.copyfile(template, path)
            return f"sqlite:///{path}"

        results.append(_drain_against(sqlite_copy(), sqlite_copy, d, n, "SQLite"))
        results.append(_drain_against(sqlite_copy(), sqlite_copy, d, n, "SQLite", warm=False))
        results.append(_postgres_drain(d, n, make_engine, seed_demo))
    return results


def _postgres_drain(d: Path, n: int, make_engine: Any, seed_demo: Any) -> Result:
    from tests.ledger.pg import seeded_databases, throwaway_postgres, unavailable_reason
    from tests.sync.ledgerdb import MEMBERS

    reason = unavailable_reason()
    if reason:
        return Result("sync", f"drain {n} queued transactions to the ledger (PostgreSQL)", 0.0,
                      "ledger bulk insert of the same rows", 0.0, "s", notes=f"skipped: {reason}", target_max=10)
    with throwaway_postgres() as cluster:
        fresh = seeded_databases(cluster, "bench", MEMBERS)
        result = _drain_against(fresh(), fresh, d, n, "PostgreSQL")
    result.notes += "; test cluster runs with fsync=off"
    return result


def _crash(quick: bool) -> Result:
    from sqlalchemy import create_engine

    from exchange.testing import ExchangeThread
    from ledger.testing import LedgerProcess
    from tests.sync.crashkit import drain_and_check, run_kills
    from tests.sync.ledgerdb import facts, members_with_balance, seed_template

    kills = 100 if quick else 1000
    with _scratch() as d:
        db_url = f"sqlite:///{seed_template(d / 'ledger.db')}"
        db = create_engine(db_url)
        members, before = members_with_balance(db, 100_000), facts(db).balances
        db.dispose()
        with ExchangeThread() as exchange, \
                LedgerProcess(db_url, log_path=d / "ledger.log", exchange_url=exchange.url) as ledger:
            t0 = time.perf_counter()
            reports = run_kills(d / "terminal.db", ledger.url, d / "acks.txt", members, kills, seed=11)
            outcome = drain_and_check(d / "terminal.db", ledger.url, db_url, d / "acks.txt", before)
            elapsed = time.perf_counter() - t0
    mid_batch = sum("in_flight=" in r and "in_flight=0" not in r for r in reports)
    bad = outcome.lost + outcome.unsent + outcome.phantom + outcome.duplicated + outcome.money_mismatch
    return Result("sync", f"acknowledged transactions lost or applied twice after {kills} SIGKILLs", float(bad),
                  "transactions acknowledged to a person", float(outcome.acked), "tx",
                  notes=f"{sum(r.startswith('killed') for r in reports)} kills, {mid_batch} with a batch in flight; "
                        f"{elapsed:.0f} s")


def run(quick: bool) -> list[Result]:
    return [_enqueue(quick), *_drains(quick), _crash(quick)]
