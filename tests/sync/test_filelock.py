"""The sender lock on the `filelock` package keeps what the hand-written lock guaranteed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import filelock as upstream

from sync.filelock import FileLock


def test_a_lock_taken_in_the_sync_thread_is_released_by_the_stopping_thread(tmp_path: Path) -> None:
    path = tmp_path / "sender.lock"
    mine = FileLock(path)
    taker = threading.Thread(target=mine.try_acquire)
    taker.start()
    taker.join()
    assert mine.held and not FileLock(path).try_acquire()
    mine.release()  # SyncEngine.stop() runs in the caller's thread, not the sync thread
    other = FileLock(path)
    assert other.try_acquire()
    other.release()


def test_the_package_default_would_keep_the_lock_after_a_release_from_another_thread(tmp_path: Path) -> None:
    """Why sync.filelock sets thread_local=False: the default lock ignores a cross-thread release."""
    path = tmp_path / "sender.lock"
    default = upstream.FileLock(path)
    taker = threading.Thread(target=lambda: default.acquire(timeout=0))
    taker.start()
    taker.join()
    assert not default.is_locked  # seen from this thread, the lock is not held …
    assert not FileLock(path).try_acquire()  # … yet the file is locked: stop() could never free it


def test_holding_twice_needs_one_release(tmp_path: Path) -> None:
    lock = FileLock(tmp_path / "x.lock")
    assert lock.try_acquire() and lock.try_acquire()
    lock.release()
    assert not lock.held
    assert FileLock(tmp_path / "x.lock").try_acquire()


def test_a_killed_holder_frees_the_lock_at_once(tmp_path: Path) -> None:
    path = tmp_path / "sender.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from sync.filelock import FileLock; "
         f"lock = FileLock(Path({str(path)!r})); assert lock.try_acquire(); print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2])
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert not FileLock(path).try_acquire()
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(10)
        holder.stdout.close()
    survivor = FileLock(path)
    assert survivor.try_acquire()  # no stale lock file to expire: the kernel dropped the lock
    survivor.release()
