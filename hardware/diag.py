"""`hpf-diag`: the technicians' command line for the terminal's devices.

    hpf-diag list                                   configured devices, ports, what cannot be driven
    hpf-diag check [DEVICE] --level internal|external
    hpf-diag read-id --port PORT [--baud N] [--unmasked]
    hpf-diag scan --image FILE
    hpf-diag print-test --printer URI [--profile NAME]
    hpf-diag emulate-idcard [--card resident|permanent|hk] [--present] [--seconds N]

Every command takes `--json`. Exit status: 0 healthy, 1 a device problem (one line on stderr
saying why), 2 a usage or configuration error.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

from hardware import diag_credentials
from hardware.health import HealthLevel
from hardware.model import DeviceClass, DeviceError, DeviceSpec
from infra.cli import base_parser, config_or_exit
from infra.logs import setup_logging

EXIT_OK, EXIT_UNHEALTHY, EXIT_USAGE = 0, 1, 2


class DiagError(Exception):
    """A one-line reason to exit with status 1 (and, with --json, an error object on stdout)."""

    def __init__(self, reason: str, code: str = "FAILED", *, printed: bool = False) -> None:
        super().__init__(reason)
        self.code = code
        self.printed = printed  # the command already wrote its result (which shows the failure)


def _from_device_error(exc: DeviceError) -> DiagError:
    return DiagError(f"{exc.message_zh} / {exc}", exc.code)


def _emit(args: argparse.Namespace, data: object, text: str) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2) if args.json else text)


# -- list and check ---------------------------------------------------------------------------------


def _manager(args: argparse.Namespace) -> Any:
    from hardware.manager import DeviceManager

    return DeviceManager(config_or_exit(args, "hpf-diag"))


def cmd_list(args: argparse.Namespace) -> int:
    from hardware.registry import load_errors

    manager = _manager(args)
    rows = manager.rows()
    lines = []
    for row in rows:
        where = f" {row.uri}" if row.uri else ""
        if not row.device_class:
            lines.append(f"{row.name}: not driven - {row.reason}")
        elif row.driver:
            lines.append(f"{row.name:<10} {row.kind}{where}: {row.driver} ({row.state})")
        else:
            lines.append(f"{row.name:<10} {row.kind}{where}: cannot drive - {row.reason}")
    _emit(args, {"devices": [row.as_dict() for row in rows], "driver_load_errors": load_errors()},
          "\n".join(lines) or "no devices configured")
    undrivable = [row for row in rows if row.device_class and not row.driver]
    if undrivable:
        raise DiagError(f"{undrivable[0].name}: cannot drive - {undrivable[0].reason}", "NO_DRIVER", printed=True)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    manager = _manager(args)
    level = HealthLevel(args.level)
    names = [args.device] if args.device else list(manager.specs)
    if args.device and args.device not in manager.specs:
        known = ", ".join(manager.specs) or "none"
        raise DiagError(f"no device named {args.device!r}; configured: {known}", "UNKNOWN_DEVICE")
    results = [manager.check(name, level) for name in names]
    _emit(args, [r.as_dict() for r in results],
          "\n".join(("ok    " if r.ok else "FAIL  ") + r.one_line() for r in results) or "no devices configured")
    failed = [r for r in results if not r.ok]
    if failed:
        raise DiagError(failed[0].one_line(), failed[0].code, printed=True)
    return EXIT_OK


# -- read-id ----------------------------------------------------------------------------------------

_LABELS = (("name", "姓名"), ("sex", "性别"), ("ethnicity", "民族"), ("birth_date", "出生"), ("address", "住址"),
           ("id_number", "公民身份号码"), ("issuer", "签发机关"), ("valid_from", "有效期起"), ("valid_to", "有效期止"))


def cmd_read_id(args: argparse.Namespace) -> int:
    from hardware.idcard.sam_serial import SamSerialReader

    spec = DeviceSpec(DeviceClass.ID_READER, "id_reader", "serial", args.port, args.baud,
                      MappingProxyType({"retries": args.retries}))
    reader = SamSerialReader(spec)
    try:
        with reader:
            record = reader.read_card(timeout_s=args.timeout)
    except DeviceError as exc:
        raise _from_device_error(exc) from None
    if record is None:
        raise DiagError(f"未检测到身份证 / no card on the reader within {args.timeout:g} s", "NO_CARD")
    data = record.as_json(unmasked=args.unmasked)
    _emit(args, data, "\n".join(f"{zh}: {data[key]}" for key, zh in _LABELS))
    return EXIT_OK


# -- scan -------------------------------------------------------------------------------------------


def cmd_scan(args: argparse.Namespace) -> int:
    path = Path(args.image)
    if not path.is_file():
        raise DiagError(f"找不到图片 / no such image file: {path}", "NO_FILE")
    try:
        from hardware.scanner import decode_image
    except ImportError as exc:
        raise DiagError(f"扫码模块不可用 / code scanning is not available: {exc}", "DRIVER_UNAVAILABLE") from None
    try:
        codes = decode_image(path)
    except Exception as exc:  # the scanner's ImageError / DecoderUnavailableError carry the reason
        raise DiagError(f"无法识别图片 / {path}: {exc}", type(exc).__name__) from None
    found = [{"format": code.format, "text": code.text} for code in codes]
    _emit(args, found, "\n".join(f"{c['format']}: {c['text']}" for c in found) or "no code found")
    if not found:
        raise DiagError(f"图片中没有识别到条码 / no code found in {path}", "NO_CODE", printed=True)
    return EXIT_OK


# -- print-test -------------------------------------------------------------------------------------


def cmd_print_test(args: argparse.Namespace) -> int:
    try:
        from hardware.printer import open_printer, test_receipt
    except ImportError as exc:
        raise DiagError(f"打印模块不可用 / printing is not available: {exc}", "DRIVER_UNAVAILABLE") from None
    command_id = f"diag-print-test-{uuid.uuid4().hex}"
    try:
        printer = open_printer(args.printer, args.profile)
        try:
            result = printer.print_receipt(test_receipt(), command_id=command_id)
            status = printer.status.as_dict()
        finally:
            printer.close()
    except DeviceError as exc:
        raise _from_device_error(exc) from None
    except ValueError as exc:  # a malformed URI
        raise DiagError(f"打印机地址无效 / {exc}", "BAD_URI") from None
    _emit(args, {"ok": True, "printer": args.printer, "command_id": result.command_id, "status": status},
          f"test receipt printed on {args.printer} (paper {status['paper']}, cover {status['cover']})")
    return EXIT_OK


# -- emulate-idcard ---------------------------------------------------------------------------------


def cmd_emulate_idcard(args: argparse.Namespace) -> int:
    from hardware.idcard.samples import SAMPLES

    try:
        from hardware.idcard.emulator import SamReaderEmulator
    except ImportError:
        raise DiagError("读卡器模拟需要伪终端 / the reader emulator needs a pseudo-terminal (Linux or macOS)",
                      "UNSUPPORTED") from None
    with SamReaderEmulator(SAMPLES[args.card], present=args.present) as emulator:
        _emit(args, {"port": emulator.port, "card": args.card, "present": args.present},
              f"SAM reader emulator on {emulator.port} (card {args.card}, "
              f"{'on the reader' if args.present else 'not presented'}); "
              "type 'present', 'remove' or 'quit'")
        sys.stdout.flush()
        _serve_emulator(emulator, args.seconds)
    return EXIT_OK


def _serve_emulator(emulator: Any, seconds: float | None) -> None:
    """Follow commands on stdin until 'quit', end of input plus `seconds`, or Ctrl-C."""
    deadline = time.monotonic() + seconds if seconds is not None else None
    actions: dict[str, Callable[[], None]] = {"present": emulator.present, "remove": emulator.remove}
    try:
        if deadline is None and sys.stdin.isatty():
            for line in sys.stdin:
                word = line.strip().lower()
                if word in ("quit", "exit", "q"):
                    return
                if word in actions:
                    actions[word]()
                    print(f"card {'on the reader' if emulator.card_in_field else 'removed'}", flush=True)
                elif word:
                    print("commands: present, remove, quit", flush=True)
            return
        while deadline is None or time.monotonic() < deadline:
            time.sleep(0.1 if deadline is None else max(0.0, min(0.1, deadline - time.monotonic())))
    except KeyboardInterrupt:
        return


# -- the parser -------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = base_parser("hpf-diag", "Diagnostics for the terminal's devices (ID card reader, scanner, printer, "
                                     "document camera)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("-v", "--verbose", action="store_true", help="log driver activity to stderr")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("list", parents=[common], help="configured devices, ports and what cannot be driven")
    p.set_defaults(run=cmd_list)

    p = sub.add_parser("check", parents=[common], help="health check of one or every device")
    p.add_argument("device", nargs="?", help="id_reader, scanner, printer or camera (default: all)")
    p.add_argument("--level", choices=[HealthLevel.INTERNAL.value, HealthLevel.EXTERNAL.value],
                   default=HealthLevel.INTERNAL.value,
                   help="internal: status query, no side effect; external: test read / print / scan")
    p.set_defaults(run=cmd_check)

    p = sub.add_parser("read-id", parents=[common], help="read one ID card from a serial SAM reader")
    p.add_argument("--port", required=True, help="serial port, e.g. /dev/ttyUSB0 or COM3")
    p.add_argument("--baud", type=int, default=115200, help="serial speed (default 115200)")
    p.add_argument("--unmasked", action="store_true", help="print the whole ID number")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for a card (default 10)")
    p.add_argument("--retries", type=int, default=2, help="retries of a damaged answer (default 2)")
    p.set_defaults(run=cmd_read_id)

    p = sub.add_parser("scan", parents=[common], help="decode every code in an image file")
    p.add_argument("--image", required=True, help="PNG or JPEG file")
    p.set_defaults(run=cmd_scan)

    p = sub.add_parser("print-test", parents=[common], help="print the test receipt (Chinese and English)")
    p.add_argument("--printer", required=True,
                   help="printer URI: tcp://HOST:9100, serial:///dev/ttyUSB0?baud=19200, usb://04b8:0202, "
                        "file:///dev/usb/lp0")
    p.add_argument("--profile", default=None, help="printer profile name (default: the URI's default)")
    p.set_defaults(run=cmd_print_test)

    p = sub.add_parser("emulate-idcard", parents=[common], help="run a SAM reader emulator on a pseudo-terminal")
    p.add_argument("--card", choices=["resident", "permanent", "hk"], default="resident",
                   help="which sample card (fictitious data)")
    p.add_argument("--present", action="store_true", help="start with the card on the reader")
    p.add_argument("--seconds", type=float, default=None, help="stop after this many seconds")
    p.set_defaults(run=cmd_emulate_idcard)

    diag_credentials.register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None, parser: argparse.ArgumentParser | None = None) -> int:
    """Run hpf-diag; `parser` lets a higher layer add commands (support.diag adds `bundle`)."""
    parser = parser or build_parser()
    args = parser.parse_args(argv)
    if args.verbose:
        setup_logging("DEBUG", to_file=False)
    try:
        code: int = args.run(args)
    except DiagError as failure:
        reason = " ".join(str(failure).split())  # exactly one line
        if args.json and not failure.printed:
            print(json.dumps({"ok": False, "code": failure.code, "reason": reason}, ensure_ascii=False))
        print(f"hpf-diag {args.command}: {reason}", file=sys.stderr)
        return EXIT_UNHEALTHY
    except KeyboardInterrupt:
        return EXIT_UNHEALTHY
    return code


if __name__ == "__main__":
    raise SystemExit(main())
