"""`hpf-ledger staff …` and `hpf-ledger audit …`: central staff accounts and the audit chain.

  hpf-ledger staff add USERNAME --name NAME --role clerk [--role supervisor]   (password from stdin/prompt)
  hpf-ledger staff list
  hpf-ledger staff set-role USERNAME --role supervisor [--role …]             (history is kept)
  hpf-ledger staff disable USERNAME
  hpf-ledger staff reset-password USERNAME                                    (password from stdin/prompt)
  hpf-ledger audit verify [--heads DIR] [--key FILE]
  hpf-ledger audit export-head [--heads DIR] [--key FILE]
  hpf-ledger audit new-key FILE
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from ledger import audit, staff
from ledger.db import create_schema, session_factory

Adder = Callable[[argparse.ArgumentParser], argparse.ArgumentParser]


def register(sub: Any, with_db: Adder) -> None:
    """Add the `staff` and `audit` commands to hpf-ledger's subparsers."""
    st = sub.add_parser("staff", help="central staff accounts (add, list, set-role, disable, reset-password)")
    ss = st.add_subparsers(dest="staff_command", required=True)
    add = with_db(ss.add_parser("add", help="add an account; the password is read from the terminal or stdin"))
    add.add_argument("username")
    add.add_argument("--name", required=True)
    add.add_argument("--role", action="append", required=True, choices=staff.ROLES)
    add.add_argument("--by", default="cli", help="who does this (recorded in the audit chain)")
    with_db(ss.add_parser("list", help="accounts with their current roles"))
    sr = with_db(ss.add_parser("set-role", help="replace the account's roles from now on (history is kept)"))
    sr.add_argument("username")
    sr.add_argument("--role", action="append", default=[], choices=staff.ROLES)
    sr.add_argument("--by", default="cli")
    dis = with_db(ss.add_parser("disable", help="disable an account: roles end, sessions are revoked"))
    dis.add_argument("username")
    dis.add_argument("--by", default="cli")
    rp = with_db(ss.add_parser("reset-password", help="set a new password (read from the terminal or stdin)"))
    rp.add_argument("username")
    rp.add_argument("--by", default="cli")

    au = sub.add_parser("audit", help="the tamper-evident audit chain (verify, export-head, new-key)")
    aa = au.add_subparsers(dest="audit_command", required=True)
    for name, text in (("verify", "check every row, its signature and the exported heads"),
                       ("export-head", "sign the current head and write it to the heads directory")):
        p = with_db(aa.add_parser(name, help=text))
        p.add_argument("--heads", default=None,
                       help=f"directory of signed heads (default: {audit.default_heads_dir()})")
        p.add_argument("--key", default=None, help="Ed25519 key file, PEM (default: the demo key)")
    nk = aa.add_parser("new-key", help="write a new Ed25519 audit key (PEM, 0600)")
    nk.add_argument("file")


def _password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("密码 Password: ")
        if getpass.getpass("再输一次 Again: ") != first:
            raise ValueError("两次输入的密码不一致 / the passwords differ")
        return first
    return sys.stdin.readline().rstrip("\n")


def run(args: argparse.Namespace, make_engine: Callable[[str | None], Engine]) -> int | None:
    """Run a staff/audit command; None when `args.command` is not one of them."""
    if args.command == "audit" and args.audit_command == "new-key":
        key = audit.generate_key_file(args.file)
        print(f"audit key {key.key_id} written to {args.file} (mode 0600)")
        return 0
    if args.command not in ("staff", "audit"):
        return None
    engine = make_engine(args.db)
    try:
        return _run(args, engine)
    finally:
        engine.dispose()


def _run(args: argparse.Namespace, engine: Engine) -> int:
    create_schema(engine)
    sessions = session_factory(engine)
    if args.command == "audit":
        key = audit.load_key(args.key)
        with sessions() as session:
            if args.audit_command == "export-head":
                path = audit.export_head(session, key, args.heads)
                print(f"head exported to {path}" if path else "nothing new to export / 没有新的链头可导出")
                return 0
            report = audit.verify(session, key, args.heads)
        for line in report.problems:
            print(f"FAIL {line}")
        for line in report.notes:
            print(f"note {line}")
        verdict = "OK" if report.ok else "TAMPERED / 审计链被篡改"
        print(f"audit chain: {report.rows} rows, last {report.last_seq}, {report.heads_checked} signed heads: {verdict}"
              + ("" if report.first_bad_seq is None else f"; first bad row {report.first_bad_seq}"))
        return 0 if report.ok else 1
    cmd = args.staff_command
    with sessions.begin() as session:
        if cmd == "list":
            for a in staff.accounts(session):
                state = "" if a.active else " (disabled / 已停用)"
                print(f"{a.username}\t{a.name}\t{','.join(sorted(a.roles)) or '-'}{state}")
            return 0
        if cmd == "add":
            staff.add_account(session, args.username, args.name, _password(), args.role, by=args.by)
            detail: dict[str, Any] = {"roles": sorted(args.role)}
        elif cmd == "set-role":
            granted, revoked = staff.set_roles(session, args.username, args.role, by=args.by)
            detail = {"granted": sorted(granted), "revoked": sorted(revoked)}
        elif cmd == "disable":
            staff.disable(session, args.username, by=args.by)
            detail = {}
        else:
            staff.reset_password(session, args.username, _password(), by=args.by)
            detail = {}
        audit.append(session, key_for_cli(), action=f"staff.{cmd}", staff_id=args.by, role="admin",
                     terminal_id="cli", obj=args.username, details=detail)
    print(f"staff {cmd} {args.username}: done")
    return 0


def key_for_cli() -> audit.AuditKey:
    from ledger.settings import LedgerSettings

    return audit.load_key(LedgerSettings().audit_key_file or None)
