"""Hypothesis: whatever a serial port or a card hands the driver, only typed device errors come out."""

from __future__ import annotations

from collections import deque
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardware.idcard import sam_serial
from hardware.idcard.emulator import SAM_ID
from hardware.idcard.protocol import build_response
from hardware.idcard.record import IdCardRecord
from hardware.idcard.sam_serial import SamSerialReader
from hardware.idcard.samples import RESIDENT
from hardware.idcard.textblock import TextBlockError, build_text_block, parse_text_block
from hardware.model import DeviceClass, DeviceError, DeviceSpec


class ScriptedPort:
    """Stands in for serial.Serial: every write is answered with the next scripted chunk."""

    def __init__(self, replies: list[bytes]) -> None:
        self._replies = deque(replies)
        self._pending = b""

    @property
    def in_waiting(self) -> int:
        return len(self._pending)

    def write(self, data: bytes) -> int:
        self._pending += self._replies.popleft() if self._replies else b""
        return len(data)

    def read(self, size: int = 1) -> bytes:
        chunk, self._pending = self._pending[:size], self._pending[size:]
        return chunk

    def reset_input_buffer(self) -> None:
        self._pending = b""

    def close(self) -> None:
        self._pending = b""


_READ_OK = build_response(0x90, b"\x01\x00\x04\x00" + build_text_block(RESIDENT) + bytes(1024))

replies = st.one_of(
    st.binary(max_size=64),
    st.builds(build_response, st.integers(0, 255), st.binary(max_size=40)),
    st.builds(lambda head, n: head[:n], st.just(_READ_OK), st.integers(0, len(_READ_OK))),
    st.builds(lambda data: build_response(0x90, data), st.binary(min_size=4, max_size=1400)),
    st.just(build_response(0x9F, bytes(4))),
    st.just(build_response(0x90, bytes(8))),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(replies, max_size=12))
def test_random_answers_never_escape_as_anything_but_device_errors(script: list[bytes]) -> None:
    port = ScriptedPort([build_response(0x90), build_response(0x90, SAM_ID), *script])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sam_serial.serial, "Serial", lambda *args, **kwargs: port)
        reader = SamSerialReader(DeviceSpec(DeviceClass.ID_READER, "id_reader", "serial", "/dev/fuzz",
                                            options=MappingProxyType({"answer_timeout_s": 0.002, "retries": 1})))
        reader.start()
        try:
            for _ in range(2):
                try:
                    result = reader.read_card(timeout_s=0)
                except DeviceError:
                    continue
                assert result is None or isinstance(result, IdCardRecord)
        finally:
            reader.close()


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=256, max_size=256))
def test_random_text_blocks_raise_only_text_block_errors(block: bytes) -> None:
    try:
        record = parse_text_block(block)
    except TextBlockError as exc:
        assert exc.message_zh and exc.action_en
    else:
        assert record.id_number


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 255), st.integers(0, 255))
def test_a_block_with_one_byte_changed_parses_or_is_rejected_cleanly(position: int, value: int) -> None:
    block = bytearray(build_text_block(RESIDENT))
    block[position] = value
    try:
        parse_text_block(bytes(block))
    except TextBlockError:
        pass
