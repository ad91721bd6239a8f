"""Guided (UnifiedPOS "interactive") checks: a technician and the device, one verdict at the end.

    CardCheck   "put a test card on the reader"        passes when the reader reads a card
    ScanCheck   "show the test QR code to the scanner"  passes when the scanner reads exactly the
                                                         code the screen shows
    PrintCheck  "tear off the test receipt: did it print fully and legibly?"
                                                         the printer prints the test page, the
                                                         technician answers yes or no

Each check is a small state machine with no Qt: the diagnostics screen feeds it the device's
events (`on_event`) and the technician's answers (`answer`, `give_up`) and shows the `Verdict`,
which always says what to do next. `result()` is the `HealthResult` the device keeps
(`Device.record_health`) and the heartbeat reports.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from domain.masking import mask_id_number, mask_name
from hardware.events import DataEvent, DeviceEvent, ErrorEvent
from hardware.health import HealthLevel, HealthResult
from hardware.model import DeviceError


@dataclass(frozen=True)
class Verdict:
    ok: bool
    code: str
    text_zh: str
    text_en: str
    next_zh: str
    next_en: str


class GuidedCheck:
    """Base: a prompt, then events or answers until a verdict."""

    kind = ""
    device = ""
    title_zh = title_en = prompt_zh = prompt_en = ""
    needs_answer = False  # the verdict is the technician's (yes / no)

    def __init__(self) -> None:
        self.verdict: Verdict | None = None

    @property
    def done(self) -> bool:
        return self.verdict is not None

    def _finish(self, verdict: Verdict) -> Verdict:
        if self.verdict is None:
            self.verdict = verdict
        return self.verdict

    def on_event(self, event: DeviceEvent) -> Verdict | None:
        """A device event arrived; a verdict when it decides the check."""
        return None

    def answer(self, yes: bool) -> Verdict:
        raise NotImplementedError

    def device_failed(self, error: DeviceError) -> Verdict:
        """The device raised while the check ran (print failed, reader gone)."""
        return self._finish(Verdict(False, error.code, f"设备报告错误：{error.message_zh}",
                                    f"The device reported an error: {error.message_en}",
                                    error.action_zh, error.action_en))

    def give_up(self) -> Verdict:
        """The technician says nothing happened."""
        return self._finish(self._nothing())

    def _nothing(self) -> Verdict:
        return Verdict(False, "NOTHING", "设备没有反应", "The device did not respond",
                       "请检查连线和电源，在“设备”页查看状态后重试",
                       "Check the cable and power, look at its status on the Devices tab, then retry")

    def result(self) -> HealthResult:
        v = self.verdict or Verdict(False, "NOT_DONE", "检查未完成", "The check was not finished", "", "")
        return HealthResult(self.device, HealthLevel.INTERACTIVE, v.ok, v.code, v.text_zh, v.text_en)


class CardCheck(GuidedCheck):
    kind, device = "card", "id_reader"
    title_zh, title_en = "读卡检查", "Card reader check"
    prompt_zh, prompt_en = "请把测试身份证放在读卡器上", "Put a test card on the reader"

    def on_event(self, event: DeviceEvent) -> Verdict | None:
        if self.done or event.device != self.device:
            return None
        if isinstance(event, DataEvent):
            name, number = str(getattr(event.data, "name", "")), str(getattr(event.data, "id_number", ""))
            who = f"{mask_name(name)} {mask_id_number(number)}".strip()  # a technician sees no full ID
            return self._finish(Verdict(True, "OK", f"读卡成功：{who}", f"Card read: {who}",
                                        "读卡器正常，可以取走测试卡", "The reader works; take the test card away"))
        if isinstance(event, ErrorEvent):
            return self._finish(Verdict(False, event.code, f"读卡失败：{event.message_zh}",
                                        f"Reading failed: {event.message_en}", event.action_zh, event.action_en))
        return None

    def _nothing(self) -> Verdict:
        return Verdict(False, "NO_CARD_READ", "没有读到卡", "No card was read",
                       "请确认卡片平放在感应区中央；仍读不到时检查读卡器连线，或更换读卡器",
                       "Lay the card flat in the middle of the reader; if it still is not read, check the "
                       "cable or replace the reader")


class ScanCheck(GuidedCheck):
    kind, device = "scan", "scanner"
    title_zh, title_en = "扫码检查", "Scanner check"
    prompt_zh, prompt_en = "请把屏幕上的测试二维码对准扫码器", "Show the test QR code on the screen to the scanner"

    def __init__(self, code: str | None = None) -> None:
        super().__init__()
        self.code = code or f"HPF-SCAN-TEST-{secrets.token_hex(4).upper()}"

    def on_event(self, event: DeviceEvent) -> Verdict | None:
        if self.done or event.device != self.device:
            return None
        if isinstance(event, DataEvent):
            text = str(getattr(event.data, "text", event.data))
            if text == self.code:
                return self._finish(Verdict(True, "OK", "扫码成功，内容一致", "Scanned; the content matches",
                                            "扫码器正常", "The scanner works"))
            return self._finish(Verdict(False, "WRONG_CODE", "读到的不是测试二维码", "It read a different code",
                                        "请只让测试二维码出现在扫码窗口中，然后重试",
                                        "Keep only the test code in front of the scanner, then retry"))
        if isinstance(event, ErrorEvent):
            return self._finish(Verdict(False, event.code, f"扫码失败：{event.message_zh}",
                                        f"Scanning failed: {event.message_en}", event.action_zh, event.action_en))
        return None

    def _nothing(self) -> Verdict:
        return Verdict(False, "NOT_SCANNED", "没有扫到测试二维码", "The test code was not scanned",
                       "请擦净扫码窗口、调整距离（10–20 厘米）后重试；仍不行时检查扫码器连线",
                       "Clean the scanner window, hold the code 10-20 cm away and retry; then check the cable")


class PrintCheck(GuidedCheck):
    kind, device = "print", "printer"
    title_zh, title_en = "打印检查", "Printer check"
    prompt_zh = "撕下测试小票：是否完整、清晰？"
    prompt_en = "Tear off the test receipt: did it print fully and legibly?"
    needs_answer = True

    def __init__(self) -> None:
        super().__init__()
        self.printed = False

    def printed_ok(self, detail: Any = None) -> None:
        self.printed = True

    def answer(self, yes: bool) -> Verdict:
        if yes:
            return self._finish(Verdict(True, "OK", "测试小票完整清晰", "The test receipt is complete and legible",
                                        "打印机正常", "The printer works"))
        return self._finish(Verdict(False, "ILLEGIBLE", "测试小票不完整或不清晰",
                                    "The test receipt is incomplete or illegible",
                                    "请检查纸卷方向（热敏面朝打印头）、清洁打印头、更换纸卷后重试；仍不行时更换打印机",
                                    "Check the roll's direction (thermal side to the head), clean the head, "
                                    "load a new roll and retry; if it persists, replace the printer"))


CHECKS: dict[str, type[GuidedCheck]] = {"id_reader": CardCheck, "scanner": ScanCheck, "printer": PrintCheck}
