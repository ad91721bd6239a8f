"""`demo = false` at the ledger: refuse to serve while a demo credential is configured.

Checks: active terminal keys that are the demo keys of seed-demo. Other trust work adds its own
checks to `CHECKS` (e.g. demo staff passwords once staff accounts live in the ledger).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from infra.production import DemoCredential
from ledger.config import LedgerConfig, demo_terminal_problems
from ledger.db import session_factory
from ledger.models_credentials import TerminalKey


def _terminal_keys(session: Session, config: LedgerConfig) -> list[DemoCredential]:
    rows = session.execute(select(TerminalKey.key_id, TerminalKey.terminal_id, TerminalKey.public_key)
                           .where(TerminalKey.status == "active")).all()
    return demo_terminal_problems([(r[0], r[1], r[2]) for r in rows])


CHECKS: list[Callable[[Session, LedgerConfig], list[DemoCredential]]] = [_terminal_keys]


def demo_credentials(engine: Engine, config: LedgerConfig) -> list[DemoCredential]:
    if config.demo:
        return []
    with session_factory(engine)() as session:
        return [problem for check in CHECKS for problem in check(session, config)]
