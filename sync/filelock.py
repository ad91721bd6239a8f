"""The terminal's OS file lock, on the maintained `filelock` package.

Used for "one sender per terminal" and to serialise schema migrations between processes. A
lock row in the database would outlive a SIGKILLed holder until it expired; an OS lock does not
(`flock` on POSIX, `msvcrt.locking` on Windows: the kernel drops it with the process).

The package's defaults are not what a sender lock needs, so they are set here once:
- `thread_local=False`: the sync thread takes the lock and `SyncEngine.stop()` releases it from
  the caller's thread; with a thread-local lock that release would be a no-op and the lock would
  stay held (tests/sync/test_store.py shows it).
- `fallback_to_soft=False`: on a file system without `flock` the package would fall back to a
  lock *file*, which a SIGKILLed holder leaves behind; better to fail loudly.
- not re-entrant for callers: `try_acquire` on a held lock returns True without counting, so one
  `release()` always frees it (the hand-written lock behaved so; the engine relies on it).
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

import filelock


class FileLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = filelock.FileLock(path, thread_local=False, fallback_to_soft=False)

    @property
    def held(self) -> bool:
        return self._lock.is_locked

    def try_acquire(self) -> bool:
        """Take the lock if it is free; False (at once) when another holder has it."""
        if self._lock.is_locked:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire(blocking=False)
        except filelock.Timeout:
            return False
        return True

    def acquire(self, timeout_s: float = 60.0, poll_s: float = 0.01) -> None:
        if self._lock.is_locked:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire(timeout=timeout_s, poll_interval=poll_s)
        except filelock.Timeout:
            raise TimeoutError(f"{self.path}: still locked by another process after {timeout_s} s") from None

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release(force=True)

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()
