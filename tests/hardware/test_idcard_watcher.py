"""The background card watcher: one read per card placed, removal seen, errors survived."""

from __future__ import annotations

import queue
import sys
from types import MappingProxyType

import pytest

from hardware.events import DataEvent, DeviceEvent, ErrorEvent, StatusChanged
from hardware.idcard.emulator import SamReaderEmulator
from hardware.idcard.sam_serial import SamSerialReader
from hardware.idcard.samples import HK_PERMIT, RESIDENT
from hardware.idcard.watcher import CardWatcher
from hardware.model import CardPresence, DeviceClass, DeviceSpec

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the emulator needs a pseudo-terminal")

WAIT_S = 10  # generous upper bound; the events normally come within milliseconds


def _next(events: queue.Queue[DeviceEvent], kind: type[DeviceEvent]) -> DeviceEvent:
    while True:
        event = events.get(timeout=WAIT_S)
        if isinstance(event, kind):
            return event


def _removed(events: queue.Queue[DeviceEvent]) -> None:
    while True:
        event = _next(events, StatusChanged)
        assert isinstance(event, StatusChanged)
        if event.new.card is CardPresence.ABSENT and event.old.card is CardPresence.PRESENT:
            return


def test_each_card_is_read_once_and_its_removal_is_seen() -> None:
    with SamReaderEmulator() as emu:
        reader = SamSerialReader(DeviceSpec(DeviceClass.ID_READER, "id_reader", "serial", emu.port,
                                            options=MappingProxyType({"answer_timeout_s": 0.2,
                                                                      "poll_interval_s": 0.01})))
        events: queue.Queue[DeviceEvent] = queue.Queue()
        seen: list[DeviceEvent] = []
        reader.subscribe(events.put)
        reader.subscribe(seen.append)
        watcher = CardWatcher(reader, poll_s=0.05, retry_s=0.05)
        with reader:
            watcher.start()
            try:
                emu.present(RESIDENT)
                first = _next(events, DataEvent)
                assert isinstance(first, DataEvent) and first.data == RESIDENT
                emu.remove()
                _removed(events)
                emu.present(HK_PERMIT)
                second = _next(events, DataEvent)
                assert isinstance(second, DataEvent) and second.data == HK_PERMIT
            finally:
                watcher.stop()
        assert not any(isinstance(e, ErrorEvent) for e in seen)  # a card lying there is no error


def test_the_watcher_survives_an_unplugged_reader() -> None:
    with SamReaderEmulator() as emu:
        reader = SamSerialReader(DeviceSpec(DeviceClass.ID_READER, "id_reader", "serial", emu.port,
                                            options=MappingProxyType({"answer_timeout_s": 0.1})))
        events: queue.Queue[DeviceEvent] = queue.Queue()
        reader.subscribe(events.put)
        watcher = CardWatcher(reader, poll_s=0.05, retry_s=0.05)
        with reader:
            watcher.start()
            try:
                emu.unplug()
                error = _next(events, ErrorEvent)
                assert isinstance(error, ErrorEvent) and error.code == "OFFLINE"
                assert error.action_zh == "请检查读卡器连线，插好后会自动恢复"
                assert watcher.running
            finally:
                watcher.stop()
        assert not watcher.running
