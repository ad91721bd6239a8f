"""A whole terminal process for the multi-process tests: enqueue, sync, report.

    python -m tests.sync.terminal_proc STORE LEDGER_URL N HOLD_S

Enqueues N ratings (printing each key), waits until the shared store has nothing unsent,
prints "sender=True|False" (whether this process held the terminal's sender lock then),
keeps running HOLD_S seconds so the other process is still alive, then stops cleanly.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sync.client import LedgerClient
from sync.engine import EngineSettings, SyncEngine
from sync.outbox import Outbox
from sync.store import open_store
from tests.sync.crashkit import SECRET, TERMINAL, terminal_cipher
from tests.sync.helpers import rating


def main(store_path: Path, ledger_url: str, n: int, hold_s: float) -> int:
    store = open_store(store_path)
    outbox = Outbox(store, TERMINAL, terminal_cipher(store_path))  # both processes race to create the key
    engine = SyncEngine(outbox, LedgerClient(ledger_url, TERMINAL, SECRET, timeout_s=10),
                        lock_path=store_path.with_name(store_path.name + ".sender.lock"),
                        settings=EngineSettings(batch_size=10, interval_s=0.02))
    engine.start()
    for i in range(n):
        print(outbox.enqueue("rating", rating(1 + i % 5)).idempotency_key, flush=True)
        engine.wake()
    deadline = time.monotonic() + 60
    while outbox.counts().unsent and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.1)
    print(f"sender={engine.status.sender}", flush=True)
    time.sleep(hold_s)
    engine.stop()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])))
