"""Several ledger worker processes (`[server] workers = N`): uvicorn starts each from this factory.

The parent has checked the configuration and production mode; it passes what a worker needs in
the environment (`HPF_LEDGER_WORKER`: JSON of the database URL, the rule settings and the online board).
Workers share nothing but the database, which holds nonces, keys and idempotency keys, and the online
board (`ledger.online`): which worker is deciding an online request, so the others' drains give way.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from pathlib import Path

from fastapi import FastAPI

from ledger.settings import LedgerSettings

ENV = "HPF_LEDGER_WORKER"


def environment(db_url: str | None, settings: LedgerSettings, token_keys: str = "",
                online_board: Path | None = None) -> dict[str, str]:
    return {ENV: json.dumps({"db": db_url, "settings": asdict(settings), "token_keys": token_keys,
                             "online_board": str(online_board) if online_board else ""})}


def app() -> FastAPI:
    from ledger import sessions
    from ledger.app import create_app
    from ledger.exchange.settings import ExchangeSettings

    spec = json.loads(os.environ[ENV])
    raw = dict(spec["settings"])
    raw["exchange"] = ExchangeSettings(**raw["exchange"])  # asdict flattened the nested settings
    if spec.get("token_keys"):
        sessions.use_token_key_file(Path(spec["token_keys"]))
    if spec.get("online_board"):  # online requests seen by every worker (ledger.online)
        from ledger.online import ONLINE

        ONLINE.attach(Path(spec["online_board"]))
    return create_app(spec["db"], settings=LedgerSettings(**raw))
