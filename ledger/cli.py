"""`hpf-ledger`: run the central ledger service and manage its database.

  hpf-ledger serve [--db URL] [--host H] [--port P]
  hpf-ledger seed-demo [--db URL] [--members N] [--seed S]
  hpf-ledger add-terminal --key ID --secret S [--role kiosk|counter] [--db URL]
  hpf-ledger init-db [--db URL]

--db takes an SQLAlchemy URL: `sqlite:///path/ledger.db` (default: ledger.db in the data
directory) or `postgresql://user@host:port/dbname` (psycopg 3). The schema is created, or
upgraded through its Alembic migrations, on first use.

Demo members' query password: the last six characters of the ID number, a trailing X read
as 0. Demo terminals DEMO-KIOSK-01 / DEMO-COUNTER-01, secret "demo-secret-change-me".
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from sqlalchemy.exc import SQLAlchemyError

from infra.logs import get_logger, setup_logging
from ledger.db import create_schema, default_url, make_engine
from ledger.settings import LedgerSettings

log = get_logger("ledger")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hpf-ledger", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--db", metavar="URL", default=None,
                       help=f"database URL (default: {default_url()})")
        return p

    serve = with_db(sub.add_parser("serve", help="run the HTTP API"))
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback)")
    serve.add_argument("--port", type=int, default=8765, help="TCP port (default: 8765)")
    serve.add_argument("--log-level", default="INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    serve.add_argument("--access-log", action="store_true", help="log every request (off by default)")
    serve.add_argument("--heartbeat-batch-s", type=float, default=1.0,
                       help="write terminals' heartbeats in batches every N seconds (0: each at once; default 1)")
    serve.add_argument("--no-fraud-screening", action="store_true",
                       help="skip the cross-member fraud signals on withdrawals (load tests that send thousands of "
                            "withdrawals per member would all trip the velocity signal)")

    seed = with_db(sub.add_parser("seed-demo", help="fill an empty database with fictitious demo members"))
    seed.add_argument("--members", type=int, default=200, help="number of members (default: 200)")
    seed.add_argument("--seed", type=int, default=None, help="RNG seed (default: fixed, so runs repeat)")

    term = with_db(sub.add_parser("add-terminal", help="register or re-key a terminal credential"))
    term.add_argument("--key", required=True, help="key id (X-HPF-Key), also the terminal id")
    term.add_argument("--secret", required=True, help="shared secret for request signing")
    term.add_argument("--role", default="kiosk", choices=("kiosk", "counter"))
    term.add_argument("--outlet", default="", help="service hall the terminal stands in")

    with_db(sub.add_parser("init-db", help="create the tables, or upgrade them to the newest migration"))
    return parser


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from ledger.app import create_app

    setup_logging(args.log_level, to_file=False)
    app = create_app(args.db, settings=LedgerSettings(fraud_screening=not args.no_fraud_screening,
                                                      heartbeat_batch_s=args.heartbeat_batch_s))
    log.info("ledger listening on http://%s:%d (database %s)", args.host, args.port,
             app.state.engine.url.render_as_string(hide_password=True))
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level.lower(),
                access_log=args.access_log, timeout_graceful_shutdown=5)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "serve":
            return _serve(args)
        engine = make_engine(args.db)
        if args.command == "seed-demo":
            from ledger.seed import DEFAULT_SEED, seed_demo

            if args.members < 1:
                print("--members must be at least 1 / 成员数至少为 1", file=sys.stderr)
                return 2
            summary = seed_demo(engine, args.members, seed=DEFAULT_SEED if args.seed is None else args.seed)
            print(f"seeded {summary.members} members, {summary.deposits} deposits, {summary.withdrawals} "
                  f"withdrawals, {summary.loans} loans ({summary.overdue_loans} overdue), {summary.cases} cases")
            print("demo query password: last 6 characters of the ID number (X read as 0)")
            from ledger.db import session_factory
            from ledger.fleet import seed_demo_fleet

            print(f"seeded {seed_demo_fleet(session_factory(engine))} demo terminals with heartbeats for /fleet")
        elif args.command == "add-terminal":
            from ledger.seed import add_terminal

            add_terminal(engine, args.key, args.secret, args.role, args.outlet)
            print(f"terminal {args.key} registered ({args.role})")
        elif args.command == "init-db":
            create_schema(engine)
            print("schema ready")
        return 0
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        print(f"database error / 数据库错误: {getattr(exc, 'orig', None) or exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
