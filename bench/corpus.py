"""A seeded corpus of 1280×720 camera frames holding QR codes, for the decoder benchmark.

Every condition of `hardware.scanner.synth` (clean, blur, rotation, perspective, glare, low
contrast, phone screen) gets the same number of frames; payloads mix what a kiosk sees: app
login tokens, application numbers, URLs with parameters and UTF-8 Chinese text.
"""

from __future__ import annotations

import numpy as np

from hardware.scanner.synth import CONDITIONS, SynthFrame, synth_frame

QUICK_PER_CONDITION = 2
FULL_PER_CONDITION = 20


def payload(rng: np.random.Generator, i: int) -> bytes:
    kind = i % 4
    if kind == 0:  # mobile-app login token
        token = "".join(rng.choice(list("ABCDEFGHJKLMNPQRSTUVWXYZ23456789"), size=24))
        return f"HPF1:LOGIN:{token}".encode()
    if kind == 1:  # application number printed on a receipt
        return f"AP{20261127 + int(rng.integers(0, 30))}{int(rng.integers(0, 10**6)):06d}".encode()
    if kind == 2:  # an online service hall URL
        return f"https://gjj.example.gov.cn/wt/q?id={int(rng.integers(10**8, 10**9))}&ch=12329".encode()
    words = ["太原市", "住房公积金", "提取", "贷款", "缴存证明", "小店区", "业务受理"]  # UTF-8 Chinese
    return ("HPF1:" + "".join(rng.choice(words, size=int(rng.integers(2, 5))))).encode("utf-8")


def build_corpus(per_condition: int, seed: int = 20261127) -> list[SynthFrame]:
    rng = np.random.default_rng(seed)
    frames = []
    for condition in CONDITIONS:
        for i in range(per_condition):
            frames.append(synth_frame(payload(rng, i), condition, rng))
    return frames


def corpus(quick: bool, seed: int = 20261127) -> list[SynthFrame]:
    return build_corpus(QUICK_PER_CONDITION if quick else FULL_PER_CONDITION, seed)
