"""End to end through the pty reader emulator: the serial driver against the SAM protocol."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from types import MappingProxyType

import pytest

from hardware.events import DataEvent, DeviceEvent, ErrorEvent
from hardware.health import HealthLevel
from hardware.idcard.emulator import Fault, SamReaderEmulator
from hardware.idcard.protocol import Command, SamStatusError
from hardware.idcard.sam_serial import CardNotRemovedError, SamSerialReader, port_from_uri
from hardware.idcard.samples import HK_PERMIT, RESIDENT, RESIDENT_PERMANENT
from hardware.model import (
    Availability,
    CardPresence,
    DeviceBusyError,
    DeviceClass,
    DeviceNotFoundError,
    DeviceOfflineError,
    DeviceSpec,
    LifecycleState,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the emulator needs a pseudo-terminal")

FAST = MappingProxyType({"answer_timeout_s": 0.15, "poll_interval_s": 0.02, "retries": 2})


def _spec(port: str) -> DeviceSpec:
    return DeviceSpec(DeviceClass.ID_READER, "id_reader", "serial", uri=port, options=FAST)


@pytest.fixture
def emulator() -> Iterator[SamReaderEmulator]:
    with SamReaderEmulator(RESIDENT) as emu:
        yield emu


@pytest.fixture
def reader(emulator: SamReaderEmulator) -> Iterator[SamSerialReader]:
    device = SamSerialReader(_spec(emulator.port))
    device.start()
    yield device
    device.close()


def test_open_reads_the_sam_id_and_goes_online(reader: SamSerialReader) -> None:
    assert reader.state is LifecycleState.ENABLED
    assert reader.status.availability is Availability.ONLINE
    assert reader.info.serial == "0501000020260001000000123456789A"


def test_read_a_card(emulator: SamReaderEmulator, reader: SamSerialReader) -> None:
    events: list[DeviceEvent] = []
    reader.subscribe(events.append)
    emulator.present(RESIDENT_PERMANENT)
    record = reader.read_card(timeout_s=1)
    assert record == RESIDENT_PERMANENT
    assert record is not None and len(record.photo_wlt) == 1024
    assert reader.status.card is CardPresence.PRESENT
    assert [e.data for e in events if isinstance(e, DataEvent)] == [RESIDENT_PERMANENT]
    assert emulator.requests[-3:] == [Command.FIND_CARD, Command.SELECT_CARD, Command.READ_TEXT_PHOTO]


def test_a_permit_is_read_with_its_card_type(emulator: SamReaderEmulator, reader: SamSerialReader) -> None:
    emulator.present(HK_PERMIT)
    assert reader.read_card(timeout_s=1) == HK_PERMIT


def test_no_card_returns_none_and_reports_absent(reader: SamSerialReader) -> None:
    assert reader.read_card(timeout_s=0.1) is None
    assert reader.status.card is CardPresence.ABSENT
    assert reader.status.availability is Availability.ONLINE


def test_a_card_left_on_the_reader_must_be_removed_before_the_next_read(
        emulator: SamReaderEmulator, reader: SamSerialReader) -> None:
    emulator.present()
    assert reader.read_card(timeout_s=1) == RESIDENT
    errors: list[DeviceEvent] = []
    reader.subscribe(errors.append)
    with pytest.raises(CardNotRemovedError) as caught:
        reader.read_card(timeout_s=1)
    assert caught.value.message_zh == "请先取走身份证"
    assert any(isinstance(e, ErrorEvent) and e.code == "CARD_NOT_REMOVED" for e in errors)
    assert reader.wait_for_removal(timeout_s=0.05) is False
    emulator.remove()
    assert reader.wait_for_removal(timeout_s=1) is True
    emulator.present()
    assert reader.read_card(timeout_s=1) == RESIDENT


@pytest.mark.parametrize("fault", [Fault.CHECKSUM, Fault.TRUNCATE, Fault.NOISE, Fault.SILENT])
def test_a_damaged_answer_is_retried(emulator: SamReaderEmulator, reader: SamSerialReader, fault: Fault) -> None:
    emulator.present()
    emulator.inject(fault)
    assert reader.read_card(timeout_s=1) == RESIDENT


def test_a_damaged_read_answer_is_read_again_without_lifting_the_card(
        emulator: SamReaderEmulator, reader: SamSerialReader) -> None:
    emulator.present()
    emulator.inject(None, None, Fault.CHECKSUM)  # find and select fine, the 1295-byte answer damaged
    assert reader.read_card(timeout_s=1) == RESIDENT
    assert emulator.requests[-4:] == [Command.FIND_CARD, Command.SELECT_CARD, Command.READ_TEXT_PHOTO,
                                      Command.READ_TEXT_PHOTO]


def test_too_many_damaged_answers_give_a_protocol_error(emulator: SamReaderEmulator, reader: SamSerialReader) -> None:
    emulator.present()
    emulator.inject(Fault.CHECKSUM, Fault.CHECKSUM, Fault.CHECKSUM)
    with pytest.raises(Exception) as caught:
        reader.read_card(timeout_s=1)
    assert getattr(caught.value, "code", "") == "CHECKSUM"
    assert reader.state is LifecycleState.ENABLED  # the next read may succeed
    assert reader.read_card(timeout_s=1) == RESIDENT


def test_a_failing_read_status_is_retried_then_mapped(emulator: SamReaderEmulator, reader: SamSerialReader) -> None:
    emulator.present()
    emulator.fail_next_reads(0x41)
    assert reader.read_card(timeout_s=1) == RESIDENT
    emulator.remove()
    emulator.present()
    emulator.fail_next_reads(0x33, 0x33, 0x33)
    with pytest.raises(SamStatusError) as caught:
        reader.read_card(timeout_s=1)
    assert (caught.value.code, caught.value.message_zh) == ("SW3_33", "信息验证错误")


def test_unplug_mid_read_goes_offline_with_a_clear_message(
        emulator: SamReaderEmulator, reader: SamSerialReader) -> None:
    emulator.present()
    emulator.inject(None, None, Fault.UNPLUG)  # the cable goes halfway through the card data
    with pytest.raises(DeviceOfflineError) as caught:
        reader.read_card(timeout_s=1)
    assert caught.value.message_zh == "身份证阅读器连接已断开，正在重新连接"
    assert reader.status.availability is Availability.OFFLINE
    assert reader.status.detail.startswith("reconnecting")
    assert reader.status.card is CardPresence.UNKNOWN
    health = reader.check_health(HealthLevel.INTERNAL)
    assert (health.ok, health.code) == (False, "OFFLINE")
    reader.close()
    assert reader.state is LifecycleState.CLOSED


def test_health_checks(emulator: SamReaderEmulator, reader: SamSerialReader) -> None:
    internal = reader.check_health(HealthLevel.INTERNAL)
    assert (internal.ok, internal.code) == (True, "OK")
    emulator.present()
    external = reader.check_health(HealthLevel.EXTERNAL)
    assert external.ok and "a card is in the field" in external.text_en
    guided = reader.check_health(HealthLevel.INTERACTIVE)
    assert len(guided.steps) == 3 and reader.last_health is guided


def test_a_port_without_a_reader_is_reported_as_no_device() -> None:
    with SamReaderEmulator() as emu:
        emu.inject(Fault.SILENT, Fault.SILENT, Fault.SILENT)
        device = SamSerialReader(_spec(emu.port))
        with pytest.raises(DeviceNotFoundError, match="no SAM reader answers"):
            device.open()
        assert device.state is LifecycleState.CLOSED
    missing = SamSerialReader(_spec("/dev/no-such-port"))
    with pytest.raises(DeviceNotFoundError) as caught:
        missing.start()
    assert caught.value.message_zh == "找不到身份证阅读器"
    assert missing.status.availability is Availability.NO_DEVICE


def test_port_uris() -> None:
    assert port_from_uri("/dev/ttyUSB0") == ("/dev/ttyUSB0", None)
    assert port_from_uri("COM3") == ("COM3", None)
    assert port_from_uri("serial:///dev/ttyS1?baud=9600") == ("/dev/ttyS1", 9600)


def test_unplug_between_reads(emulator: SamReaderEmulator, reader: SamSerialReader) -> None:
    emulator.unplug()
    with pytest.raises(DeviceOfflineError):
        reader.read_card(timeout_s=0.1)
    assert reader.status.availability is Availability.OFFLINE


def test_a_port_held_by_another_program_is_reported_busy(emulator: SamReaderEmulator,
                                                          reader: SamSerialReader) -> None:
    second = SamSerialReader(_spec(emulator.port))
    with pytest.raises(DeviceBusyError) as caught:
        second.start()
    assert caught.value.message_zh == "读卡器正被其他程序占用"
    assert second.status.availability is Availability.BUSY
    assert reader.check_health(HealthLevel.INTERNAL).ok  # the first owner is undisturbed
