"""QR and CODE128 symbols as module matrices, shared by the raster renderer and the emulator.

A printer computes a native QR (GS ( k) with the smallest version that holds the data at the
asked error level and no quiet zone; `qr_matrix` does the same, so the raster receipt and the
emulator's drawing of a native QR are the same symbol.
"""

from __future__ import annotations

import qrcode
from barcode.charsets import code128 as c128  # python-barcode, a dependency of python-escpos
from PIL import Image
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q

_LEVELS = {"L": ERROR_CORRECT_L, "M": ERROR_CORRECT_M, "Q": ERROR_CORRECT_Q, "H": ERROR_CORRECT_H}


def qr_matrix(data: bytes, error_level: str) -> list[list[bool]]:
    """Modules of the smallest QR (model 2, byte mode) for `data`; True is dark."""
    qr = qrcode.QRCode(error_correction=_LEVELS[error_level], border=0)
    qr.add_data(data, optimize=0)
    qr.make(fit=True)
    return [list(row) for row in qr.get_matrix()]


def qr_image(data: bytes, error_level: str, module_dots: int) -> Image.Image:
    """The QR as an 'L' image, ink = 255, `module_dots` dots per module."""
    matrix = qr_matrix(data, error_level)
    n = len(matrix)
    small = Image.new("L", (n, n), 0)
    small.putdata([255 if dark else 0 for row in matrix for dark in row])
    return small.resize((n * module_dots, n * module_dots), Image.Resampling.NEAREST)


def code128b_modules(data: str) -> str:
    """CODE128 code set B: start B, data, mod-103 check symbol, stop; "1" is a bar module."""
    values = [c128.START_CODES["B"]] + [c128.B[ch] for ch in data]
    check = (values[0] + sum(i * v for i, v in enumerate(values[1:], start=1))) % 103
    bars: str = "".join(c128.CODES[v] for v in [*values, check]) + c128.STOP
    return bars + "11"  # the stop symbol's final two-module bar


def barcode_image(data: str, height_dots: int, module_dots: int) -> Image.Image:
    """Bars only (the human-readable text is drawn by the caller), ink = 255."""
    modules = code128b_modules(data)
    row = Image.new("L", (len(modules), 1), 0)
    row.putdata([255 if m == "1" else 0 for m in modules])
    return row.resize((len(modules) * module_dots, height_dots), Image.Resampling.NEAREST)
