"""`hpf-ledger terminals add|list|revoke|rotate`: the terminal registry from the command line.

  hpf-ledger terminals add ID --role kiosk|counter [--outlet HALL] [--code-ttl-h H]
  hpf-ledger terminals list
  hpf-ledger terminals revoke ID
  hpf-ledger terminals rotate ID [--code-ttl-h H]

`add` and `rotate` print a one-time enrolment code and its expiry; give it to the technician
who runs `hpf-diag enrol --ledger URL --code CODE` on that terminal. `revoke` and `rotate`
take effect at once: the next request signed with a stopped key is refused.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import Engine

from ledger import terminals
from ledger.db import create_schema, session_factory
from ledger.settings import CENTRE_TZ


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser],
             with_db: Callable[[argparse.ArgumentParser], argparse.ArgumentParser]) -> None:
    group = sub.add_parser("terminals", help="enrol, list, revoke and rotate terminal credentials",
                           description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    verbs = group.add_subparsers(dest="verb", required=True)
    add = with_db(verbs.add_parser("add", help="register a terminal and print its one-time enrolment code"))
    add.add_argument("terminal_id")
    add.add_argument("--role", required=True, choices=("kiosk", "counter"))
    add.add_argument("--outlet", default="", help="service hall the terminal stands in")
    add.add_argument("--code-ttl-h", type=float, default=24.0, help="hours the code stays valid (default 24)")
    with_db(verbs.add_parser("list", help="every terminal with its keys and any pending code"))
    revoke = with_db(verbs.add_parser("revoke", help="refuse the terminal's keys from now on"))
    revoke.add_argument("terminal_id")
    rotate = with_db(verbs.add_parser("rotate", help="stop the current key at once and print a new code"))
    rotate.add_argument("terminal_id")
    rotate.add_argument("--code-ttl-h", type=float, default=24.0, help="hours the code stays valid (default 24)")


def _ttl(hours: float) -> timedelta:
    if not 0 < hours <= 24 * 30:
        raise ValueError("--code-ttl-h must be between 0 and 720 hours / 有效期须在 0 到 720 小时之间")
    return timedelta(hours=hours)


def _print_code(issued: terminals.IssuedCode) -> None:
    local = issued.expires_at.astimezone(CENTRE_TZ)
    print(f"terminal {issued.terminal_id}: one-time enrolment code / 一次性登记码")
    print(f"  {issued.code}")
    print(f"  valid until {local:%Y-%m-%d %H:%M} (Beijing time) / 有效期至 {local:%Y-%m-%d %H:%M}（北京时间）")
    print(f"  on the terminal: hpf-diag enrol --ledger <URL> --code {issued.code}")


def run(args: argparse.Namespace, engine: Engine) -> int:
    create_schema(engine)
    sessions = session_factory(engine)
    try:
        if args.verb == "add":
            _print_code(terminals.add(sessions, args.terminal_id, args.role, args.outlet,
                                      ttl=_ttl(args.code_ttl_h)))
        elif args.verb == "rotate":
            issued = terminals.rotate(sessions, args.terminal_id, ttl=_ttl(args.code_ttl_h))
            print(f"terminal {args.terminal_id}: its keys are refused from now on / 旧密钥已停用")
            _print_code(issued)
        elif args.verb == "revoke":
            stopped = terminals.revoke(sessions, args.terminal_id)
            print(f"terminal {args.terminal_id} revoked ({stopped} key(s) refused from now on) / 终端已停用")
        else:
            for t in terminals.listing(sessions):
                state = "active" if t.active else "revoked"
                pending = f", code pending until {t.pending_code_until:%Y-%m-%d %H:%M} UTC" \
                    if t.pending_code_until else ""
                print(f"{t.terminal_id}\t{t.role}\t{state}\t{t.outlet}{pending}")
                for key_id, status, fp in t.keys:
                    print(f"    {key_id}\t{status}\tsha256:{fp}")
    except terminals.RegistryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
