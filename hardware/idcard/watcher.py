"""Watch an ID card reader in the background: every card placed is read once, every removal seen.

The kiosk wipes a session when the card leaves the reader (docs/architecture.md), so the watcher
alternates between reading (a `DataEvent` with the `IdCardRecord`) and waiting for the card to
leave (a `StatusChanged` with card ABSENT). Device errors are already reported by the reader as
`ErrorEvent`s; the watcher then waits `retry_s` and carries on, so an unplugged reader that comes
back is picked up again once the manager reopens it.
"""

from __future__ import annotations

import threading

from hardware.model import DeviceError, IdCardReader, LifecycleState, StateError
from infra.logs import get_logger

log = get_logger("hardware")

CARD_NOT_REMOVED = "CARD_NOT_REMOVED"


class CardWatcher:
    def __init__(self, reader: IdCardReader, *, poll_s: float = 0.3, retry_s: float = 2.0) -> None:
        self.reader = reader
        self.poll_s = poll_s
        self.retry_s = retry_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name=f"watch-{self.reader.name}", daemon=True)
            self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            if self.reader.state is not LifecycleState.ENABLED:
                self._stop.wait(self.retry_s)
                continue
            try:
                if self.reader.read_card(timeout_s=self.poll_s) is not None:
                    self._wait_for_removal()  # the card stays on the reader during a session: no error for that
            except StateError:
                self._stop.wait(self.retry_s)  # closed under us; wait until someone enables it again
            except DeviceError as exc:
                if exc.code == CARD_NOT_REMOVED:
                    self._wait_for_removal()
                else:
                    log.info("ID card watcher: %s", exc)
                    self._stop.wait(self.retry_s)

    def _wait_for_removal(self) -> None:
        while not self._stop.is_set():
            try:
                if self.reader.wait_for_removal(timeout_s=self.poll_s):
                    return
            except DeviceError as exc:
                log.info("ID card watcher: %s", exc)
                self._stop.wait(self.retry_s)
                return
