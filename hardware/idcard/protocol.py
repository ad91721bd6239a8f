"""SAM serial protocol of 2nd-generation ID card readers: frames, checksum, status codes (BRIEF §5).

Request:  ``AA AA AA 96 69 | Len1 Len2 | CMD Para [Data] | CHK``
Response: ``AA AA AA 96 69 | Len1 Len2 | SW1 SW2 SW3 [Data] | CHK``

Len (big-endian) counts everything from CMD (or SW1) through CHK; CHK is the XOR of every byte
after the preamble (the length bytes included) up to, not including, CHK.

`FrameDecoder` takes bytes as they arrive from a port, skips noise before a preamble and hands
out one frame body at a time; a bad frame raises a `ProtocolError` subclass and is dropped, so
the next call carries on with the bytes after it. Nothing else ever escapes it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from hardware.model import Availability, DeviceError

PREAMBLE = bytes.fromhex("AAAAAA9669")
# The longest real response is 2321 bytes (read with fingerprint); anything much longer is noise.
MAX_LENGTH = 4096
MIN_LENGTH = 3  # the shortest frame is a request: CMD Para CHK


class Command(enum.Enum):
    """(CMD, Para) pairs the driver sends."""

    RESET_SAM = (0x10, 0xFF)
    SAM_STATUS = (0x11, 0xFF)
    SAM_ID = (0x12, 0xFF)  # [U] BRIEF §5: "12 FF reads the SAM ID"
    FIND_CARD = (0x20, 0x01)
    SELECT_CARD = (0x20, 0x02)
    READ_TEXT_PHOTO = (0x30, 0x01)
    READ_WITH_FINGERPRINT = (0x30, 0x10)
    SET_BAUD = (0x60, 0x00)  # Para carries the rate code on real modules; unused by the driver


SW_OK = 0x90
SW_FIND_OK = 0x9F
SW_NO_CARD = 0x80
SW_SELECT_FAILED = 0x81

# Every SW3 code in BRIEF §5 with a message for people (zh, en) and what they should do (zh, en).
_CARD_AGAIN = ("请取走身份证后重新放置", "Remove the card and place it on the reader again")
_STAFF = ("请联系工作人员", "Please ask a member of staff")
SW3_MESSAGES: dict[int, tuple[str, str, tuple[str, str]]] = {
    0x90: ("操作成功", "success", ("", "")),
    0x9F: ("找到身份证", "card found", ("", "")),
    0x80: ("未找到身份证", "no card on the reader", ("请将身份证放在感应区", "Place the ID card on the reader")),
    0x81: ("选卡失败", "could not select the card", _CARD_AGAIN),
    0x10: ("校验和错误", "checksum error reported by the reader", ("请重试", "Please try again")),
    0x11: ("长度错误", "length error reported by the reader", ("请重试", "Please try again")),
    0x21: ("命令无法识别", "the reader does not know this command", _STAFF),
    0x23: ("越权操作", "unauthorised operation", _STAFF),
    0x24: ("无法识别的错误", "unrecognised error", _STAFF),
    0x31: ("身份证认证SAM失败", "the card failed to authenticate the SAM", _CARD_AGAIN),
    0x32: ("SAM认证身份证失败", "the SAM failed to authenticate the card", _CARD_AGAIN),
    0x33: ("信息验证错误", "verification failed", _CARD_AGAIN),
    0x37: ("指纹信息验证错误", "fingerprint data error", _CARD_AGAIN),
    0x3F: ("信息长度错误", "card data length error", _CARD_AGAIN),
    0x40: ("无法识别的卡类型", "unknown card type", ("请放置二代居民身份证", "Place a 2nd-generation ID card")),
    0x41: ("读身份证操作失败", "reading the card failed", _CARD_AGAIN),
    0x47: ("取随机数失败", "random-number failure", _CARD_AGAIN),
    0x60: ("SAM自检失败", "SAM self-test failed", _STAFF),
    0x66: ("SAM未经授权", "the SAM is not authorised", _STAFF),
    0x91: ("无此内容", "no such content on the card", ("", "")),
}


class ProtocolError(DeviceError):
    """A frame that cannot be trusted (noise, damage, truncation) or a status the driver rejects."""

    code = "PROTOCOL_ERROR"
    availability = Availability.ONLINE

    def __init__(self, message_en: str, message_zh: str = "读卡器通信错误") -> None:
        super().__init__(message_en, message_zh, action_zh="请重试", action_en="Please try again")


class ChecksumError(ProtocolError):
    code = "CHECKSUM"


class FrameLengthError(ProtocolError):
    code = "FRAME_LENGTH"


class TruncatedFrameError(ProtocolError):
    code = "TRUNCATED_FRAME"


class SamStatusError(ProtocolError):
    """The reader answered with a status code other than the one the command needs."""

    code = "SAM_STATUS"

    def __init__(self, sw3: int, command: Command | None = None) -> None:
        zh, en, (action_zh, action_en) = describe_sw3(sw3)
        what = f" to {command.name}" if command else ""
        super().__init__(f"reader answered SW3={sw3:02X}{what}: {en}", zh)
        self.sw3 = sw3
        self.code = f"SW3_{sw3:02X}"
        if action_zh:
            self.action_zh, self.action_en = action_zh, action_en
        if sw3 in (0x60, 0x66, 0x21, 0x23, 0x24):
            self.availability = Availability.HARDWARE_ERROR


def describe_sw3(sw3: int) -> tuple[str, str, tuple[str, str]]:
    return SW3_MESSAGES.get(sw3, (f"未知状态码 {sw3:02X}", f"unknown status code {sw3:02X}", _STAFF))


def checksum(data: bytes) -> int:
    value = 0
    for byte in data:
        value ^= byte
    return value


def _frame(body: bytes) -> bytes:
    length = (len(body) + 1).to_bytes(2, "big")
    return PREAMBLE + length + body + bytes((checksum(length + body),))


def build_request(command: Command, data: bytes = b"") -> bytes:
    cmd, para = command.value
    return _frame(bytes((cmd, para)) + data)


def build_response(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    return _frame(bytes((sw1, sw2, sw3)) + data)


@dataclass(frozen=True)
class Request:
    """One command frame to the SAM reader."""
    cmd: int
    para: int
    data: bytes

    @property
    def command(self) -> Command | None:
        for command in Command:
            if command.value == (self.cmd, self.para):
                return command
        return None


@dataclass(frozen=True)
class Response:
    """One answer frame from the SAM reader: its three status bytes and data."""
    sw1: int
    sw2: int
    sw3: int
    data: bytes

    def __repr__(self) -> str:  # never print card data (it holds the text block and photo)
        return f"Response(sw3={self.sw3:02X}, {len(self.data)} data bytes)"


def parse_request(body: bytes) -> Request:
    if len(body) < 2:
        raise FrameLengthError(f"a request needs CMD and Para, got {len(body)} bytes")
    return Request(body[0], body[1], bytes(body[2:]))


def parse_response(body: bytes) -> Response:
    if len(body) < 3:
        raise FrameLengthError(f"a response needs SW1 SW2 SW3, got {len(body)} bytes")
    return Response(body[0], body[1], body[2], bytes(body[3:]))


class FrameDecoder:
    """Reassembles frames from a byte stream; see the module docstring."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self.skipped = 0  # noise bytes dropped before preambles, for diagnostics

    def feed(self, data: bytes) -> None:
        self._buffer += data

    @property
    def pending(self) -> int:
        return len(self._buffer)

    def next_body(self) -> bytes | None:
        """The next complete frame's body (without length and CHK), or None if more bytes are needed."""
        start = self._buffer.find(PREAMBLE)
        if start < 0:
            # keep a tail that may be the start of a preamble split across reads
            keep = next((k for k in range(len(PREAMBLE) - 1, 0, -1) if self._buffer.endswith(PREAMBLE[:k])), 0)
            self.skipped += len(self._buffer) - keep
            del self._buffer[: len(self._buffer) - keep]
            return None
        if start:
            self.skipped += start
            del self._buffer[:start]
        header = len(PREAMBLE) + 2
        if len(self._buffer) < header:
            return None
        length = int.from_bytes(self._buffer[len(PREAMBLE):header], "big")
        if not MIN_LENGTH <= length <= MAX_LENGTH:
            del self._buffer[:1]  # a false preamble in noise: resync after its first byte
            raise FrameLengthError(f"implausible frame length {length}")
        if len(self._buffer) < header + length:
            return None
        frame = bytes(self._buffer[: header + length])
        del self._buffer[: header + length]
        covered = frame[len(PREAMBLE): -1]
        if checksum(covered) != frame[-1]:
            raise ChecksumError(f"checksum {frame[-1]:02X}, computed {checksum(covered):02X}", "读卡器数据校验错误")
        return frame[header:-1]

    def truncated(self) -> TruncatedFrameError | None:
        """When the line went quiet: the error describing a half-received frame, if any."""
        if self._buffer.find(PREAMBLE) < 0:
            return None
        got = len(self._buffer)
        self._buffer.clear()
        return TruncatedFrameError(f"frame cut off after {got} bytes", "读卡器数据不完整")

    def reset(self) -> None:
        self._buffer.clear()
