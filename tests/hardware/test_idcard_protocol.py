"""SAM frames: the exact bytes of BRIEF §5, the stream decoder, and random bytes (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardware.idcard.protocol import (
    PREAMBLE,
    SW3_MESSAGES,
    ChecksumError,
    Command,
    FrameDecoder,
    FrameLengthError,
    ProtocolError,
    SamStatusError,
    build_request,
    build_response,
    checksum,
    parse_request,
    parse_response,
)
from hardware.model import Availability


@pytest.mark.parametrize(("command", "frame"), [
    (Command.RESET_SAM, "AA AA AA 96 69 00 03 10 FF EC"),
    (Command.SAM_STATUS, "AA AA AA 96 69 00 03 11 FF ED"),
    (Command.FIND_CARD, "AA AA AA 96 69 00 03 20 01 22"),
    (Command.SELECT_CARD, "AA AA AA 96 69 00 03 20 02 21"),
    (Command.READ_TEXT_PHOTO, "AA AA AA 96 69 00 03 30 01 32"),
    (Command.READ_WITH_FINGERPRINT, "AA AA AA 96 69 00 03 30 10 23"),
])
def test_requests_match_the_verified_frames(command: Command, frame: str) -> None:
    assert build_request(command) == bytes.fromhex(frame)


def test_find_card_answer_matches_the_verified_frame() -> None:
    assert build_response(0x9F, bytes(4)) == bytes.fromhex("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97")


def test_read_answer_has_the_documented_length_and_layout() -> None:
    data = b"\x01\x00\x04\x00" + bytes(256) + bytes(1024)
    frame = build_response(0x90, data)
    assert len(frame) == 1295
    assert frame[:10] == bytes.fromhex("AA AA AA 96 69 05 08 00 00 90")


def test_checksum_is_the_xor_after_the_preamble() -> None:
    assert checksum(bytes.fromhex("00 03 10 FF")) == 0xEC
    assert checksum(b"") == 0


def test_decoder_skips_noise_and_splits_back_to_back_frames() -> None:
    decoder = FrameDecoder()
    stream = b"\x13\x37" + build_response(0x90) + build_response(0x9F, bytes(4))
    for i in range(0, len(stream), 3):  # arrives in small pieces
        decoder.feed(stream[i:i + 3])
    first, second = decoder.next_body(), decoder.next_body()
    assert first is not None and parse_response(first).sw3 == 0x90
    assert second is not None and parse_response(second).sw3 == 0x9F
    assert decoder.next_body() is None
    assert decoder.skipped == 2


def test_a_damaged_frame_raises_then_the_next_one_decodes() -> None:
    bad = bytearray(build_response(0x90))
    bad[-1] ^= 1
    decoder = FrameDecoder()
    decoder.feed(bytes(bad) + build_response(0x80))
    with pytest.raises(ChecksumError):
        decoder.next_body()
    body = decoder.next_body()
    assert body is not None and parse_response(body).sw3 == 0x80


def test_an_absurd_length_is_rejected_and_resynchronised() -> None:
    decoder = FrameDecoder()
    decoder.feed(PREAMBLE + b"\xff\xff" + build_request(Command.FIND_CARD))
    with pytest.raises(FrameLengthError):
        decoder.next_body()
    body = decoder.next_body()
    assert body is not None and parse_request(body).command is Command.FIND_CARD


def test_a_half_frame_is_reported_as_truncated_when_the_line_goes_quiet() -> None:
    decoder = FrameDecoder()
    decoder.feed(build_response(0x90, bytes(20))[:12])
    assert decoder.next_body() is None
    error = decoder.truncated()
    assert error is not None and error.code == "TRUNCATED_FRAME"
    assert decoder.pending == 0


def test_every_documented_status_code_has_a_message_in_both_languages() -> None:
    documented = {0x90, 0x9F, 0x80, 0x81, 0x10, 0x11, 0x21, 0x23, 0x24, 0x31, 0x32, 0x33, 0x37,
                  0x3F, 0x40, 0x41, 0x47, 0x60, 0x66, 0x91}
    assert set(SW3_MESSAGES) == documented
    for zh, en, _action in SW3_MESSAGES.values():
        assert zh and en and zh != en


def test_status_errors_carry_code_message_and_action() -> None:
    error = SamStatusError(0x41, Command.READ_TEXT_PHOTO)
    assert error.code == "SW3_41"
    assert error.message_zh == "读身份证操作失败"
    assert "READ_TEXT_PHOTO" in str(error)
    assert error.action_en.startswith("Remove the card")
    assert SamStatusError(0x60).availability is Availability.HARDWARE_ERROR
    unknown = SamStatusError(0x55)
    assert "55" in unknown.message_en and unknown.action_zh == "请联系工作人员"


def test_response_repr_never_shows_card_data() -> None:
    body = build_response(0x90, "张三".encode("utf-16-le"))[7:-1]
    assert "张" not in repr(parse_response(body)) and "4 data bytes" in repr(parse_response(body))


def _drain(decoder: FrameDecoder) -> list[bytes]:
    bodies: list[bytes] = []
    for _ in range(10_000):  # every call consumes bytes, so this always ends well before
        try:
            body = decoder.next_body()
        except ProtocolError:
            continue
        if body is None:
            return bodies
        bodies.append(body)
    raise AssertionError("the decoder did not make progress")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=200), max_size=8))
def test_random_bytes_only_ever_raise_protocol_errors(chunks: list[bytes]) -> None:
    decoder = FrameDecoder()
    for chunk in chunks:
        decoder.feed(chunk)
        for body in _drain(decoder):
            try:
                parse_response(body)
            except ProtocolError:
                pass
    decoder.truncated()


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=64), st.integers(0x00, 0xFF), st.binary(max_size=300), st.binary(max_size=64))
def test_a_good_frame_survives_noise_around_it(before: bytes, sw3: int, data: bytes, after: bytes) -> None:
    decoder = FrameDecoder()
    decoder.feed(before.replace(b"\xaa", b"\x00") + build_response(sw3, data) + after)
    bodies = _drain(decoder)
    assert bodies and parse_response(bodies[0]) == parse_response(bytes((0, 0, sw3)) + data)
