"""Start one HPF application inside the packaged build.

One executable (`hpf-terminal`) serves every program of a bundle: `hpf-kiosk`, `hpf-counter`, …
are links to it and it runs the program named by the link it was started as (`launch_by_name`),
or `hpf-terminal PROGRAM ARGS`. The Python archive is thereby stored once, not once per program.

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
# Program name -> module with main(); the same as installer.bundle.APPS (a test keeps them equal).
PROGRAMS = {
    "hpf-kiosk": "kiosk.__main__",
    "hpf-counter": "counter_app.__main__",
    "hpf-ledger": "ledger.cli",
    "hpf-diag": "support.diag",
    "hpf-sync": "sync.tool",
}
LAUNCHER = "hpf-terminal"


def _run_main(module_name: str, argv: list[str] | None) -> NoReturn:
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        if not exc.name or not (module_name == exc.name or module_name.startswith(exc.name + ".")):
            raise  # a real fault inside the program, not a program this bundle leaves out
        print(f"本安装包不含 {module_name} / this build does not include {module_name}", file=sys.stderr)
        sys.exit(2)
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


def program_name(argv0: str) -> str:
    name = argv0.replace("\\", "/").rsplit("/", 1)[-1]
    return name[:-4] if name.lower().endswith(".exe") else name


def launch_by_name() -> NoReturn:
    """The multi-call entry: run the program this executable was started as."""
    name = program_name(sys.argv[0])
    if name not in PROGRAMS and sys.argv[1:2] and sys.argv[1] in PROGRAMS:
        name = sys.argv.pop(1)  # `hpf-terminal hpf-kiosk ARGS`
    if name in PROGRAMS:
        launch(PROGRAMS[name])
    if getattr(sys, "frozen", False) and sys.argv[1:2] == ["-m"]:
        launch(PROGRAMS["hpf-diag"])  # `hpf-terminal -m MODULE`: launch() runs MODULE, never hpf-diag
    print(f"用法 / usage: {LAUNCHER} PROGRAM [ARGS], or start it as one of: {', '.join(PROGRAMS)}",
          file=sys.stderr)
    sys.exit(2)
