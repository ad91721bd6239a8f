"""Decoders: the three back ends, `decode_image`, format names, unreadable input, missing libraries."""

from __future__ import annotations

import importlib
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from hardware.scanner import decoders as decoders_module
from hardware.scanner.codes import normalize_format, text_of
from hardware.scanner.decoders import (
    DECODERS,
    DEFAULT_DECODER,
    DecoderUnavailableError,
    ImageError,
    ZbarDecoder,
    decode_image,
    get_decoder,
)
from hardware.scanner.synth import CONDITIONS, render_qr, synth_frame

PAYLOAD = "HPF1:AP20261127000123:TY"
# OpenCV's detector returns nothing for some mixed-mode payloads (digits + UTF-8 segments, as
# `qrcode` writes them); the benchmark counts that against it, this test keeps to ASCII.


@pytest.fixture(scope="module")
def qr_png(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("img") / "二维码.png"  # a non-ASCII file name, as users make them
    ok, data = cv2.imencode(".png", render_qr(PAYLOAD))
    assert ok
    path.write_bytes(data.tobytes())
    return path


@pytest.mark.parametrize("name", sorted(DECODERS))
def test_every_decoder_reads_a_clean_qr_file(qr_png: Path, name: str) -> None:
    codes = decode_image(qr_png, name)
    assert [(c.format, c.text, c.decoder) for c in codes] == [("QR_CODE", PAYLOAD, name)]
    assert codes[0].raw == PAYLOAD.encode("utf-8")
    assert codes[0].as_json() == {"format": "QR_CODE", "text": PAYLOAD}


def test_default_decoder_reads_bgr_and_bgra_arrays() -> None:
    gray = render_qr("ABC-123")
    bgr = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR)
    bgra = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGRA)
    assert [c.text for c in decode_image(bgr)] == ["ABC-123"]
    assert [c.text for c in decode_image(bgra)] == ["ABC-123"]
    assert get_decoder().name == DEFAULT_DECODER


def test_two_codes_in_one_image_are_both_found() -> None:
    left, right = render_qr("LEFT-1"), render_qr("RIGHT-2")
    canvas = np.full((left.shape[0] + 40, left.shape[1] + right.shape[1] + 80), 255, np.uint8)
    canvas[20:20 + left.shape[0], 20:20 + left.shape[1]] = left
    canvas[20:20 + right.shape[0], 60 + left.shape[1]:60 + left.shape[1] + right.shape[1]] = right
    assert sorted(c.text for c in decode_image(canvas, "zxing")) == ["LEFT-1", "RIGHT-2"]


def test_an_image_without_a_code_gives_an_empty_list() -> None:
    assert decode_image(np.full((200, 300), 200, np.uint8)) == []


def test_binary_qr_keeps_its_raw_bytes_and_gets_escaped_text() -> None:
    data = bytes(range(256))
    [code] = decode_image(render_qr(data, module_px=3), "zxing")
    assert code.raw == data
    assert code.text == text_of(data) and "\\x80" in code.text


@pytest.mark.parametrize("bad, reason", [
    (b"", "empty"),
    (b"this is not an image at all", "not a readable image"),
])
def test_unreadable_files_give_a_clear_image_error(tmp_path: Path, bad: bytes, reason: str) -> None:
    path = tmp_path / "x.png"
    path.write_bytes(bad)
    with pytest.raises(ImageError, match=reason):
        decode_image(path)


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ImageError, match=r"missing\.png: cannot read"):
        decode_image(tmp_path / "missing.png")


def test_a_header_announcing_a_huge_image_is_refused_before_decoding(tmp_path: Path) -> None:
    # A PNG whose header claims 60000×60000 pixels: a decompression bomb.
    ok, data = cv2.imencode(".png", np.zeros((2, 2), np.uint8))
    assert ok
    raw = bytearray(data.tobytes())
    raw[16:24] = (60000).to_bytes(4, "big") * 2  # IHDR width and height
    raw[29:33] = zlib.crc32(bytes(raw[12:29])).to_bytes(4, "big")  # a valid chunk CRC
    path = tmp_path / "bomb.png"
    path.write_bytes(bytes(raw))
    with pytest.raises(ImageError, match="too large"):
        decode_image(path)


@pytest.mark.parametrize("array", [np.zeros((0, 0), np.uint8), np.zeros((10, 10), np.float32),
                                   np.zeros((10, 10, 2), np.uint8)])
def test_unusable_arrays_give_an_image_error(array: np.ndarray) -> None:
    with pytest.raises(ImageError):
        decode_image(array)


def test_unknown_decoder_name_lists_the_choices() -> None:
    with pytest.raises(DecoderUnavailableError, match="zxing, zbar, opencv"):
        get_decoder("quirc")


def test_zbar_without_its_shared_library_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def no_zbar(name: str, *args: object) -> object:
        if name == "pyzbar.pyzbar":
            raise ImportError("Unable to find zbar shared library")
        return real(name)

    monkeypatch.setattr(decoders_module.importlib, "import_module", no_zbar)
    reason = ZbarDecoder().unavailable_reason()
    assert reason is not None and "libzbar0" in reason
    with pytest.raises(DecoderUnavailableError, match="libzbar0"):
        decode_image(render_qr("X"), "zbar")


@pytest.mark.parametrize("name, expected", [("QRCODE", "QR_CODE"), ("QRCode", "QR_CODE"), ("QR Code", "QR_CODE"),
                                            ("CODE128", "CODE_128"), ("Code128", "CODE_128"), ("I25", "ITF"),
                                            ("EAN13", "EAN_13"), ("DataMatrix", "DATA_MATRIX"),
                                            ("Something New", "SOMETHING_NEW")])
def test_format_names_are_the_same_whatever_the_decoder(name: str, expected: str) -> None:
    assert normalize_format(name) == expected


def test_default_decoder_reads_a_small_corpus_of_every_condition() -> None:
    rng = np.random.default_rng(2026)
    decoder = get_decoder()
    for condition in CONDITIONS:
        for i in range(2):
            payload = f"HPF1:{condition}:{i}:公积金".encode()
            frame = synth_frame(payload, condition, rng)
            assert frame.image.shape == (720, 1280)
            assert payload in [c.raw for c in decoder.decode(frame.image)], condition


def test_zbar_reads_utf8_chinese_without_mojibake() -> None:
    # zbar alone returns "HPF1:蟆丞ｺ怜玄…" here: it takes UTF-8 without an ECI for Shift-JIS.
    text = "HPF1:小店区住房公积金业务受理"
    [code] = decode_image(render_qr(text.encode("utf-8")), "zbar")
    assert code.text == text and code.raw == text.encode("utf-8")


@pytest.mark.parametrize("data", [b"plain ascii", "日本語のテキスト".encode("shift_jis"), b"\xff\xfe", "中文".encode()])
def test_shift_jis_repair_leaves_other_payloads_alone(data: bytes) -> None:
    assert decoders_module.undo_shift_jis_guess(data) == data


def test_benchmark_corpus_is_seeded_and_covers_every_condition() -> None:
    from bench.corpus import QUICK_PER_CONDITION, corpus, payload

    first, again = corpus(quick=True), corpus(quick=True)
    assert len(first) == QUICK_PER_CONDITION * len(CONDITIONS)
    assert {f.condition for f in first} == set(CONDITIONS)
    assert all(a.payload == b.payload and np.array_equal(a.image, b.image) for a, b in zip(first, again, strict=True))
    kinds = [payload(np.random.default_rng(0), i) for i in range(4)]  # token, number, URL, Chinese
    assert [p.isascii() for p in kinds] == [True, True, True, False]


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(st.sampled_from([np.uint8, np.uint16, np.float32, np.int8]),
                  hnp.array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=40)))
def test_random_arrays_give_codes_or_an_image_error(array: np.ndarray) -> None:
    try:
        codes = decode_image(array)
    except ImageError:
        return
    assert array.dtype == np.uint8 and isinstance(codes, list)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from([b"", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"BM"]))
def test_random_file_bytes_give_codes_or_an_image_error(tmp_path_factory: pytest.TempPathFactory, data: bytes,
                                                         magic: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "scan.img"
    path.write_bytes(magic + data)
    try:
        assert isinstance(decode_image(path), list)
    except ImageError as exc:
        assert str(path) in str(exc)
