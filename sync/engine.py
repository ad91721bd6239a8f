"""The sync engine: a background thread (no Qt) that drains the outbox to the ledger.

One round: take the terminal's sender lock (or, if another process holds it, only probe the
ledger for the status), send the oldest pending items in batches of at most 200 in creation
order, store the ledger's answers, pull reference data when due, send a heartbeat when due.
A failed round waits an exponentially growing, jittered delay before the next; `wake()` (called
after an enqueue) skips the normal pause but never a backoff.

`send_now(key, timeout_s)` sends one just-enqueued item at once, ahead of the backlog, with the same
idempotency key, and waits for its answer (the kiosk's "wait for the centre's decision"); the
item is claimed pending -> in flight in the store like any batch, and only the process holding
the sender lock sends, so it stays exactly-once beside the background rounds.

A batch the ledger refuses as a whole (4xx) is split in halves until the one offending item is
found and parked with the ledger's reason; the others go on. A server fault (500, or an answer
that is not the protocol) is split the same way, since one item's content may cause it: only a
single item that still faults counts a fault, and is parked after `max_server_errors`, so it never
parks its neighbours. An outage (502/503/504, connection refused, timeout) backs the whole batch
off and counts nothing against any item.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.logs import get_logger
from sync import errors
from sync.cache import ReferenceCache
from sync.client import MAX_BATCH, REFERENCE_NAMES, ItemResult, LedgerClient, Reason
from sync.filelock import FileLock
from sync.outbox import ACKNOWLEDGED, PARKED, REJECTED, Item, Outbox, age_seconds
from sync.status import StatusBoard, SyncStatus
from sync.store import utc_now

log = get_logger("sync")

# Answers that say something in the request body is wrong: halve the batch to find the item.
ITEM_FAULT_STATUSES = (400, 413, 422)
# Answers that say the ledger (or what stands in front of it) is down: nothing to do with the items.
OUTAGE_STATUSES = (502, 503, 504)


@dataclass(frozen=True)
class EngineSettings:
    batch_size: int = MAX_BATCH
    interval_s: float = 2.0  # pause between rounds when all is well
    backoff_base_s: float = 0.5
    backoff_max_s: float = 60.0
    max_server_errors: int = 20  # 5xx answers an item may collect before it is parked
    reference_every_s: float = 900.0
    heartbeat_every_s: float = 60.0


def backoff_delay(failures: int, base_s: float, max_s: float, rng: random.Random) -> float:
    """Exponential backoff with "equal jitter": half fixed, half random, capped at `max_s`."""
    ceiling = min(max_s, base_s * 2.0 ** min(failures - 1, 30))
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


class SyncEngine:
    def __init__(self, outbox: Outbox, client: LedgerClient, *, lock_path: Path,
                 settings: EngineSettings | None = None, references: ReferenceCache | None = None,
                 rng: random.Random | None = None) -> None:
        self.outbox = outbox
        self.client = client
        self.settings = settings or EngineSettings()
        self.references = references
        self.board = StatusBoard()
        self._lock = FileLock(lock_path)
        self._rng = rng or random.Random()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._failures = 0
        self._next_reference = 0.0
        self._next_heartbeat = 0.0
        self.heartbeat_extra: Callable[[], Mapping[str, Any]] | None = None
        self._refresh()  # the queue's real counts from the start, never a default "all sent"

    # --- life cycle ------------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="hpf-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            if self._thread.is_alive():  # still inside a request: keep the lock, the thread may still send
                log.warning("sync thread did not stop within %.0f s; keeping the sender lock", timeout_s)
                return
            self._thread = None
        self._lock.release()
        self.board.update(sender=False)

    def wake(self) -> None:
        """Something was enqueued: start the next round now unless backing off."""
        self._wake.set()

    @property
    def status(self) -> SyncStatus:
        return self.board.current

    def _run(self) -> None:
        pause = 0.0
        while not self._stop.is_set():
            deadline = time.monotonic() + pause
            backing_off = self._failures > 0
            while not self._stop.is_set():
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._wake.wait(remaining) and not backing_off:
                    break
                self._wake.clear()
            self._wake.clear()
            if self._stop.is_set():
                break
            try:
                self.run_once()
            except Exception as exc:  # keep the worker alive whatever happens; the status shows it
                log.exception("sync round failed unexpectedly")
                self._fail(errors.LedgerError(repr(exc)))
            pause = (backoff_delay(self._failures, self.settings.backoff_base_s, self.settings.backoff_max_s,
                                   self._rng) if self._failures else self.settings.interval_s)

    # --- one round -------------------------------------------------------------------------------

    def run_once(self) -> SyncStatus:
        """One synchronous round (the thread calls this; tests may too)."""
        if not self._lock.held and self._lock.try_acquire():
            recovered = self.outbox.recover_in_flight()
            log.info("this process is now the terminal's sender (%d in-flight items put back)", recovered)
        try:
            if self._lock.held:
                if not self._drain():
                    self.client.health()  # nothing to send: still check the ledger is there
                self._succeed()
                self._pull_references()
                self._heartbeat()
            else:
                self.client.health()  # another process sends; we only keep our status honest
                self._succeed()
        except errors.LedgerError as exc:
            self._fail(exc)
        return self.board.current

    def drain_until_empty(self, timeout_s: float = 60.0) -> bool:
        """Run rounds in this thread until nothing is unsent; True if that happened in time. For tools and tests."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            status = self.run_once()
            if status.all_sent:
                return True
            if status.state != "online":
                time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
        return False

    def send_now(self, key: str, timeout_s: float) -> Item | None:
        """Send the item with this idempotency key at once, ahead of any backlog, and wait for the answer.

        Returns the item with the ledger's answer (acknowledged / rejected / parked) or None when there
        was none within `timeout_s` (offline, slow, or another process is the terminal's sender): the
        background rounds then deliver it as usual, with the same key. Exactly-once holds as for the
        rounds: only the process holding the sender lock sends, and the item is claimed pending ->
        in flight in the store, so a round running meanwhile cannot send it a second time (if a round
        claimed it first, this waits for that round's answer instead).
        """
        deadline = time.monotonic() + timeout_s
        if self._lock.held:
            item = self.outbox.claim_key(key)
            if item is not None:
                try:
                    self._send([item], timeout_s=max(0.1, deadline - time.monotonic()))
                except errors.LedgerError as exc:
                    self._fail(exc)
                    self._wake.set()
                    return None
                self._refresh()
        else:
            self.wake()
        while True:
            current = self.outbox.get(key)
            if current is not None and current.state in (ACKNOWLEDGED, REJECTED, PARKED):
                return current
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            time.sleep(min(0.05, remaining))

    def _draining(self) -> bool:
        return not self._stop.is_set() or self._thread is None

    def _drain(self) -> bool:
        """Send until nothing is pending; True if the ledger answered at least one batch.

        Pipelined, in creation order: while batch N's answer is awaited (the request runs on a helper
        thread) the next batch is claimed and unsealed; it is sent the moment N is answered, and N's
        answers are stored while it travels. N+1 never leaves before N is answered, so the ledger applies
        them in order (per member too), and a batch that must be split is split before anything after it
        is sent: the claimed next batch goes back to the queue untouched. Exactly-once rests on the keys
        as before: a crash with N answered but unrecorded and N+1 in flight leaves both in flight, both
        are sent again with the same keys and the ledger answers them from storage."""
        answered = False
        items = self.outbox.claim(self.settings.batch_size) if self._draining() else []
        in_flight = self._post_async(items) if items else None
        while items and in_flight is not None:
            try:
                upcoming = self.outbox.claim(self.settings.batch_size) if self._draining() else []
            except BaseException:
                self._send(items, answered=in_flight)  # N is out: store its answer before giving up
                raise
            failed = in_flight.exception() is not None  # waits for the answer
            if failed:
                if upcoming:
                    self.outbox.release(upcoming)  # not sent: back in the queue, behind the split below
                self._send(items, answered=in_flight)  # the serial path's handling: split, park, back off
                answered = True
                items = self.outbox.claim(self.settings.batch_size) if self._draining() else []
                in_flight = self._post_async(items) if items else None
                continue
            following = self._post_async(upcoming) if upcoming else None
            self._send(items, answered=in_flight)  # stores N's answers while N+1 travels
            answered = True
            items, in_flight = upcoming, following
        return answered

    def _post_async(self, items: Sequence[Item]) -> Future[list[ItemResult]]:
        """POST the batch on a helper thread; the future holds the answer or the exception."""
        future: Future[list[ItemResult]] = Future()

        def post() -> None:
            try:
                future.set_result(self.client.post_transactions(self.outbox.terminal_id, [i.wire() for i in items]))
            except BaseException as exc:  # handed to the engine thread, which handles it as the serial path does
                future.set_exception(exc)

        threading.Thread(target=post, name="hpf-sync-post", daemon=True).start()
        return future

    def _send(self, items: Sequence[Item], *, timeout_s: float | None = None,
              answered: Future[list[ItemResult]] | None = None) -> None:
        try:
            if answered is not None:  # sent already by the pipeline: its answer, or its exception raised here
                results = answered.result()
            else:
                wire = [i.wire() for i in items]
                if timeout_s is None:
                    results = self.client.post_transactions(self.outbox.terminal_id, wire)
                else:
                    results = self.client.post_transactions(self.outbox.terminal_id, wire, timeout_s=timeout_s)
        except errors.LedgerRejected as exc:
            if exc.status not in ITEM_FAULT_STATUSES:  # e.g. 403: about this terminal, not the items
                self.outbox.release(items)
                raise
            self._isolate(items, exc)
            return
        except (errors.LedgerServerError, errors.ProtocolError) as exc:
            if exc.status in OUTAGE_STATUSES:
                self.outbox.release(items)  # an outage: back off, count nothing against the items
                raise
            if len(items) > 1:
                self._isolate(items, exc)  # maybe one item's content: find it, let the others through
                return
            reason = Reason(exc.code, exc.zh, exc.en)
            for item in self.outbox.fail(items, self.settings.max_server_errors, reason):
                log.warning("outbox item %s parked after %d server faults: %s", item.seq, item.attempts, exc)
            raise
        except BaseException:
            self.outbox.release(items)  # not answered: send again later, same keys
            raise
        self.outbox.record(results)
        for r in results:
            if r.status != "accepted":
                log.info("ledger %s item %s: %s", r.status, r.idempotency_key, r.reason.en if r.reason else "")

    def _isolate(self, items: Sequence[Item], exc: errors.LedgerError) -> None:
        """The ledger refused (or faulted on) the request itself: find the item by halving the batch."""
        if len(items) == 1:
            self.outbox.park(items[0], Reason(exc.code, exc.zh, exc.en))
            log.warning("outbox item %s parked: the ledger refused it (%s)", items[0].seq, exc)
            return
        mid = len(items) // 2
        try:
            self._send(items[:mid])
            self._send(items[mid:])
        except BaseException:
            self.outbox.release(items)  # only those still in flight go back to pending
            raise

    def _pull_references(self) -> None:
        if self.references is None or time.monotonic() < self._next_reference:
            return
        for name in REFERENCE_NAMES:
            try:
                ref = self.client.reference(name, self.references.etag(name))
            except errors.NotFound:
                continue  # this ledger does not publish that set
            if ref.not_modified:
                self.references.touch(name)
            else:
                self.references.put(name, ref.body, ref.etag)
        self._next_reference = time.monotonic() + self.settings.reference_every_s

    def _heartbeat(self) -> None:
        if time.monotonic() < self._next_heartbeat:
            return
        status = self.board.current.as_dict()
        if self.heartbeat_extra is not None:  # device states, disk, version (support.heartbeat)
            try:
                status = {**self.heartbeat_extra(), **status}
            except Exception:  # a broken report must not stop the heartbeat itself
                log.exception("heartbeat report failed; sending the sync status only")
        self.client.heartbeat(self.outbox.terminal_id, status)
        self._next_heartbeat = time.monotonic() + self.settings.heartbeat_every_s

    # --- status ----------------------------------------------------------------------------------

    def _succeed(self) -> None:
        if self._failures:
            log.info("ledger reachable again after %d failed rounds", self._failures)
        self._failures = 0
        self._refresh(state="online", last_success=utc_now(), last_error=None, last_error_zh=None,
                      last_error_en=None)

    def _fail(self, exc: errors.LedgerError) -> None:
        self._failures += 1
        offline = isinstance(exc, errors.LedgerUnavailable | errors.LedgerTimeout)
        if self._failures == 1:
            log.info("sync round failed, will retry with backoff: %s", exc)
        # A ledger older than this terminal: its items were released untouched (no attempt counted).
        held = isinstance(exc, errors.ProtocolUnsupported)
        self._refresh(state="held" if held else "offline" if offline else "degraded", last_error=str(exc),
                      last_error_zh=exc.zh, last_error_en=exc.en)

    def _refresh(self, **changes: Any) -> SyncStatus:
        """Publish the queue's counts together with any state change, as one consistent status."""
        counts = self.outbox.counts()
        return self.board.update(**changes, unsent=counts.unsent, for_clerk=self.outbox.clerk_count(),
                                 oldest_unsent_age_s=age_seconds(counts.oldest_pending_at),
                                 sender=self._lock.held, clock_offset_s=self.client.clock_offset_s)
