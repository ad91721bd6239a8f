"""A receipt turned into ESC/POS bytes, as a list of blocks: one per element.

Blocks are the unit of progress: the printer sends them one by one and checks the printer's
status between them, so a job that stops (paper out, cover open, printer gone) knows exactly
which elements are on paper in full, and a retry resumes after them. Block 0 is always the
initialisation (ESC @ and the mode settings) and is resent before a resumed job.

Two modes, chosen per printer profile:
- raster: every element drawn with the CJK font into a 1-bit band at the profile's dot width
  and sent as GS v 0 slices; needs no Chinese font in the printer.
- text: GB18030 in Chinese mode (FS & ... FS .), emphasis with ESC E / GS !, alignment with
  ESC a, native QR with GS ( k and CODE128 with GS k; pictures still go as GS v 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageOps

from hardware.printer import cjk, commands
from hardware.printer.fonts import CHAR_DOTS, shared_glyphs
from hardware.printer.profile import DOTS_PER_MM, PrinterProfile
from hardware.printer.receipt import (
    Align,
    Barcode,
    Columns,
    Cut,
    Element,
    Feed,
    Line,
    Picture,
    QrCode,
    Receipt,
    Separator,
    Text,
    layout,
)
from hardware.printer.symbols import barcode_image, qr_image

HRI_GAP_DOTS = 6  # between the bars and the human-readable text below them


@dataclass(frozen=True)
class Block:
    label: str  # e.g. "3 text", for messages that say how far a job got
    data: bytes
    dots: int  # paper the block moves, in dots (8 per mm)


@dataclass(frozen=True)
class PrintData:
    title: str
    profile: str
    mode: str
    blocks: tuple[Block, ...]

    def to_bytes(self) -> bytes:
        return b"".join(b.data for b in self.blocks)

    @property
    def length_mm(self) -> float:
        return sum(b.dots for b in self.blocks) / DOTS_PER_MM


def line_height(profile: PrinterProfile, height_factor: int) -> int:
    """Paper a text line moves: the line spacing, or the character height when that is taller."""
    return max(profile.line_dots, CHAR_DOTS * height_factor)


def render(receipt: Receipt, profile: PrinterProfile) -> PrintData:
    """The receipt as ESC/POS blocks in the profile's mode."""
    init = commands.INIT + commands.line_spacing(profile.line_dots)
    if profile.mode == "text":
        init += commands.CHINESE_ON
    blocks = [Block("0 init", init, 0)]
    for index, element in enumerate(receipt.elements, start=1):
        label = f"{index} {type(element).__name__.lower()}"
        data, dots = _element(element, profile)
        blocks.append(Block(label, data, dots))
    return PrintData(receipt.title, profile.name, profile.mode, tuple(blocks))


def _element(element: Element, profile: PrinterProfile) -> tuple[bytes, int]:
    if isinstance(element, Feed):
        return commands.feed_lines(element.lines), element.lines * profile.line_dots
    if isinstance(element, Cut):
        n = profile.feed_before_cut_lines
        off = commands.CHINESE_OFF if profile.mode == "text" else b""
        return off + commands.feed_lines(n) + commands.cut(element.partial), n * profile.line_dots
    if profile.mode == "text" and isinstance(element, Text | Columns | Separator):
        return _text_lines(layout(element, profile.columns), profile)
    if profile.mode == "text" and isinstance(element, QrCode):
        return _native_qr(element)
    if profile.mode == "text" and isinstance(element, Barcode):
        return _native_barcode(element, profile)
    band = draw_element(element, profile)
    return raster_slices(band, profile), band.height


# ---- text mode ----


def _text_lines(lines: list[Line], profile: PrinterProfile) -> tuple[bytes, int]:
    out = bytearray()
    dots = 0
    for line in lines:
        style = line.style
        if line.align is not Align.LEFT:
            out += commands.align(line.align.value)
        if style.bold:
            out += commands.bold(True)
        if style.double_width or style.double_height:
            out += commands.char_size(style.width_factor, style.height_factor)
        out += cjk.encode(line.text) + commands.LF
        if style.double_width or style.double_height:
            out += commands.char_size(1, 1)
        if style.bold:
            out += commands.bold(False)
        if line.align is not Align.LEFT:
            out += commands.align("left")
        dots += line_height(profile, style.height_factor)
    return bytes(out), dots


def _native_qr(element: QrCode) -> tuple[bytes, int]:
    data = element.data.encode("utf-8")
    size = qr_image(data, element.error_level.value, element.module_dots).height
    return (commands.align(element.align.value) + commands.qr_code(data, element.module_dots, element.error_level.value)
            + commands.align("left")), size


def _native_barcode(element: Barcode, profile: PrinterProfile) -> tuple[bytes, int]:
    data = commands.barcode128(element.data, element.height_dots, element.module_dots, element.show_text)
    dots = element.height_dots + (HRI_GAP_DOTS + line_height(profile, 1) if element.show_text else 0)
    return commands.align(element.align.value) + data + commands.align("left"), dots


# ---- raster mode ----


def _place(band: Image.Image, piece: Image.Image, align: Align, y: int) -> None:
    x = {Align.LEFT: 0, Align.CENTER: (band.width - piece.width) // 2,
         Align.RIGHT: band.width - piece.width}[align]
    band.paste(piece, (max(x, 0), y))


def draw_lines(lines: list[Line], profile: PrinterProfile) -> Image.Image:
    """Text lines drawn as a printer's font would print them: glyph cells, doubled by NEAREST."""
    heights = [line_height(profile, line.style.height_factor) for line in lines]
    band = Image.new("L", (profile.dot_width, sum(heights)), 0)
    y = 0
    glyphs = shared_glyphs()
    for line, height in zip(lines, heights, strict=True):
        img = glyphs.line(line.text, line.style.bold)
        wf, hf = line.style.width_factor, line.style.height_factor
        if wf > 1 or hf > 1:
            img = img.resize((img.width * wf, img.height * hf), Image.Resampling.NEAREST)
        _place(band, img.crop((0, 0, min(img.width, band.width), img.height)), line.align, y)
        y += height
    return band


def draw_barcode(element: Barcode, profile: PrinterProfile) -> Image.Image:
    bars = barcode_image(element.data, element.height_dots, element.module_dots)
    if bars.width > profile.dot_width:
        bars = bars.resize((profile.dot_width, bars.height), Image.Resampling.NEAREST)
    text_h = HRI_GAP_DOTS + line_height(profile, 1) if element.show_text else 0
    band = Image.new("L", (profile.dot_width, bars.height + text_h), 0)
    _place(band, bars, element.align, 0)
    if element.show_text:
        label = shared_glyphs().line(cjk.printable(element.data))
        _place(band, label, Align.CENTER, bars.height + HRI_GAP_DOTS)
    return band


def picture_ink(image: Image.Image, dot_width: int) -> Image.Image:
    """A picture as ink (255 = black dot), scaled down to fit the paper."""
    gray = image.convert("L")
    if gray.width > dot_width:
        gray = gray.resize((dot_width, max(1, gray.height * dot_width // gray.width)), Image.Resampling.LANCZOS)
    ink = ImageOps.invert(gray)
    return ink.point(lambda v: 255 if v >= 128 else 0)


def draw_element(element: Element, profile: PrinterProfile) -> Image.Image:
    """One element as an ink band ('L', 255 = black) the width of the paper."""
    if isinstance(element, Text | Columns | Separator):
        return draw_lines(layout(element, profile.columns), profile)
    if isinstance(element, QrCode):
        piece = qr_image(element.data.encode("utf-8"), element.error_level.value, element.module_dots)
        align = element.align
    elif isinstance(element, Barcode):
        return draw_barcode(element, profile)
    elif isinstance(element, Picture):
        piece, align = picture_ink(element.image, profile.dot_width), element.align
    else:
        raise TypeError(f"no drawing for {type(element).__name__}")
    band = Image.new("L", (profile.dot_width, piece.height), 0)
    _place(band, piece, align, 0)
    return band


def raster_slices(band: Image.Image, profile: PrinterProfile) -> bytes:
    """An ink band as GS v 0 commands of at most `raster_slice_rows` rows each."""
    bits = band.convert("1", dither=Image.Dither.NONE)
    width_bytes = (band.width + 7) // 8
    out = bytearray()
    for top in range(0, band.height, profile.raster_slice_rows):
        rows = min(profile.raster_slice_rows, band.height - top)
        out += commands.raster(width_bytes, rows, bits.crop((0, top, band.width, top + rows)).tobytes())
    return bytes(out)
