"""Input loops for the devices a kiosk listens to: the ID card reader and the code scanner.

HAL input devices deliver data when asked (`read_card`, `scan`) and emit the result as events;
each loop here owns its device on one daemon thread, asks again and again, and after a card was
read waits for it to leave the reader (the reader's status then reports the card absent, which
the window turns into a session wipe). Device faults are already reported by the driver as
status and error events; the loop only pauses and tries again.
"""

from __future__ import annotations

import threading
from typing import Any

from hardware.model import DeviceError
from infra.logs import get_logger

log = get_logger("kiosk")

RETRY_PAUSE_S = 1.0
POLL_TIMEOUT_S = 0.5


class InputLoop:
    def __init__(self, device: Any, name: str) -> None:
        self.device = device
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"hpf-{name}", daemon=True)

    def start(self) -> InputLoop:
        self._thread.start()
        return self

    def stop(self, timeout_s: float = 3.0) -> None:
        self._stop.set()
        self._thread.join(timeout_s)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.step()
            except DeviceError:
                self._stop.wait(RETRY_PAUSE_S)
            except Exception:  # a driver bug must not kill the loop: log and go on
                log.exception("input loop of %s failed", self.device)
                self._stop.wait(RETRY_PAUSE_S)

    def step(self) -> None:
        raise NotImplementedError


class CardReaderLoop(InputLoop):
    def step(self) -> None:
        if self.device.read_card(POLL_TIMEOUT_S) is None:
            return
        while not self._stop.is_set() and not self.device.wait_for_removal(POLL_TIMEOUT_S):
            pass


class ScannerLoop(InputLoop):
    def step(self) -> None:
        self.device.scan(POLL_TIMEOUT_S)
