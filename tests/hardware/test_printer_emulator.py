"""The emulator's ESC/POS interpreter and the DLE EOT status mapping."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops

from hardware.model import CoverState, PaperState
from hardware.printer import commands
from hardware.printer.emulator.interpreter import Interpreter
from hardware.printer.profile import get_profile
from hardware.printer.render import render
from hardware.printer.samples import reference_receipt
from hardware.printer.status import StatusReading, valid
from tests.hardware.test_printer_golden import font_matches_golden

DOCS_PNG = Path(__file__).resolve().parents[2] / "docs" / "receipts" / "reference_receipt.png"


def _interpret(data: bytes, chunk: int = 0) -> Interpreter:
    replies: list[bytes] = []
    it = Interpreter(reply=replies.append)
    if chunk:
        for i in range(0, len(data), chunk):
            it.feed(data[i:i + chunk])
    else:
        it.feed(data)
    return it


# ---- status bytes


def test_status_bytes_map_to_paper_and_cover() -> None:
    assert StatusReading(offline_cause=0x12, paper_sensor=0x12).paper is PaperState.OK
    assert StatusReading(offline_cause=0x12, paper_sensor=0x1E).paper is PaperState.LOW
    assert StatusReading(offline_cause=0x12, paper_sensor=0x72).paper is PaperState.OUT
    assert StatusReading(offline_cause=0x32, paper_sensor=None).paper is PaperState.OUT  # stopped by paper end
    assert StatusReading(offline_cause=0x16, paper_sensor=0x12).cover is CoverState.OPEN
    assert not StatusReading(offline_cause=0x16, paper_sensor=0x12).can_print
    assert StatusReading(offline_cause=0x12, paper_sensor=0x12, error_cause=0x1A).paper is PaperState.JAMMED


def test_no_answer_or_garbage_is_unknown_never_out() -> None:
    for reading in (StatusReading(), StatusReading(offline_cause=0xFF, paper_sensor=0x00),
                    StatusReading(offline_cause=0x60, paper_sensor=0x60)):  # paper-end bits without the fixed bits
        assert reading.paper is PaperState.UNKNOWN
        assert reading.cover is CoverState.UNKNOWN
        assert reading.can_print  # silence never blocks a print
        assert not reading.answered


@settings(deadline=None)  # timing belongs to bench/, not to a loaded test machine
@given(st.integers(0, 255), st.integers(0, 255))
def test_only_well_formed_bytes_can_say_out(cause: int, sensor: int) -> None:
    reading = StatusReading(offline_cause=cause, paper_sensor=sensor)
    if reading.paper is PaperState.OUT:
        assert valid(cause) or valid(sensor)


def test_emulator_answers_every_dle_eot_request() -> None:
    replies: list[bytes] = []
    it = Interpreter(reply=replies.append)
    it.feed(b"".join(commands.status_request(n) for n in (1, 2, 3, 4)))
    assert replies == [b"\x12", b"\x12", b"\x12", b"\x12"]
    it.supply.cover_open = True
    it.supply.paper_out = True
    it.feed(commands.status_request(1) + commands.status_request(2) + commands.status_request(4))
    assert replies[4:] == [b"\x1a", b"\x36", b"\x7e"]
    assert StatusReading(offline_cause=0x36, paper_sensor=0x7E).paper is PaperState.OUT


# ---- interpreting the stream


def test_text_mode_reference_prints_its_lines_and_cuts_once() -> None:
    it = _interpret(render(reference_receipt(), get_profile("generic-80mm-text")).to_bytes())
    texts = it.paper.texts()
    assert texts[0] == "太原市住房公积金管理中心"
    assert "证件号码 ID No.               1401**********1234" in texts
    assert "大写：人民币壹万贰仟叁佰肆拾伍元陆角柒分" in texts
    assert [p.value for p in it.paper.log if p.kind == "qr"] == ["https://gjj.example.cn/progress?no=TQ20261127000123"]
    assert len(it.paper.receipts) == 1
    assert it.unknown == []


def test_a_stream_split_anywhere_prints_the_same() -> None:
    data = render(reference_receipt(), get_profile("generic-80mm-text")).to_bytes()
    whole, bytewise = _interpret(data), _interpret(data, chunk=1)
    assert bytewise.paper.texts() == whole.paper.texts()
    assert ImageChops.difference(bytewise.paper.image(0), whole.paper.image(0)).getbbox() is None


def test_text_and_raster_modes_print_the_same_receipt() -> None:
    text = _interpret(render(reference_receipt(), get_profile("generic-80mm-text")).to_bytes()).paper.image(0)
    raster = _interpret(render(reference_receipt(), get_profile("generic-80mm-raster")).to_bytes()).paper.image(0)
    assert text.size == raster.size
    assert ImageChops.difference(text.convert("L"), raster.convert("L")).getbbox() is None


def test_checked_in_png_is_what_the_emulator_prints_now() -> None:
    if not font_matches_golden():
        pytest.skip("docs/receipts was drawn with another CJK font file")
    printed = _interpret(render(reference_receipt(), get_profile("generic-80mm-text")).to_bytes()).paper.image(0)
    with Image.open(DOCS_PNG) as doc:
        assert doc.size == printed.size
        assert ImageChops.difference(doc.convert("L"), printed.convert("L")).getbbox() is None


def test_paper_runs_out_after_n_lines_and_later_data_is_dropped() -> None:
    it = Interpreter()
    it.supply.lines_left = 3
    it.feed(b"\x1b@" + b"".join(f"line {i}\n".encode() for i in range(6)))
    assert it.paper.texts() == ["line 0", "line 1", "line 2"]
    assert it.supply.paper_out
    assert it.dropped == 3


def test_unknown_commands_are_counted_not_fatal() -> None:
    it = _interpret(b"\x1b@\x1bZ" + b"ok\n")
    assert it.unknown == [b"\x1bZ"]
    assert it.paper.texts() == ["ok"]


def _sane(it: Interpreter) -> None:
    assert {p.kind for p in it.paper.log} <= {"text", "qr", "barcode", "raster", "feed", "cut"}
    assert all(u[0] in (0x1B, 0x1D, 0x1C) and len(u) in (2, 3) for u in it.unknown)
    assert all(s.width == 576 for s in it.paper.strips)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600))
def test_random_bytes_never_raise(data: bytes) -> None:
    _sane(_interpret(data))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([b"\x1b", b"\x1d", b"\x1c", b"\x10", b"(k", b"v0", b"k", b"!", b"V", b"\x04",
                                 b"\x00", b"\xff", b"\x81", b"0", b"A", b"\n", b"\x03\x00"]), max_size=80))
def test_command_shaped_garbage_never_raises(parts: list[bytes]) -> None:
    _sane(_interpret(b"".join(parts), chunk=3))


def test_the_printed_codes_scan_back_to_their_data() -> None:
    import numpy as np
    import zxingcpp

    from hardware.printer.samples import test_receipt

    for profile in ("generic-80mm-text", "generic-80mm-raster"):
        page = _interpret(render(test_receipt("T-1"), get_profile(profile)).to_bytes()).paper.image(0)
        found = {(r.format.name, r.text) for r in zxingcpp.read_barcodes(np.asarray(page.convert("L")))}
        assert found == {("QRCode", "HPF-PRINT-TEST"), ("Code128", "HPF-TEST-0001")}


def test_error_cause_bytes_stop_printing() -> None:
    cutter = StatusReading.from_replies({1: 0x1A, 2: 0x52, 3: 0x1A, 4: 0x12})  # autocutter error
    assert cutter.paper is PaperState.JAMMED and cutter.offline and not cutter.can_print
    dead = StatusReading.from_replies({1: 0x12, 2: 0x12, 3: 0x32, 4: 0x12})  # unrecoverable error
    assert dead.unrecoverable and not dead.can_print


def test_a_picture_is_sent_as_raster_in_both_modes_and_drawn_where_aligned() -> None:
    from hardware.printer.receipt import Align, ReceiptBuilder

    logo = Image.new("1", (800, 40), 1)  # wider than the paper: scaled down to 576 dots
    logo.paste(0, (0, 0, 400, 40))  # left half black
    receipt = ReceiptBuilder("logo").picture(logo, Align.LEFT).build()
    for profile in ("generic-80mm-text", "generic-80mm-raster"):
        data = render(receipt, get_profile(profile)).to_bytes()
        assert b"\x1dv0\x00\x48\x00\x1c\x00" in data  # 72 bytes wide, 28 rows (40 * 576 // 800)
        strip = next(p for p in _interpret(data).paper.log if p.kind == "raster")
        assert strip.dots == 28
    ink = _interpret(data).paper.strips[0]
    assert ink.getpixel((10, 10)) == 255 and ink.getpixel((500, 10)) == 0


def test_paper_runs_out_after_n_bytes_between_commands() -> None:
    it = Interpreter()
    it.supply.bytes_left = 15
    it.feed(b"\x1b@" + b"first\n" + b"second\n")  # 2 + 6 + 7 = 15 bytes: all on paper
    it.feed(commands.status_request(4))
    assert it.paper.texts() == ["first", "second"]
    it.feed(b"third\n")
    assert it.paper.texts() == ["first", "second"]
    assert it.supply.paper_out
