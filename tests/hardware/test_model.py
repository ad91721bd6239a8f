"""The shared device model: lifecycle, status, events, command ids, health."""

from __future__ import annotations

import pytest

from hardware.events import DataEvent, DeviceEvent, ErrorEvent, StatusChanged
from hardware.health import GuidedStep, HealthLevel, HealthResult
from hardware.model import (
    Availability,
    CardPresence,
    CommandLog,
    CommandResult,
    CoverState,
    DeviceBusyError,
    DeviceClass,
    DeviceOfflineError,
    DeviceSpec,
    DeviceStatus,
    LifecycleState,
    PaperState,
    ReceiptPrinter,
    StateError,
)


class FakePrinter(ReceiptPrinter):
    def __init__(self, spec: DeviceSpec) -> None:
        super().__init__(spec)
        self.calls: list[str] = []
        self.printed: list[object] = []
        self.fail_status = False

    def _open(self) -> None:
        self.calls.append("open")
        self._set_status(availability=Availability.ONLINE)

    def _close(self) -> None:
        self.calls.append("close")
        self._set_status(availability=Availability.OFFLINE)

    def _enable(self) -> None:
        self.calls.append("enable")

    def _disable(self) -> None:
        self.calls.append("disable")

    def _health_internal(self) -> HealthResult:
        if self.fail_status:
            raise self._report(DeviceOfflineError("no answer to DLE EOT", "打印机无响应"))
        return self._health(HealthLevel.INTERNAL, True, "OK", "正常", "OK")

    def _health_external(self) -> HealthResult:
        self.print_receipt("test", command_id="health")
        return self._health(HealthLevel.EXTERNAL, True, "OK", "测试页已打印", "Test page printed")

    def interactive_steps(self) -> tuple[GuidedStep, ...]:
        return (GuidedStep("打印测试页", "Print a test page", "文字清晰", "Text is sharp"),)

    def print_receipt(self, receipt: object, *, command_id: str) -> CommandResult:
        self.require_enabled("print")
        return self.run_once(command_id, lambda: self._print(receipt))

    def _print(self, receipt: object) -> str:
        self.printed.append(receipt)
        return "printed"


@pytest.fixture
def printer() -> FakePrinter:
    return FakePrinter(DeviceSpec(DeviceClass.PRINTER, "printer", "fake"))


def test_lifecycle_runs_in_order_and_close_tears_down(printer: FakePrinter) -> None:
    printer.open()
    printer.claim()
    printer.enable()
    assert printer.state is LifecycleState.ENABLED
    printer.close()
    assert printer.state is LifecycleState.CLOSED
    assert printer.calls == ["open", "enable", "disable", "close"]
    printer.close()  # twice is harmless
    assert printer.calls.count("close") == 1


@pytest.mark.parametrize("call", ["claim", "enable", "disable", "release"])
def test_calls_in_the_wrong_state_raise_a_clear_error(printer: FakePrinter, call: str) -> None:
    with pytest.raises(StateError, match=rf"{call}\(\) needs state"):
        getattr(printer, call)()
    assert printer.state is LifecycleState.CLOSED


def test_release_while_enabled_disables_first(printer: FakePrinter) -> None:
    printer.start()
    printer.release()
    assert printer.state is LifecycleState.OPENED
    assert printer.calls[-1] == "disable"


def test_output_needs_an_enabled_device(printer: FakePrinter) -> None:
    printer.open()
    with pytest.raises(StateError, match="needs an enabled device"):
        printer.print_receipt("r", command_id="c1")


def test_a_repeated_command_id_prints_once(printer: FakePrinter) -> None:
    with printer:
        first = printer.print_receipt("r", command_id="job-1")
        again = printer.print_receipt("r", command_id="job-1")
        printer.print_receipt("r", command_id="job-2")
    assert (first.duplicate, again.duplicate) == (False, True)
    assert printer.printed == ["r", "r"]


def test_a_failed_command_may_be_retried_with_the_same_id() -> None:
    log = CommandLog()
    attempts: list[int] = []

    def flaky() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise DeviceOfflineError("gone")
        return "ok"

    with pytest.raises(DeviceOfflineError):
        log.run_once("x", flaky)
    assert log.run_once("x", flaky).duplicate is False
    assert log.run_once("x", flaky).duplicate is True
    assert len(attempts) == 2


def test_command_log_is_bounded_and_refuses_an_id_in_flight() -> None:
    log = CommandLog(capacity=2)
    for cid in ("a", "b", "c"):
        log.run_once(cid, lambda: "")
    assert "a" not in log and "b" in log and "c" in log

    def nested() -> str:
        with pytest.raises(DeviceBusyError):
            log.run_once("n", lambda: "")
        return "outer"

    assert log.run_once("n", nested).detail == "outer"
    with pytest.raises(ValueError):
        log.run_once("", lambda: "")


def test_status_changes_are_emitted_once_per_change(printer: FakePrinter) -> None:
    seen: list[DeviceEvent] = []
    unsubscribe = printer.subscribe(seen.append)
    printer.open()
    printer._set_status(availability=Availability.ONLINE)  # no change, no event
    printer._set_status(paper=PaperState.LOW)
    unsubscribe()
    printer._set_status(paper=PaperState.OUT)
    changes = [e for e in seen if isinstance(e, StatusChanged)]
    assert [c.new.availability for c in changes] == [Availability.ONLINE, Availability.ONLINE]
    assert changes[1].old.paper is PaperState.UNKNOWN and changes[1].new.paper is PaperState.LOW


def test_printer_media_states_start_unknown_not_out(printer: FakePrinter) -> None:
    assert printer.status.paper is PaperState.UNKNOWN
    assert printer.status.cover is CoverState.UNKNOWN
    assert printer.status.card is CardPresence.NOT_SUPPORTED
    assert DeviceStatus().as_dict()["availability"] == "offline"


@pytest.mark.allow_log_warnings
def test_a_failing_subscriber_does_not_stop_the_others(printer: FakePrinter) -> None:
    seen: list[DeviceEvent] = []

    def broken(event: DeviceEvent) -> None:
        raise RuntimeError("screen bug")

    printer.subscribe(broken)
    printer.subscribe(seen.append)
    printer._emit_data("payload")
    assert isinstance(seen[0], DataEvent) and seen[0].data == "payload"


def test_health_levels_and_last_result(printer: FakePrinter) -> None:
    closed = printer.check_health(HealthLevel.INTERNAL)
    assert (closed.ok, closed.code) == (False, "CLOSED")
    printer.start()
    assert printer.check_health(HealthLevel.INTERNAL).ok
    external = printer.check_health(HealthLevel.EXTERNAL)
    assert external.code == "OK" and printer.printed == ["test"]
    guided = printer.check_health(HealthLevel.INTERACTIVE)
    assert guided.steps[0].do_en == "Print a test page"
    assert printer.last_health is guided


def test_a_failed_health_check_reports_and_keeps_the_error(printer: FakePrinter) -> None:
    errors: list[DeviceEvent] = []
    printer.subscribe(errors.append)
    printer.start()
    printer.fail_status = True
    result = printer.check_health(HealthLevel.INTERNAL)
    assert (result.ok, result.code, result.text_zh) == (False, "OFFLINE", "打印机无响应")
    assert printer.status.availability is Availability.OFFLINE
    assert any(isinstance(e, ErrorEvent) and e.code == "OFFLINE" for e in errors)
    assert printer.last_health is result
    assert result.as_dict()["level"] == "internal"
