"""`hpf-counter` (and `python -m counter_app`): the collector paused before the counter's modules are imported.

The import of `counter_app.app` and the first frame allocate a few hundred thousand objects that live as
long as the process; `infra.startup_gc` pauses the collector for them, here, where the program
starts (importing `counter_app.app` for anything else, a test or a tool, changes nothing process-wide).
The counter resumes it after its first frame (`counter_app.app.start_counter`), `build_counter` at once, and so
does this module if the program ends before a window was built.
"""

from __future__ import annotations

from collections.abc import Sequence

from infra import startup_gc


def main(argv: Sequence[str] | None = None) -> int:
    return startup_gc.run_paused("counter_app.app", argv)


if __name__ == "__main__":
    raise SystemExit(main())
