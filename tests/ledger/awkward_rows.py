"""Transaction rows with the values a bulk write path gets wrong first, shared by the COPY (PostgreSQL) and the
precompiled executemany (SQLite) tests of `ledger.db.insert_rows`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Engine, event

AWKWARD_TEXT = "tab\there, newline\nthere, back\\slash, quote \" and ' and ''; --, \\N"  # the payload of row 1
AWKWARD_REASON = {"code": "x", "zh": "拒绝\t'原因"}  # the reason of row 1


def awkward_transactions(prefix: str) -> list[dict[str, Any]]:
    """Tabs, newlines, backslashes, both quotes, `\\N` and SQL-looking text; JSON null and nested JSON;
    datetimes in two zones (one the next day in UTC, 0 µs); `result` and `received_at` left to defaults."""
    east = datetime(2026, 12, 7, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=8)))
    west = datetime(2026, 12, 31, 20, 0, 0, 0, tzinfo=timezone(timedelta(hours=-5)))
    rows = []
    for i, (txt, reason) in enumerate([
        ("plain", None),
        (AWKWARD_TEXT, AWKWARD_REASON),
        ("", {"nested": [1, 2.5, None, True, {"k": "\\"}]}),
    ]):
        rows.append(dict(idempotency_key=f"{prefix}-{i}", ledger_id=f"{prefix}L{i}", terminal_id="K-01",
                         kind="rating", member_id=None if i == 2 else f"M{i}", payload={"text": txt, "n": i},
                         payload_hash="h" * 64, status="accepted", reason=reason, amount_fen=i * 100,
                         created_at=east if i % 2 else west, applied_at=None if i else east))
    return rows


def many_ratings(n: int = 200) -> list[dict[str, Any]]:
    """n plain rating rows of terminal K-MANY: what one request's ratings look like to a bulk write."""
    now = datetime.now(UTC)
    return [dict(score=i % 5 + 1, service_item="提取", channel="kiosk", terminal_id="K-MANY", rated_at=now)
            for i in range(n)]


@contextmanager
def statements_seen(engine: Engine) -> Iterator[list[tuple[str, bool]]]:
    """The (statement, executemany) pairs the engine sends while the block runs, as statement counters see them."""
    seen: list[tuple[str, bool]] = []

    def on_sql(_conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, many: bool) -> None:
        seen.append((statement, many))

    event.listen(engine, "before_cursor_execute", on_sql)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", on_sql)
