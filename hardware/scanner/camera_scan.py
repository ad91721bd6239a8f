"""Camera scanning: read frames from OpenCV (or the simulator), decode, drop repeats, deliver.

No Qt here; the loop runs on its own thread while the scanner is enabled. A code held in front
of the camera is decoded in frame after frame: `Deduplicator` reports it once and again only
after it has been out of sight for `forget_s` seconds, so one presentation is one scan.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Protocol

import cv2
import numpy as np
import numpy.typing as npt

from hardware.health import HealthLevel, HealthResult
from hardware.model import Availability, Capabilities, DeviceInfo, DeviceNotFoundError, DeviceSpec
from hardware.scanner.base import QueueingScanner, option_float
from hardware.scanner.codes import DecodedCode
from hardware.scanner.decoders import Decoder, get_decoder, to_gray
from infra.logs import get_logger

log = get_logger("hardware")
Frame = npt.NDArray[np.uint8]


class FrameSource(Protocol):
    """Where frames come from: an OpenCV capture, or the simulator."""

    def open(self) -> None: ...

    def read(self) -> tuple[float, Frame] | None:
        """(timestamp in seconds, BGR or gray frame); None when no frame could be read."""

    def close(self) -> None: ...

    def is_open(self) -> bool: ...

    def describe(self) -> str: ...


def camera_index_or_uri(uri: str) -> int | str:
    """`"0"` / `""` → camera index 0; a device path or stream URL is passed through."""
    text = uri.strip()
    if not text:
        return 0
    return int(text) if text.isdigit() else text


class OpenCvFrameSource:
    """cv2.VideoCapture on a camera index, a /dev/video path or a stream URL."""

    def __init__(self, uri: str, width: int = 1280, height: int = 720) -> None:
        self.uri = uri
        self.width, self.height = width, height
        self._cap: Any = None

    def open(self) -> None:
        cap = cv2.VideoCapture(camera_index_or_uri(self.uri))
        if not cap.isOpened():
            cap.release()
            raise DeviceNotFoundError(f"no camera at {self.uri or '0'!r}", "未找到摄像头",
                                      action_zh="请检查摄像头连接", action_en="Check the camera cable")
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        self._cap = cap

    def read(self) -> tuple[float, Frame] | None:
        if self._cap is None:
            return None
        ok, frame = self._cap.read()
        if not ok or frame is None:
            return None
        return time.monotonic(), frame

    def close(self) -> None:
        if self._cap is not None:
            self._cap.release()
            self._cap = None

    def is_open(self) -> bool:
        return self._cap is not None and bool(self._cap.isOpened())

    def describe(self) -> str:
        return f"OpenCV camera {self.uri or '0'}"


class Deduplicator:
    """Reports a code the first time it is seen, then not again until it has been gone `forget_s`."""

    def __init__(self, forget_s: float = 1.5) -> None:
        self.forget_s = forget_s
        self._last_seen: dict[tuple[str, bytes], float] = {}

    def accept(self, codes: list[DecodedCode], t: float) -> list[DecodedCode]:
        fresh = []
        for code in codes:
            last = self._last_seen.get(code.key)
            if (last is None or t - last > self.forget_s) and code not in fresh:
                fresh.append(code)
            self._last_seen[code.key] = t
        # Forget codes long out of sight so the table stays small.
        self._last_seen = {k: v for k, v in self._last_seen.items() if t - v <= self.forget_s}
        return fresh


class CameraScanner(QueueingScanner):
    """A code scanner on a camera (kind "camera"); options: decoder, forget_s, max_decode_fps, width, height."""

    source = "camera"
    MAX_READ_FAILURES = 30  # about a second of failed reads at 30 fps: the camera is gone
    HEALTH_WAIT_S = 2.0  # the external check waits this long for a decoded frame

    def __init__(self, spec: DeviceSpec, frames: FrameSource | None = None) -> None:
        super().__init__(spec)
        opts = spec.options
        self.decoder: Decoder = get_decoder(opts.get("decoder"))
        self.dedupe = Deduplicator(option_float(opts, "forget_s", 1.5, 0.1, 60))
        # Decoding every frame of a 30 fps camera costs a kiosk CPU core a third of its time for
        # nothing; 15 decodes a second still give a code held up for half a second ~7 tries.
        self.decode_interval = 1.0 / option_float(opts, "max_decode_fps", 15.0, 1.0, 120.0)
        self._last_decode = float("-inf")
        self.frames = frames or OpenCvFrameSource(spec.uri, int(opts.get("width", 1280)),
                                                  int(opts.get("height", 720)))
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.last_frame_time: float | None = None
        self.frames_seen = 0

    @property
    def info(self) -> DeviceInfo:
        return DeviceInfo(model=self.frames.describe(), driver=f"{self.spec.kind}: {type(self).__name__} "
                          f"({self.decoder.name})")

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(status_query=True, external_check=True, features=frozenset({"qr", "barcode", "camera"}))

    def _open(self) -> None:
        self.frames.open()
        self._set_status(availability=Availability.ONLINE, detail="")

    def _close(self) -> None:
        self.frames.close()
        self._set_status(availability=Availability.OFFLINE, detail="closed")

    def _enable(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"scan-{self.name}", daemon=True)
        self._thread.start()

    def _disable(self) -> None:
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
        self._thread = None
        self._drain()

    def process_frame(self, t: float, frame: Frame) -> list[DecodedCode]:
        """Decode one frame and deliver the codes not seen just before; returns those delivered."""
        self.frames_seen += 1
        self.last_frame_time = t
        try:
            codes = self.decoder.decode(to_gray(frame))
        except Exception as exc:  # a decoder library failing on one frame must not stop scanning
            log.info("%s: decoder %s failed on a frame: %s", self.name, self.decoder.name, exc)
            return []
        fresh = self.dedupe.accept(codes, t)
        for code in fresh:
            self._deliver(code.raw, code.format)
        return fresh

    def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            got = self.frames.read()
            if got is None:
                failures += 1
                if failures == self.MAX_READ_FAILURES:
                    self._report(DeviceNotFoundError(f"{self.frames.describe()} stopped delivering frames",
                                                     "摄像头无画面", action_zh="请检查摄像头连接",
                                                     action_en="Check the camera cable"))
                self._stop.wait(0.03 if failures < self.MAX_READ_FAILURES else 0.5)
                continue
            if failures >= self.MAX_READ_FAILURES:
                self._set_status(availability=Availability.ONLINE, detail="frames again")
            failures = 0
            t, frame = got
            if t - self._last_decode >= self.decode_interval * 0.9:  # 0.9: frame times jitter
                self._last_decode = t
                self.process_frame(t, frame)

    def _health_internal(self) -> HealthResult:
        if not self.frames.is_open():
            return self._health(HealthLevel.INTERNAL, False, "NO_DEVICE", "摄像头未打开", "The camera is not open")
        if self.status.availability is not Availability.ONLINE:
            return self._health(HealthLevel.INTERNAL, False, self.status.availability.value.upper(),
                                "摄像头无画面", f"The camera is {self.status.availability.value}")
        return self._health(HealthLevel.INTERNAL, True, "OK", "摄像头正常", f"{self.frames.describe()} is open")

    def _health_external(self) -> HealthResult:
        """A test scan: a frame arrives and the decoder runs on it (a code in view is listed)."""
        level = HealthLevel.EXTERNAL
        if self._thread is not None and self._thread.is_alive():
            # The scanning loop owns the camera: wait for it to decode a new frame.
            before, deadline = self.frames_seen, time.monotonic() + self.HEALTH_WAIT_S
            while self.frames_seen == before and time.monotonic() < deadline:
                self._stop.wait(0.02)
            if self.frames_seen > before and self.status.availability is Availability.ONLINE:
                return self._health(level, True, "OK", "摄像头扫码正常",
                                    f"scanning: {self.frames_seen} frames decoded with {self.decoder.name}")
            return self._health(level, False, "NO_FRAMES", "摄像头无画面", "No frames from the camera")
        got = self.frames.read()
        if got is None:
            return self._health(level, False, "NO_FRAMES", "摄像头无画面", "No frame from the camera")
        codes = self.decoder.decode(to_gray(got[1]))
        seen = ", ".join(c.format for c in codes) or "no code in view"
        return self._health(level, True, "OK", "摄像头扫码正常", f"frame read and decoded ({seen})")
