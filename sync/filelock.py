"""An advisory OS file lock that the kernel releases when the holding process dies.

Used for "one sender per terminal" and to serialise schema migrations between processes. A
lock row in the database would outlive a SIGKILLed holder until it expired; an OS lock does not.
On POSIX this is `flock` (per open file, so two opens in one process also exclude each other);
on Windows `msvcrt.locking` on the first byte.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from types import TracebackType


class FileLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def try_acquire(self) -> bool:
        """Take the lock if it is free; False (at once) when another holder has it."""
        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if _lock(fd):
            self._fd = fd
            return True
        os.close(fd)
        return False

    def acquire(self, timeout_s: float = 60.0, poll_s: float = 0.01) -> None:
        deadline = time.monotonic() + timeout_s
        while not self.try_acquire():
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.path}: still locked by another process after {timeout_s} s")
            time.sleep(poll_s)

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        _unlock(fd)
        os.close(fd)

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


if sys.platform == "win32":  # pragma: no cover - exercised on Windows terminals only
    import msvcrt

    def _lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
