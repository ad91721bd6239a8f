"""Finding the page in a document-camera frame and making it flat and straight.

1. `find_page`: the largest convex 4-point contour covering enough of the frame (edges of a
   light sheet on the camera's dark mat), found on a reduced copy, then each side re-fitted at
   full resolution (`refine_corners`, about 1 px on a 5 MP frame); corners ordered top-left,
   top-right, bottom-right, bottom-left.
2. `warp_page`: perspective correction to a rectangle; the output keeps the measured aspect,
   snapped to A4 (1:√2) when it is within a few per cent of it, since most case materials
   (ID copies aside) are A4.
3. `deskew`: a residual small rotation (a page photographed without its edges, or a crooked
   print) is measured from the text lines and removed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

Image = npt.NDArray[np.uint8]
Quad = npt.NDArray[np.float32]  # 4×2: TL, TR, BR, BL

A4_ASPECT = math.sqrt(2)  # ISO 216 height / width
MIN_PAGE_FRACTION = 0.15  # a contour smaller than this share of the frame is not the page
MAX_PAGE_FRACTION = 0.95  # an outline this large is the frame itself (or noise), not a sheet on the mat
MIN_PAGE_CONTRAST = 40.0  # grey levels the sheet is lighter than the (dark) mat around it
ASPECT_SNAP = 0.06  # within 6 % of A4 the output is made exactly A4
MAX_DESKEW_DEG = 10.0


@dataclass(frozen=True)
class PageResult:
    image: Image  # the corrected page (BGR or gray, as the input)
    corners: Quad | None  # where the page was found in the frame; None: page not found, frame kept
    skew_deg: float  # residual rotation removed by deskew

    @property
    def found(self) -> bool:
        return self.corners is not None


def _gray(image: npt.NDArray[Any]) -> Image:
    if image.ndim == 2:
        return np.asarray(image, dtype=np.uint8)
    return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), dtype=np.uint8)


def order_corners(points: npt.NDArray[Any]) -> Quad:
    """Four points in any order → TL, TR, BR, BL (by the sums and differences of x and y)."""
    pts = np.asarray(points, dtype=np.float32).reshape(4, 2)
    s = pts.sum(axis=1)
    d = pts[:, 1] - pts[:, 0]
    return np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]], dtype=np.float32)


def find_page(image: npt.NDArray[Any], min_fraction: float = MIN_PAGE_FRACTION) -> Quad | None:
    """The page's corners (TL, TR, BR, BL) or None when no large 4-cornered shape is in view."""
    gray = _gray(image)
    scale = 800 / max(gray.shape)  # contours on a reduced copy: faster and less texture noise
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    scale = min(scale, 1.0)
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    # Two masks: Otsu separates a light sheet from the dark mat; Canny edges catch a sheet whose
    # uneven lighting splits the Otsu mask.
    _, otsu = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    edges = cv2.dilate(cv2.Canny(blurred, 50, 150), np.ones((3, 3), np.uint8))
    frame_area = float(small.shape[0] * small.shape[1])
    best: Quad | None = None
    best_area = 0.0
    for mask in (otsu, edges):
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
            area = float(cv2.contourArea(contour))
            if area < max(min_fraction * frame_area, best_area):
                break
            quad = _four_corners(contour)
            if quad is not None and _plausible_page(blurred, contour, quad, frame_area):
                best, best_area = quad, area
                break
    if best is None:
        return None
    coarse = order_corners(best / scale)
    return refine_corners(gray, coarse, reach=2.0 / scale + 3)


def refine_corners(gray: npt.NDArray[Any], corners: Quad, reach: float) -> Quad:
    """Corners to sub-pixel precision: each side re-found at full resolution, corners re-intersected.

    The contour was found on a reduced copy; along each side the strongest step of brightness
    within `reach` pixels across it is the true edge. A side that cannot be fitted keeps the
    coarse corners.
    """
    lines = []
    for i in range(4):
        line = _fit_edge(gray, corners[i], corners[(i + 1) % 4], reach)
        if line is None:
            return corners
        lines.append(line)
    refined = []
    for i in range(4):
        point = _intersect(lines[(i - 1) % 4], lines[i])
        if point is None or float(np.linalg.norm(point - corners[i])) > 2 * reach:
            return corners
        refined.append(point)
    return np.array(refined, dtype=np.float32)


def _fit_edge(gray: npt.NDArray[Any], a: npt.NDArray[Any], b: npt.NDArray[Any],
              reach: float) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]] | None:
    """(point, direction) of the edge between corners a and b, from samples across it."""
    side = b - a
    length = float(np.linalg.norm(side))
    if length < 10:
        return None
    direction = side / length
    normal = np.array([-direction[1], direction[0]], dtype=np.float32)
    along = np.linspace(0.1, 0.9, 48, dtype=np.float32)  # keep away from the corners themselves
    across = np.arange(-reach, reach + 1, dtype=np.float32)
    centres = a[None, :] + along[:, None] * side[None, :]
    xs = centres[:, 0, None] + across[None, :] * normal[0]
    ys = centres[:, 1, None] + across[None, :] * normal[1]
    profiles = cv2.remap(gray, xs.astype(np.float32), ys.astype(np.float32), cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_REPLICATE).astype(np.float32)
    steps = np.abs(np.diff(profiles, axis=1))
    best = steps.argmax(axis=1)
    strong = steps[np.arange(len(best)), best] >= 10  # a faint step is texture, not the sheet's edge
    if int(strong.sum()) < 12:
        return None
    offsets = across[best] + 0.5
    points = centres + offsets[:, None] * normal[None, :]
    vx, vy, x0, y0 = cv2.fitLine(points[strong].astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
    return np.array([x0, y0], np.float32), np.array([vx, vy], np.float32)


def _intersect(l1: tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]],
               l2: tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]) -> npt.NDArray[np.float32] | None:
    (p1, d1), (p2, d2) = l1, l2
    m = np.array([[d1[0], -d2[0]], [d1[1], -d2[1]]], dtype=np.float64)
    if abs(np.linalg.det(m)) < 1e-6:
        return None
    t = np.linalg.solve(m, (p2 - p1).astype(np.float64))
    return np.asarray(p1 + t[0] * d1, dtype=np.float32)


def _plausible_page(gray: npt.NDArray[Any], contour: npt.NDArray[Any], quad: Quad, frame_area: float) -> bool:
    """A sheet fills its outline, leaves some mat in view, and stands out from that mat."""
    quad_area = float(cv2.contourArea(quad))
    if quad_area > MAX_PAGE_FRACTION * frame_area or float(cv2.contourArea(contour)) < 0.85 * quad_area:
        return False
    inside = np.zeros(gray.shape, np.uint8)
    cv2.fillConvexPoly(inside, quad.astype(np.int32), 255)
    inner, outer = cv2.mean(gray, mask=inside)[0], cv2.mean(gray, mask=cv2.bitwise_not(inside))[0]
    return bool(inner - outer >= MIN_PAGE_CONTRAST)


def _four_corners(contour: npt.NDArray[Any]) -> Quad | None:
    hull = cv2.convexHull(contour)
    perimeter = cv2.arcLength(hull, True)
    for eps in (0.02, 0.03, 0.05):  # rounded or dog-eared corners need a looser fit
        approx = cv2.approxPolyDP(hull, eps * perimeter, True)
        if len(approx) == 4 and cv2.isContourConvex(approx):
            return np.asarray(approx, dtype=np.float32).reshape(4, 2)
    return None


def page_size(corners: Quad, snap_to_a4: bool = True) -> tuple[int, int]:
    """Output (width, height) for a page with these corners: its longer measured sides, A4-snapped."""
    tl, tr, br, bl = corners
    width = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))
    height = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
    aspect = height / width
    if snap_to_a4:
        for target in (A4_ASPECT, 1 / A4_ASPECT):
            if abs(aspect - target) / target <= ASPECT_SNAP:
                if target > 1:
                    height = width * target
                else:
                    width = height / target
    return int(round(width)), int(round(height))


def warp_page(image: npt.NDArray[Any], corners: Quad, snap_to_a4: bool = True) -> Image:
    """The page cut out and made rectangular (perspective correction)."""
    w, h = page_size(corners, snap_to_a4)
    target = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    out = cv2.warpPerspective(image, m, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)
    return np.asarray(out, dtype=np.uint8)


def skew_angle(image: npt.NDArray[Any]) -> float:
    """The rotation of the text lines in degrees (positive = counter-clockwise), within ±MAX_DESKEW_DEG.

    Characters of a line are smeared into one blob; each long, thin blob votes with the direction
    of a line fitted through it, weighted by its length. 0.0 when there is too little to measure.
    """
    gray = _gray(image)
    scale = min(1.0, 1000 / max(gray.shape))
    if scale < 1:
        gray = _gray(cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA))
    ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)
    ink = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (25, 1)))
    contours, _ = cv2.findContours(ink, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    min_len = gray.shape[1] / 8
    angles: list[float] = []
    weights: list[float] = []
    for contour in contours:
        (_, _), (rw, rh), _ = cv2.minAreaRect(contour)
        length, thickness = max(rw, rh), min(rw, rh)
        if length < min_len or length < 5 * max(thickness, 1.0):
            continue  # not a line of text: a word, a fiducial, a table cell
        vx, vy = (float(v) for v in cv2.fitLine(contour, cv2.DIST_L2, 0, 0.01, 0.01).ravel()[:2])
        angle = math.degrees(math.atan2(-vy, vx))  # image y grows downwards
        angle = (angle + 90) % 180 - 90  # a direction, not an orientation: fold into ±90
        if abs(angle) <= MAX_DESKEW_DEG:
            angles.append(angle)
            weights.append(length)
    if len(angles) < 3:
        return 0.0
    order = np.argsort(angles)  # weighted median: robust to table borders and stray strokes
    cumulative = np.cumsum(np.asarray(weights)[order])
    return float(np.asarray(angles)[order][np.searchsorted(cumulative, cumulative[-1] / 2)])


def rotate(image: npt.NDArray[Any], angle_deg: float) -> Image:
    """Rotate about the centre by `angle_deg` (counter-clockwise), keeping the size, edges replicated."""
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle_deg, 1.0)
    return np.asarray(cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_CUBIC,
                                     borderMode=cv2.BORDER_REPLICATE), dtype=np.uint8)


def deskew(image: npt.NDArray[Any], min_deg: float = 0.3) -> tuple[Image, float]:
    """Remove a residual rotation of the text; returns the image and the angle removed (degrees)."""
    angle = skew_angle(image)
    if abs(angle) < min_deg:
        return np.asarray(image, dtype=np.uint8), 0.0
    return rotate(image, -angle), angle


def process_page(image: npt.NDArray[Any], *, snap_to_a4: bool = True, do_deskew: bool = True) -> PageResult:
    """Find, flatten and straighten the page in a frame; when no page is found, the frame is deskewed."""
    corners = find_page(image)
    page = warp_page(image, corners, snap_to_a4) if corners is not None else np.asarray(image, dtype=np.uint8)
    skew = 0.0
    if do_deskew:
        page, skew = deskew(page)
    return PageResult(page, corners, skew)
