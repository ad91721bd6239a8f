"""The three code decoders side by side on a generated corpus of 1280×720 frames.

For each decoder (zxing-cpp, pyzbar/zbar, OpenCV QRCodeDetector): the share of frames whose
payload it decodes exactly, and the time per frame. Baselines: decode rate against zxing-cpp's
on the same frames, and time per frame against the frame period of a 30 fps camera (a decoder
slower than that drops frames). Time is CPU time of the process per frame: on a shared build
machine wall time swings with the other load, CPU time much less; the wall time (best of two
runs per frame) is in the notes. The default decoder in `hardware.scanner.decoders` cites these.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from bench.corpus import corpus
from bench.harness import Result
from hardware.scanner.decoders import DECODERS, DecoderUnavailableError, get_decoder
from hardware.scanner.synth import CONDITIONS, SynthFrame

FRAME_PERIOD_MS = 1000 / 30
LABELS = {"zxing": "zxing-cpp", "zbar": "pyzbar (zbar)", "opencv": "OpenCV QRCodeDetector"}


@dataclass
class Measured:
    hits: dict[str, list[bool]] = field(default_factory=lambda: {c: [] for c in CONDITIONS})
    cpu_s: list[float] = field(default_factory=list)
    wall_s: list[float] = field(default_factory=list)
    wrong: int = 0  # codes read with a payload other than the one shown

    @property
    def rate(self) -> float:
        return 100 * float(np.mean([h for hs in self.hits.values() for h in hs]))


def measure(name: str, frames: list[SynthFrame], repeat: int = 1) -> Measured:
    decoder = get_decoder(name)
    decoder.decode(frames[0].image)  # warm up (library load, first allocations)
    m = Measured()
    for frame in frames:
        cpu = wall = float("inf")
        for _ in range(repeat):
            p0, t0 = time.process_time(), time.perf_counter()
            codes = decoder.decode(frame.image)
            cpu = min(cpu, time.process_time() - p0)
            wall = min(wall, time.perf_counter() - t0)
        m.cpu_s.append(cpu)
        m.wall_s.append(wall)
        m.hits[frame.condition].append(any(c.raw == frame.payload for c in codes))
        m.wrong += sum(1 for c in codes if c.raw != frame.payload)
    return m


def run(quick: bool) -> list[Result]:
    repeat = 1 if quick else 2
    t0 = time.perf_counter()
    frames = corpus(quick)
    gen_s = time.perf_counter() - t0
    measured: dict[str, Measured] = {}
    skipped: list[str] = []
    for name in DECODERS:
        try:
            measured[name] = measure(name, frames, repeat)
        except DecoderUnavailableError as exc:
            skipped.append(f"{name}: {exc}")
    size = f"{len(frames)} frames 1280×720, {len(frames) // len(CONDITIONS)} per condition (generated in {gen_s:.1f} s)"
    ref = measured["zxing"].rate if "zxing" in measured else 100.0
    results: list[Result] = []
    for name, m in measured.items():
        per_condition = ", ".join(f"{c} {sum(h)}/{len(h)}" for c, h in m.hits.items())
        cpu_ms, wall_ms = 1000 * float(np.mean(m.cpu_s)), 1000 * float(np.mean(m.wall_s))
        p95 = 1000 * float(np.percentile(m.cpu_s, 95))
        extra: dict[str, float | str] = {f"rate_{c}": 100 * float(np.mean(h)) for c, h in m.hits.items()}
        extra["wrong_reads"] = m.wrong
        results.append(Result("decoders", f"{LABELS[name]} decode rate", m.rate, "zxing-cpp decode rate", ref, "%",
                              notes=f"{per_condition}; wrong reads {m.wrong}; {size}", extra=extra))
        results.append(Result("decoders", f"{LABELS[name]} CPU time per frame", cpu_ms,
                              "frame period at 30 fps", FRAME_PERIOD_MS, "ms",
                              notes=f"mean; p95 {p95:.1f} ms; wall {wall_ms:.1f} ms (best of {repeat}, shared machine)",
                              extra={"p95_cpu_ms": p95, "wall_ms": wall_ms}))
    if skipped:
        results.append(Result("decoders", "skipped", 0, "-", 0, "", notes="; ".join(skipped)))
    return results
