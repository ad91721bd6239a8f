"""`hpf-sync`: the terminal's outbox from the command line (technicians, packaging scripts).

    hpf-sync status [--config FILE] [--json]          what waits in the outbox; exit 0 when nothing
                                                       is unsent, 3 when transactions still wait
    hpf-sync send   [--config FILE] [--timeout S]     deliver them now to the configured ledger
                                                       (as the terminal's one sender); exit 0 when
                                                       all went, 1 when some still wait (status says why)

The Debian package's purge runs `hpf-sync status` and refuses to delete the data directory while
transactions wait (exit 3), unless forced. Items for a clerk (refused by the ledger) are counted
but do not block: they live on at the centre as cases.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from infra.cli import base_parser, config_or_exit
from infra.logs import setup_logging

EXIT_OK, EXIT_UNSENT_REMAIN, EXIT_USAGE, EXIT_WAITING = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = base_parser("hpf-sync", "the terminal's outbox: what waits, and sending it now")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (("status", "count what waits in the outbox"), ("send", "deliver the outbox now")):
        p = sub.add_parser(name, help=text)
        p.add_argument("--json", action="store_true", help="one JSON object on stdout")
        p.add_argument("--config", type=Path, metavar="PATH", default=argparse.SUPPRESS,
                       help="terminal configuration file (TOML)")
    sub.choices["send"].add_argument("--timeout", type=float, default=60.0, metavar="S",
                                     help="give up after S seconds (default 60)")
    return parser


def _emit(args: argparse.Namespace, data: dict[str, Any], text: str) -> None:
    print(json.dumps(data, ensure_ascii=False) if args.json else text)


def _status(args: argparse.Namespace, store_path: Path, terminal_id: str) -> int:
    if not store_path.exists():
        _emit(args, {"store": str(store_path), "unsent": 0, "for_clerk": 0, "exists": False},
              f"{store_path}: no local store; nothing waits / 本机没有待上传业务")
        return EXIT_OK
    from sync.outbox import Outbox
    from sync.store import open_store

    store = open_store(store_path)
    try:
        outbox = Outbox(store, terminal_id)
        counts = outbox.counts()
        clerk = outbox.clerk_count()
    finally:
        store.close()
    data = {"store": str(store_path), "exists": True, "unsent": counts.unsent, "for_clerk": clerk,
            "oldest_unsent_at": counts.oldest_pending_at}
    if counts.unsent:
        _emit(args, data, f"{counts.unsent} 笔业务尚未上传 / {counts.unsent} transaction(s) not yet at the centre "
                          f"(oldest {counts.oldest_pending_at}); {clerk} for a clerk")
        return EXIT_WAITING
    _emit(args, data, f"全部业务已上传 / everything is at the centre; {clerk} for a clerk")
    return EXIT_OK


def _send(args: argparse.Namespace, config: Any) -> int:
    from sync.runtime import SyncRuntime

    runtime = SyncRuntime.from_config(config)
    try:
        done = runtime.engine.drain_until_empty(args.timeout)
        status = runtime.status
    finally:
        runtime.stop()
    data = {**status.as_dict(), "all_sent": done}
    zh, en = status.text
    text = (f"全部业务已上传 / everything is at the centre ({status.for_clerk} for a clerk)" if done else
            f"{status.unsent} 笔仍未上传 / {status.unsent} still waiting: {zh} / {en}"
            + (f" ({status.last_error_zh} / {status.last_error_en})" if status.last_error_en else ""))
    _emit(args, data, text)
    return EXIT_OK if done else EXIT_UNSENT_REMAIN


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    config = config_or_exit(args)
    setup_logging("WARNING", to_file=False)
    from sync.store import StoreError

    try:
        if args.command == "status":
            return _status(args, config.store_path(), config.terminal.id)
        return _send(args, config)
    except StoreError as exc:
        print(f"{StoreError.zh} / {StoreError.en}\n{exc}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    raise SystemExit(main())
