"""Synthetic document-camera frames: a rendered A4 page placed rotated and in perspective on a mat.

The test page has text-like lines, a table and four solid fiducial squares at known positions
(`FIDUCIALS`, as fractions of the page), so tests can check where the corrected page's content
ended up, not only its outline.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from hardware.camera.page import A4_ASPECT, Image, Quad

PAGE_WIDTH = 1000  # pixels of the rendered page (about 120 dpi for A4)
FRAME_SIZE = (1600, 1200)  # width, height: a 2 MP document camera
# Centres of the fiducial squares, as (x, y) fractions of page width and height.
FIDUCIALS = ((0.1, 0.07), (0.9, 0.07), (0.9, 0.93), (0.1, 0.93))
FIDUCIAL_SIDE = 0.04  # of page width


@dataclass(frozen=True)
class SynthPage:
    frame: Image  # BGR frame as the camera sees it
    corners: Quad  # true page corners in the frame: TL, TR, BR, BL
    page: Image  # the flat page that was placed


def render_page(rng: np.random.Generator, width: int = PAGE_WIDTH, landscape: bool = False) -> Image:
    """A white A4 page (BGR) with a title bar, text lines, a table and four fiducial squares."""
    h = int(round(width * A4_ASPECT))
    w = width
    if landscape:
        w, h = h, w
    page = np.full((h, w, 3), 250, dtype=np.uint8)
    cv2.rectangle(page, (int(0.2 * w), int(0.05 * h)), (int(0.8 * w), int(0.09 * h)), (40, 40, 40), -1)
    y = int(0.14 * h)
    line_h = max(6, int(0.012 * h))
    while y < 0.55 * h:  # text lines of varying length, words as short dark runs
        x = int(0.1 * w)
        end = int(w * rng.uniform(0.6, 0.9))
        while x < end:
            word = int(rng.integers(20, 90))
            cv2.rectangle(page, (x, y), (min(x + word, end), y + line_h), (60, 60, 60), -1)
            x += word + int(rng.integers(8, 16))
        y += int(line_h * 2.4)
    top, left, right, bottom = int(0.6 * h), int(0.1 * w), int(0.9 * w), int(0.85 * h)
    for row in np.linspace(top, bottom, 6).astype(int):
        cv2.line(page, (left, row), (right, row), (30, 30, 30), 2)
    for col in np.linspace(left, right, 4).astype(int):
        cv2.line(page, (col, top), (col, bottom), (30, 30, 30), 2)
    side = int(FIDUCIAL_SIDE * w)
    for fx, fy in FIDUCIALS:
        cx, cy = int(fx * w), int(fy * h)
        cv2.rectangle(page, (cx - side // 2, cy - side // 2), (cx + side // 2, cy + side // 2), (0, 0, 0), -1)
    return page


def place_page(page: Image, rng: np.random.Generator, *, angle_deg: float, tilt: float,
               fill: float = 0.75, frame_size: tuple[int, int] = FRAME_SIZE) -> SynthPage:
    """Put `page` on a dark textured mat, rotated by `angle_deg` and tilted (keystone) by `tilt`."""
    fw, fh = frame_size
    mat = rng.normal(45, 6, size=(fh // 8, fw // 8)).astype(np.float32)
    frame = cv2.resize(mat, (fw, fh), interpolation=cv2.INTER_CUBIC)
    frame = np.clip(np.dstack([frame * 0.9, frame, frame * 1.1]), 0, 255).astype(np.uint8)
    ph, pw = page.shape[:2]
    scale = fill * min(fw / pw, fh / ph)
    half_w, half_h = pw * scale / 2, ph * scale / 2
    quad = np.array([[-half_w, -half_h], [half_w, -half_h], [half_w, half_h], [-half_w, half_h]], np.float32)
    quad[[0, 1], 0] *= 1 - tilt  # keystone: the camera looks at the sheet from the near edge
    a = np.deg2rad(angle_deg)
    rot = np.array([[np.cos(a), np.sin(a)], [-np.sin(a), np.cos(a)]], dtype=np.float32)  # CCW on screen
    centre = np.array([fw / 2 + rng.uniform(-0.03, 0.03) * fw, fh / 2 + rng.uniform(-0.03, 0.03) * fh], np.float32)
    dst = (quad @ rot.T + centre).astype(np.float32)
    src = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(page, m, (fw, fh), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full(page.shape[:2], 255, np.uint8), m, (fw, fh), flags=cv2.INTER_LINEAR)
    alpha = (mask.astype(np.float32) / 255)[..., None]
    out = warped.astype(np.float32) * alpha + frame.astype(np.float32) * (1 - alpha)
    # Uneven lighting of a desk lamp, then sensor noise.
    light = np.linspace(0.9, 1.05, fw, dtype=np.float32)[None, :, None]
    out = out * light + rng.normal(0, 3, size=out.shape).astype(np.float32)
    return SynthPage(np.clip(out, 0, 255).astype(np.uint8), dst, page)


def synth_page(seed: int = 1, *, angle_deg: float = 12.0, tilt: float = 0.08, landscape: bool = False) -> SynthPage:
    rng = np.random.default_rng(seed)
    return place_page(render_page(rng, landscape=landscape), rng, angle_deg=angle_deg, tilt=tilt)
