"""`demo = false` at the ledger: refuse to serve while a demo credential is configured.

Checks: active terminal keys that are the demo keys of seed-demo; the demo QR token key among
`[keys] member_token_keys`. Other trust work adds its own
checks to `CHECKS` (e.g. demo staff passwords once staff accounts live in the ledger).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from infra.production import DemoCredential, qr_key_problems
from ledger.config import LedgerConfig, demo_terminal_problems
from ledger.db import session_factory
from ledger.models_credentials import TerminalKey


def _terminal_keys(session: Session, config: LedgerConfig) -> list[DemoCredential]:
    rows = session.execute(select(TerminalKey.key_id, TerminalKey.terminal_id, TerminalKey.public_key)
                           .where(TerminalKey.status == "active")).all()
    return demo_terminal_problems([(r[0], r[1], r[2]) for r in rows])


def _qr_keys(_session: Session, config: LedgerConfig) -> list[DemoCredential]:
    from pathlib import Path

    from domain.member_token import load_public_keys
    from protocol.signing import public_key_text

    path = config.keys.member_token_keys
    try:
        keys = load_public_keys(Path(path) if path else None)
    except (OSError, ValueError):
        return []
    return qr_key_problems([(kid, public_key_text(k.key)) for kid, k in keys.items()],
                           option="keys.member_token_keys")


def _exchange_key(_session: Session, config: LedgerConfig) -> list[DemoCredential]:
    from ledger.exchange.settings import ExchangeSettings

    if ExchangeSettings(public_key=config.exchange.public_key or ExchangeSettings().public_key).uses_demo_key:
        return [DemoCredential("exchange.public_key", "the exchange simulator's demo key is trusted for "
                               "department facts", "部门数据仍信任交换平台模拟器的演示密钥")]
    return []


def _staff_and_audit(session: Session, config: LedgerConfig) -> list[DemoCredential]:
    from ledger import staff

    problems = []
    for text in staff.production_problems(session, config.keys.audit_signing_key):
        key, _, rest = text.partition(": ")
        en, _, zh = rest.partition(" / ")
        problems.append(DemoCredential("keys.audit_signing_key" if key == "audit_key_file" else key, en, zh))
    return problems


CHECKS: list[Callable[[Session, LedgerConfig], list[DemoCredential]]] = [
    _terminal_keys, _qr_keys, _exchange_key, _staff_and_audit]


def demo_credentials(engine: Engine, config: LedgerConfig) -> list[DemoCredential]:
    if config.demo:
        return []
    with session_factory(engine)() as session:
        return [problem for check in CHECKS for problem in check(session, config)]
