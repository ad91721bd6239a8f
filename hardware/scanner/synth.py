"""Synthetic camera frames holding a QR code, for the simulator, the tests and the decoder benchmark.

A code is rendered with `qrcode`, placed on a 1280×720 background with a rotation and a
perspective tilt, then spoiled the way a kiosk camera spoils it: defocus blur, glare from the
lobby lights, low contrast, or the code shown on a phone screen (bezel, backlight, pixel grid).
Everything is driven by a seeded `numpy.random.Generator`, so a corpus is reproducible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
import qrcode
import qrcode.exceptions
from qrcode.constants import ERROR_CORRECT_L, ERROR_CORRECT_M

Gray = npt.NDArray[np.uint8]
FRAME_SIZE = (1280, 720)  # width, height of a typical kiosk camera frame
CONDITIONS = ("clean", "blur", "rotation", "perspective", "glare", "low_contrast", "phone")


@dataclass(frozen=True)
class SynthFrame:
    image: Gray  # grayscale frame, FRAME_SIZE
    payload: bytes
    condition: str


def _u8(values: Any) -> Gray:
    """Clip to 0..255 and convert to uint8."""
    return np.asarray(np.clip(values, 0, 255), dtype=np.uint8)


def render_qr(payload: str | bytes, module_px: int = 6, border: int = 4) -> Gray:
    """The QR symbol as a crisp grayscale image (black modules on white), quiet zone included.

    Level M, or L when the payload is too big for M; ValueError when it does not fit a QR code at all.
    """
    for level in (ERROR_CORRECT_M, ERROR_CORRECT_L):
        qr = qrcode.QRCode(error_correction=level, border=border, box_size=1)
        qr.add_data(payload)
        try:
            qr.make(fit=True)
            break
        except (ValueError, qrcode.exceptions.DataOverflowError):
            continue
    else:
        raise ValueError(f"{len(payload)} bytes do not fit in one QR code")
    modules = np.array(qr.get_matrix(), dtype=bool)
    img = np.where(modules, 0, 255).astype(np.uint8)
    return np.kron(img, np.ones((module_px, module_px), dtype=np.uint8))


def background(rng: np.random.Generator, size: tuple[int, int] = FRAME_SIZE) -> Gray:
    """A soft, textured scene: a brightness gradient, low-frequency blotches and sensor noise."""
    w, h = size
    coarse = rng.uniform(60, 200, size=(9, 16)).astype(np.float32)
    img: npt.NDArray[np.float32] = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC).astype(np.float32)
    gx = np.linspace(rng.uniform(-30, 30), rng.uniform(-30, 30), w, dtype=np.float32)
    img += gx[None, :]
    for _ in range(int(rng.integers(2, 6))):  # a few objects: counter edge, sleeve, card, …
        x0, y0 = int(rng.integers(0, w - 50)), int(rng.integers(0, h - 50))
        x1, y1 = x0 + int(rng.integers(40, 400)), y0 + int(rng.integers(40, 300))
        cv2.rectangle(img, (x0, y0), (x1, y1), float(rng.uniform(30, 230)), -1)
    return _u8(cv2.GaussianBlur(img, (0, 0), 3))


def place(code: Gray, frame: Gray, rng: np.random.Generator, *, side: float, angle_deg: float,
          tilt: float) -> tuple[Gray, npt.NDArray[np.float32]]:
    """Warp `code` into `frame`, `side` pixels wide (aspect kept); returns the frame and the corners."""
    h, w = frame.shape
    ch, cw = code.shape
    half_w, half_h = side / 2, side / 2 * ch / cw
    reach = float(np.hypot(half_w, half_h))
    cx = rng.uniform(min(reach, w / 2), max(w - reach, w / 2))
    cy = rng.uniform(min(reach, h / 2), max(h - reach, h / 2))
    quad = np.array([[-half_w, -half_h], [half_w, -half_h], [half_w, half_h], [-half_w, half_h]],
                    dtype=np.float32)
    # Perspective tilt: one edge shortened, the opposite lengthened (a code held at an angle).
    if rng.random() < 0.5:
        quad[[0, 1], 0] *= 1 - tilt
        quad[[2, 3], 0] *= 1 + tilt * 0.5
    else:
        quad[[0, 3], 1] *= 1 - tilt
        quad[[1, 2], 1] *= 1 + tilt * 0.5
    jitter = tilt * min(half_w, half_h) * 0.2
    quad += rng.uniform(-jitter, jitter, size=quad.shape).astype(np.float32)
    a = np.deg2rad(angle_deg)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]], dtype=np.float32)
    dst = (quad @ rot.T + np.array([cx, cy], dtype=np.float32)).astype(np.float32)
    src = np.array([[0, 0], [cw, 0], [cw, ch], [0, ch]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(code, m, (w, h), flags=cv2.INTER_AREA, borderValue=0)
    mask = cv2.warpPerspective(np.full_like(code, 255), m, (w, h), flags=cv2.INTER_NEAREST)
    out: Gray = np.where(mask > 0, warped, frame).astype(np.uint8)
    return out, dst


def blur(img: Gray, sigma: float) -> Gray:
    return _u8(cv2.GaussianBlur(img, (0, 0), sigma))


def glare(img: Gray, rng: np.random.Generator, centre: tuple[float, float], radius: float,
          strength: float) -> Gray:
    """A specular highlight: a bright elliptical bloom that washes out what lies under it."""
    h, w = img.shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    ax, ay = radius, radius * rng.uniform(0.4, 1.0)
    d2 = ((xx - centre[0]) / ax) ** 2 + ((yy - centre[1]) / ay) ** 2
    bloom = strength * np.exp(-d2 * 2.0)
    out = img.astype(np.float32) * (1 - 0.6 * bloom) + 255 * bloom
    return _u8(out)


def low_contrast(img: Gray, contrast: float, mid: float) -> Gray:
    out = (img.astype(np.float32) - 128) * contrast + mid
    return _u8(out)


def noise(img: Gray, rng: np.random.Generator, sigma: float) -> Gray:
    out = img.astype(np.float32) + rng.normal(0, sigma, size=img.shape).astype(np.float32)
    return _u8(out)


def phone_screen(code: Gray, rng: np.random.Generator) -> Gray:
    """The code as a phone shows it: dark bezel, backlit screen (not white), visible pixel grid."""
    ch, cw = code.shape
    margin = int(cw * 0.12)
    screen_w, screen_h = cw + 2 * margin, int((cw + 2 * margin) * 2.0)
    backlight = rng.uniform(170, 235)
    screen = np.full((screen_h, screen_w), backlight, dtype=np.float32)
    y0 = (screen_h - ch) // 2
    screen[y0:y0 + ch, margin:margin + cw] = np.where(code > 127, backlight, rng.uniform(15, 45))
    # LCD pixel grid: every third row/column slightly darker (moiré once resampled by the warp).
    screen[::3, :] *= 0.85
    screen[:, ::3] *= 0.9
    bezel = int(screen_w * 0.06)
    phone = np.full((screen_h + 4 * bezel, screen_w + 2 * bezel), rng.uniform(5, 25), dtype=np.float32)
    phone[2 * bezel:2 * bezel + screen_h, bezel:bezel + screen_w] = screen
    return _u8(phone)


def synth_frame(payload: bytes, condition: str, rng: np.random.Generator) -> SynthFrame:
    """One 1280×720 frame showing `payload` as a QR code under the named condition."""
    if condition not in CONDITIONS:
        raise ValueError(f"unknown condition {condition!r}; one of {', '.join(CONDITIONS)}")
    frame = background(rng)
    code = render_qr(payload, module_px=4)
    side = rng.uniform(220, 360)
    angle, tilt = rng.uniform(-8, 8), rng.uniform(0.0, 0.08)
    if condition == "rotation":
        angle = rng.uniform(15, 345)
    elif condition == "perspective":
        tilt = rng.uniform(0.2, 0.35)
    elif condition == "phone":
        code = phone_screen(code, rng)
        side = rng.uniform(260, 330)  # the phone's width; the code is about 70 % of it
        angle = rng.uniform(-20, 20)
    frame, corners = place(code, frame, rng, side=side, angle_deg=angle, tilt=tilt)
    frame = _spoil(frame, condition, rng, corners)
    return SynthFrame(noise(frame, rng, rng.uniform(2, 5)), payload, condition)


def _spoil(frame: Gray, condition: str, rng: np.random.Generator, corners: npt.NDArray[np.float32]) -> Gray:
    if condition == "blur":
        return blur(frame, rng.uniform(1.5, 3.0))
    if condition == "glare":
        # The highlight falls on the code (a glossy card or screen), off its centre.
        cx, cy = corners.mean(axis=0)
        span = float(np.ptp(corners[:, 0]))
        centre = (float(cx + rng.uniform(-0.3, 0.3) * span), float(cy + rng.uniform(-0.3, 0.3) * span))
        return glare(frame, rng, centre, rng.uniform(0.25, 0.45) * span, rng.uniform(0.6, 0.95))
    if condition == "low_contrast":
        return low_contrast(frame, rng.uniform(0.18, 0.3), rng.uniform(90, 170))
    if condition == "phone":
        return blur(frame, rng.uniform(0.6, 1.0))
    return blur(frame, 0.6)  # every real lens softens a little
