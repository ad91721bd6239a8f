"""The garbage collector during an application's start-up.

Importing the kiosk's or the counter's modules and building the first window allocate a few
hundred thousand objects, nearly all of which live as long as the process; the collector runs
every 700 allocations and walks them again and again (~50 collections before the first frame,
several milliseconds). `pause()` stops it (the programs' entries call it first, `run_paused`:
the imports are the bulk of the allocations) and `resume()` starts it again after the first frame.
A program that imports an app module and builds its window some other way (tests, the demo,
screenshots) resumes it when that window is built. Nothing is lost: the first collection after
`resume()` finds whatever garbage the start-up left.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Sequence

_paused = False


def pause() -> None:
    """Stop automatic collection, unless someone else already has (then it is theirs to resume)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Start automatic collection again if `pause` stopped it."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()


def paused() -> bool:
    return _paused


def run_paused(module: str, argv: Sequence[str] | None) -> int:
    """A program's entry (`hpf-kiosk`, `hpf-counter`): the collector paused, then `module` imported and its
    `main(argv)` run; resumed at the end if no first frame resumed it (the program ended before a window)."""
    pause()
    try:
        return int(importlib.import_module(module).main(argv))
    finally:
        resume()
