"""The one source of truth for device and network state (issue 13 item 4): what each screen asks."""

from __future__ import annotations

from types import SimpleNamespace

from pytestqt.qtbot import QtBot

from hardware.model import Availability, CoverState, DeviceStatus, PaperState
from ui.device_state import NO_PRINTER, PAPER_OUT, READER_DOWN, TerminalState, device_kind
from ui.sync_bridge import describe_sync


def test_devices_not_fitted_or_down_say_why(qtbot: QtBot) -> None:
    state = TerminalState()
    assert not state.reader_up and state.reader_reason() == READER_DOWN  # nothing fitted: nothing pretends
    assert not state.can_print and state.printer_reason() == NO_PRINTER
    reader = SimpleNamespace(status=DeviceStatus(availability=Availability.ONLINE))
    printer = SimpleNamespace(status=DeviceStatus(availability=Availability.ONLINE, paper=PaperState.OK))
    with qtbot.wait_signal(state.changed):
        state.fit("reader", reader)
    state.fit("printer", printer)
    assert state.reader_up and state.can_print and not state.printer_reason()
    state.device_status("id_reader", DeviceStatus(availability=Availability.OFFLINE))
    assert not state.reader_up
    state.device_status("printer", DeviceStatus(availability=Availability.USER_ERROR, paper=PaperState.OUT))
    assert state.printer_reason() == PAPER_OUT and "缺纸" in state.printer_reason().pick(True)
    state.device_status("printer", DeviceStatus(availability=Availability.USER_ERROR, cover=CoverState.OPEN,
                                                paper=PaperState.OK))
    assert "cover" in state.printer_reason().pick(False)
    state.device_status("camera", DeviceStatus(availability=Availability.OFFLINE))  # not one of the three
    assert device_kind("camera") == "" and state.scanner_up is False


def test_the_header_and_the_screens_read_the_same_count(qtbot: QtBot) -> None:
    state = TerminalState()
    assert not state.sync_known and state.header_text(True) == describe_sync(None, True)
    status = {"state": "offline", "unsent": 2}
    state.sync_status(status)
    assert not state.online and state.queued == 2 and state.network_reason()
    assert state.header_text(True) == describe_sync(status, True) and "2" in state.header_text(False)
    state.sync_status({"state": "online", "unsent": 0})
    assert state.online and state.queued == 0 and not state.network_reason()
