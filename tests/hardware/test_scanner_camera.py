"""Camera scanning: de-duplication, the frame loop on the simulator, bad codes, health, registry."""

from __future__ import annotations

import time

import numpy as np
import pytest

from hardware.events import DataEvent, DeviceEvent, ErrorEvent
from hardware.health import HealthLevel
from hardware.model import Availability, DeviceClass, DeviceSpec, ScanResult
from hardware.registry import NoDriverError, build_device, find_driver
from hardware.scanner.camera_scan import CameraScanner, Deduplicator, camera_index_or_uri
from hardware.scanner.codes import DecodedCode
from hardware.scanner.simulator import SimulatedFrameSource, SimulatedScanner
from hardware.scanner.synth import render_qr

PERIOD = 1 / 30


def code(text: str) -> DecodedCode:
    return DecodedCode("QR_CODE", text, text.encode())


def test_a_code_held_in_view_is_reported_once() -> None:
    dedupe = Deduplicator(forget_s=1.0)
    seen = [dedupe.accept([code("A")], i * PERIOD) for i in range(60)]  # two seconds in view
    assert [len(s) for s in seen] == [1] + [0] * 59


def test_a_missed_frame_or_two_does_not_repeat_the_code() -> None:
    dedupe = Deduplicator(forget_s=1.0)
    frames = [[code("A")], [], [], [code("A")], [code("A")]]
    assert sum(len(dedupe.accept(f, i * PERIOD)) for i, f in enumerate(frames)) == 1


def test_a_code_shown_again_after_a_pause_is_a_new_scan() -> None:
    dedupe = Deduplicator(forget_s=1.0)
    assert dedupe.accept([code("A")], 0.0) == [code("A")]
    assert dedupe.accept([], 0.5) == []
    assert dedupe.accept([code("A")], 2.0) == [code("A")]


def test_two_codes_in_one_frame_and_a_duplicate_within_the_frame() -> None:
    dedupe = Deduplicator()
    assert dedupe.accept([code("A"), code("B"), code("A")], 0.0) == [code("A"), code("B")]
    assert dedupe.accept([code("B"), code("C")], PERIOD) == [code("C")]


def scanner_spec(kind: str = "simulator", **options: object) -> DeviceSpec:
    return DeviceSpec(DeviceClass.SCANNER, "scanner", kind, options=options)


def offline_scanner() -> tuple[SimulatedScanner, list[DeviceEvent]]:
    """A simulated scanner driven frame by frame by the test (no real-time thread)."""
    scanner = SimulatedScanner(scanner_spec(), SimulatedFrameSource(seed=3, realtime=False))
    events: list[DeviceEvent] = []
    scanner.subscribe(events.append)
    scanner.open()
    return scanner, events


def play(scanner: SimulatedScanner, frames: int) -> None:
    for _ in range(frames):
        got = scanner.sim.read()
        assert got is not None
        scanner.process_frame(*got)


def test_simulated_frames_decode_once_per_presentation() -> None:
    scanner, events = offline_scanner()
    scanner.present("HPF1:AP2026112700001", frames=6)
    play(scanner, 10)  # six frames show it: one scan
    play(scanner, 60)  # two seconds of empty scene
    scanner.present("HPF1:AP2026112700001", frames=3, condition="perspective")
    play(scanner, 5)  # shown again after the pause: a new scan
    scanner.close()
    data = [e.data for e in events if isinstance(e, DataEvent)]
    assert [(d.format, d.text, d.source) for d in data if isinstance(d, ScanResult)] == \
        [("QR_CODE", "HPF1:AP2026112700001", "camera")] * 2


def test_a_qr_full_of_binary_is_refused_with_a_clear_message_not_a_crash() -> None:
    scanner, events = offline_scanner()
    blob = render_qr(bytes(range(1, 256)) * 11, module_px=3)  # about 2.8 kB of binary, near the QR maximum
    delivered = scanner.process_frame(0.0, blob)
    scanner.close()
    assert len(delivered) == 1  # the decoder read it …
    assert not [e for e in events if isinstance(e, DataEvent)]  # … but it is not handed out
    [error] = [e for e in events if isinstance(e, ErrorEvent)]
    assert error.code == "INVALID_CODE"
    assert error.message_en.startswith("Not a valid HPF code") and "不是有效的公积金业务码" in error.message_zh
    assert scanner.rejected == 1


def test_a_decoder_failing_on_a_frame_is_contained() -> None:
    scanner, _ = offline_scanner()

    class Broken:
        name = "broken"

        def unavailable_reason(self) -> str | None:
            return None

        def decode(self, gray: np.ndarray) -> list[DecodedCode]:
            raise RuntimeError("library bug")

    scanner.decoder = Broken()
    assert scanner.process_frame(0.0, np.zeros((10, 10), np.uint8)) == []
    scanner.close()


def test_scan_waits_for_a_code_from_the_real_time_loop() -> None:
    scanner = SimulatedScanner(scanner_spec(seed=5))
    with scanner:
        assert scanner.scan(0.05) is None
        scanner.present("HPF1:LIVE-1")
        result = scanner.scan(5)
        health = scanner.check_health(HealthLevel.EXTERNAL)
    assert result is not None and result.text == "HPF1:LIVE-1"
    assert health.ok and health.code == "OK"
    assert scanner.last_health is health


def test_health_reports_an_unplugged_camera() -> None:
    scanner, _ = offline_scanner()
    assert scanner.check_health(HealthLevel.INTERNAL).ok
    scanner.sim.unplugged = True
    result = scanner.check_health(HealthLevel.INTERNAL)
    assert not result.ok and result.code == "NO_DEVICE"
    scanner.close()


def test_a_camera_that_stops_delivering_frames_is_reported() -> None:
    scanner = SimulatedScanner(scanner_spec(), SimulatedFrameSource(seed=3, realtime=False))
    scanner.MAX_READ_FAILURES = 3
    errors: list[ErrorEvent] = []
    scanner.subscribe(lambda e: errors.append(e) if isinstance(e, ErrorEvent) else None)
    scanner.sim.unplugged = False
    with scanner:
        scanner.sim.unplugged = True
        deadline = 200
        while not errors and deadline:
            scanner._stop.wait(0.01)
            deadline -= 1
        assert errors and errors[0].code == "NO_DEVICE"
        assert scanner.status.availability is Availability.NO_DEVICE


def test_registry_builds_the_simulator_and_refuses_an_unknown_decoder() -> None:
    device = build_device(scanner_spec())
    assert isinstance(device, SimulatedScanner)
    with pytest.raises(NoDriverError, match="unknown decoder 'nope'"):
        find_driver(scanner_spec("camera", decoder="nope"))
    assert find_driver(scanner_spec("camera", decoder="opencv")).name == "CameraScanner"
    for bad in ({"width": "wide"}, {"forget_s": -1}, {"max_decode_fps": 0}, {"max_length": 0}):
        with pytest.raises(NoDriverError, match="bad scanner option"):
            find_driver(scanner_spec("camera", **bad))


def test_a_missing_camera_is_a_clear_error() -> None:
    scanner = CameraScanner(DeviceSpec(DeviceClass.SCANNER, "scanner", "camera", uri="/dev/no-such-video9"))
    with pytest.raises(Exception, match="no camera at"):
        scanner.start()


@pytest.mark.parametrize("uri, expected", [("", 0), ("2", 2), ("/dev/video1", "/dev/video1"),
                                           ("rtsp://10.0.0.5/stream", "rtsp://10.0.0.5/stream")])
def test_camera_uri_forms(uri: str, expected: int | str) -> None:
    assert camera_index_or_uri(uri) == expected


def test_external_check_right_after_start_waits_for_a_frame() -> None:
    scanner = SimulatedScanner(scanner_spec())
    with scanner:
        result = scanner.check_health(HealthLevel.EXTERNAL)
    assert result.ok and result.code == "OK"


def test_external_check_fails_when_the_running_loop_gets_no_frames() -> None:
    scanner = SimulatedScanner(scanner_spec())
    scanner.HEALTH_WAIT_S = 0.2
    with scanner:
        scanner.sim.unplugged = True
        time.sleep(0.1)  # let a frame already read before the unplug be processed
        result = scanner.check_health(HealthLevel.EXTERNAL)
    assert not result.ok and result.code == "NO_FRAMES"


def test_the_loop_decodes_at_most_max_decode_fps() -> None:
    sim = SimulatedFrameSource(seed=3, realtime=False)  # frames stamped 1/30 s apart, served at once
    scanner = SimulatedScanner(scanner_spec(max_decode_fps=15), sim)
    with scanner:
        while scanner.frames_seen < 10:
            time.sleep(0.01)
    served, decoded = sim.frames_served, scanner.frames_seen
    assert abs(decoded - served / 2) <= 1.5  # every other frame of a 30 fps camera
