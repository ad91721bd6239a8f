"""`hpf-ledger serve --workers N --pool-size P`: worker processes and each one's PostgreSQL pool.

The ledger keeps no state in a process (nonces, keys and idempotency keys live in the database),
so N uvicorn worker processes share one listening socket and one database (`ledger.workers`).
Each process keeps a pool of P connections, one per request thread that may hold a transaction
at once, so a centre holds at most N x P (+ a small overflow) connections: keep that under
PostgreSQL's max_connections, or put PgBouncer (transaction pooling) in front for many processes.
The flags override `[server] workers` of ledger.toml for one run; SQLite ignores the pool.
Before the workers start, the parent creates their online board (`ledger.online`), so a backlog in one
worker gives way to an online request another worker is deciding.
"""

from __future__ import annotations

import argparse
from contextlib import AbstractContextManager
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from ledger.db import DEFAULT_POOL_SIZE
from ledger.online import board_directory

T = TypeVar("T")


def register(serve: argparse.ArgumentParser) -> None:
    serve.add_argument("--workers", type=int, default=None, metavar="N",
                       help="worker processes (default: [server] workers, 1); each has its own database pool")
    serve.add_argument("--pool-size", type=int, default=None, metavar="P",
                       help=f"PostgreSQL connections per worker process (default {DEFAULT_POOL_SIZE}); the centre "
                            "holds about workers x P")


def pool_size(args: argparse.Namespace) -> int:
    size = getattr(args, "pool_size", None)
    if size is None:
        return DEFAULT_POOL_SIZE
    if not 1 <= size <= 200:
        raise SystemExit(f"hpf-ledger serve: --pool-size {size}: must be between 1 and 200")
    return int(size)


def with_workers(args: argparse.Namespace, server: T) -> T:
    """The [server] section with --workers applied (the same bounds as the config file's)."""
    workers = getattr(args, "workers", None)
    if workers is None:
        return server
    if not 1 <= workers <= 64:
        raise SystemExit(f"hpf-ledger serve: --workers {workers}: must be between 1 and 64")
    return replace(server, workers=workers)  # type: ignore[type-var]


def online_board() -> AbstractContextManager[Path]:
    """The board the workers of one `serve` share (removed when the server stops)."""
    return board_directory()
