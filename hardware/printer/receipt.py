"""The receipt document model: what goes on the paper, independent of how it is sent.

A `Receipt` is a title plus a tuple of elements. Text elements are laid out into fixed lines of
half-width cells by `layout()` (the same for both rendering modes), so columns line up whether
a receipt is drawn as a raster image or sent as GB18030 text. Build one with `ReceiptBuilder`.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field

from PIL import Image

from hardware.printer import cjk


class Align(enum.StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True)
class Style:
    bold: bool = False
    double_width: bool = False
    double_height: bool = False

    @property
    def width_factor(self) -> int:
        return 2 if self.double_width else 1

    @property
    def height_factor(self) -> int:
        return 2 if self.double_height else 1


PLAIN = Style()


@dataclass(frozen=True)
class Text:
    """One paragraph; wrapped to the paper width, each wrapped line aligned."""

    text: str
    align: Align = Align.LEFT
    style: Style = PLAIN


@dataclass(frozen=True)
class Columns:
    """Two or three cells side by side. `widths` are shares of the line (default: equal)."""

    cells: tuple[str, ...]
    aligns: tuple[Align, ...] = ()
    widths: tuple[int, ...] = ()
    style: Style = PLAIN

    def __post_init__(self) -> None:
        if not 2 <= len(self.cells) <= 3:
            raise ValueError("Columns holds two or three cells")
        if self.aligns and len(self.aligns) != len(self.cells):
            raise ValueError("one alignment per cell")
        if self.widths and (len(self.widths) != len(self.cells) or min(self.widths) <= 0):
            raise ValueError("one positive width share per cell")


@dataclass(frozen=True)
class Separator:
    char: str = "-"


class QrErrorLevel(enum.StrEnum):
    L = "L"
    M = "M"
    Q = "Q"
    H = "H"


# Byte-mode capacity of the largest QR symbol (version 40) per error level (ISO/IEC 18004 table 7).
QR_BYTE_CAPACITY = {"L": 2953, "M": 2331, "Q": 1663, "H": 1273}


@dataclass(frozen=True)
class QrCode:
    data: str
    module_dots: int = 6  # dots per module (ESC/POS GS ( k size, 1..16)
    error_level: QrErrorLevel = QrErrorLevel.M
    align: Align = Align.CENTER

    def __post_init__(self) -> None:
        if not 1 <= self.module_dots <= 16:
            raise ValueError("QR module size is 1..16 dots")
        limit = QR_BYTE_CAPACITY[self.error_level.value]
        if not self.data or len(self.data.encode("utf-8")) > limit:
            raise ValueError(f"QR data must hold 1..{limit} bytes at error level {self.error_level.value}")


@dataclass(frozen=True)
class Barcode:
    """A CODE128 barcode (code set B: printable ASCII) with its text printed below."""

    data: str
    height_dots: int = 80
    module_dots: int = 2
    show_text: bool = True
    align: Align = Align.CENTER

    def __post_init__(self) -> None:
        if not self.data or not all(" " <= c <= "~" for c in self.data) or len(self.data) > 60:
            raise ValueError("CODE128 data must be 1..60 printable ASCII characters")
        if not 1 <= self.height_dots <= 255 or not 2 <= self.module_dots <= 6:
            raise ValueError("barcode height 1..255 dots, module 2..6 dots")


@dataclass(frozen=True, eq=False)
class Picture:
    """A black-and-white image, printed at one dot per pixel (wider ones are scaled down)."""

    image: Image.Image
    align: Align = Align.CENTER


@dataclass(frozen=True)
class Feed:
    lines: int = 1


@dataclass(frozen=True)
class Cut:
    partial: bool = True


Element = Text | Columns | Separator | QrCode | Barcode | Picture | Feed | Cut


@dataclass(frozen=True)
class Receipt:
    title: str
    elements: tuple[Element, ...] = field(default_factory=tuple)


# ---- layout: text elements into lines of cells ----


@dataclass(frozen=True)
class Line:
    """One printed line: printable text already padded or aligned within `columns` cells."""

    text: str
    align: Align
    style: Style


def line_columns(columns: int, style: Style) -> int:
    """Cells on one line for a style: double width halves them."""
    return columns // style.width_factor


def layout_text(element: Text, columns: int) -> list[Line]:
    width = line_columns(columns, element.style)
    out: list[Line] = []
    for paragraph in element.text.split("\n"):
        for piece in cjk.fit(cjk.printable(paragraph), width):
            out.append(Line(piece, element.align, element.style))
    return out


def _column_widths(element: Columns, width: int) -> list[int]:
    shares = element.widths or (1,) * len(element.cells)
    gaps = len(shares) - 1  # one blank cell between columns
    usable = width - gaps
    widths = [usable * s // sum(shares) for s in shares]
    widths[-1] += usable - sum(widths)
    return widths


def _pad(text: str, width: int, align: Align) -> str:
    room = width - cjk.cells(text)
    if align is Align.RIGHT:
        return " " * room + text
    if align is Align.CENTER:
        return " " * (room // 2) + text + " " * (room - room // 2)
    return text + " " * room


def layout_columns(element: Columns, columns: int) -> list[Line]:
    width = line_columns(columns, element.style)
    widths = _column_widths(element, width)
    default = (Align.LEFT,) + (Align.RIGHT,) * (len(element.cells) - 1)
    aligns = element.aligns or default[: len(element.cells)]
    wrapped = [cjk.fit(cjk.printable(c.replace("\n", " ")), max(w, 2)) for c, w in zip(element.cells, widths,
                                                                                       strict=True)]
    rows = max(len(w) for w in wrapped)
    out: list[Line] = []
    for r in range(rows):
        parts = [_pad(cell[r] if r < len(cell) else "", w, a) for cell, w, a in zip(wrapped, widths, aligns,
                                                                                     strict=True)]
        out.append(Line(" ".join(parts).rstrip(" "), Align.LEFT, element.style))
    return out


def layout_separator(element: Separator, columns: int) -> list[Line]:
    char = cjk.printable(element.char)[:1] or "-"
    return [Line(char * (columns // cjk.char_cells(char)), Align.LEFT, PLAIN)]


def layout(element: Text | Columns | Separator, columns: int) -> list[Line]:
    """The printed lines of a text element on paper `columns` half cells wide."""
    if isinstance(element, Text):
        return layout_text(element, columns)
    if isinstance(element, Columns):
        return layout_columns(element, columns)
    return layout_separator(element, columns)


class ReceiptBuilder:
    """Fluent construction: `ReceiptBuilder("title").text(...).columns(...).cut().build()`."""

    def __init__(self, title: str) -> None:
        self._title = title
        self._elements: list[Element] = []

    def add(self, element: Element) -> ReceiptBuilder:
        self._elements.append(element)
        return self

    def text(self, text: str, align: Align = Align.LEFT, *, bold: bool = False, double_width: bool = False,
             double_height: bool = False) -> ReceiptBuilder:
        return self.add(Text(text, align, Style(bold, double_width, double_height)))

    def heading(self, text: str) -> ReceiptBuilder:
        """Centred, bold, double width and height: a receipt's title line."""
        return self.text(text, Align.CENTER, bold=True, double_width=True, double_height=True)

    def columns(self, *cells: str, aligns: Sequence[Align] = (), widths: Sequence[int] = (),
                bold: bool = False) -> ReceiptBuilder:
        return self.add(Columns(tuple(cells), tuple(aligns), tuple(widths), Style(bold=bold)))

    def separator(self, char: str = "-") -> ReceiptBuilder:
        return self.add(Separator(char))

    def qr(self, data: str, module_dots: int = 6, error_level: QrErrorLevel = QrErrorLevel.M, *,
           caption: str = "") -> ReceiptBuilder:
        """A QR code with the caption printed under it (what it is for: a member never gets a bare code)."""
        self.add(QrCode(data, module_dots, error_level))
        return self.text(caption, Align.CENTER) if caption else self

    def barcode(self, data: str, height_dots: int = 80) -> ReceiptBuilder:
        return self.add(Barcode(data, height_dots))

    def picture(self, image: Image.Image, align: Align = Align.CENTER) -> ReceiptBuilder:
        return self.add(Picture(image, align))

    def feed(self, lines: int = 1) -> ReceiptBuilder:
        return self.add(Feed(lines))

    def cut(self, partial: bool = True) -> ReceiptBuilder:
        return self.add(Cut(partial))

    def build(self) -> Receipt:
        return Receipt(self._title, tuple(self._elements))
