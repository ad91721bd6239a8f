"""Start one HPF application inside the packaged build.

A packaged program has no `python` next to it: `sys.executable` is the program itself. Code that
starts a helper as `[sys.executable, "-m", MODULE, ...]` (the kiosk demo starts its local ledger
that way) therefore runs `hpf-kiosk -m ledger.cli serve ...`; this launcher answers such calls by
running that module's `main()` instead of the program's own. Only the modules listed here may be
run so: a lobby terminal's program must not become a general Python interpreter.
"""

from __future__ import annotations

import importlib
import sys
from typing import NoReturn

# Modules a packaged program runs for `PROGRAM -m MODULE ARGS`; each has `main(argv) -> int`.
RUNNABLE_MODULES = ("ledger.cli", "kiosk.demo")


def _run_main(module_name: str, argv: list[str] | None) -> NoReturn:
    module = importlib.import_module(module_name)
    sys.exit(module.main(argv))


def launch(module_name: str) -> NoReturn:
    """Run `module_name.main()`, or the allowed module named by `-m MODULE` in a packaged build."""
    args = sys.argv[1:]
    if getattr(sys, "frozen", False) and args[:1] == ["-m"]:
        target = args[1] if len(args) > 1 else ""
        if target not in RUNNABLE_MODULES:
            allowed = ", ".join(RUNNABLE_MODULES)
            print(f"不能运行模块 {target!r} / cannot run module {target!r} here; allowed: {allowed}",
                  file=sys.stderr)
            sys.exit(2)
        _run_main(target, args[2:])
    _run_main(module_name, None)
