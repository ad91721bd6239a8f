"""Driver registry: priority order, supported() reasons, replacement, package load errors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hardware import registry
from hardware.model import Device, DeviceClass, DeviceSpec
from hardware.registry import NoDriverError, build_device, drivers, find_driver, register_driver, supported


def _spec(kind: str = "test-kind", uri: str = "x") -> DeviceSpec:
    return DeviceSpec(DeviceClass.CAMERA, "camera", kind, uri)


def _factory(spec: DeviceSpec) -> Device:
    raise AssertionError("not built in these tests")


@pytest.fixture
def entries() -> Iterator[list[registry.DriverEntry]]:
    made: list[registry.DriverEntry] = []
    yield made
    for entry in made:
        registry.unregister_driver(entry)


def test_the_highest_priority_supporting_driver_wins(entries: list[registry.DriverEntry]) -> None:
    entries.append(register_driver(DeviceClass.CAMERA, "test-kind", _factory, priority=1, name="low"))
    entries.append(register_driver(DeviceClass.CAMERA, "test-kind", _factory, priority=9, name="high",
                                   supported=lambda spec: None if spec.uri == "x" else "only x"))
    assert [d.name for d in drivers(DeviceClass.CAMERA, "test-kind")] == ["high", "low"]
    assert find_driver(_spec()).name == "high"
    assert find_driver(_spec(uri="y")).name == "low"


def test_no_supporting_driver_lists_every_reason(entries: list[registry.DriverEntry]) -> None:
    entries.append(register_driver(DeviceClass.CAMERA, "test-kind", _factory, name="a",
                                   supported=lambda spec: "library missing"))

    def broken(spec: DeviceSpec) -> str | None:
        raise RuntimeError("bug in the check")

    entries.append(register_driver(DeviceClass.CAMERA, "test-kind", _factory, name="b", supported=broken))
    with pytest.raises(NoDriverError) as caught:
        find_driver(_spec())
    assert sorted(caught.value.reasons) == ["a: library missing", "b: support check failed: bug in the check"]
    assert caught.value.message_zh == "没有可用的设备驱动"
    assert supported(_spec()) is not None
    assert "no driver registered for camera/unknown-kind" in (supported(_spec("unknown-kind")) or "")


def test_registering_the_same_name_again_replaces_it(entries: list[registry.DriverEntry]) -> None:
    entries.append(register_driver(DeviceClass.CAMERA, "test-kind", _factory, priority=1, name="same"))
    entries.append(register_driver(DeviceClass.CAMERA, "test-kind", _factory, priority=5, name="same"))
    assert [d.priority for d in drivers(DeviceClass.CAMERA, "test-kind")] == [5]


def test_a_driver_package_that_fails_to_import_is_reported() -> None:
    errors = registry.load_builtin_drivers(("hardware.no_such_driver_package",))
    assert "ModuleNotFoundError" in errors["hardware.no_such_driver_package"]
    with pytest.raises(NoDriverError, match="hardware.no_such_driver_package"):
        build_device(_spec("nobody-registers-this"))
    registry._load_errors.pop("hardware.no_such_driver_package")
