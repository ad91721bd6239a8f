"""`hpf-ledger loans late-report [--day D] [--json]`: the day-end report of late loan applications.

Late = more than the policy's working days (5) since the start of approval, the registry's time not
counted (domain.loan_application.loan_clock): still open at the end of day D (centre time), or
disbursed late on day D. Exit code 0; the list may be empty.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from ledger.settings import CENTRE_TZ


def register(sub: Any, with_db: Any) -> None:
    loans = sub.add_parser("loans", help="loan applications (late-report)")
    ls = loans.add_subparsers(dest="loans_command", required=True)
    late = with_db(ls.add_parser("late-report", help="day-end report of late loan applications"))
    late.add_argument("--day", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today, centre time)")
    late.add_argument("--city", default="taiyuan")
    late.add_argument("--json", action="store_true", help="a JSON list instead of lines")
    loans.set_defaults(standalone=run)


def run(args: argparse.Namespace) -> int:
    from ledger.config import load_ledger_config
    from ledger.db import make_engine, session_factory
    from ledger.loan_routes import late_report

    config = load_ledger_config(args.config)
    engine = make_engine(str(args.db) if args.db else (config.database.url or None))
    day = args.day or datetime.now(CENTRE_TZ).date()
    try:
        rows = late_report(session_factory(engine), day, args.city)
    except SQLAlchemyError as exc:
        print(f"数据库错误 / database error: {getattr(exc, 'orig', None) or exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    print(f"{day.isoformat()} 超时贷款申请 / late loan applications: {len(rows)}")
    for r in rows:
        print(f"{r['application_id']}  {r['member_id']}  {r['member_name']}  {r['state']}  "
              f"第{r['day']}个工作日 / working day {r['day']}  ({r['clock']})")
    return 0
