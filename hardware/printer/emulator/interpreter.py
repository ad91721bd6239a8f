"""An ESC/POS interpreter: the byte stream a printer receives, turned into ink on `Paper`.

It parses incrementally (a command split over two TCP segments waits for its tail), keeps the
print modes a real printer keeps (alignment, emphasis, size, line spacing, Chinese mode, QR and
barcode settings), prints a text line on LF as a printer's font would draw it, and answers
DLE EOT through `reply`. Print data that arrives while the printer cannot print (paper out,
cover open) is dropped, as a printer that stopped does; unknown commands are counted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PIL import Image
from qrcode.exceptions import DataOverflowError

from hardware.printer import cjk, status
from hardware.printer.emulator.paper import Paper
from hardware.printer.fonts import CHAR_DOTS, shared_glyphs
from hardware.printer.symbols import barcode_image, code128b_modules, qr_image

ESC, GS, FS, DLE = 0x1B, 0x1D, 0x1C, 0x10
DEFAULT_LINE_DOTS = 30
HRI_GAP_DOTS = 6


@dataclass
class Modes:
    align: int = 0
    bold: bool = False
    width: int = 1
    height: int = 1
    line_dots: int = DEFAULT_LINE_DOTS
    chinese: bool = False
    qr_size: int = 3
    qr_level: str = "L"
    qr_data: bytes = b""
    bar_height: int = 162
    bar_module: int = 3
    hri: int = 0


@dataclass
class Glyph:
    ch: str
    bold: bool
    width: int
    height: int


@dataclass
class Supply:
    """Paper and cover, and the allowance left before the paper runs out (None = plenty)."""

    paper_out: bool = False
    near_end: bool = False
    cover_open: bool = False
    lines_left: int | None = None
    dots_left: int | None = None
    bytes_left: int | None = None

    @property
    def can_print(self) -> bool:
        return not (self.paper_out or self.cover_open)

    def consume(self, lines: int, dots: int) -> bool:
        """Take paper for one print action; False (and paper out) when the roll cannot give it."""
        if not self.can_print:
            return False
        if (self.lines_left is not None and lines > self.lines_left) or (
                self.dots_left is not None and dots > self.dots_left):
            self.paper_out = True
            return False
        if self.lines_left is not None:
            self.lines_left -= lines
        if self.dots_left is not None:
            self.dots_left -= dots
        return True


@dataclass
class Interpreter:
    paper: Paper = field(default_factory=Paper)
    reply: Callable[[bytes], None] = lambda data: None
    supply: Supply = field(default_factory=Supply)
    modes: Modes = field(default_factory=Modes)
    unknown: list[bytes] = field(default_factory=list)
    dropped: int = 0  # print actions lost because the printer could not print
    _buf: bytearray = field(default_factory=bytearray)
    _line: list[Glyph] = field(default_factory=list)

    def feed(self, data: bytes) -> None:
        self._buf += data
        while self._buf:
            supply = self.supply
            if supply.bytes_left is not None and supply.bytes_left <= 0 and self._buf[0] != DLE:
                supply.paper_out = True  # the roll ended before this command
            used = self._step(self._buf)
            if used is None:
                return  # wait for the rest of a command
            if supply.bytes_left is not None and self._buf[0] != DLE:
                supply.bytes_left -= used
            del self._buf[:used]

    # ---- parsing: each branch returns the bytes used, or None when the command is incomplete

    def _step(self, b: bytearray) -> int | None:
        c = b[0]
        if c == DLE:
            return self._dle(b)
        if c == ESC:
            return self._esc(b)
        if c == GS:
            return self._gs(b)
        if c == FS:
            return self._fs(b)
        if c == 0x0A:
            self._print_line()
            return 1
        if c < 0x20:
            return 1  # CR, HT and other controls: nothing to print
        return self._char(b)

    def _char(self, b: bytearray) -> int | None:
        if b[0] < 0x80:
            self._glyph(chr(b[0]))
            return 1
        if not self.modes.chinese:
            self._glyph(bytes(b[:1]).decode("cp437"))
            return 1
        if len(b) < 2:
            return None
        size = 4 if 0x30 <= b[1] <= 0x39 else 2  # GB18030 four-byte sequences have a digit second
        if len(b) < size:
            return None
        text = bytes(b[:size]).decode("gb18030", errors="replace")
        self._glyph(cjk.printable(text) or "?")
        return size

    def _glyph(self, ch: str) -> None:
        m = self.modes
        self._line.append(Glyph(ch, m.bold, m.width, m.height))

    def _dle(self, b: bytearray) -> int | None:
        if len(b) < 3:
            return None
        if b[1] == 0x04:  # DLE EOT n: real-time status
            self._status(b[2])
            return 3
        if b[1] == 0x14:  # DLE DC4 fn ...: fn 8 carries 7 more bytes, the others 2
            need = 10 if b[2] == 8 else 5
            return need if len(b) >= need else None
        return 3  # DLE ENQ n and others

    def _esc(self, b: bytearray) -> int | None:
        if len(b) < 2:
            return None
        cmd = b[1]
        if cmd == ord("@"):
            self._line.clear()
            self.modes = Modes()
            return 2
        if cmd == ord("2"):
            self.modes.line_dots = DEFAULT_LINE_DOTS
            return 2
        if len(b) < 3:
            return None
        n = b[2]
        m = self.modes
        if cmd == ord("!"):
            m.bold, m.height, m.width = bool(n & 0x08), 2 if n & 0x10 else 1, 2 if n & 0x20 else 1
        elif cmd == ord("E"):
            m.bold = bool(n & 1)
        elif cmd == ord("a"):
            m.align = n - 48 if n >= 48 else n
        elif cmd == ord("3"):
            m.line_dots = n
        elif cmd == ord("d"):
            self._print_line(if_pending=True)
            self._feed(n * m.line_dots, lines=n)
        elif cmd == ord("J"):
            self._print_line(if_pending=True)
            self._feed(n, lines=0)
        elif cmd not in b"MtR-GV{ c":
            self.unknown.append(bytes(b[:2]))
            return 2
        return 3

    def _fs(self, b: bytearray) -> int | None:
        if len(b) < 2:
            return None
        if b[1] == ord("&"):
            self.modes.chinese = True
            return 2
        if b[1] == ord("."):
            self.modes.chinese = False
            return 2
        if b[1] == ord("S"):
            return 4 if len(b) >= 4 else None
        if b[1] in b"!-CW":
            return 3 if len(b) >= 3 else None
        self.unknown.append(bytes(b[:2]))
        return 2

    def _gs(self, b: bytearray) -> int | None:
        if len(b) < 3:
            return None
        cmd, n, m = b[1], b[2], self.modes
        if cmd == ord("!"):
            m.width, m.height = (n >> 4 & 7) + 1, (n & 7) + 1
            return 3
        if cmd == ord("V"):
            need = 4 if n in (65, 66) else 3
            if len(b) < need:
                return None
            self._print_line(if_pending=True)
            if need == 4:
                self._feed(b[3], lines=0)
            if self.supply.can_print:
                self.paper.cut()
            return need
        if cmd == ord("v"):
            return self._raster(b)
        if cmd == ord("("):
            return self._gs_paren(b)
        if cmd == ord("k"):
            return self._barcode(b)
        if cmd in b"hwHfBb":
            attr = {ord("h"): "bar_height", ord("w"): "bar_module", ord("H"): "hri"}.get(cmd)
            if attr:
                setattr(m, attr, n)
            return 3
        if cmd in b"LW":
            return 4 if len(b) >= 4 else None
        self.unknown.append(bytes(b[:2]))
        return 2

    def _gs_paren(self, b: bytearray) -> int | None:
        if len(b) < 5:
            return None
        size = b[3] | b[4] << 8
        if len(b) < 5 + size:
            return None
        body = bytes(b[5:5 + size])
        if b[2] == ord("k") and len(body) >= 2 and body[0] == 49:  # QR code functions
            fn, m = body[1], self.modes
            if fn == 67 and len(body) >= 3:
                m.qr_size = body[2]
            elif fn == 69 and len(body) >= 3:
                m.qr_level = {48: "L", 49: "M", 50: "Q", 51: "H"}.get(body[2], "L")
            elif fn == 80:
                m.qr_data = body[3:]
            elif fn == 81:
                self._print_qr()
        return 5 + size

    def _raster(self, b: bytearray) -> int | None:
        if len(b) < 8:
            return None
        width_bytes, rows = b[4] | b[5] << 8, b[6] | b[7] << 8
        end = 8 + width_bytes * rows
        if len(b) < end:
            return None
        if 0 < width_bytes <= 255 and 0 < rows <= 4095:  # larger ones are out of any printer's range
            bits = Image.frombytes("1", (width_bytes * 8, rows), bytes(b[8:end]))
            strip = Image.new("L", (self.paper.dot_width, rows), 0)
            strip.paste(bits.convert("L").crop((0, 0, min(width_bytes * 8, self.paper.dot_width), rows)), (0, 0))
            self._print_strip(strip, "raster", f"{width_bytes * 8}x{rows}", lines=0)
        return end

    def _barcode(self, b: bytearray) -> int | None:
        kind = b[2]
        if kind <= 6:  # function A: NUL-terminated
            end = b.find(0, 3)
            if end < 0:
                return None
            return end + 1
        if len(b) < 4:
            return None
        end = 4 + b[3]
        if len(b) < end:
            return None
        data = bytes(b[4:end]).decode("ascii", errors="replace")
        if kind == 73 and data.startswith("{B"):
            self._print_barcode(data[2:].replace("{{", "{"))
        else:
            self.unknown.append(bytes(b[:3]))
        return end

    # ---- printing

    def _print_line(self, if_pending: bool = False) -> None:
        glyphs, self._line = self._line, []
        if if_pending and not glyphs:
            return
        m = self.modes
        tallest = max((g.height for g in glyphs), default=1)
        height = max(m.line_dots, CHAR_DOTS * tallest)
        strip = Image.new("L", (self.paper.dot_width, height), 0)
        cells = [self._cell(g) for g in glyphs]
        width = sum(c.width for c in cells)
        x = {0: 0, 1: (strip.width - width) // 2, 2: strip.width - width}.get(m.align, 0)
        x = max(x, 0)
        for cell in cells:
            if x + cell.width > strip.width:
                break  # a real printer wraps; the renderers never send over-long lines
            strip.paste(cell, (x, CHAR_DOTS * tallest - cell.height))
            x += cell.width
        self._print_strip(strip, "text", "".join(g.ch for g in glyphs).rstrip(" "), lines=1)

    def _cell(self, g: Glyph) -> Image.Image:
        cell = shared_glyphs().cell(g.ch, g.bold)
        if g.width > 1 or g.height > 1:
            cell = cell.resize((cell.width * g.width, CHAR_DOTS * g.height), Image.Resampling.NEAREST)
        return cell

    def _print_qr(self) -> None:
        m = self.modes
        if not m.qr_data:
            return
        try:
            symbol = qr_image(m.qr_data, m.qr_level, max(1, min(m.qr_size, 16)))
        except (ValueError, DataOverflowError):  # more data than a QR holds: a printer prints nothing
            return
        self._print_strip(self._aligned(symbol), "qr", m.qr_data.decode("utf-8", errors="replace"), lines=0)

    def _print_barcode(self, data: str) -> None:
        m = self.modes
        try:
            code128b_modules(data)
        except KeyError:
            return
        bars = barcode_image(data, max(m.bar_height, 1), max(m.bar_module, 1))
        text_h = HRI_GAP_DOTS + max(m.line_dots, CHAR_DOTS) if m.hri in (2, 50) else 0
        strip = Image.new("L", (self.paper.dot_width, bars.height + text_h), 0)
        strip.paste(self._aligned(bars).crop((0, 0, strip.width, bars.height)), (0, 0))
        if text_h:
            label = shared_glyphs().line(data)
            strip.paste(label, ((strip.width - label.width) // 2, bars.height + HRI_GAP_DOTS))
        self._print_strip(strip, "barcode", data, lines=0)

    def _aligned(self, piece: Image.Image) -> Image.Image:
        strip = Image.new("L", (self.paper.dot_width, piece.height), 0)
        x = {0: 0, 1: (strip.width - piece.width) // 2, 2: strip.width - piece.width}.get(self.modes.align, 0)
        strip.paste(piece.crop((0, 0, min(piece.width, strip.width), piece.height)), (max(x, 0), 0))
        return strip

    def _feed(self, dots: int, lines: int) -> None:
        if dots and self.supply.consume(lines, dots):
            self.paper.feed(dots)

    def _print_strip(self, strip: Image.Image, kind: str, value: str, lines: int) -> None:
        if self.supply.consume(lines, strip.height):
            self.paper.add(strip, kind, value)
        else:
            self.dropped += 1

    def _status(self, n: int) -> None:
        s = self.supply
        byte = {1: status.encode_printer(offline=not s.can_print),
                2: status.encode_offline_cause(s.cover_open, s.paper_out, error=False),
                3: status.encode_error_cause(),
                4: status.encode_paper_sensor(s.near_end or s.paper_out, s.paper_out)}.get(n)
        if byte is not None:
            self.reply(bytes((byte,)))


