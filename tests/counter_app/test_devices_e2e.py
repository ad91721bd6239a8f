"""The counter with its simulated devices: the document camera fills the case file, the ID card reader
identifies (here: a card whose holder has no account, which must be said plainly)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from hardware.model import DeviceClass, DeviceSpec
from hardware.registry import build_device, load_builtin_drivers
from tests.counter_app.conftest import Counter
from tests.counter_app.test_intake_e2e import checklist, start_case


@pytest.fixture
def device(request: pytest.FixtureRequest) -> Iterator[Any]:
    device_class, options = request.param
    load_builtin_drivers()
    dev = build_device(DeviceSpec(device_class, device_class.value, "simulator", options=options)).start()
    yield dev
    dev.close()


@pytest.mark.parametrize("device", [(DeviceClass.CAMERA, {})], indirect=True)
def test_document_camera_captures_a_material_into_the_case_file(counter: Counter, device: Any) -> None:
    counter.app.ctx.services.camera = device
    member = counter.ledger.member(retired=False, nth=8)
    counter.sign_in("clerk-01")
    screen = start_case(counter, member.id_number, "withdraw_illness")
    row = next(r for r in range(screen.table.rowCount())
               if screen.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == "diagnosis")
    screen.table.setCurrentCell(row, 0)
    counter.click(screen.capture_btn)
    counter.qtbot.wait_until(lambda: "已拍照" in screen.banner.text(), timeout=20_000)
    assert checklist(screen)["diagnosis"] == (True, "已拍照存档")
    path = screen.intake.captured["diagnosis"]
    with open(path, "rb") as f:
        assert f.read(3) == b"\xff\xd8\xff"  # a JPEG of the corrected page
    sent = [json.loads(i.payload) for i in counter.runtime.outbox.items() if i.kind == "case.action"]
    assert {"action": "add_material", "material": "diagnosis"} == {
        "action": sent[-1]["action"], "material": sent[-1]["data"]["material"]}
    assert "material.captured" in [e.action for e in counter.desk.staff.audit_trail(case_id=screen.intake.case_id)]


@pytest.mark.parametrize("device", [(DeviceClass.ID_READER, {"card": "resident", "present": True})], indirect=True)
def test_a_card_without_an_account_is_said_plainly(counter: Counter, device: Any) -> None:
    counter.app.ctx.services.id_reader = device
    counter.sign_in("clerk-01")
    screen = counter.screen("intake")
    counter.window.show_screen("intake")
    counter.click(screen.read_card)
    counter.qtbot.wait_until(lambda: "没有该证件号码" in screen.banner.text(), timeout=20_000)
    assert screen.member is None and not screen.start.isEnabled()
