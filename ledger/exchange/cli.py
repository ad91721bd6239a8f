"""`hpf-ledger confirm-cards`: ask the bank again about card signings still pending (ledger.exchange.pending)."""

from __future__ import annotations

import argparse

from ledger.db import make_engine, session_factory
from ledger.exchange.client import ExchangeClient
from ledger.exchange.pending import confirm_pending_cards
from ledger.exchange.settings import ExchangeSettings
from ledger.exchange.source import CentreEvidence

COMMANDS = frozenset({"confirm-cards"})


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("confirm-cards", help="ask the bank (through the exchange) about pending card signings")
    p.add_argument("--db", metavar="URL", default=None, help="database URL (default: the data directory's)")
    p.add_argument("--exchange-url", default=None, help=f"the exchange (default: {ExchangeSettings().url})")


def run(args: argparse.Namespace) -> int:
    settings = ExchangeSettings(url=args.exchange_url) if args.exchange_url else ExchangeSettings()
    engine = make_engine(args.db)
    sessions = session_factory(engine)
    client = ExchangeClient(settings)
    try:
        outcome = confirm_pending_cards(sessions, CentreEvidence(sessions, client, settings))
    finally:
        client.close()
        engine.dispose()
    print(f"signed {outcome.signed}, refused by the bank {outcome.refused}, still pending {outcome.still_pending} / "
          f"已签约 {outcome.signed}，银行核验不符 {outcome.refused}，仍待银行确认 {outcome.still_pending}")
    return 0
