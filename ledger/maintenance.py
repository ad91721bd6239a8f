"""The centre as a service: `hpf-ledger migrate`, `hpf-ledger backup`, `hpf-ledger restore`.

    hpf-ledger migrate  [--db URL | --config FILE]
    hpf-ledger backup   [--db URL | --config FILE] --out FILE
    hpf-ledger restore  [--db URL | --config FILE] FILE [--force]

`migrate` runs the Alembic migrations up to the newest one (what `serve` also does on start; a
unit runs it first so a failed migration stops the upgrade before the service starts).

`backup` copies a running ledger without stopping it: SQLite through its online backup API,
PostgreSQL through `pg_dump --format=custom` (a consistent snapshot). Beside FILE it writes
FILE.manifest.json: the schema revision, the row count of every table and a digest of every
account balance and loan balance. `restore` loads FILE into the database (refusing one that
already holds transactions unless --force), upgrades it to the newest schema, and then runs the
steps of VERIFY_AFTER_RESTORE: the balances and row counts must equal the manifest's, to the fen.
Another check (the audit chain's verification) is one more entry in that list.

PostgreSQL tools are looked for in $HPF_PG_BINDIR, then on PATH, then /usr/lib/postgresql/*/bin.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect, make_url, text

from ledger.db import create_schema, current_revision, default_url, head_revision, make_engine, normalise_url

MANIFEST_FORMAT = 1


class MaintenanceError(Exception):
    """A backup, restore or migration that cannot go on; the message is bilingual and says why."""


# -- what a backup promises --------------------------------------------------------------------------


def balances_digest(engine: Engine) -> dict[str, Any]:
    """Every account's and loan's balance, summed and hashed (order-independent of the database)."""
    out: dict[str, Any] = {}
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        for table, key in (("accounts", "account_no"), ("loans", "loan_id")):
            if table not in tables:
                continue
            rows = conn.execute(text(f"SELECT {key}, balance_fen FROM {table} ORDER BY {key}")).all()
            digest = hashlib.sha256("\n".join(f"{k}:{int(b)}" for k, b in rows).encode()).hexdigest()
            out[table] = {"rows": len(rows), "total_fen": sum(int(b) for _k, b in rows), "sha256": digest}
    return out


def table_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        names = sorted(n for n in inspect(conn).get_table_names() if n != "alembic_version")
        return {n: int(conn.execute(text(f'SELECT COUNT(*) FROM "{n}"')).scalar_one()) for n in names}


def make_manifest(engine: Engine) -> dict[str, Any]:
    return {"format": MANIFEST_FORMAT, "dialect": engine.dialect.name, "revision": current_revision(engine),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "tables": table_counts(engine), "balances": balances_digest(engine)}


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".manifest.json")


# -- checks after a restore (the integrator adds the audit chain's verify here) ----------------------

VerifyStep = Callable[[Engine, dict[str, Any]], str]


def verify_balances(engine: Engine, manifest: dict[str, Any]) -> str:
    restored = balances_digest(engine)
    if restored != manifest["balances"]:
        raise MaintenanceError(f"余额与备份清单不符 / balances differ from the backup manifest: "
                               f"{restored} != {manifest['balances']}")
    accounts = restored.get("accounts", {})
    return f"{accounts.get('rows', 0)} account balances match, {accounts.get('total_fen', 0)} fen in total"


def verify_row_counts(engine: Engine, manifest: dict[str, Any]) -> str:
    restored = table_counts(engine)
    # A newer schema may add tables (empty after the upgrade); every table of the backup must be whole.
    short = {t: (n, restored.get(t)) for t, n in manifest["tables"].items() if restored.get(t) != n}
    if short:
        raise MaintenanceError(f"数据行数与备份清单不符 / row counts differ from the manifest: {short}")
    return f"{len(manifest['tables'])} tables, {sum(manifest['tables'].values())} rows as in the manifest"


def verify_audit_chain(engine: Engine, _manifest: dict[str, Any]) -> str:
    """Every audit row links to the one before and carries the audit key's signature (ledger.audit).

    Heads exported after the backup was taken are not compared: an older backup legitimately ends
    before them. `hpf-ledger audit verify` checks those on the running ledger."""
    import tempfile

    from sqlalchemy.orm import Session

    from ledger import audit

    with Session(engine) as session, tempfile.TemporaryDirectory() as no_heads:
        report = audit.verify(session, audit.current_key(), no_heads)
    if not report.ok:
        raise MaintenanceError("审计链校验失败 / the audit chain does not verify: " + "; ".join(report.problems[:3]))
    return f"{report.rows} audit rows chained and signed / 审计链 {report.rows} 行完整"


# Checks after a restore, in order: step(engine, manifest) returns a sentence or raises MaintenanceError.
VERIFY_AFTER_RESTORE: list[tuple[str, VerifyStep]] = [
    ("balances", verify_balances),
    ("row counts", verify_row_counts),
    ("audit chain", verify_audit_chain),
]


def verify_after_restore(engine: Engine, manifest: dict[str, Any],
                         steps: list[tuple[str, VerifyStep]] | None = None) -> list[tuple[str, str]]:
    """Run every step of VERIFY_AFTER_RESTORE (or `steps`) in order; the first failure raises."""
    return [(name, step(engine, manifest)) for name, step in (VERIFY_AFTER_RESTORE if steps is None else steps)]


# -- SQLite --------------------------------------------------------------------------------------------


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise MaintenanceError("需要数据库文件 / an SQLite backup needs a database file, not :memory:")
    return Path(database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup API: a consistent copy even while the ledger writes."""
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    except sqlite3.DatabaseError as exc:
        raise MaintenanceError(f"不是有效的 SQLite 数据库 / not a usable SQLite database: {source}: {exc}") from None
    finally:
        src.close()


# -- PostgreSQL ----------------------------------------------------------------------------------------


def pg_tool(name: str) -> str:
    override = os.environ.get("HPF_PG_BINDIR")
    if override and (Path(override) / name).exists():
        return str(Path(override) / name)
    found = shutil.which(name)
    if found:
        return found
    for bindir in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name),
                         reverse=True):
        if (Path(bindir) / name).exists():
            return str(Path(bindir) / name)
    raise MaintenanceError(f"找不到 {name} / {name} not found: install postgresql-client or set HPF_PG_BINDIR")


def _pg_env(url: str) -> dict[str, str]:
    parts = make_url(url)
    env = dict(os.environ)
    for var, value in (("PGHOST", parts.host), ("PGPORT", parts.port), ("PGUSER", parts.username),
                       ("PGPASSWORD", parts.password), ("PGDATABASE", parts.database)):
        if value is not None:
            env[var] = str(value)
    return env


def _run_pg(args: list[str], url: str) -> None:
    proc = subprocess.run(args, env=_pg_env(url), capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = " | ".join(proc.stderr.strip().splitlines()[-3:])
        raise MaintenanceError(f"{Path(args[0]).name} 失败 / failed (exit {proc.returncode}): {tail}")


# -- the three commands --------------------------------------------------------------------------------


def migrate(url: str) -> tuple[str | None, str]:
    """Upgrade the schema to head; returns (revision before, revision after)."""
    engine = make_engine(url)
    try:
        before = current_revision(engine)
        create_schema(engine)
        return before, str(current_revision(engine))
    finally:
        engine.dispose()


def backup(url: str, out: Path) -> dict[str, Any]:
    url = normalise_url(url)
    out.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    try:
        if current_revision(engine) is None:
            raise MaintenanceError("数据库中没有账本 / the database holds no ledger (no schema): nothing to back up")
        if engine.dialect.name == "sqlite":
            if out.exists():
                out.unlink()
            _sqlite_copy(_sqlite_path(url), out)
            snapshot = make_engine(f"sqlite:///{out}")
            try:
                manifest = make_manifest(snapshot)  # exactly what the copy holds
            finally:
                snapshot.dispose()
        elif engine.dialect.name == "postgresql":
            # The manifest is read first, then the dump: a restore check fails loudly if the two differ
            # (a ledger that writes during the backup); run it from a quiet moment or a replica.
            manifest = make_manifest(engine)
            _run_pg([pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(out)], url)
        else:
            raise MaintenanceError(f"不支持的数据库 / unsupported database: {engine.dialect.name}")
    finally:
        engine.dispose()
    manifest_path(out).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    return manifest


@dataclass(frozen=True)
class RestoreReport:
    revision_before_upgrade: str | None
    revision: str
    checks: list[tuple[str, str]]


def _holds_transactions(engine: Engine) -> bool:
    with engine.connect() as conn:
        if not inspect(conn).has_table("transactions"):
            return False
        return bool(conn.execute(text("SELECT COUNT(*) FROM transactions")).scalar_one())


def restore(url: str, source: Path, *, force: bool = False,
            steps: list[tuple[str, VerifyStep]] | None = None) -> RestoreReport:
    url = normalise_url(url)
    if not source.is_file():
        raise MaintenanceError(f"找不到备份文件 / no backup file at {source}")
    try:
        manifest: dict[str, Any] = json.loads(manifest_path(source).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise MaintenanceError(f"备份清单缺失或损坏 / the manifest {manifest_path(source).name} is missing or "
                               "unreadable: without it the restore cannot be verified") from None
    if manifest.get("format") != MANIFEST_FORMAT:
        raise MaintenanceError(f"未知的清单格式 / unknown manifest format {manifest.get('format')!r}")
    engine = make_engine(url)
    try:
        if engine.dialect.name != manifest["dialect"]:
            raise MaintenanceError(f"备份来自 {manifest['dialect']} / the backup is of {manifest['dialect']}, "
                                   f"the target is {engine.dialect.name}")
        if _holds_transactions(engine) and not force:
            raise MaintenanceError("目标数据库已有交易，未覆盖 / the target database already holds transactions: "
                                   "not overwritten (use --force to replace it)")
        if engine.dialect.name == "sqlite":
            engine.dispose()
            _sqlite_copy(source, _sqlite_path(url))
        else:
            _run_pg([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--exit-on-error",
                     "--single-transaction", "--dbname", str(make_url(url).database), str(source)], url)
        engine.dispose()
        before = current_revision(engine)
        create_schema(engine)  # a backup of an older release is upgraded in place
        checks = verify_after_restore(engine, manifest, steps)
        return RestoreReport(before, head_revision(), checks)
    finally:
        engine.dispose()


# -- command line (registered by ledger/cli.py) ---------------------------------------------------------


def _db_url(args: argparse.Namespace) -> str:
    if args.db:
        return str(args.db)
    if args.config:
        from infra.config import ConfigError
        from ledger.config import load_ledger_config

        try:
            url = load_ledger_config(Path(args.config)).database.url
        except ConfigError as exc:
            raise MaintenanceError(f"无法读取配置 / cannot read {args.config}: {exc}") from None
        if url:
            return url
    return default_url()


def backup_file(out: str, now: datetime | None = None) -> Path:
    """--out FILE, or --out DIR/ (a folder): DIR/ledger-YYYYMMDD-HHMMSS.bak in UTC (the nightly timer)."""
    if out.endswith(("/", os.sep)) or Path(out).is_dir():
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
        return Path(out) / f"ledger-{stamp}.bak"
    return Path(out)


def _run(args: argparse.Namespace) -> int:
    import sys

    try:
        url = _db_url(args)
        if args.command == "migrate":
            before, after = migrate(url)
            print(f"schema at {after}" + ("" if before == after else f" (was {before or 'empty'})"))
        elif args.command == "backup":
            out = backup_file(args.out)
            manifest = backup(url, out)
            accounts = manifest["balances"].get("accounts", {})
            print(f"backup written to {out} ({sum(manifest['tables'].values())} rows, "
                  f"{accounts.get('rows', 0)} accounts, {accounts.get('total_fen', 0)} fen); "
                  f"manifest {manifest_path(out).name}")
        elif args.command == "restore":
            report = restore(url, Path(args.file), force=args.force)
            print(f"restored {args.file}; schema at {report.revision}")
            for name, detail in report.checks:
                print(f"  ok {name}: {detail}")
        return 0
    except MaintenanceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def register(sub: Any) -> None:
    """Add migrate / backup / restore to `hpf-ledger`'s subcommands (sub: argparse's subparsers)."""

    def common(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--db", metavar="URL", default=None, help=f"database URL (default: {default_url()})")
        p.add_argument("--config", metavar="FILE", default=None,
                       help="the ledger's TOML configuration (its database.url is used when --db is absent)")
        p.set_defaults(maintenance=_run)
        return p

    common(sub.add_parser("migrate", help="upgrade the database schema to the newest migration"))
    b = common(sub.add_parser("backup", help="copy the ledger (online) into FILE plus FILE.manifest.json"))
    b.add_argument("--out", required=True, metavar="FILE",
                   help="backup file to write, or a folder ending in / for ledger-<UTC time>.bak in it")
    r = common(sub.add_parser("restore", help="load a backup, upgrade it and verify balances against its manifest"))
    r.add_argument("file", metavar="FILE", help="backup file written by hpf-ledger backup")
    r.add_argument("--force", action="store_true", help="replace a database that already holds transactions")
