"""Crash handling: log every uncaught exception, then let the application recover.

The kiosk registers a recovery callback that returns to the home screen, so an unexpected
error never leaves a dead window in front of a member.
"""

from __future__ import annotations

import faulthandler
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TextIO

from infra import paths
from infra.logs import get_logger

log = get_logger("app")

Recovery = Callable[[BaseException], None]


Dispatch = Callable[[Callable[[], None]], None]


class CrashHandler:
    """`recover` touches the window, so it must run on the GUI thread: an exception raised on a
    worker thread hands it to `dispatch` (the Qt side's `TaskManager.run_on_main`) instead of
    calling it there. Without a dispatch it runs where the exception was raised."""

    def __init__(self, recover: Recovery | None = None, dispatch: Dispatch | None = None) -> None:
        self.recover = recover
        self.dispatch = dispatch
        self.count = 0
        self._fault_file: TextIO | None = None

    def install(self, fault_log: Path | None = None) -> None:
        sys.excepthook = self.handle
        threading.excepthook = self._thread_hook
        fault_log = fault_log or paths.log_dir() / "fault.log"
        fault_log.parent.mkdir(parents=True, exist_ok=True)
        self._fault_file = fault_log.open("a", encoding="utf-8")
        faulthandler.enable(self._fault_file)  # hard crashes (segfaults in drivers) too

    def handle(self, exc_type: type[BaseException], exc: BaseException,
               tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        self.count += 1
        log.error("uncaught exception: %s", exc, exc_info=(exc_type, exc, tb))
        if self.recover is None:
            return
        if self.dispatch is not None and threading.current_thread() is not threading.main_thread():
            self.dispatch(lambda: self._recover(exc))
        else:
            self._recover(exc)

    def _recover(self, exc: BaseException) -> None:
        assert self.recover is not None
        try:
            self.recover(exc)
        except Exception:  # recovery itself failed: log it, never loop
            log.exception("recovery after a crash failed")

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self.handle(args.exc_type, args.exc_value, args.exc_traceback)
