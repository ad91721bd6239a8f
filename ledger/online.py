"""Online first: a person waiting at a kiosk goes before the backlogs (issue 14, item 6).

An online request is a kiosk's single application (`SyncEngine.send_now`: one item, a member at the
screen waits for the decision). It is marked online (ledger.app `ingest`) once its signature headers are
read and before the ledger writes anything for it (its nonce, its member session's token), until it is
answered: on PostgreSQL from its nonce, after the signature check; on SQLite, where every transaction
takes the one write lock, from its key look-up. Backlog batches (many items, nobody waiting) check
`ONLINE.busy()` between two items and wait asleep while an online request is in flight, at most a budget
per batch (`GiveWay`).

With `hpf-ledger serve --workers N` the mark is seen by every worker process: the parent creates a
small board (`OnlineBoard`: a file of one counter per worker, mapped into each worker's memory) before
the workers start; each worker claims a slot (an flock on the slot's file, dropped by the kernel if the
worker dies)
and writes only its own counter, and `busy()` reads all of them. A drain in one worker thus gives way
to an online request that another worker is deciding: on two cores the other worker's drain otherwise
keeps the CPU and the database busy. Reading the board is a memory compare, no system call and no
database round trip.

Within one process the online request's thread shares the interpreter lock with the drain threads and the
event loop. Each of its database round trips releases the lock; coming back, the thread waits until the
running thread lets go, which CPython asks of a busy thread every "switch interval" (5 ms by default). A
ledger process asks every `SWITCH_INTERVAL_S` instead (`share_the_interpreter_briefly`, called by
ledger.app `create_app`): the online request, a few dozen round trips and hops, waits a fraction of that.
"""

from __future__ import annotations

import contextlib
import fcntl
import mmap
import os
import shutil
import struct
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SLOTS = 64  # worker processes one board serves (`--workers` is at most 64)
_SLOT = struct.Struct("<q")
_SIZE = SLOTS * _SLOT.size
_ZERO = bytes(_SIZE)
POLL_S = 0.003  # how often a waiting drain looks at the other workers' counters
# How long a thread that holds the interpreter keeps it while another waits for it (CPython's default: 5 ms).
# Measured (docs/scaling.md): the online decision's p95 under 16 draining terminals on PostgreSQL fell from
# ~205 to 124-180 ms at 1 ms, the drains no slower.
SWITCH_INTERVAL_S = 0.001


def share_the_interpreter_briefly() -> None:
    """A ledger process: threads hand the interpreter lock over every SWITCH_INTERVAL_S (never longer than asked
    before), so a thread back from the database or the event loop waits for it at most that long."""
    if sys.getswitchinterval() > SWITCH_INTERVAL_S:
        sys.setswitchinterval(SWITCH_INTERVAL_S)


class OnlineBoard:
    """The shared counters of one `serve --workers N`: slot i holds worker i's online requests in flight."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._lock_fd = -1
        self._fd = os.open(directory / "counters", os.O_RDWR)
        try:
            if os.fstat(self._fd).st_size < _SIZE:
                os.ftruncate(self._fd, _SIZE)
            self._map = mmap.mmap(self._fd, _SIZE)
            self.slot = self._claim()
        except BaseException:
            os.close(self._fd)
            raise
        self.set(0)  # a worker that died in flight left its count behind: the new owner resets it

    def _claim(self) -> int:
        for slot in range(SLOTS):
            fd = os.open(self.directory / f"slot-{slot}", os.O_RDWR | os.O_CREAT, 0o600)
            try:  # held until this process exits (the kernel drops it if the process dies)
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue
            self._lock_fd = fd
            return slot
        self._map.close()
        raise RuntimeError(f"the online board {self.directory} has no free slot (more than {SLOTS} workers)")

    def set(self, count: int) -> None:
        _SLOT.pack_into(self._map, self.slot * _SLOT.size, count)

    def any_busy(self) -> bool:
        return self._map[:_SIZE] != _ZERO

    def close(self) -> None:
        with contextlib.suppress(ValueError, OSError):
            self.set(0)
        self._map.close()
        os.close(self._fd)
        os.close(self._lock_fd)  # frees the slot for another worker


@contextmanager
def board_directory() -> Iterator[Path]:
    """A fresh board for the workers of one `serve` (the parent creates it before they start, removes it after)."""
    directory = Path(tempfile.mkdtemp(prefix="hpf-ledger-online-"))
    try:
        fd = os.open(directory / "counters", os.O_RDWR | os.O_CREAT, 0o600)
        os.ftruncate(fd, _SIZE)
        os.close(fd)
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


class OnlineFirst:
    """Online requests in flight: in this process, and (attached to a board) in the other worker processes.

    Backlog batches check `busy()` between two items and wait, asleep, until no online request is in
    flight (at most `GiveWay` budget per batch), so a drain of thousands never stands between a member and
    the decision on their application."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._online = 0
        self._board: OnlineBoard | None = None

    def attach(self, path: Path) -> None:
        """Share the mark with the other workers of this `serve` (call once, in the worker, before serving)."""
        with self._cond:
            if self._board is not None:
                self._board.close()
            self._board = OnlineBoard(path)
            self._board.set(self._online)

    def detach(self) -> None:
        with self._cond:
            if self._board is not None:
                self._board.close()
                self._board = None

    @property
    def shared(self) -> bool:
        return self._board is not None

    @contextmanager
    def online(self) -> Iterator[None]:
        with self._cond:
            self._online += 1
            if self._board is not None:
                self._board.set(self._online)
        try:
            yield
        finally:
            with self._cond:
                self._online -= 1
                if self._board is not None:
                    self._board.set(self._online)
                if not self._online:
                    self._cond.notify_all()

    def busy(self) -> bool:
        if self._online > 0:
            return True
        board = self._board
        return board is not None and board.any_busy()

    def wait_clear(self, timeout_s: float) -> None:
        """Sleep until no online request is in flight anywhere, or `timeout_s` has passed."""
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while self.busy():
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                # this process's requests notify; the other workers' are polled
                self._cond.wait(min(left, POLL_S) if self._board is not None else left)


class GiveWay:
    """One backlog batch's pauses for online requests, at most `budget_s` in all: a batch that holds a row
    an online request waits for must not stall it (nor itself) for long."""

    def __init__(self, budget_s: float) -> None:
        self.left = budget_s

    def pause(self) -> None:
        if self.left <= 0 or not ONLINE.busy():
            return
        t0 = time.monotonic()
        ONLINE.wait_clear(self.left)
        self.left -= time.monotonic() - t0


ONLINE = OnlineFirst()
