"""Document cameras (高拍仪) as devices: an OpenCV capture (kind "opencv") and a simulator.

Most document cameras are UVC webcams with a high-resolution sensor; vendors' SDKs add little
over UVC for capture. `capture()` returns the raw BGR frame (the model's interface);
`capture_page()` also finds, flattens and straightens the page (`page.process_page`).
Options: `width`, `height` (requested resolution, default 2592×1944), `warmup_frames`
(frames dropped after opening while exposure settles), `snap_a4`, `deskew`.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from hardware.camera.output import save_jpeg
from hardware.camera.page import PageResult, process_page
from hardware.camera.synth import synth_page
from hardware.health import GuidedStep, HealthLevel, HealthResult
from hardware.model import (
    Availability,
    Capabilities,
    DeviceInfo,
    DeviceNotFoundError,
    DeviceOfflineError,
    DeviceSpec,
    DeviceTimeoutError,
    DocumentCamera,
)
from hardware.scanner.camera_scan import camera_index_or_uri

Frame = npt.NDArray[np.uint8]
BLANK_STDDEV = 4.0  # a frame this flat is a covered lens or a dead sensor, not a picture


def _opt_int(spec: DeviceSpec, key: str, default: int, lo: int, hi: int) -> int:
    value = spec.options.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ValueError(f"{key} = {value!r}: must be a whole number from {lo} to {hi}")
    return value


class PageCamera(DocumentCamera):
    """What both document cameras share: page processing, health checks, guided steps."""

    def __init__(self, spec: DeviceSpec) -> None:
        super().__init__(spec)
        self.snap_a4 = bool(spec.options.get("snap_a4", True))
        self.do_deskew = bool(spec.options.get("deskew", True))

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(status_query=True, external_check=True,
                            features=frozenset({"capture", "page_detect", "deskew", "jpeg", "pdf"}))

    def capture_page(self, timeout_s: float = 5.0) -> PageResult:
        """Capture a frame and return the page in it, flattened and straightened."""
        return process_page(self.capture(timeout_s), snap_to_a4=self.snap_a4, do_deskew=self.do_deskew)

    def capture_to(self, path: Path | str, timeout_s: float = 5.0) -> PageResult:
        """Capture a page and write it as a JPEG (atomically) — one material into the case file."""
        page = self.capture_page(timeout_s)
        save_jpeg(page.image, path)
        return page

    def interactive_steps(self) -> tuple[GuidedStep, ...]:
        return (GuidedStep("在高拍仪下放一张 A4 纸", "Put an A4 sheet under the document camera",
                           "预览中纸张被框出并摆正", "The preview outlines the sheet and shows it straight"),)

    def _health_external(self) -> HealthResult:
        """A test capture: a frame arrives and is not blank (lens covered, sensor dead)."""
        try:
            frame = self.capture(3.0)
        except (DeviceOfflineError, DeviceTimeoutError) as exc:
            return self._health(HealthLevel.EXTERNAL, False, exc.code, exc.message_zh, exc.message_en)
        spread = float(np.std(frame))
        if spread < BLANK_STDDEV:
            return self._health(HealthLevel.EXTERNAL, False, "BLANK_FRAME", "画面为空白，请检查镜头",
                                f"the frame is blank (std {spread:.1f}): lens covered or sensor fault")
        h, w = frame.shape[:2]
        return self._health(HealthLevel.EXTERNAL, True, "OK", "高拍仪拍摄正常", f"captured {w}×{h}")


class OpenCvDocumentCamera(PageCamera):
    """kind "opencv": a UVC document camera; uri is an index ("0"), a /dev/video path or a URL."""

    def __init__(self, spec: DeviceSpec) -> None:
        super().__init__(spec)
        self.width = _opt_int(spec, "width", 2592, 160, 10000)
        self.height = _opt_int(spec, "height", 1944, 120, 10000)
        self.warmup = _opt_int(spec, "warmup_frames", 5, 0, 100)
        self._cap: Any = None
        self._cap_lock = threading.Lock()

    @property
    def info(self) -> DeviceInfo:
        size = ""
        if self._cap is not None:
            size = f" {int(self._cap.get(cv2.CAP_PROP_FRAME_WIDTH))}×{int(self._cap.get(cv2.CAP_PROP_FRAME_HEIGHT))}"
        return DeviceInfo(model=f"UVC camera {self.spec.uri or '0'}{size}",
                          driver=f"{self.spec.kind}: {type(self).__name__}")

    def _open(self) -> None:
        cap = cv2.VideoCapture(camera_index_or_uri(self.spec.uri))
        if not cap.isOpened():
            cap.release()
            raise DeviceNotFoundError(f"no document camera at {self.spec.uri or '0'!r}", "未找到高拍仪",
                                      action_zh="请检查高拍仪连接", action_en="Check the document camera cable")
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        for _ in range(self.warmup):  # auto exposure needs a few frames before a capture is usable
            cap.grab()
        self._cap = cap
        self._set_status(availability=Availability.ONLINE, detail="")

    def _close(self) -> None:
        with self._cap_lock:
            if self._cap is not None:
                self._cap.release()
                self._cap = None
        self._set_status(availability=Availability.OFFLINE, detail="closed")

    def capture(self, timeout_s: float = 5.0) -> Frame:
        self.require_enabled("capture()")
        deadline = time.monotonic() + timeout_s
        with self._cap_lock:
            self._cap.grab()  # drop the buffered frame: the capture must show the page as it is now
            while time.monotonic() < deadline:
                ok, frame = self._cap.read()
                if ok and frame is not None:
                    return np.asarray(frame, dtype=np.uint8)
                time.sleep(0.05)
        raise self._report(DeviceTimeoutError(f"{self.spec.uri or '0'}: no frame within {timeout_s:.1f} s",
                                              "高拍仪无画面", action_zh="请检查高拍仪连接",
                                              action_en="Check the document camera cable"))

    def _health_internal(self) -> HealthResult:
        ok = self._cap is not None and bool(self._cap.isOpened())
        return self._health(HealthLevel.INTERNAL, ok, "OK" if ok else "OFFLINE",
                            "高拍仪正常" if ok else "高拍仪未连接",
                            "camera open" if ok else "camera not open")


class SimulatedDocumentCamera(PageCamera):
    """kind "simulator": serves synthetic A4 pages, rotated and in perspective on a dark mat.

    Each capture shows the next page (seeded); `put_page(frame)` lays a specific frame under the
    lens, `blank = True` covers the lens and `unplugged = True` makes captures fail.
    """

    def __init__(self, spec: DeviceSpec) -> None:
        super().__init__(spec)
        self._seed = _opt_int(spec, "seed", 1, 0, 2**31)
        self._next: Frame | None = None
        self.blank = False
        self.unplugged = False
        self.captures = 0

    @property
    def info(self) -> DeviceInfo:
        return DeviceInfo(model="simulated document camera", serial="SIM-0001", firmware="1.0",
                          driver=f"{self.spec.kind}: {type(self).__name__}")

    def put_page(self, frame: Frame) -> None:
        self._next = frame

    def _open(self) -> None:
        if self.unplugged:
            raise DeviceNotFoundError("simulated document camera unplugged", "未找到高拍仪")
        self._set_status(availability=Availability.ONLINE, detail="")

    def _close(self) -> None:
        self._set_status(availability=Availability.OFFLINE, detail="closed")

    def capture(self, timeout_s: float = 5.0) -> Frame:
        self.require_enabled("capture()")
        if self.unplugged:
            raise self._report(DeviceOfflineError("simulated document camera unplugged", "高拍仪已断开",
                                                  action_zh="请检查高拍仪连接",
                                                  action_en="Check the document camera cable"))
        self.captures += 1
        if self.blank:
            return np.full((1200, 1600, 3), 20, dtype=np.uint8)
        if self._next is not None:
            frame, self._next = self._next, None
            return frame
        rng = np.random.default_rng(self._seed + self.captures)
        return synth_page(self._seed + self.captures, angle_deg=float(rng.uniform(-20, 20)),
                          tilt=float(rng.uniform(0, 0.15))).frame

    def _health_internal(self) -> HealthResult:
        ok = not self.unplugged
        return self._health(HealthLevel.INTERNAL, ok, "OK" if ok else "OFFLINE",
                            "高拍仪正常" if ok else "高拍仪未连接", "simulator ready" if ok else "simulator unplugged")
