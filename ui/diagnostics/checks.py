"""Guided interactive checks (hardware.interactive): the technician and the device, pass or fail,
and what to do next. The verdict is kept as the device's last health result and audited."""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from hardware.interactive import CHECKS, GuidedCheck, ScanCheck, Verdict
from ui.device_bridge import DeviceBridge
from ui.diagnostics.source import DiagnosticsSource
from ui.qr import qr_pixmap

READ_WAIT_S = 20.0  # how long a check that reads by itself waits for the card or the code


def _read_until_done(read: Any, check: GuidedCheck) -> Any:
    """Read in short slices until something is read, the check ended (the technician gave up) or
    READ_WAIT_S passed; the worker thread is never held long after the check is over."""
    deadline = time.monotonic() + READ_WAIT_S
    while not check.done and time.monotonic() < deadline:
        got = read(0.5)
        if got is not None:
            return got
    return None


class GuidedChecksTab(QWidget):
    def __init__(self, source: DiagnosticsSource, bridge: DeviceBridge) -> None:
        super().__init__()
        self.source = source
        self.check: GuidedCheck | None = None
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        self.start_buttons: dict[str, QPushButton] = {}
        for name in CHECKS:
            b = QPushButton()
            b.setObjectName(f"check-{name}")
            b.clicked.connect(lambda _=False, n=name: self.start(n))
            self.start_buttons[name] = b
            row.addWidget(b)
        lay.addLayout(row)
        self.title = QLabel()
        self.title.setObjectName("check-title")
        self.prompt = QLabel()
        self.prompt.setObjectName("check-prompt")
        self.prompt.setWordWrap(True)
        self.qr = QLabel()
        self.qr.setObjectName("check-qr")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.verdict = QLabel()
        self.verdict.setObjectName("check-verdict")
        self.verdict.setWordWrap(True)
        for w in (self.title, self.prompt, self.qr, self.verdict):
            lay.addWidget(w)
        answers = QHBoxLayout()
        self.yes = QPushButton()
        self.yes.setObjectName("check-yes")
        self.no = QPushButton()
        self.no.setObjectName("check-no")
        self.nothing = QPushButton()
        self.nothing.setObjectName("check-nothing")
        self.yes.clicked.connect(lambda: self._answer(True))
        self.no.clicked.connect(lambda: self._answer(False))
        self.nothing.clicked.connect(self._give_up)
        for w in (self.yes, self.no, self.nothing):
            answers.addWidget(w)
        lay.addLayout(answers)
        lay.addStretch(1)
        bridge.data.connect(lambda device, data: self._event("DataEvent", device, data))
        bridge.error.connect(lambda event: self._event("ErrorEvent", event.device, event))
        self.refresh()

    # -- flow

    def start(self, name: str) -> None:
        device = self.source.devices().get(name)
        if device is None:
            return
        check = self.check = CHECKS[name]()
        self.source.audit("diagnostics.check_started", check=check.kind)
        self.verdict.setText("")
        if isinstance(check, ScanCheck):
            self.qr.setPixmap(qr_pixmap(check.code, 8))
        else:
            self.qr.clear()
        if check.kind == "print":
            from hardware.printer.samples import test_receipt

            receipt = test_receipt(self.source.config.terminal.id)
            command_id = f"diag-print-{datetime.now():%Y%m%d%H%M%S%f}"
            self.source.run(lambda: device.print_receipt(receipt, command_id=command_id),
                            lambda _r, c=check: self._printed(c), lambda exc, c=check: self._failed(c, exc))
        elif name not in self.source.reads_itself:  # nobody else reads the device: this check does
            read = device.read_card if check.kind == "card" else device.scan
            self.source.run(lambda c=check: _read_until_done(read, c),
                            lambda got, c=check: None if got is not None else self._timeout(c),
                            lambda exc, c=check: self._failed(c, exc))
        self.refresh()

    def _event(self, kind: str, device: str, data: Any) -> None:
        check = self.check
        if check is None or check.done or device != check.device:
            return
        from hardware.events import DataEvent

        event = DataEvent(device, data) if kind == "DataEvent" else data
        verdict = check.on_event(event)
        if verdict is not None:
            self._finish(check)

    def _printed(self, check: GuidedCheck) -> None:
        if check is self.check and hasattr(check, "printed_ok"):
            check.printed_ok()
            self.refresh()

    def _failed(self, check: GuidedCheck, exc: BaseException) -> None:
        from hardware.model import DeviceError

        if check is not self.check or check.done:
            return
        if isinstance(exc, DeviceError):
            check.device_failed(exc)
        else:
            check.device_failed(DeviceError(str(exc), "设备操作失败"))
        self._finish(check)

    def _timeout(self, check: GuidedCheck) -> None:
        if check is self.check and not check.done:
            check.give_up()
            self._finish(check)

    def _answer(self, yes: bool) -> None:
        if self.check is not None and not self.check.done and self.check.needs_answer:
            self.check.answer(yes)
            self._finish(self.check)

    def _give_up(self) -> None:
        if self.check is not None and not self.check.done:
            self.check.give_up()
            self._finish(self.check)

    def _finish(self, check: GuidedCheck) -> None:
        device = self.source.devices().get(check.device)
        result = check.result()
        if device is not None:
            device.record_health(result)
        self.source.audit("diagnostics.check_done", check=check.kind, ok=result.ok, code=result.code)
        self.refresh()

    # -- look

    def _verdict_text(self, v: Verdict) -> str:
        pick = self.source.pick
        mark = pick("✓ 通过", "✓ Passed") if v.ok else pick("✗ 未通过", "✗ Failed")
        return f"{mark}：{pick(v.text_zh, v.text_en)}\n{pick('下一步', 'Next')}：{pick(v.next_zh, v.next_en)}"

    def refresh(self) -> None:
        pick = self.source.pick
        devices = self.source.devices()
        labels = {"id_reader": ("读卡检查", "Card reader check"), "scanner": ("扫码检查", "Scanner check"),
                  "printer": ("打印检查", "Printer check")}
        for name, b in self.start_buttons.items():
            b.setText(pick(*labels[name]))
            b.setEnabled(name in devices)
            b.setVisible(name in devices)
        check = self.check
        self.yes.setText(pick("是，完整清晰", "Yes, complete and legible"))
        self.no.setText(pick("否", "No"))
        self.nothing.setText(pick("没有反应", "Nothing happened"))
        if check is None:
            self.title.setText(pick("选择要检查的设备", "Choose a device to check"))
            self.prompt.setText("")
            for w in (self.yes, self.no, self.nothing):
                w.setVisible(False)
            return
        self.title.setText(pick(check.title_zh, check.title_en))
        self.prompt.setText(pick(check.prompt_zh, check.prompt_en))
        waiting_answer = check.needs_answer and not check.done and getattr(check, "printed", False)
        self.yes.setVisible(waiting_answer)
        self.no.setVisible(waiting_answer)
        self.nothing.setVisible(not check.done and not check.needs_answer)
        if check.verdict is not None:
            self.verdict.setText(self._verdict_text(check.verdict))
            self.qr.clear()
        elif check.needs_answer and not getattr(check, "printed", False):
            self.verdict.setText(pick("正在打印测试小票…", "Printing the test receipt…"))
        else:
            self.verdict.setText(pick("等待设备…", "Waiting for the device…"))
