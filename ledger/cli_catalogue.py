"""`hpf-ledger catalogue [--json] [--city CITY]`: the centre's service catalogue (domain.catalogue).

Prints the 67 service items of the city's catalogue file: a table for people, or with --json a
JSON list (code, name_zh, name_en, audience, channel, materials, time_limit_workdays, and the
catalogue's other fields). Needs no database.
"""

from __future__ import annotations

import argparse
import json
import sys

from domain.catalogue import load_catalogue
from domain.policy import PolicyError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("catalogue", help="print the service catalogue (67 items; --json for a JSON list)")
    p.add_argument("--json", action="store_true", help="a JSON list instead of a table")
    p.add_argument("--city", default="taiyuan", help="the city's policy (default: taiyuan)")
    p.set_defaults(standalone=run)


def run(args: argparse.Namespace) -> int:
    try:
        catalogue = load_catalogue(args.city)
    except PolicyError as exc:
        print(f"目录错误 / catalogue error: {exc}", file=sys.stderr)
        return 2
    rows = catalogue.rows()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    for r in rows:
        days = r["time_limit_workdays"]
        limit = "即时 / on the spot" if days == 0 else f"{days} 工作日 / workdays"
        print(f"{r['code']:<36} {r['audience']:<8} {r['channel']:<8} {limit:<22} {r['name_zh']} / {r['name_en']}")
    online = sum(r["channel"] == "online" for r in rows)
    print(f"共 {len(rows)} 项：全程网办 {online}，最多跑一次 {len(rows) - online} / "
          f"{len(rows)} items: {online} online, {len(rows) - online} one trip")
    return 0
