"""ESC/POS command bytes used by HPF Terminal (Epson ESC/POS Application Programming Guide).

Only the commands the renderers send and the emulator understands. Each builder validates its
arguments, so a bad value is a clear `ValueError` here instead of garbage on the paper.
"""

from __future__ import annotations

ESC = b"\x1b"
GS = b"\x1d"
FS = b"\x1c"
DLE = b"\x10"
EOT = b"\x04"
LF = b"\n"

INIT = ESC + b"@"  # ESC @: clear the print buffer, reset modes
CHINESE_ON = FS + b"&"  # FS &: select Kanji (Chinese) character mode: two-byte characters
CHINESE_OFF = FS + b"."  # FS .: cancel Kanji character mode


def status_request(n: int) -> bytes:
    """DLE EOT n: real-time status; 1 printer, 2 offline cause, 3 error cause, 4 roll paper sensor."""
    if n not in (1, 2, 3, 4):
        raise ValueError("DLE EOT n is 1..4")
    return DLE + EOT + bytes((n,))


def line_spacing(dots: int) -> bytes:
    """ESC 3 n: line spacing in dots (vertical motion unit 1/203 inch on 203 dpi printers)."""
    _byte(dots, "line spacing")
    return ESC + b"3" + bytes((dots,))


def align(where: str) -> bytes:
    """ESC a n: 0 left, 1 centre, 2 right."""
    return ESC + b"a" + bytes(({"left": 0, "center": 1, "right": 2}[where],))


def bold(on: bool) -> bytes:
    """ESC E n: emphasised on/off."""
    return ESC + b"E" + (b"\x01" if on else b"\x00")


def print_mode(n: int) -> bytes:
    """ESC ! n: font B (bit 0), emphasised (3), double height (4), double width (5), underline (7)."""
    _byte(n, "print mode")
    return ESC + b"!" + bytes((n,))


def char_size(width: int, height: int) -> bytes:
    """GS ! n: character size, width and height magnification 1..8 (applies to Kanji too)."""
    if not (1 <= width <= 8 and 1 <= height <= 8):
        raise ValueError("character magnification is 1..8")
    return GS + b"!" + bytes((((width - 1) << 4) | (height - 1),))


def feed_lines(n: int) -> bytes:
    """ESC d n: print and feed n lines."""
    _byte(n, "feed lines")
    return ESC + b"d" + bytes((n,))


def cut(partial: bool = True, feed_dots: int = 0) -> bytes:
    """GS V m n (m = 65 full / 66 partial): feed to the cutter plus n dots, then cut."""
    _byte(feed_dots, "cut feed")
    return GS + b"V" + (b"B" if partial else b"A") + bytes((feed_dots,))


def raster(width_bytes: int, rows: int, data: bytes) -> bytes:
    """GS v 0 m xL xH yL yH d1..dk: a raster bit image, 1 bit per dot, MSB left, 1 = black."""
    if not (1 <= width_bytes <= 255 and 1 <= rows <= 2047):
        raise ValueError("raster image is 1..255 bytes wide and 1..2047 rows high")
    if len(data) != width_bytes * rows:
        raise ValueError("raster data length does not match its size")
    return GS + b"v0\x00" + _le16(width_bytes) + _le16(rows) + data


def qr_code(data: bytes, module_dots: int, error_level: str) -> bytes:
    """GS ( k, function 165/167/169/180/181: model 2, module size, error level, store, print."""
    if not 1 <= len(data) <= 7089:
        raise ValueError("QR data is 1..7089 bytes")
    if not 1 <= module_dots <= 16:
        raise ValueError("QR module size is 1..16 dots")
    level = {"L": 48, "M": 49, "Q": 50, "H": 51}[error_level]
    store = b"1P0" + data  # cn=49, fn=80 (store), m=48
    return (_gs_k(b"1A2\x00")  # fn 65: model 2
            + _gs_k(b"1C" + bytes((module_dots,)))  # fn 67: module size
            + _gs_k(b"1E" + bytes((level,)))  # fn 69: error correction level
            + _gs_k(store)
            + _gs_k(b"1Q0"))  # fn 81: print the stored symbol


def barcode128(data: str, height_dots: int, module_dots: int, show_text: bool) -> bytes:
    """GS h / GS w / GS H, then GS k m=73 (CODE128) with code set B selected by "{B"."""
    payload = b"{B" + data.replace("{", "{{").encode("ascii")
    if len(payload) > 255:
        raise ValueError("CODE128 data too long")
    return (GS + b"h" + bytes((height_dots,)) + GS + b"w" + bytes((module_dots,))
            + GS + b"H" + (b"\x02" if show_text else b"\x00") + GS + b"f\x00"
            + GS + b"kI" + bytes((len(payload),)) + payload)


def _gs_k(body: bytes) -> bytes:
    return GS + b"(k" + _le16(len(body)) + body


def _le16(n: int) -> bytes:
    return bytes((n & 0xFF, n >> 8 & 0xFF))


def _byte(n: int, what: str) -> None:
    if not 0 <= n <= 255:
        raise ValueError(f"{what} must be 0..255, not {n}")
