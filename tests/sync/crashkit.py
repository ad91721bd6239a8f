"""SIGKILL crash runs of a terminal process, cheap enough for hundreds of kill points.

A "zygote" process imports everything once, then for each kill point forks a child that opens
the terminal store, starts the sync engine against the ledger and enqueues transactions as fast
as a busy kiosk would, writing each idempotency key to the acknowledgement file only after
`enqueue` returned (the moment a receipt would be printed). The zygote SIGKILLs the child after
a random delay, so kills land in the middle of commits, batches in flight and result writes.
The delay runs from the fork, or (a line's third field "ack") from the child's first acknowledgement.

    python -m tests.sync.crashkit zygote STORE LEDGER_URL ACKS   (reads "seed delay_ms [ack]" lines)
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ledger.testing import demo_key_path

TERMINAL = "DEMO-KIOSK-01"
SECRET = str(demo_key_path("DEMO-KIOSK-01"))  # the demo kiosk's private key file
CHILD_MAX_S = 5.0


def terminal_cipher(store_path: Path) -> Any:
    """The terminal's key file beside its store (created by whichever process needs it first)."""
    from sync.crypto import Cipher, load_or_create_key

    return Cipher(load_or_create_key(store_path.with_name("terminal-cache.key")))


def _child(store_path: Path, ledger_url: str, acks_path: Path, seed: int, members: list[str],
           first_ack: int | None = None) -> None:
    from sync.client import LedgerClient
    from sync.engine import EngineSettings, SyncEngine
    from sync.outbox import Outbox
    from sync.store import open_store
    from tests.ledger.memberproof import qr_proof
    from tests.sync.helpers import rating, withdrawal

    rng = random.Random(seed)
    store = open_store(store_path)
    outbox = Outbox(store, TERMINAL, terminal_cipher(store_path))
    client = LedgerClient(ledger_url, TERMINAL, SECRET, timeout_s=5)
    engine = SyncEngine(outbox, client, lock_path=store_path.with_name(store_path.name + ".sender.lock"),
                        settings=EngineSettings(batch_size=rng.choice((1, 5, 20)), interval_s=0.01,
                                                backoff_base_s=0.01, backoff_max_s=0.05))
    engine.start()
    acks = os.open(acks_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    deadline = time.monotonic() + CHILD_MAX_S
    while time.monotonic() < deadline:
        if rng.random() < 0.6:
            amount, member = rng.randint(1, 300), rng.choice(members)
            receipt = outbox.enqueue("withdrawal.apply", withdrawal(amount, proof=qr_proof(member)),
                                     member_id=member)
        else:
            receipt = outbox.enqueue("rating", rating(rng.randint(1, 5)), member_id=rng.choice(members))
        os.write(acks, f"{receipt.idempotency_key}\n".encode())  # the "receipt is printed" moment
        if first_ack is not None:  # tell the zygote (it may time the kill from now)
            os.write(first_ack, b"!")
            os.close(first_ack)
            first_ack = None
        engine.wake()
        time.sleep(rng.random() * 0.004)
    os._exit(0)


def zygote(store_path: Path, ledger_url: str, acks_path: Path, members: list[str]) -> None:
    # Import the heavy modules once, before any fork; no threads or connections exist yet.
    import sync.crypto  # noqa: F401
    import sync.engine  # noqa: F401
    import sync.outbox  # noqa: F401
    import tests.sync.helpers  # noqa: F401

    for line in sys.stdin:
        seed_text, delay_text, *after = line.split()
        seed, delay_ms = int(seed_text), int(delay_text)
        first_ack, told = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(first_ack)
                _child(store_path, ledger_url, acks_path, seed, members, told)
            finally:
                os._exit(1)
        os.close(told)
        if after == ["ack"]:
            os.read(first_ack, 1)  # the child's first acknowledgement (or b"" if it ended before one)
        time.sleep(delay_ms / 1000)
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        os.close(first_ack)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        print(f"killed {_left_behind(store_path)}" if killed else f"exited {status}", flush=True)


def _left_behind(store_path: Path) -> str:
    """What the dead child left: e.g. "in_flight=20 pending=3" (kills mid-batch show in_flight)."""
    import sqlite3

    if not store_path.exists():
        return "store=none"
    with contextlib.closing(sqlite3.connect(store_path, timeout=30)) as raw:
        try:
            counts = dict(raw.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall())
        except sqlite3.OperationalError:  # killed before the first migration committed
            return "store=empty"
    return " ".join(f"{state}={counts.get(state, 0)}" for state in ("in_flight", "pending"))


@contextlib.contextmanager
def crash_zygote(store_path: Path, ledger_url: str, acks_path: Path, members: list[str]) -> Iterator[
        subprocess.Popen[str]]:
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-m", "tests.sync.crashkit", "zygote", str(store_path), ledger_url,
                             str(acks_path), ",".join(members)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=root, env=env)
    try:
        yield proc
    finally:
        if proc.stdin:
            proc.stdin.close()
        proc.wait(30)
        if proc.stdout:
            proc.stdout.close()


def run_kills(store_path: Path, ledger_url: str, acks_path: Path, members: list[str], kills: int,
              seed: int = 0, max_delay_ms: int = 250, *, min_acked: int = 0, min_mid_batch: int = 0) -> list[str]:
    """Run `kills` crash points, each a random delay after the child's fork; returns the zygote's
    report line for each.

    Then, while the children have acknowledged no more than `min_acked` items in all, or fewer than
    `min_mid_batch` kills left a batch in flight (a machine so loaded that the children barely got
    going before their kills), more crash points, each a random delay after the child's first
    acknowledgement: each adds at least one item, so `min_acked` is passed within `min_acked + 1`
    of them (`2 * (min_acked + 1)` at most in all). On a machine that is not overloaded the first
    `kills` are enough and nothing is added."""
    rng = random.Random(seed)
    reports: list[str] = []
    with crash_zygote(store_path, ledger_url, acks_path, members) as proc:
        assert proc.stdin is not None and proc.stdout is not None

        def kill(i: int, after: str = "") -> None:
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write(f"{seed * 100_000 + i} {rng.randint(5, max_delay_ms)}{after}\n")
            proc.stdin.flush()
            reports.append(proc.stdout.readline().strip())

        for i in range(kills):
            kill(i)
        extra = 2 * (min_acked + 1) if min_acked or min_mid_batch else 0
        for i in range(kills, kills + extra):
            if _acked(acks_path) > min_acked and len(mid_batch(reports)) >= min_mid_batch:
                break
            kill(i, " ack")
    return reports


def mid_batch(reports: list[str]) -> list[str]:
    """The kills that left items in flight: a batch was on the wire."""
    return [r for r in reports if "in_flight=" in r and "in_flight=0" not in r]


def _acked(acks_path: Path) -> int:
    return len(acks_path.read_bytes().split()) if acks_path.exists() else 0


@dataclass(frozen=True)
class CrashOutcome:
    acked: int  # keys printed to a person
    stored: int  # items in the terminal's outbox after the final drain
    lost: int  # acknowledged but not in the outbox
    unsent: int  # stored but not at the ledger
    phantom: int  # at the ledger but unknown to the terminal
    duplicated: int  # keys with more than one ledger record or approved withdrawal
    money_mismatch: int  # members whose balance change differs from their approved withdrawals

    @property
    def exactly_once(self) -> bool:
        return not (self.lost or self.unsent or self.phantom or self.duplicated or self.money_mismatch)


def drain_and_check(store_path: Path, ledger_url: str, db_url: str, acks_path: Path,
                    before: dict[str, int]) -> CrashOutcome:
    """Restart the terminal cleanly, drain what the dead processes left, compare with the ledger."""
    from sqlalchemy import create_engine

    from sync.client import LedgerClient
    from sync.engine import SyncEngine
    from sync.outbox import Outbox
    from sync.store import open_store
    from tests.sync.ledgerdb import facts

    store = open_store(store_path)
    outbox = Outbox(store, TERMINAL, terminal_cipher(store_path))
    engine = SyncEngine(outbox, LedgerClient(ledger_url, TERMINAL, SECRET, timeout_s=30),
                        lock_path=store_path.with_name(store_path.name + ".sender.lock"))
    engine.drain_until_empty(300)
    engine.stop()
    items = {i.idempotency_key: i for i in outbox.items()}
    store.close()
    db = create_engine(db_url)
    at_ledger = facts(db)
    db.dispose()
    acked = acks_path.read_text().split() if acks_path.exists() else []
    twice = {k for k, n in at_ledger.per_key.items() if n > 1} | {
        k for k, n in at_ledger.withdrawals_per_key.items() if n > 1}
    money = [m for m, b in before.items() if b - at_ledger.balances[m] != at_ledger.withdrawn_fen.get(m, 0)]
    return CrashOutcome(len(acked), len(items), len(set(acked) - set(items)), len(set(items) - set(at_ledger.per_key)),
                        len(set(at_ledger.per_key) - set(items)), len(twice) + len(acked) - len(set(acked)),
                        len(money))


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "zygote":
        zygote(Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4]), sys.argv[5].split(","))
    else:
        sys.exit(__doc__)
