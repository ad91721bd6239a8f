"""The emulated paper roll: printed strips of ink, cut into receipts, saved as PNG."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageOps

PAPER_MARGIN_DOTS = 32  # 80 mm paper is 640 dots wide, the printable 576 sit in the middle


@dataclass
class Printed:
    """One thing that reached the paper, for tests and logs: a text line, a QR, a raster slice ..."""

    kind: str  # "text", "qr", "barcode", "raster", "feed", "cut"
    value: str = ""
    dots: int = 0
    receipt: int = 0


@dataclass
class Paper:
    dot_width: int = 576
    strips: list[Image.Image] = field(default_factory=list)  # the receipt being printed, ink = 255
    receipts: list[list[Image.Image]] = field(default_factory=list)  # cut receipts
    log: list[Printed] = field(default_factory=list)

    def add(self, strip: Image.Image, kind: str, value: str = "") -> None:
        self.strips.append(strip)
        self.log.append(Printed(kind, value, strip.height, len(self.receipts)))

    def feed(self, dots: int, kind: str = "feed") -> None:
        if dots > 0:
            self.add(Image.new("L", (self.dot_width, dots), 0), kind)

    def cut(self) -> None:
        self.receipts.append(self.strips)
        self.strips = []
        self.log.append(Printed("cut", receipt=len(self.receipts) - 1))

    def texts(self, receipt: int | None = None) -> list[str]:
        """Text lines printed, in order (all receipts, or one)."""
        return [p.value for p in self.log if p.kind == "text" and (receipt is None or p.receipt == receipt)]

    def image(self, receipt: int = -1) -> Image.Image:
        """A receipt (cut ones by index; -1 = the last cut one, or the uncut strips if none) as paper."""
        strips = self.receipts[receipt] if self.receipts else self.strips
        height = max(1, sum(s.height for s in strips))
        ink = Image.new("L", (self.dot_width, height), 0)
        y = 0
        for s in strips:
            ink.paste(s, (0, y))
            y += s.height
        paper = ImageOps.invert(ink)
        return ImageOps.expand(paper, border=(PAPER_MARGIN_DOTS, PAPER_MARGIN_DOTS // 2), fill=255).convert("1")

    def save_png(self, path: Path, receipt: int = -1) -> Path:
        self.image(receipt).save(path, format="PNG", optimize=True)
        return path
