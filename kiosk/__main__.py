"""`hpf-kiosk` (and `python -m kiosk`): the collector paused before the kiosk's modules are imported.

The import of `kiosk.app` and the first frame allocate a few hundred thousand objects that live as
long as the process; `infra.startup_gc` pauses the collector for them, here, where the program
starts (importing `kiosk.app` for anything else, a test or a tool, changes nothing process-wide).
The kiosk window resumes it after its first frame (`kiosk.window`), `build_kiosk` at once, and so
does this module if the program ends before a window was built.
"""

from __future__ import annotations

from collections.abc import Sequence

from infra import startup_gc


def main(argv: Sequence[str] | None = None) -> int:
    return startup_gc.run_paused("kiosk.app", argv)


if __name__ == "__main__":
    raise SystemExit(main())
