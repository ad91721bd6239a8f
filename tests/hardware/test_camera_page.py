"""Document camera page processing: detection, perspective correction, deskew — checked geometrically."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from hardware.camera.page import (
    A4_ASPECT,
    find_page,
    order_corners,
    page_size,
    process_page,
    refine_corners,
    rotate,
    skew_angle,
)
from hardware.camera.synth import FIDUCIAL_SIDE, FIDUCIALS, render_page, synth_page


def fiducial_centres(page: np.ndarray) -> list[tuple[float, float]]:
    """Centres of the solid black squares of the test page, found again in a corrected page."""
    gray = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    _, ink = cv2.threshold(gray, 100, 255, cv2.THRESH_BINARY_INV)
    n, _, stats, centroids = cv2.connectedComponentsWithStats(ink)
    side = FIDUCIAL_SIDE * page.shape[1]
    found = []
    for i in range(1, n):
        w, h, area = stats[i, cv2.CC_STAT_WIDTH], stats[i, cv2.CC_STAT_HEIGHT], stats[i, cv2.CC_STAT_AREA]
        if 0.6 * side < w < 1.5 * side and 0.6 * side < h < 1.5 * side and area > 0.8 * w * h:
            found.append((float(centroids[i][0]), float(centroids[i][1])))
    return found


@pytest.mark.parametrize("seed, angle, tilt", [(1, 0.0, 0.0), (2, 12.0, 0.08), (3, -20.0, 0.12), (4, 25.0, 0.15)])
def test_page_is_found_flattened_and_its_content_lands_where_it_belongs(seed: int, angle: float, tilt: float) -> None:
    synth = synth_page(seed, angle_deg=angle, tilt=tilt)
    result = process_page(synth.frame)
    assert result.found and result.corners is not None
    diagonal = float(np.linalg.norm(synth.corners[2] - synth.corners[0]))
    corner_error = np.abs(result.corners - order_corners(synth.corners)).max()
    assert corner_error < 0.003 * diagonal  # corners within 0.3 % of the page diagonal (about 3 px here)

    h, w = result.image.shape[:2]
    assert h / w == pytest.approx(A4_ASPECT, rel=0.01)  # portrait A4
    assert abs(result.skew_deg) < 1.0  # nothing left to straighten after the warp
    centres = sorted(fiducial_centres(result.image), key=lambda c: (round(c[1] / h), c[0]))
    expected = sorted(((fx * w, fy * h) for fx, fy in FIDUCIALS), key=lambda c: (round(c[1] / h), c[0]))
    assert len(centres) == 4
    for (x, y), (ex, ey) in zip(centres, expected, strict=True):
        assert abs(x - ex) < 0.015 * w and abs(y - ey) < 0.015 * h


def test_a_landscape_page_stays_landscape() -> None:
    rng = np.random.default_rng(9)
    from hardware.camera.synth import place_page

    synth = place_page(render_page(rng, landscape=True), rng, angle_deg=-8.0, tilt=0.05)
    result = process_page(synth.frame)
    h, w = result.image.shape[:2]
    assert result.found and w / h == pytest.approx(A4_ASPECT, rel=0.01)


def test_no_page_in_view_keeps_the_frame() -> None:
    mat = np.random.default_rng(1).normal(45, 6, size=(600, 800, 3)).clip(0, 255).astype(np.uint8)
    assert find_page(mat) is None
    result = process_page(mat)
    assert not result.found and result.image.shape == mat.shape


@pytest.mark.parametrize("angle", [-6.0, -2.5, 1.5, 4.0, 8.0])
def test_deskew_measures_and_removes_a_residual_rotation(angle: float) -> None:
    page = render_page(np.random.default_rng(3))
    tilted = rotate(page, angle)  # a sheet photographed without its edges in view
    assert skew_angle(tilted) == pytest.approx(angle, abs=0.3)
    result = process_page(tilted)
    assert result.skew_deg == pytest.approx(angle, abs=0.3)
    assert abs(skew_angle(result.image)) < 0.3


def test_a_straight_page_is_not_rotated() -> None:
    page = render_page(np.random.default_rng(4))
    assert skew_angle(page) == pytest.approx(0.0, abs=0.2)


def test_blank_input_has_no_skew() -> None:
    assert skew_angle(np.full((400, 300), 255, np.uint8)) == 0.0


def test_corner_order_and_a4_snap() -> None:
    pts = np.array([[100, 10], [10, 12], [12, 150], [101, 148]], np.float32)
    assert order_corners(pts).tolist() == [[10, 12], [100, 10], [101, 148], [12, 150]]
    square = np.array([[0, 0], [100, 0], [100, 100], [0, 100]], np.float32)
    assert page_size(square) == (100, 100)  # far from A4: kept as measured
    near_a4 = np.array([[0, 0], [100, 0], [100, 139], [0, 139]], np.float32)
    assert page_size(near_a4) == (100, 141)
    assert page_size(near_a4, snap_to_a4=False) == (100, 139)


def test_refinement_keeps_the_coarse_corners_when_there_is_no_edge_to_fit() -> None:
    flat = np.full((400, 400), 128, np.uint8)
    coarse = np.array([[50, 50], [350, 52], [348, 350], [52, 348]], np.float32)
    assert np.array_equal(refine_corners(flat, coarse, reach=6), coarse)


def test_refinement_finds_the_true_edges_of_a_sharp_sheet() -> None:
    img = np.full((400, 400), 40, np.uint8)
    cv2.rectangle(img, (60, 70), (340, 330), 230, -1)
    coarse = np.array([[63, 66], [344, 73], [337, 334], [57, 326]], np.float32)  # off by 3-4 px
    refined = refine_corners(img, coarse, reach=8)
    truth = np.array([[60, 70], [340, 70], [340, 330], [60, 330]], np.float32)
    assert np.abs(refined - truth).max() < 1.0
