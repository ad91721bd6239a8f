"""hardware.health's names are re-exported by `hardware` and `hardware.model` on first use (the module
is imported at the first health check, not before the kiosk's first frame)."""

from __future__ import annotations

import subprocess
import sys

import pytest


def test_the_health_names_are_the_same_objects_through_every_path() -> None:
    import hardware
    import hardware.health as health
    import hardware.model as model

    for name in ("GuidedStep", "HealthLevel", "HealthResult"):
        assert getattr(hardware, name) is getattr(health, name)
        assert getattr(model, name) is getattr(health, name)
    from hardware import HealthLevel
    from hardware.model import HealthResult

    assert HealthLevel is health.HealthLevel and HealthResult is health.HealthResult


def test_an_unknown_name_is_still_an_attribute_error() -> None:
    import hardware
    import hardware.model as model

    with pytest.raises(AttributeError):
        hardware.NoSuchThing  # noqa: B018
    with pytest.raises(AttributeError):
        model.NoSuchThing  # noqa: B018


def test_the_reader_and_the_manager_import_without_the_health_module() -> None:
    code = ("import sys, hardware, hardware.model, hardware.manager, hardware.idcard.sam_serial\n"
            "print('hardware.health' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "False"


def test_a_check_of_a_device_without_a_driver_is_a_health_result() -> None:
    from dataclasses import replace

    from hardware.health import HealthLevel, HealthResult
    from hardware.manager import DeviceManager
    from infra.config import Config, DeviceSection, DevicesSection

    none = DeviceSection(kind="none")
    config = replace(Config(), devices=DevicesSection(id_reader=none, scanner=none, printer=none, camera=none))
    result = DeviceManager(config, load_drivers=False).check("id_reader", HealthLevel.INTERNAL)
    assert isinstance(result, HealthResult) and not result.ok and result.code == "NO_DRIVER"
