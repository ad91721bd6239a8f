"""Several ledger worker processes (`[server] workers = N`): uvicorn starts each from this factory.

The parent has checked the configuration and production mode; it passes what a worker needs in
the environment (`HPF_LEDGER_WORKER`: JSON of the database URL, the rule settings, the online board and the
log level). Each worker sets up the `hpf` loggers as the single-process server does (plain lines on the console)
and, once its app is built, moves what lives as long as the process out of the cyclic collector's way.
Workers share nothing but the database, which holds nonces, keys and idempotency keys, and the online
board (`ledger.online`): which worker is deciding an online request, so the others' drains give way.
"""

from __future__ import annotations

import gc
import json
import os
from dataclasses import asdict
from pathlib import Path

from fastapi import FastAPI

from ledger.settings import LedgerSettings

ENV = "HPF_LEDGER_WORKER"


def environment(db_url: str | None, settings: LedgerSettings, token_keys: str = "",
                online_board: Path | None = None, log_level: str = "INFO") -> dict[str, str]:
    return {ENV: json.dumps({"db": db_url, "settings": asdict(settings), "token_keys": token_keys,
                             "online_board": str(online_board) if online_board else "", "log_level": log_level})}


def app() -> FastAPI:
    from infra.logs import setup_logging
    from ledger import sessions
    from ledger.app import create_app
    from ledger.exchange.settings import ExchangeSettings

    spec = json.loads(os.environ[ENV])
    setup_logging(spec.get("log_level") or "INFO", to_file=False)
    raw = dict(spec["settings"])
    raw["exchange"] = ExchangeSettings(**raw["exchange"])  # asdict flattened the nested settings
    if spec.get("token_keys"):
        sessions.use_token_key_file(Path(spec["token_keys"]))
    if spec.get("online_board"):  # online requests seen by every worker (ledger.online)
        from ledger.online import ONLINE

        ONLINE.attach(Path(spec["online_board"]))
    app = create_app(spec["db"], settings=LedgerSettings(**raw))
    gc.collect()  # as the single-process server (ledger.cli): the cyclic collector's passes during a drain
    gc.freeze()  # then walk only what requests allocate
    return app
