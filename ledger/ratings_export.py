"""`hpf-ledger ratings export --csv`: 好差评 ratings in the fields of the national rating system.

Every rating a kiosk or counter sent (outbox kind "rating", ledger.rules) becomes one row: the
service item (catalogue code and name), the channel, the level 1-5 with its name, the time (Beijing),
the rater masked (姓名 and nothing else; anonymous kiosk ratings say so), the comment, window and
staff. Column names, level names and channel codes come from the policy ([ratings_export]).
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.catalogue import Catalogue, load_catalogue
from domain.masking import mask_name
from domain.policy import PolicyError, load_policy_table, require, section
from ledger.models import Member, RatingRow
from ledger.settings import CENTRE_TZ


def _item(catalogue: Catalogue | None, service_item: str) -> tuple[str, str]:
    """(catalogue code, Chinese name) of what was rated; a free text stays as it was."""
    if catalogue is not None:
        for item in catalogue.items.values():
            if service_item in (item.code, item.name, item.name_en):
                return item.code, item.name
    return "", service_item


def _utc_midnight(day: date) -> datetime:
    """Midnight of a Beijing day in UTC (the ledger stores UTC)."""
    return datetime.combine(day, time.min, CENTRE_TZ).astimezone(UTC)


def _beijing(at: datetime) -> datetime:
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(CENTRE_TZ)


def rows(session: Session, *, city: str = "taiyuan", since: date | None = None,
         until: date | None = None) -> tuple[list[str], list[list[str]]]:
    policy = section(load_policy_table(city), "ratings_export")
    columns: list[str] = require(policy, "columns", list, "ratings_export")
    levels: list[str] = require(policy, "levels", list, "ratings_export")
    channels: dict[str, Any] = section(policy, "channels")
    try:
        catalogue: Catalogue | None = load_catalogue(city)
    except PolicyError:
        catalogue = None
    query = select(RatingRow).order_by(RatingRow.rated_at, RatingRow.id)
    if since is not None:
        query = query.where(RatingRow.rated_at >= _utc_midnight(since))
    if until is not None:
        query = query.where(RatingRow.rated_at < _utc_midnight(until + timedelta(days=1)))
    out: list[list[str]] = []
    for r in session.scalars(query):
        member = session.get(Member, r.member_id) if r.member_id else None
        code, name = _item(catalogue, r.service_item)
        local = _beijing(r.rated_at)
        out.append([f"PJ{r.id:010d}", r.serial_no, code, name, str(channels.get(r.channel, r.channel)),
                    str(r.score), levels[r.score - 1] if 1 <= r.score <= len(levels) else "",
                    local.strftime("%Y-%m-%d %H:%M:%S"), mask_name(member.name) if member else "匿名",
                    r.text, r.window, r.staff])
    return columns, out


def to_csv(columns: list[str], data: Iterable[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(data)
    return buf.getvalue()


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("ratings", help="好差评: export the ratings (ratings export --csv)")
    p.add_argument("action", choices=("export",))
    p.add_argument("--csv", action="store_true", required=True, help="CSV with a header row (UTF-8 with BOM)")
    p.add_argument("--since", type=date.fromisoformat, default=None, help="first day (YYYY-MM-DD, Beijing)")
    p.add_argument("--until", type=date.fromisoformat, default=None, help="last day (YYYY-MM-DD, Beijing)")
    p.add_argument("--out", type=Path, default=None, help="write to this file instead of standard output")
    p.add_argument("--db", metavar="URL", default=None, help="database URL (default: [database] url of --config)")
    p.add_argument("--config", metavar="FILE", type=Path, default=None, help="the ledger's TOML configuration")
    p.add_argument("--city", default="taiyuan", help="the city's policy (default: taiyuan)")
    p.set_defaults(standalone=run)


def run(args: argparse.Namespace) -> int:
    from infra.config import ConfigError
    from ledger.config import load_ledger_config
    from ledger.db import make_engine

    try:
        config = load_ledger_config(args.config)
    except ConfigError as exc:
        print(f"configuration error / 配置错误: {exc}", file=sys.stderr)
        return 2
    engine = make_engine(args.db or config.database.url or None)
    try:
        with Session(engine) as session:
            columns, data = rows(session, city=args.city, since=args.since, until=args.until)
    except PolicyError as exc:
        print(f"策略错误 / policy error: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    text = to_csv(columns, data)
    if args.out is not None:
        args.out.write_text(text, encoding="utf-8-sig")  # with a BOM: spreadsheets read it as UTF-8
        print(f"{len(data)} 条评价已导出 / {len(data)} ratings exported: {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
