"""The scanner simulator: a camera that plays generated frames, for the tests and the demo.

`SimulatedFrameSource.show(payload)` renders a 1280×720 frame with the code (see `synth`) and
plays it for a number of frames, then an empty scene; frames carry timestamps at the given frame
rate, paced in real time unless `realtime=False`. The simulated scanner is a `CameraScanner`
on this source, so it runs the real decode, de-duplication and payload checks.
"""

from __future__ import annotations

import collections
import threading
import time

import numpy as np

from hardware.model import DeviceNotFoundError, DeviceSpec
from hardware.scanner.camera_scan import CameraScanner, Frame
from hardware.scanner.synth import background, synth_frame


class SimulatedFrameSource:
    def __init__(self, seed: int = 7, fps: float = 30.0, realtime: bool = True) -> None:
        self._rng = np.random.default_rng(seed)
        self.period = 1.0 / fps
        self.realtime = realtime
        self._idle: Frame = background(self._rng)
        self._queue: collections.deque[Frame] = collections.deque()
        self._lock = threading.Lock()
        self._open = False
        self.unplugged = False  # set to simulate a camera pulled out
        self._t = 0.0
        self.frames_served = 0
        self._next_wall = time.monotonic()

    def show(self, payload: str | bytes, frames: int = 10, condition: str = "clean") -> None:
        """Hold a code in front of the camera for `frames` frames."""
        data = payload.encode("utf-8") if isinstance(payload, str) else payload
        frame = synth_frame(data, condition, self._rng).image
        with self._lock:
            self._queue.extend([frame] * frames)

    def open(self) -> None:
        if self.unplugged:
            raise DeviceNotFoundError("simulated camera unplugged", "未找到摄像头")
        self._open = True

    def read(self) -> tuple[float, Frame] | None:
        if not self._open or self.unplugged:
            if self.realtime:
                time.sleep(self.period)
            return None
        if self.realtime:
            self._next_wall = max(self._next_wall + self.period, time.monotonic())
            time.sleep(max(0.0, self._next_wall - time.monotonic()))
            if self.unplugged:  # pulled out while waiting for the frame
                return None
        with self._lock:
            frame = self._queue.popleft() if self._queue else self._idle
        self._t += self.period
        self.frames_served += 1
        return self._t, frame

    def close(self) -> None:
        self._open = False

    def is_open(self) -> bool:
        return self._open and not self.unplugged

    def describe(self) -> str:
        return "simulated camera"


class SimulatedScanner(CameraScanner):
    """kind "simulator": the camera scanner on generated frames. `present()` shows a code.

    Options: `seed` (frame generation), `realtime` (pace frames at 30 fps; default true).
    """

    def __init__(self, spec: DeviceSpec, frames: SimulatedFrameSource | None = None) -> None:
        self.sim = frames or SimulatedFrameSource(seed=int(spec.options.get("seed", 7)),
                                                  realtime=bool(spec.options.get("realtime", True)))
        super().__init__(spec, self.sim)

    def present(self, payload: str | bytes, frames: int = 10, condition: str = "clean") -> None:
        self.sim.show(payload, frames, condition)
