"""`hpf-diag enrol` and `hpf-diag set-pin`: a terminal's own credentials, set up by a technician.

  hpf-diag enrol --ledger URL --code CODE [--config FILE]
      generates the terminal's Ed25519 key pair, keeps the private key readable by the service
      user only (0600, `[ledger] key_file`, default <data dir>/terminal-key.pem), sends the
      public key with the one-time code from `hpf-ledger terminals add|rotate`, and writes the
      ledger URL, the key id and the terminal id the centre answered into the configuration.
  hpf-diag set-pin [--config FILE]
      asks for the technician PIN twice (or reads one line from stdin) and writes its argon2
      hash to `[kiosk] technician_pin_hash`.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import Any

import requests

from infra import paths
from infra.config import ConfigError, load_config
from infra.config_edit import set_options
from infra.pin import check_new_pin, hash_pin
from protocol.enrolment import ENROL_PATH, normalise_code
from protocol.signing import TerminalKey

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("enrol", parents=[common], help="enrol this terminal with the ledger (one-time code)")
    p.add_argument("--ledger", required=True, metavar="URL", help="the ledger's base URL, e.g. https://ledger.example")
    p.add_argument("--code", required=True, help="the one-time code printed by hpf-ledger terminals add|rotate")
    p.add_argument("--timeout", type=float, default=15.0, help="seconds to wait for the ledger (default 15)")
    p.add_argument("--insecure", action="store_true", help="do not verify the ledger's TLS certificate (testing)")
    p.set_defaults(run=cmd_enrol)
    p = sub.add_parser("set-pin", parents=[common], help="set the technician PIN (stored as an argon2 hash)")
    p.set_defaults(run=cmd_set_pin)


def _config_path(args: argparse.Namespace) -> Path:
    return Path(args.config) if args.config else paths.default_config_file()


def _fail(args: argparse.Namespace, code: str, message: str) -> int:
    if getattr(args, "json", False):
        print(json.dumps({"ok": False, "code": code, "reason": message}, ensure_ascii=False))
    print(f"hpf-diag {args.command}: {message}", file=sys.stderr)
    return EXIT_FAILED


def cmd_enrol(args: argparse.Namespace) -> int:
    if normalise_code(args.code) is None:
        return _fail(args, "bad_code", "这不是登记码（6 组各 5 个字符） / not an enrolment code (6 groups of 5)")
    config_path = _config_path(args)
    try:
        config = load_config(config_path if config_path.exists() else None)
    except ConfigError as exc:
        return _fail(args, "config", str(exc))
    key_path = config.key_path()
    key = TerminalKey.generate()
    url = args.ledger.rstrip("/")
    try:
        response = requests.post(url + ENROL_PATH, json={"code": args.code, "public_key": key.public_key},
                                 timeout=args.timeout, verify=not args.insecure)
    except requests.RequestException as exc:
        return _fail(args, "unreachable", f"账务中心无法连接 / the ledger cannot be reached: {exc}")
    if response.status_code != 200:
        try:
            error = response.json()["error"]
            message = f"{error['zh']} / {error['en']}"
        except (ValueError, KeyError, TypeError):
            message = f"HTTP {response.status_code}"
        return _fail(args, "refused", message)
    try:
        answer = response.json()
        key_id, terminal_id, role = str(answer["key_id"]), str(answer["terminal_id"]), str(answer["role"])
    except (ValueError, KeyError, TypeError):
        return _fail(args, "protocol", "账务中心的应答无法识别 / the ledger's answer is not understood")
    # The key first (0600), then the configuration that points at it: a crash between the two leaves an
    # unused key, never a configuration naming a key that does not exist.
    key.save(key_path)
    options: dict[str, Any] = {"ledger.url": url, "ledger.key_id": key_id, "terminal.id": terminal_id,
                               "terminal.role": role}
    if config.ledger.key_file:
        options["ledger.key_file"] = str(key_path)
    try:
        set_options(config_path, options)
    except (ConfigError, OSError) as exc:
        return _fail(args, "config", f"密钥已保存，但配置写入失败 / key saved, configuration not written: {exc}")
    if getattr(args, "json", False):
        print(json.dumps({"ok": True, "key_id": key_id, "terminal_id": terminal_id, "role": role,
                          "key_file": str(key_path), "config": str(config_path)}, ensure_ascii=False))
    else:
        print(f"enrolled as {terminal_id} ({role}), key {key_id} / 终端登记完成")
        print(f"  private key: {key_path} (0600)\n  configuration: {config_path}")
    return EXIT_OK


def cmd_set_pin(args: argparse.Namespace) -> int:
    if sys.stdin.isatty():
        pin = getpass.getpass("新维护口令 New technician PIN: ")
        if getpass.getpass("再输入一次 Again: ") != pin:
            return _fail(args, "mismatch", "两次输入不一致 / the two entries differ")
    else:
        pin = sys.stdin.readline().rstrip("\n")
    problem = check_new_pin(pin)
    if problem:
        return _fail(args, "weak_pin", problem)
    config_path = _config_path(args)
    try:
        set_options(config_path, {"kiosk.technician_pin_hash": hash_pin(pin)})
    except (ConfigError, OSError) as exc:
        return _fail(args, "config", str(exc))
    print(f"technician PIN set in {config_path} (argon2) / 维护口令已设置")
    return EXIT_OK
