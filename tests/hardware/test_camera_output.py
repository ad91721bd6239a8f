"""Document camera output: JPEG and multi-page PDF, written atomically."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image as PilImage

from hardware.camera.output import jpeg_bytes, pdf_bytes, save_jpeg, save_pdf, to_pil


def page(h: int = 283, w: int = 200, value: int = 240) -> np.ndarray:
    img = np.full((h, w, 3), value, np.uint8)
    img[10:20, 10:60] = (0, 0, 255)  # a red mark (BGR) to check the channel order
    return img


def test_jpeg_keeps_size_and_colour_order_and_dpi() -> None:
    with PilImage.open(io.BytesIO(jpeg_bytes(page(), dpi=200))) as im:
        assert im.format == "JPEG" and im.size == (200, 283)
        r, g, b = im.getpixel((30, 15))
        assert r > 200 and g < 60 and b < 60
        assert round(im.info["dpi"][0]) == 200


def test_gray_and_bgra_pages_convert() -> None:
    assert to_pil(np.zeros((5, 4), np.uint8)).mode == "L"
    assert to_pil(np.zeros((5, 4, 4), np.uint8)).mode == "RGB"
    with pytest.raises(ValueError, match="not an 8-bit image"):
        to_pil(np.zeros((5, 4), np.float64))


def test_pdf_has_one_page_per_capture_sized_by_dpi() -> None:
    data = pdf_bytes([page(), page(100, 150), page()], dpi=72, title="case 2026-001")
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type /Page\b(?!s)", data)) == 3
    boxes = re.findall(rb"/MediaBox \[ 0 0 ([\d.]+) ([\d.]+) \]", data)
    assert [(float(w), float(h)) for w, h in boxes] == [(200.0, 283.0), (150.0, 100.0), (200.0, 283.0)]


def test_a4_page_at_150_dpi_is_a4_on_paper() -> None:
    data = pdf_bytes([page(1754, 1240)], dpi=150)
    [(w, h)] = re.findall(rb"/MediaBox \[ 0 0 ([\d.]+) ([\d.]+) \]", data)
    assert float(w) / 72 * 25.4 == pytest.approx(210, abs=0.5)  # mm
    assert float(h) / 72 * 25.4 == pytest.approx(297, abs=0.5)


def test_empty_pdf_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one page"):
        pdf_bytes([])


def test_files_are_written_whole_and_leave_no_temporaries(tmp_path: Path) -> None:
    jpg = save_jpeg(page(), tmp_path / "case" / "p1.jpg")
    pdf = save_pdf([page(), page()], tmp_path / "case" / "all.pdf")
    assert jpg.read_bytes()[:2] == b"\xff\xd8" and pdf.read_bytes()[:5] == b"%PDF-"
    assert sorted(p.name for p in (tmp_path / "case").iterdir()) == ["all.pdf", "p1.jpg"]


def test_a_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "doc.pdf"
    target.write_bytes(b"old")
    with pytest.raises(ValueError):
        save_pdf([np.zeros((2, 2), np.float32)], target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.pdf"]
