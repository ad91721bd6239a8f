"""`hpf-diag`: the device commands of `hardware.diag`, plus what needs more than the devices:

    hpf-diag bundle --out FILE.zip     the support bundle (logs masked, secrets redacted, devices,
                                       health results, versions, outbox statistics, crash reports)
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

from hardware import diag as device_diag
from infra.cli import config_or_exit


def cmd_bundle(args: argparse.Namespace) -> int:
    from support.bundle import write_bundle

    config = config_or_exit(args)
    out: Path = args.out
    if out.suffix.lower() != ".zip":
        raise device_diag.DiagError(f"--out 应为 .zip 文件 / --out must name a .zip file: {out}", "USAGE")
    try:
        report = write_bundle(out, config)
    except OSError as exc:
        raise device_diag.DiagError(f"无法写入支持包 / cannot write the bundle {out}: {exc.strerror or exc}",
                                    "WRITE_FAILED") from None
    text = f"support bundle written: {report.path} ({report.size} bytes, {len(report.members)} files)"
    if args.json:
        print(json.dumps({"ok": True, "path": str(report.path), "size": report.size,
                          "members": list(report.members)}, ensure_ascii=False))
    else:
        print(text)
    return device_diag.EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = device_diag.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    p = sub.add_parser("bundle", help="write the support bundle (masked logs, redacted configuration, devices, "
                                      "outbox statistics, versions, crash reports)")
    p.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output")
    p.add_argument("--out", type=Path, required=True, help="the .zip file to write")
    p.set_defaults(run=cmd_bundle)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    return device_diag.main(argv, build_parser())


if __name__ == "__main__":
    raise SystemExit(main())
