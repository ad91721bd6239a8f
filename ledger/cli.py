"""`hpf-ledger`: run the central ledger service and manage its database.

  hpf-ledger serve [--config FILE] [--db URL] [--host H] [--port P]
  hpf-ledger seed-demo [--db URL] [--members N] [--seed S]
  hpf-ledger terminals add|list|revoke|rotate ...   (per-terminal credentials, see below)
  hpf-ledger init-db [--db URL]
  hpf-ledger migrate | backup --out FILE | restore FILE [--force]   (ledger/maintenance.py)
  hpf-ledger catalogue [--json]                    (the 67-item service catalogue, ledger/cli_catalogue.py)
  hpf-ledger loans late-report [--day D]           (late loan applications at day end, ledger/cli_loans.py)
  hpf-ledger ratings export --csv [--since D] [--until D] [--out FILE]   (好差评, ledger/ratings_export.py)
  hpf-ledger --help-config                         (every key of the ledger's TOML configuration)

--db takes an SQLAlchemy URL: `sqlite:///path/ledger.db` (default: ledger.db in the data
directory) or `postgresql://user@host:port/dbname` (psycopg 3). The schema is created, or
upgraded through its Alembic migrations, on first use.

Demo members' query password: the last six characters of the ID number, a trailing X read
as 0. Demo terminals DEMO-KIOSK-01 / DEMO-COUNTER-01, enrolled with the demo keys of
resources/demo/terminal_keys. With `demo = false` in --config, serve refuses to start while a
demo credential is active and names it.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from infra.config import ConfigError
from infra.logs import get_logger, setup_logging
from infra.production import EXIT_DEMO_CREDENTIAL, DemoCredentialError
from ledger import cli_catalogue, cli_loans, cli_terminals, maintenance, ratings_export, serve_workers, staff_cli
from ledger.config import LedgerConfig, help_config, load_ledger_config
from ledger.db import create_schema, default_url, make_engine
from ledger.exchange import cli as exchange_cli
from ledger.exchange.settings import ExchangeSettings
from ledger.settings import LedgerSettings

log = get_logger("ledger")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hpf-ledger", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--help-config", action="store_true", help="list every configuration key and exit")
    sub = parser.add_subparsers(dest="command")

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--db", metavar="URL", default=None,
                       help=f"database URL (default: [database] url of --config, else {default_url()})")
        p.add_argument("--config", metavar="FILE", type=Path, default=None, help="the ledger's TOML configuration")
        return p

    serve = with_db(sub.add_parser("serve", help="run the HTTP API"))
    serve.add_argument("--host", default=None, help="address to listen on (default: [server] host, loopback)")
    serve.add_argument("--port", type=int, default=None, help="TCP port (default: [server] port, 8765)")
    serve.add_argument("--log-level", default=None, choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    serve.add_argument("--access-log", action="store_true", default=None, help="log every request (off by default)")
    serve.add_argument("--heartbeat-batch-s", type=float, default=1.0,
                       help="write terminals' heartbeats in batches every N seconds (0: each at once; default 1)")
    serve.add_argument("--no-fraud-screening", action="store_true",
                       help="skip the cross-member fraud signals on withdrawals (load tests that send thousands of "
                            "withdrawals per member would all trip the velocity signal)")
    serve.add_argument("--exchange-url", default=None, help="the data-sharing exchange (default: "
                       f"{ExchangeSettings().url}, where `hpf-exchange serve` listens)")

    serve_workers.register(serve)  # --workers N, --pool-size P (issue 14)
    serve.add_argument("--audit-head-every", type=float, default=300.0, metavar="S",
                       help="export the audit chain's signed head every S seconds (default 300; 0 = off)")

    seed = with_db(sub.add_parser("seed-demo", help="fill an empty database with fictitious demo members"))
    seed.add_argument("--members", type=int, default=200, help="number of members (default: 200)")
    seed.add_argument("--seed", type=int, default=None, help="RNG seed (default: fixed, so runs repeat)")

    cli_terminals.register(sub, with_db)

    with_db(sub.add_parser("init-db", help="create the tables, or upgrade them to the newest migration"))
    maintenance.register(sub)  # migrate, backup, restore
    exchange_cli.register(sub)
    staff_cli.register(sub, with_db)
    cli_catalogue.register(sub)  # catalogue [--json]: no database, no config
    ratings_export.register(sub)  # ratings export --csv (好差评)
    cli_loans.register(sub, with_db)  # loans late-report [--day D] (issue 11)
    return parser


def _serve(args: argparse.Namespace, config: LedgerConfig) -> int:
    import uvicorn

    from ledger.app import create_app
    from ledger.production import demo_credentials

    server = config.server
    host, port = args.host or server.host, args.port or server.port
    log_level = args.log_level or server.log_level
    setup_logging(log_level, to_file=False)
    rules = config.rules
    settings = LedgerSettings(policy_city=rules.policy_city, password_max_failures=rules.password_max_failures,
                              password_lockout_s=rules.password_lockout_s,
                              fraud_screening=rules.fraud_screening and not args.no_fraud_screening,
                              exchange=_exchange_settings(args, config),
                              audit_key_file=config.keys.audit_signing_key,
                              audit_heads_dir=config.keys.audit_heads_dir,
                              audit_head_every_s=args.audit_head_every,
                              session_ttl_s=config.sessions.ttl_s,
                              member_reads_per_minute=config.sessions.reads_per_minute,
                              distinct_members_alert=config.sessions.distinct_members_alert,
                              distinct_members_window_s=config.sessions.window_s,
                              heartbeat_batch_s=args.heartbeat_batch_s,
                              db_pool_size=serve_workers.pool_size(args))
    server = serve_workers.with_workers(args, server)
    if config.keys.member_token_keys:  # the member-app QR keys the ledger's sessions trust
        from ledger import sessions

        sessions.use_token_key_file(Path(config.keys.member_token_keys))
    app = create_app(_db_url(args, config), settings=settings)
    found = demo_credentials(app.state.engine, config)
    if found:
        app.state.engine.dispose()
        print(DemoCredentialError("hpf-ledger", found), file=sys.stderr)
        return EXIT_DEMO_CREDENTIAL
    log.info("ledger listening on http://%s:%d (database %s, %d worker(s))", host, port,
             app.state.engine.url.render_as_string(hide_password=True), server.workers)
    access_log = bool(args.access_log or server.access_log)
    if server.workers > 1:  # each worker builds its own app from the checked settings
        from ledger import workers

        app.state.engine.dispose()
        with serve_workers.online_board() as board:  # the workers' shared online mark (ledger.online)
            os.environ.update(workers.environment(_db_url(args, config), settings, config.keys.member_token_keys,
                                                  board, log_level))
            uvicorn.run("ledger.workers:app", factory=True, workers=server.workers, host=host, port=port,
                        log_level=log_level.lower(), access_log=access_log, timeout_graceful_shutdown=5)
        return 0
    # Everything built so far (modules, mappings, compiled policies) lives as long as the process: out of the
    # cyclic collector's way, so its passes during a drain only walk what requests allocate.
    gc.collect()
    gc.freeze()
    uvicorn.run(app, host=host, port=port, log_level=log_level.lower(), access_log=access_log,
                timeout_graceful_shutdown=5)
    return 0


def _exchange_settings(args: argparse.Namespace, config: LedgerConfig) -> ExchangeSettings:
    section, default = config.exchange, ExchangeSettings()
    return ExchangeSettings(url=args.exchange_url or section.url or default.url,
                            public_key=section.public_key or default.public_key,
                            key_id=section.key_id or default.key_id,
                            timeout_s=section.timeout_s, retries=section.retries)


def _db_url(args: argparse.Namespace, config: LedgerConfig) -> str | None:
    return str(args.db) if args.db else (config.database.url or None)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.help_config:
        print(help_config())
        return 0
    if args.command is None:
        parser.print_usage(sys.stderr)
        return 2
    if getattr(args, "standalone", None):  # commands that need neither config nor database
        return int(args.standalone(args))
    if getattr(args, "maintenance", None):  # migrate, backup, restore read --config themselves
        return int(args.maintenance(args))
    try:
        config = load_ledger_config(args.config)
    except ConfigError as exc:
        print(f"configuration error / 配置错误: {exc}", file=sys.stderr)
        return 2
    try:
        if args.command == "serve":
            return _serve(args, config)
        if args.command in exchange_cli.COMMANDS:
            return exchange_cli.run(args)
        if (code := staff_cli.run(args, lambda url: make_engine(url or _db_url(args, config)))) is not None:
            return code
        engine = make_engine(_db_url(args, config))
        if args.command == "terminals":
            return cli_terminals.run(args, engine)
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
