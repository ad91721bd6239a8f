"""Golden ESC/POS bytes of the reference receipt (the withdrawal receipt) in both modes.

Regenerate after an intended change with `HPF_UPDATE_GOLDEN=1 pytest tests/hardware/test_printer_golden.py`
and look at the diff and at docs/receipts/. The raster bytes depend on the font's glyphs, so
the raster golden records the font file it was made with and is skipped on another font.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from hardware.printer import commands
from hardware.printer.fonts import find_cjk_font
from hardware.printer.profile import get_profile
from hardware.printer.render import render
from hardware.printer.samples import reference_receipt

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("HPF_UPDATE_GOLDEN") == "1"


def _font_id() -> dict[str, object]:
    regular, bold = find_cjk_font(False), find_cjk_font(True)
    return {"regular": [regular.path.name, regular.index, regular.path.stat().st_size],
            "bold": [bold.path.name, bold.index, bold.path.stat().st_size]}


def font_matches_golden() -> bool:
    """True when this machine's CJK font is the one the raster golden and docs PNG were drawn with."""
    meta = GOLDEN / "reference_raster.font.json"
    return bool(json.loads(meta.read_text(encoding="utf-8")) == json.loads(json.dumps(_font_id())))


def _check(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(data)
    expected = path.read_bytes()
    if data != expected:
        at = next(i for i in range(min(len(data), len(expected)) + 1)
                  if i == min(len(data), len(expected)) or data[i] != expected[i])
        pytest.fail(f"{name}: bytes differ from offset {at} (got {len(data)} bytes, golden {len(expected)}): "
                    f"got {data[at:at + 24].hex(' ')} expected {expected[at:at + 24].hex(' ')}")


def test_text_mode_bytes_are_the_golden_ones() -> None:
    _check("reference_text.bin", render(reference_receipt(), get_profile("generic-80mm-text")).to_bytes())


def test_raster_mode_bytes_are_the_golden_ones() -> None:
    meta = GOLDEN / "reference_raster.font.json"
    if UPDATE:
        meta.write_text(json.dumps(_font_id(), indent=1) + "\n", encoding="utf-8")
    if not font_matches_golden():
        pytest.skip("the raster golden was drawn with another CJK font file")
    _check("reference_raster.bin", render(reference_receipt(), get_profile("generic-80mm-raster")).to_bytes())


def test_text_mode_structure_a_reader_can_check_by_eye() -> None:
    data = render(reference_receipt(), get_profile("generic-80mm-text")).to_bytes()
    # ESC @, ESC 3 30 (line spacing), FS & (Chinese mode)
    assert data.startswith(b"\x1b@\x1b3\x1e\x1c&")
    # the heading: centre, bold, GS ! 0x11 (double width and height), GB18030 text, LF, resets
    heading = "太原市住房公积金管理中心".encode("gb18030")
    assert b"\x1ba\x01\x1bE\x01\x1d!\x11" + heading + b"\n\x1d!\x00\x1bE\x00\x1ba\x00" in data
    assert b"1401**********1234" in data  # masked ID number, never the whole one
    assert b"140105199003071234" not in data
    assert "￥12,345.67".encode("gb18030") in data
    assert "人民币壹万贰仟叁佰肆拾伍元陆角柒分".encode("gb18030") in data
    url = b"https://gjj.example.cn/progress?no=TQ20261127000123"
    # GS ( k: model 2, module 6 dots, error level M, store (pL pH = len + 3), print
    assert (b"\x1d(k\x04\x001A2\x00\x1d(k\x03\x001C\x06\x1d(k\x03\x001E1"
            + b"\x1d(k" + bytes((len(url) + 3, 0)) + b"1P0" + url + b"\x1d(k\x03\x001Q0") in data
    # FS . (Chinese mode off), ESC d 4, GS V 66 0 (partial cut)
    assert data.endswith(b"\x1c.\x1bd\x04\x1dVB\x00")


def test_raster_mode_is_gs_v_0_slices_at_576_dots() -> None:
    printed = render(reference_receipt(), get_profile("generic-80mm-raster"))
    data = printed.to_bytes()
    assert data.startswith(b"\x1b@\x1b3\x1e\x1dv0\x00\x48\x00")  # 72 bytes = 576 dots wide
    assert b"\x1c&" not in data and b"\x1d(k" not in data  # no Chinese mode, no native QR: all drawn
    assert data.endswith(b"\x1bd\x04\x1dVB\x00")
    rows = 0
    i = data.index(b"\x1dv0")
    while i >= 0:
        width, height = data[i + 4] | data[i + 5] << 8, data[i + 6] | data[i + 7] << 8
        assert width == 72 and 1 <= height <= 96
        rows += height
        i = data.find(b"\x1dv0", i + 8 + width * height)
    assert rows == sum(b.dots for b in printed.blocks[1:-1] if b.data.startswith(b"\x1dv0"))


def test_both_modes_move_the_same_paper() -> None:
    text = render(reference_receipt(), get_profile("generic-80mm-text"))
    raster = render(reference_receipt(), get_profile("generic-80mm-raster"))
    assert [b.dots for b in text.blocks] == [b.dots for b in raster.blocks]
    assert text.length_mm == pytest.approx(raster.length_mm)
    assert [b.label for b in text.blocks][:3] == ["0 init", "1 text", "2 text"]


def test_command_builders_validate_their_arguments() -> None:
    assert commands.cut(partial=False) == b"\x1dVA\x00"
    assert commands.char_size(2, 1) == b"\x1d!\x10"
    assert commands.status_request(4) == b"\x10\x04\x04"
    assert commands.raster(1, 2, b"\xff\x00") == b"\x1dv0\x00\x01\x00\x02\x00\xff\x00"
    assert commands.barcode128("AB{", 50, 2, True).endswith(b"\x1dkI\x06{BAB{{")
    for bad in (lambda: commands.status_request(5), lambda: commands.raster(1, 1, b""),
                lambda: commands.char_size(9, 1), lambda: commands.line_spacing(300)):
        with pytest.raises(ValueError):
            bad()
