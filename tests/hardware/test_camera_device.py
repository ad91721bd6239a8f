"""Document camera devices: the simulator through the model's lifecycle, health and registry."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image as PilImage

from hardware.camera.device import OpenCvDocumentCamera, SimulatedDocumentCamera
from hardware.camera.page import A4_ASPECT
from hardware.camera.synth import synth_page
from hardware.events import DeviceEvent, ErrorEvent
from hardware.health import HealthLevel
from hardware.model import Availability, DeviceClass, DeviceNotFoundError, DeviceOfflineError, DeviceSpec, StateError
from hardware.registry import NoDriverError, build_device, find_driver


def camera_spec(kind: str = "simulator", uri: str = "", **options: object) -> DeviceSpec:
    return DeviceSpec(DeviceClass.CAMERA, "camera", kind, uri=uri, options=options)


def test_simulator_serves_pages_that_come_out_flat_a4() -> None:
    camera = SimulatedDocumentCamera(camera_spec(seed=11))
    with camera:
        frame = camera.capture()
        page = camera.capture_page()
    assert frame.ndim == 3 and frame.dtype == np.uint8
    assert page.found
    h, w = page.image.shape[:2]
    assert h / w == pytest.approx(A4_ASPECT, rel=0.01)


def test_put_page_is_what_the_next_capture_shows() -> None:
    synth = synth_page(5, angle_deg=-15, tilt=0.1)
    camera = SimulatedDocumentCamera(camera_spec())
    with camera:
        camera.put_page(synth.frame)
        assert camera.capture() is synth.frame
        assert camera.capture() is not synth.frame


def test_capture_needs_an_enabled_device() -> None:
    camera = SimulatedDocumentCamera(camera_spec())
    with pytest.raises(StateError):
        camera.capture()


def test_health_levels() -> None:
    camera = SimulatedDocumentCamera(camera_spec())
    assert camera.check_health(HealthLevel.INTERNAL).code == "CLOSED"
    with camera:
        assert camera.check_health(HealthLevel.INTERNAL).ok
        external = camera.check_health(HealthLevel.EXTERNAL)
        assert external.ok and "captured 1600×1200" in external.text_en
        camera.blank = True
        blank = camera.check_health(HealthLevel.EXTERNAL)
        assert not blank.ok and blank.code == "BLANK_FRAME"
        guided = camera.check_health(HealthLevel.INTERACTIVE)
        assert guided.steps and "A4" in guided.steps[0].do_en
    assert camera.last_health is guided


def test_unplugged_mid_session_is_reported_not_crashed() -> None:
    camera = SimulatedDocumentCamera(camera_spec())
    events: list[DeviceEvent] = []
    camera.subscribe(events.append)
    with camera:
        camera.unplugged = True
        with pytest.raises(DeviceOfflineError):
            camera.capture()
        assert camera.status.availability is Availability.OFFLINE
        result = camera.check_health(HealthLevel.EXTERNAL)
        assert not result.ok and result.code == "OFFLINE"
    assert any(isinstance(e, ErrorEvent) and e.code == "OFFLINE" for e in events)


def test_registry_builds_both_kinds_and_names_bad_options() -> None:
    assert isinstance(build_device(camera_spec()), SimulatedDocumentCamera)
    assert find_driver(camera_spec("opencv", "0")).name == "OpenCvDocumentCamera"
    with pytest.raises(NoDriverError, match="width"):
        find_driver(camera_spec("opencv", "0", width="wide"))


def test_a_missing_uvc_camera_is_a_clear_error() -> None:
    camera = OpenCvDocumentCamera(camera_spec("opencv", "/dev/no-such-video9", warmup_frames=0))
    with pytest.raises(DeviceNotFoundError, match="no document camera"):
        camera.start()


def test_capture_to_writes_the_corrected_page_as_jpeg(tmp_path: Path) -> None:
    camera = SimulatedDocumentCamera(camera_spec(seed=3))
    with camera:
        page = camera.capture_to(tmp_path / "case-1" / "id_copy.jpg")
    with PilImage.open(tmp_path / "case-1" / "id_copy.jpg") as im:
        assert im.format == "JPEG" and im.size == (page.image.shape[1], page.image.shape[0])
