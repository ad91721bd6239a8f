"""Vendor SDK adapter (ctypes): marshalling against stand-in libraries, and a missing library."""

from __future__ import annotations

import ctypes
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from hardware.idcard.sam_serial import CardNotRemovedError
from hardware.idcard.samples import RESIDENT, sample_photo
from hardware.idcard.textblock import build_text_block
from hardware.idcard.vendor_sdk import VendorSdkReader, unavailable_reason
from hardware.model import CardPresence, DeviceClass, DeviceSpec, DriverUnavailableError
from hardware.registry import NoDriverError, find_driver, load_builtin_drivers


def _spec(**options: object) -> DeviceSpec:
    return DeviceSpec(DeviceClass.ID_READER, "id_reader", "vendor", options=MappingProxyType(options))


class FakeSdtApi:
    """Behaves like sdtapi: SW3 return codes, data written into the caller's ctypes buffers."""

    def __init__(self) -> None:
        self.card = True
        self.read_done = False
        self.calls: list[str] = []

    def SDT_OpenPort(self, port: int) -> int:
        self.calls.append(f"open {port}")
        return 0x90

    def SDT_ClosePort(self, port: int) -> int:
        self.calls.append("close")
        return 0x90

    def SDT_StartFindIDCard(self, port: int, info: Any, if_open: int) -> int:
        return 0x9F if self.card and not self.read_done else 0x80

    def SDT_SelectIDCard(self, port: int, info: Any, if_open: int) -> int:
        return 0x90 if self.card else 0x81

    def SDT_ReadBaseMsg(self, port: int, text: Any, text_len: Any, photo: Any, photo_len: Any, if_open: int) -> int:
        block, wlt = build_text_block(RESIDENT), sample_photo()
        ctypes.memmove(text, block, len(block))
        ctypes.memmove(photo, wlt, len(wlt))
        text_len._obj.value, photo_len._obj.value = len(block), len(wlt)
        self.read_done = True
        return 0x90


def test_sdtapi_reads_a_card_and_asks_for_removal() -> None:
    lib = FakeSdtApi()
    reader = VendorSdkReader(_spec(port=1001, poll_interval_s=0.01), library=lib)
    with reader:
        record = reader.read_card(timeout_s=1)
        assert record == RESIDENT and record is not None and record.photo_wlt == sample_photo()
        with pytest.raises(CardNotRemovedError):
            reader.read_card(timeout_s=0.05)
        assert reader.wait_for_removal(timeout_s=0.02) is False
        lib.card = False
        lib.read_done = False
        assert reader.wait_for_removal(timeout_s=0.02) is True
        assert reader.read_card(timeout_s=0.05) is None
        assert reader.status.card is CardPresence.ABSENT
    assert lib.calls == ["open 1001", "close"]


class FakeTermb:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def InitComm(self, port: int) -> int:
        return 1

    def CloseComm(self) -> int:
        return 1

    def Authenticate(self) -> int:
        return 1

    def Read_Content(self, what: int) -> int:
        (self.folder / "wz.txt").write_bytes(build_text_block(RESIDENT))
        return 1


def test_termb_reads_the_text_file_it_writes(tmp_path: Path) -> None:
    reader = VendorSdkReader(_spec(sdk="termb", output_dir=str(tmp_path)), library=FakeTermb(tmp_path))
    with reader:
        assert reader.read_card(timeout_s=1) == RESIDENT


def test_a_missing_library_gives_a_clear_reason() -> None:
    spec = _spec(library="/nonexistent/libsdtapi.so")
    reason = unavailable_reason(spec)
    assert reason is not None and "not found" in reason and 'kind = "serial"' in reason
    assert "use 'sdtapi' or 'termb'" in (unavailable_reason(_spec(sdk="other")) or "")
    reader = VendorSdkReader(spec)
    with pytest.raises(DriverUnavailableError) as caught:
        reader.open()
    assert caught.value.message_zh == "未安装身份证阅读器厂商驱动"
    load_builtin_drivers(("hardware.idcard",))
    with pytest.raises(NoDriverError, match="vendor-sdk: vendor library"):
        find_driver(spec)
