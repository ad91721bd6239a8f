"""`hpf-exchange`: run the data-sharing exchange simulator (DEMO).

  hpf-exchange serve [--host H] [--port P] [--members N] [--seed S]
                     [--mode normal|latency|timeout|outage|no_record] [--latency-s X] [--hang-s X]

It knows the same fictitious people as `hpf-ledger seed-demo --members N --seed S` (the first N
of them; the defaults match) and signs its answers with the demo key. POST /admin/mode changes the
mode while it runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from domain.demo_people import DEFAULT_SEED
from infra.logs import get_logger, setup_logging

log = get_logger("exchange")
DEFAULT_PORT = 8770


def _parser() -> argparse.ArgumentParser:
    from exchange.app import Mode

    parser = argparse.ArgumentParser(prog="hpf-exchange", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the simulator's HTTP API")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback)")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"TCP port (default: {DEFAULT_PORT})")
    serve.add_argument("--members", type=int, default=200, help="demo people known (default: 200)")
    serve.add_argument("--seed", type=int, default=DEFAULT_SEED, help="demo people seed (default: the ledger's)")
    serve.add_argument("--mode", default=Mode.NORMAL.value, choices=[m.value for m in Mode])
    serve.add_argument("--latency-s", type=float, default=0.5, help="delay of every answer in latency mode")
    serve.add_argument("--hang-s", type=float, default=30.0, help="delay of every answer in timeout mode")
    serve.add_argument("--mortgage-delay-s", type=float, default=0.0,
                       help="a mortgage registration completes this long after its request (0: by polls)")
    serve.add_argument("--mortgage-complete-on-poll", type=int, default=1,
                       help="without a delay, it completes at this status poll (default 1: the first; 0: never)")
    serve.add_argument("--log-level", default="INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    import uvicorn

    from exchange.app import Mode, create_app
    from exchange.registry import DemoRegistry

    if args.members < 1 or args.latency_s < 0 or args.hang_s < 0:
        print("--members must be at least 1 and delays not negative / 人数至少为 1，延迟不能为负", flush=True)
        return 2
    setup_logging(args.log_level, to_file=False)
    registry = DemoRegistry.seeded(args.members, args.seed)
    registry.mortgages.delay_s = max(0.0, args.mortgage_delay_s)
    registry.mortgages.complete_on_poll = max(0, args.mortgage_complete_on_poll)
    app = create_app(registry, mode=Mode(args.mode), latency_s=args.latency_s, hang_s=args.hang_s)
    log.info("exchange simulator (DEMO key) on http://%s:%d, mode %s", args.host, args.port, args.mode)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level.lower(), access_log=False,
                timeout_graceful_shutdown=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
