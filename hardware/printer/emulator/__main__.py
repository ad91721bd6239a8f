"""Run the printer emulator on its own: `python -m hardware.printer.emulator --port 9100 --png-dir out/`.

Every receipt it cuts is saved as PNG in the directory, so `hpf-diag print-test --printer
tcp://127.0.0.1:9100` can be tried without a printer. Ctrl+C stops it.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from hardware.printer.emulator.server import PrinterEmulator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hardware.printer.emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    parser.add_argument("--port", type=int, default=9100, help="TCP port (default 9100, the raw printing port)")
    parser.add_argument("--png-dir", type=Path, default=Path("."), help="where cut receipts are saved")
    parser.add_argument("--paper-lines", type=int, default=None, help="run out of paper after this many lines")
    parser.add_argument("--seconds", type=float, default=0, help="stop after this long (0: until Ctrl+C)")
    args = parser.parse_args(argv)
    args.png_dir.mkdir(parents=True, exist_ok=True)
    saved = 0
    deadline = time.monotonic() + args.seconds if args.seconds else None
    with PrinterEmulator(args.host, args.port) as emulator:
        if args.paper_lines is not None:
            emulator.run_out_of_paper(after_lines=args.paper_lines)
        print(f"printer emulator listening on {emulator.uri}; receipts go to {args.png_dir}", flush=True)
        try:
            while deadline is None or time.monotonic() < deadline:
                while saved < len(emulator.paper.receipts):
                    path = emulator.save_png(args.png_dir / f"receipt-{saved + 1:04d}.png", saved)
                    print(f"printed {path}", flush=True)
                    saved += 1
                time.sleep(0.2)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
