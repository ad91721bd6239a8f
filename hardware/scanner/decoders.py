"""Pluggable code decoders behind one small interface, and `decode_image` used by hpf-diag.

Three back ends: zxing-cpp (a wheel, no system library), pyzbar (needs the zbar shared library,
libzbar0 on Linux — optional at run time) and OpenCV's QRCodeDetector (QR only, in
opencv-python-headless). Each takes a grayscale uint8 image and returns `DecodedCode`s.
"""

from __future__ import annotations

import importlib
import io
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image as PilImage

from hardware.scanner.codes import DecodedCode, normalize_format, text_of

Image = npt.NDArray[np.uint8]

# The default back end, chosen by bench/bench_decoders.py (140 frames 1280×720: blur, rotation,
# perspective, glare, low contrast, phone screens; 2026-11-27, 2 shared cores, CPU ms per frame):
#   zxing-cpp 99.3 % decoded, 25.5 ms · pyzbar 86.4 %, 64.7 ms · OpenCV 74.3 %, 54.1 ms.
# zxing-cpp is the most robust (perspective 20/20 vs 11 and 6), the only one inside a 30 fps frame
# period (33 ms), and needs no system library.
DEFAULT_DECODER = "zxing"

# Files and arrays handed to decode_image are untrusted: refuse absurd sizes before decoding.
MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGE_FILE_BYTES = 64 * 1024 * 1024


class DecoderUnavailableError(Exception):
    """The decoder's library is missing; the message says what to install."""


class ImageError(Exception):
    """The image cannot be read or is not a usable picture."""


class Decoder(Protocol):
    name: str

    def unavailable_reason(self) -> str | None:
        """None when the decoder can run here, otherwise a one-line reason with the fix."""

    def decode(self, gray: Image) -> list[DecodedCode]:
        """Every code found in a grayscale uint8 image."""


class ZxingDecoder:
    name = "zxing"

    def __init__(self) -> None:
        self._zx: Any = None

    def unavailable_reason(self) -> str | None:
        try:
            self._zx = importlib.import_module("zxingcpp")
        except ImportError as exc:
            return f"zxing-cpp is not installed (pip install zxing-cpp): {exc}"
        return None

    def decode(self, gray: Image) -> list[DecodedCode]:
        zx = self._module()
        found = []
        for b in zx.read_barcodes(gray, text_mode=zx.TextMode.Plain):
            raw = bytes(b.bytes)
            text = b.text if b.content_type == zx.ContentType.Text else text_of(raw)
            pos = b.position
            corners = tuple((float(p.x), float(p.y)) for p in (pos.top_left, pos.top_right,
                                                               pos.bottom_right, pos.bottom_left))
            found.append(DecodedCode(normalize_format(b.format.name), text, raw, self.name, corners))
        return found

    def _module(self) -> Any:
        if self._zx is None:
            reason = self.unavailable_reason()
            if reason:
                raise DecoderUnavailableError(reason)
        return self._zx


class ZbarDecoder:
    name = "zbar"

    def __init__(self) -> None:
        self._decode: Callable[..., Any] | None = None

    def unavailable_reason(self) -> str | None:
        try:
            self._decode = importlib.import_module("pyzbar.pyzbar").decode
        except ImportError as exc:  # the wheel is there but libzbar is not: "Unable to find zbar shared library"
            return (f"pyzbar cannot load the zbar library ({exc}); install it "
                    "(Debian/Ubuntu: apt install libzbar0) or use the zxing decoder")
        return None

    def decode(self, gray: Image) -> list[DecodedCode]:
        if self._decode is None:
            reason = self.unavailable_reason()
            if reason:
                raise DecoderUnavailableError(reason)
        assert self._decode is not None
        found = []
        for d in self._decode(gray):
            raw, fmt = bytes(d.data), normalize_format(d.type)
            if fmt == "QR_CODE":
                raw = undo_shift_jis_guess(raw)
            corners = tuple((float(p.x), float(p.y)) for p in d.polygon)
            found.append(DecodedCode(fmt, text_of(raw), raw, self.name, corners))
        return found


def undo_shift_jis_guess(data: bytes) -> bytes:
    """The bytes a QR code held, when zbar mistook its UTF-8 for Shift-JIS.

    Without an ECI header zbar guesses Shift-JIS for byte-mode data and converts it to UTF-8, so
    UTF-8 Chinese comes back as mojibake ("小店区" → "蟆丞ｺ怜玄"; 12 of 140 benchmark frames). When
    the text maps back to Shift-JIS bytes that are themselves valid non-ASCII UTF-8, those bytes
    are what the code held; real Shift-JIS text almost never is valid UTF-8 as well.
    """
    try:
        text = data.decode("utf-8")
        if text.isascii():
            return data
        original = text.encode("cp932")
        original.decode("utf-8")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return data
    return original


class OpenCvQrDecoder:
    """OpenCV's QRCodeDetector: QR codes only; binary payloads come back empty and are dropped."""

    name = "opencv"

    def __init__(self) -> None:
        self._detector = cv2.QRCodeDetector()

    def unavailable_reason(self) -> str | None:
        return None

    def decode(self, gray: Image) -> list[DecodedCode]:
        try:
            ok, texts, points, _ = self._detector.detectAndDecodeMulti(gray)
        except cv2.error:  # degenerate detections raise inside OpenCV; treat as nothing found
            return []
        if not ok or points is None:
            return []
        found = []
        for text, quad in zip(texts, points, strict=False):
            if text:
                corners = tuple((float(x), float(y)) for x, y in quad)
                found.append(DecodedCode("QR_CODE", text, text.encode("utf-8"), self.name, corners))
        return found


DECODERS: dict[str, Callable[[], Decoder]] = {
    "zxing": ZxingDecoder,
    "zbar": ZbarDecoder,
    "opencv": OpenCvQrDecoder,
}


def get_decoder(name: str | None = None) -> Decoder:
    """A ready decoder by name ("zxing", "zbar", "opencv"; None = the benchmark's default)."""
    name = name or DEFAULT_DECODER
    factory = DECODERS.get(name)
    if factory is None:
        raise DecoderUnavailableError(f"unknown decoder {name!r}; choose one of {', '.join(DECODERS)}")
    decoder = factory()
    reason = decoder.unavailable_reason()
    if reason:
        raise DecoderUnavailableError(reason)
    return decoder


def to_gray(image: npt.NDArray[Any]) -> Image:
    """A grayscale uint8 copy of a gray, BGR or BGRA array; ImageError for anything else."""
    if not isinstance(image, np.ndarray) or image.size == 0:
        raise ImageError("not an image (empty or not an array) / 不是有效的图像")
    if image.dtype != np.uint8:
        raise ImageError(f"image must be 8-bit, got {image.dtype} / 图像必须是 8 位")
    if image.size > MAX_IMAGE_PIXELS * 4:
        raise ImageError(f"image too large ({image.shape}) / 图像过大")
    if image.ndim == 2:
        return np.ascontiguousarray(image)
    if image.ndim == 3 and image.shape[2] in (3, 4):
        code = cv2.COLOR_BGR2GRAY if image.shape[2] == 3 else cv2.COLOR_BGRA2GRAY
        return np.ascontiguousarray(cv2.cvtColor(image, code))
    raise ImageError(f"unsupported image shape {image.shape} / 不支持的图像格式")


def read_image(path: str | Path) -> Image:
    """Read an image file as grayscale; ImageError with a readable reason when that is impossible."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_IMAGE_FILE_BYTES:
            raise ImageError(f"{p}: file too large ({size} bytes) / 文件过大")
        data = np.fromfile(p, dtype=np.uint8)  # np.fromfile + imdecode also handles non-ASCII paths
    except OSError as exc:
        raise ImageError(f"{p}: cannot read ({exc.strerror or exc}) / 无法读取文件") from None
    if data.size == 0:
        raise ImageError(f"{p}: empty file / 空文件")
    # Refuse decompression bombs from the header before decoding the pixels.
    if not _header_size_ok(data):
        raise ImageError(f"{p}: image dimensions too large / 图像尺寸过大")
    image = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
    if image is None:
        raise ImageError(f"{p}: not a readable image (PNG, JPEG, BMP, …) / 不是可读取的图像文件")
    return np.ascontiguousarray(image)


def _header_size_ok(data: npt.NDArray[np.uint8]) -> bool:
    """False when the header announces more than MAX_IMAGE_PIXELS (read without decoding pixels)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PilImage.DecompressionBombWarning)
        try:
            with PilImage.open(io.BytesIO(data.tobytes())) as im:
                w, h = im.size
        except PilImage.DecompressionBombError:
            return False
        except (OSError, ValueError, SyntaxError):  # a format Pillow does not know: imdecode decides
            return True
    return bool(w * h <= MAX_IMAGE_PIXELS)


def decode_image(image: str | Path | npt.NDArray[Any], decoder: str | Decoder | None = None) -> list[DecodedCode]:
    """Every code in an image file or array (hpf-diag `scan --image FILE` calls this).

    Raises ImageError for an unreadable image and DecoderUnavailableError when the decoder's
    library is missing; never passes an exception from the decoder library through.
    """
    gray = read_image(image) if isinstance(image, (str, Path)) else to_gray(image)
    dec = get_decoder(decoder) if decoder is None or isinstance(decoder, str) else decoder
    return dec.decode(gray)
