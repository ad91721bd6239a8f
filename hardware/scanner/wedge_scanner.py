"""kind "keyboard": a keyboard-wedge scanner, as a device.

Two ways in:
- the application window's key events: the Qt event filter in `ui/` calls `push_key(char, t)`
  for each key and `tick(now)` from a timer, and gives `take_replay()` back to the focused field;
- with `uri` set (`/dev/input/by-id/...-event-kbd`), an exclusive evdev grab on Linux: the
  scanner's keys never reach the desktop or the input method, so a Chinese IME cannot swallow a
  code. Needs the `evdev` package and read access to the device (the `input` group).
"""

from __future__ import annotations

import importlib
import select
import threading
import time
from typing import Any

from hardware.health import HealthLevel, HealthResult
from hardware.model import (
    Availability,
    Capabilities,
    DeviceInfo,
    DeviceNotFoundError,
    DeviceSpec,
    DriverUnavailableError,
    LifecycleState,
)
from hardware.scanner.base import QueueingScanner
from hardware.scanner.keymap import EV_KEY, KeyTranslator
from hardware.scanner.wedge import WedgeConfig, WedgeDecoder
from infra.logs import get_logger

log = get_logger("hardware")


def evdev_unavailable_reason() -> str | None:
    try:
        importlib.import_module("evdev")
    except ImportError:
        return ("the evdev package is not installed (pip install evdev; Linux only); "
                "without it the scanner is read through the application window")
    return None


class WedgeScanner(QueueingScanner):
    source = "wedge"

    def __init__(self, spec: DeviceSpec) -> None:
        super().__init__(spec)
        self.wedge = WedgeDecoder(WedgeConfig.from_options(spec.options))
        self._key_lock = threading.Lock()
        self._dev: Any = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    @property
    def uses_evdev(self) -> bool:
        return bool(self.spec.uri)

    @property
    def info(self) -> DeviceInfo:
        model = getattr(self._dev, "name", "") or ("keyboard wedge (application window)" if not self.uses_evdev
                                                   else f"keyboard wedge {self.spec.uri}")
        return DeviceInfo(model=model, driver=f"{self.spec.kind}: WedgeScanner")

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(status_query=True, external_check=self.uses_evdev,
                            features=frozenset({"qr", "barcode", "wedge"} | ({"grab"} if self.uses_evdev else set())))

    # -- input from the application window (Qt filter) or the evdev thread

    def push_key(self, char: str, timestamp: float) -> str | None:
        """One key's text at `timestamp` (seconds); returns the accepted code when a scan completes."""
        with self._key_lock:
            code = self.wedge.feed(char, timestamp)
        return self._accept(code)

    def tick(self, now: float) -> str | None:
        """Call every ~20 ms: ends bursts after a pause (scanners configured without a terminator)."""
        with self._key_lock:
            code = self.wedge.poll(now)
        return self._accept(code)

    def take_replay(self) -> str:
        """Keys held back that a person typed; the filter delivers them to the focused field."""
        with self._key_lock:
            return self.wedge.take_replay()

    def _accept(self, code: str | None) -> str | None:
        if code is None:
            return None
        result = self._deliver(code) if self.state is LifecycleState.ENABLED else None
        return result.text if result else None

    # -- lifecycle

    def _open(self) -> None:
        if self.uses_evdev:
            reason = evdev_unavailable_reason()
            if reason:
                raise DriverUnavailableError(reason, "缺少扫码器驱动组件", action_zh="请联系技术人员",
                                             action_en="Ask a technician")
            evdev = importlib.import_module("evdev")
            try:
                self._dev = evdev.InputDevice(self.spec.uri)
            except OSError as exc:
                raise DeviceNotFoundError(f"cannot open {self.spec.uri}: {exc.strerror or exc}", "未找到扫码器",
                                          action_zh="请检查扫码器连接", action_en="Check the scanner cable") from None
        self._set_status(availability=Availability.ONLINE, detail="")

    def _claim(self) -> None:
        if self._dev is not None:
            try:
                self._dev.grab()  # exclusive: the desktop and the IME no longer see these keys
            except OSError as exc:
                raise DeviceNotFoundError(f"cannot grab {self.spec.uri}: {exc.strerror or exc}", "扫码器被占用",
                                          action_zh="请联系技术人员", action_en="Ask a technician") from None

    def _release(self) -> None:
        if self._dev is not None:
            try:
                self._dev.ungrab()
            except OSError:
                pass  # the device is gone; nothing left to release

    def _enable(self) -> None:
        if self._dev is not None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name=f"wedge-{self.name}", daemon=True)
            self._thread.start()

    def _disable(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._thread = None
        with self._key_lock:
            self.wedge.reset()
        self._drain()

    def _close(self) -> None:
        if self._dev is not None:
            self._dev.close()
            self._dev = None
        self._set_status(availability=Availability.OFFLINE, detail="closed")

    def _run(self) -> None:
        keys = KeyTranslator()
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([self._dev.fd], [], [], 0.02)
                events = list(self._dev.read()) if ready else []
            except (OSError, ValueError) as exc:
                self._report(DeviceNotFoundError(f"scanner {self.spec.uri} disappeared: {exc}", "扫码器已断开",
                                                 action_zh="请检查扫码器连接", action_en="Check the scanner cable"))
                return
            for ev in events:
                if ev.type == EV_KEY:
                    ch = keys.key(ev.code, ev.value)
                    if ch is not None:
                        self.push_key(ch, ev.timestamp())
            self.tick(time.time())
            self.take_replay()  # a grabbed device is a scanner: stray keys are dropped, not typed

    # -- health

    def _health_internal(self) -> HealthResult:
        if self.uses_evdev and self._dev is None:
            return self._health(HealthLevel.INTERNAL, False, "NO_DEVICE", "未找到扫码器", f"{self.spec.uri} not open")
        where = self.spec.uri or "the application window"
        return self._health(HealthLevel.INTERNAL, True, "OK", "扫码器正常", f"keyboard wedge via {where}")

    def _health_external(self) -> HealthResult:
        if not self.uses_evdev:
            return self._health(HealthLevel.EXTERNAL, True, "NOT_SUPPORTED", "请用交互检查测试扫码",
                                "A window-fed wedge has no test operation; use the interactive check")
        try:
            caps = self._dev.capabilities()
        except OSError as exc:
            return self._health(HealthLevel.EXTERNAL, False, "OFFLINE", "扫码器已断开", f"device error: {exc}")
        ok = EV_KEY in caps
        return self._health(HealthLevel.EXTERNAL, ok, "OK" if ok else "NOT_A_KEYBOARD",
                            "扫码器正常" if ok else "该设备不是键盘式扫码器",
                            "device answers and sends key events" if ok else "the device sends no key events")
