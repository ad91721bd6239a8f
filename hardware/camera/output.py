"""Writing captured pages: JPEG per page, and one multi-page PDF per case (Pillow writes both).

Pages are numpy arrays in OpenCV's BGR (or gray) layout. The PDF gets each page's physical size
from `dpi`, so an A4 page captured at about 150 dpi prints as A4.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image as PilImage

DEFAULT_JPEG_QUALITY = 85  # case materials: legible text at a few hundred kB per page
DEFAULT_DPI = 150


def to_pil(page: npt.NDArray[Any]) -> PilImage.Image:
    """A Pillow image (RGB or L) from a BGR, BGRA or gray uint8 array."""
    arr = np.asarray(page)
    if arr.dtype != np.uint8 or arr.ndim not in (2, 3) or arr.size == 0:
        raise ValueError(f"not an 8-bit image: shape {arr.shape}, dtype {arr.dtype}")
    if arr.ndim == 2:
        return PilImage.fromarray(arr, mode="L")
    if arr.shape[2] == 4:
        arr = arr[:, :, :3]
    return PilImage.fromarray(np.ascontiguousarray(arr[:, :, ::-1]), mode="RGB")


def jpeg_bytes(page: npt.NDArray[Any], quality: int = DEFAULT_JPEG_QUALITY, dpi: int = DEFAULT_DPI) -> bytes:
    buf = io.BytesIO()
    to_pil(page).save(buf, format="JPEG", quality=quality, dpi=(dpi, dpi), optimize=True)
    return buf.getvalue()


def pdf_bytes(pages: Sequence[npt.NDArray[Any]], dpi: int = DEFAULT_DPI, quality: int = DEFAULT_JPEG_QUALITY,
              title: str = "") -> bytes:
    """One PDF with every page (JPEG-compressed inside, as a scanner would)."""
    if not pages:
        raise ValueError("a PDF needs at least one page")
    images = [to_pil(p) for p in pages]
    buf = io.BytesIO()
    images[0].save(buf, format="PDF", save_all=True, append_images=images[1:], resolution=float(dpi),
                   quality=quality, title=title or None)
    return buf.getvalue()


def write_atomically(path: Path | str, data: bytes) -> Path:
    """Write via a temporary file and rename, so a power cut never leaves half a document."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def save_jpeg(page: npt.NDArray[Any], path: Path | str, quality: int = DEFAULT_JPEG_QUALITY,
              dpi: int = DEFAULT_DPI) -> Path:
    return write_atomically(path, jpeg_bytes(page, quality, dpi))


def save_pdf(pages: Sequence[npt.NDArray[Any]], path: Path | str, dpi: int = DEFAULT_DPI,
             quality: int = DEFAULT_JPEG_QUALITY, title: str = "") -> Path:
    return write_atomically(path, pdf_bytes(pages, dpi, quality, title))
