"""Keyboard wedge: timing classifier, terminators, prefix/suffix, replay of a person's typing, evdev keys."""

from __future__ import annotations

import os
import sys
import time
import types
from typing import ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardware.events import ErrorEvent
from hardware.health import HealthLevel
from hardware.model import DeviceClass, DeviceNotFoundError, DeviceSpec
from hardware.registry import NoDriverError, find_driver
from hardware.scanner.keymap import KEY_DOWN, KEY_UP, KeyTranslator
from hardware.scanner.wedge import WedgeConfig, WedgeDecoder, looks_scanned
from hardware.scanner.wedge_scanner import WedgeScanner

SCAN_GAP = 0.006  # a USB HID scanner: about 6 ms per key
PERSON_GAP = 0.18


def type_text(decoder: WedgeDecoder, text: str, start: float = 0.0, gap: float = SCAN_GAP) -> list[str]:
    codes = []
    t = start
    for ch in text:
        code = decoder.feed(ch, t)
        if code is not None:
            codes.append(code)
        t += gap
    return codes


def test_a_fast_burst_ending_in_enter_is_a_code() -> None:
    decoder = WedgeDecoder()
    assert type_text(decoder, "HPF1:AP2026\r") == ["HPF1:AP2026"]
    assert decoder.take_replay() == ""


def test_a_person_typing_is_handed_back_not_swallowed() -> None:
    decoder = WedgeDecoder()
    assert type_text(decoder, "140105\r", gap=PERSON_GAP) == []
    assert decoder.take_replay() == "140105\r"


def test_a_persons_quick_double_key_is_too_short_to_be_a_code() -> None:
    decoder = WedgeDecoder()
    assert type_text(decoder, "ab\r", gap=0.01) == []
    assert decoder.take_replay() == "ab\r"


def test_one_slow_key_inside_a_burst_spoils_it() -> None:
    decoder = WedgeDecoder()
    type_text(decoder, "HPF1", start=0.0)
    assert type_text(decoder, "23\r", start=0.5) == []  # 0.5 s pause: the first part was typed by a person
    assert decoder.take_replay() == "HPF123\r"


def test_tab_terminator_and_enter_is_then_plain_text() -> None:
    decoder = WedgeDecoder(WedgeConfig.from_options({"terminators": ["tab"]}))
    assert type_text(decoder, "CODE-1\t") == ["CODE-1"]
    assert type_text(decoder, "CODE-2\r", start=5) == []  # Enter is not a terminator here


def test_without_terminator_a_burst_ends_on_silence() -> None:
    decoder = WedgeDecoder(WedgeConfig.from_options({"terminators": []}))
    type_text(decoder, "987654321")
    assert decoder.poll(0.01) is None  # still inside the burst
    assert decoder.poll(1.0) == "987654321"
    assert decoder.poll(2.0) is None


def test_prefix_and_suffix_are_stripped_and_required() -> None:
    decoder = WedgeDecoder(WedgeConfig.from_options({"prefix": "<<", "suffix": ">>"}))
    assert type_text(decoder, "<<HPF42>>\r") == ["HPF42"]
    assert type_text(decoder, "HPF42\r", start=5) == []
    assert decoder.rejected == 1


def test_an_overlong_burst_is_dropped_whole() -> None:
    decoder = WedgeDecoder(WedgeConfig(max_length=10))
    assert type_text(decoder, "X" * 50 + "\r") == []
    assert decoder.rejected == 1
    assert decoder.take_replay() == ""
    assert type_text(decoder, "OK-1234\r", start=5) == ["OK-1234"]


def test_timing_classifier() -> None:
    cfg = WedgeConfig()
    assert looks_scanned([0, 0.005, 0.011, 0.016], cfg)
    assert not looks_scanned([0, 0.005, 0.2, 0.205], cfg)  # one pause
    assert not looks_scanned([0, 0.045, 0.09, 0.135], cfg)  # every gap allowed, but too slow on average
    assert not looks_scanned([0.1, 0.05], cfg)  # time going backwards is not a scanner
    assert not looks_scanned([0.0], cfg)


@pytest.mark.parametrize("options, message", [
    ({"terminators": ["escape"]}, "terminators"), ({"max_gap_ms": 0}, "max_gap_ms"),
    ({"max_mean_gap_ms": "fast"}, "max_mean_gap_ms"),
])
def test_bad_wedge_options_are_named(options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WedgeConfig.from_options(options)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r\n"), min_size=3, max_size=80),
       st.lists(st.floats(0.001, 0.025), min_size=1, max_size=8))
def test_any_fast_even_burst_comes_out_exactly(text: str, gaps: list[float]) -> None:
    decoder = WedgeDecoder()
    t, out = 0.0, None
    for i, ch in enumerate(text + "\r"):
        out = decoder.feed(ch, t)
        t += gaps[i % len(gaps)]
    assert out == text
    assert decoder.take_replay() == ""


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.floats(0.06, 2.0))
def test_slow_typing_never_becomes_a_code_and_nothing_is_lost(text: str, gap: float) -> None:
    decoder = WedgeDecoder()
    t = 0.0
    for ch in text:
        assert decoder.feed(ch, t) is None
        t += gap
    assert decoder.poll(t + 1) is None
    assert decoder.take_replay() == text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(min_size=1, max_size=1), st.floats(0, 0.3)), max_size=200),
       st.sampled_from([{}, {"terminators": []}, {"terminators": ["tab"], "prefix": "]Q"}]))
def test_random_keys_and_timings_never_raise(keys: list[tuple[str, float]], options: dict[str, object]) -> None:
    decoder = WedgeDecoder(WedgeConfig.from_options(options))
    t = 0.0
    for ch, gap in keys:
        t += gap
        code = decoder.feed(ch, t)
        assert code is None or isinstance(code, str)
        decoder.poll(t)
    decoder.take_replay()


def test_key_translator_handles_shift_and_caps_lock() -> None:
    keys = KeyTranslator()
    typed = []
    # Shift+h, p, f, Shift+; (colon), 1, Enter
    for code, value in [(42, KEY_DOWN), (35, KEY_DOWN), (35, KEY_UP), (42, KEY_UP), (25, KEY_DOWN), (33, KEY_DOWN),
                        (54, KEY_DOWN), (39, KEY_DOWN), (54, KEY_UP), (2, KEY_DOWN), (2, 2), (28, KEY_DOWN),
                        (58, KEY_DOWN), (30, KEY_DOWN), (999, KEY_DOWN)]:
        ch = keys.key(code, value)
        if ch is not None:
            typed.append(ch)
    assert "".join(typed) == "Hpf:1\rA"


def wedge_spec(**options: object) -> DeviceSpec:
    return DeviceSpec(DeviceClass.SCANNER, "scanner", "keyboard", options=options)


def test_wedge_scanner_device_checks_payload_and_emits_events() -> None:
    scanner = WedgeScanner(wedge_spec())
    events: list[object] = []
    scanner.subscribe(events.append)
    with scanner:
        t = 0.0
        for ch in "HPF1:OK\r":
            scanner.push_key(ch, t)
            t += SCAN_GAP
        result = scanner.scan(0)
        assert result is not None and (result.text, result.source) == ("HPF1:OK", "wedge")
        for ch in "\x1b[31m\r":  # an escape sequence is typed fast, but it is not a code
            scanner.push_key(ch, t)
            t += SCAN_GAP
        assert scanner.scan(0) is None
    kinds = [type(e).__name__ for e in events]
    assert kinds.count("DataEvent") == 1 and kinds.count("ErrorEvent") == 1
    error = next(e for e in events if isinstance(e, ErrorEvent))
    assert error.code == "INVALID_CODE"


def test_aim_symbology_prefix_gives_the_format() -> None:
    scanner = WedgeScanner(wedge_spec(aim_ids=True))
    with scanner:
        t = 0.0
        for ch in "]Q1HPF-77\r":
            scanner.push_key(ch, t)
            t += SCAN_GAP
        result = scanner.scan(0)
    assert result is not None and (result.format, result.text) == ("QR_CODE", "HPF-77")


def test_window_fed_wedge_is_healthy_without_evdev() -> None:
    scanner = WedgeScanner(wedge_spec())
    with scanner:
        assert scanner.check_health(HealthLevel.INTERNAL).ok


def test_evdev_wedge_without_the_package_is_not_driven_and_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    import hardware.scanner as scanner_pkg

    monkeypatch.setattr(scanner_pkg, "evdev_unavailable_reason", lambda: "the evdev package is not installed")
    spec = DeviceSpec(DeviceClass.SCANNER, "scanner", "keyboard", uri="/dev/input/event7")
    with pytest.raises(NoDriverError, match="evdev package is not installed"):
        find_driver(spec)
    assert find_driver(wedge_spec()).name == "WedgeScanner"  # no uri: keys come through the window


class FakeEvent:
    def __init__(self, code: int, value: int, t: float) -> None:
        self.type, self.code, self.value, self._t = 1, code, value, t

    def timestamp(self) -> float:
        return self._t


class FakeInputDevice:
    """Stands in for evdev.InputDevice: a pipe makes `select` see input, `read()` returns queued events."""

    instances: ClassVar[list[FakeInputDevice]] = []

    def __init__(self, path: str) -> None:
        if "missing" in path:
            raise OSError(2, "No such file or directory")
        self.path, self.name, self.grabbed = path, "Fake 2D Scanner", False
        self._r, self._w = os.pipe()
        self.fd = self._r
        self._queue: list[FakeEvent] = []
        FakeInputDevice.instances.append(self)

    def type_code(self, keys: list[tuple[int, int]], start: float, gap: float = 0.004) -> None:
        t = start
        for code, value in keys:
            self._queue.append(FakeEvent(code, value, t))
            t += gap
        os.write(self._w, b"x")

    def read(self) -> list[FakeEvent]:
        os.read(self._r, 4096)
        events, self._queue = self._queue, []
        return events

    def grab(self) -> None:
        self.grabbed = True

    def ungrab(self) -> None:
        self.grabbed = False

    def capabilities(self) -> dict[int, list[int]]:
        return {1: [28, 30]}

    def close(self) -> None:
        os.close(self._r)
        os.close(self._w)


@pytest.fixture()
def fake_evdev(monkeypatch: pytest.MonkeyPatch) -> type[FakeInputDevice]:
    module = types.ModuleType("evdev")
    module.InputDevice = FakeInputDevice  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "evdev", module)
    FakeInputDevice.instances.clear()
    return FakeInputDevice


def press(code: int) -> list[tuple[int, int]]:
    return [(code, 1), (code, 0)]


def test_evdev_wedge_grabs_the_device_and_reads_codes(fake_evdev: type[FakeInputDevice]) -> None:
    spec = DeviceSpec(DeviceClass.SCANNER, "scanner", "keyboard", uri="/dev/input/by-id/usb-scanner-event-kbd")
    scanner = WedgeScanner(spec)
    with scanner:
        [dev] = fake_evdev.instances
        assert dev.grabbed  # exclusive: the desktop and the input method never see the scan
        keys = [(42, 1), *press(35), (42, 0), *press(25), *press(33), *press(2), *press(3), *press(28)]  # "Hpf12\r"
        dev.type_code(keys, start=time.time())
        result = scanner.scan(5)
        assert result is not None and result.text == "Hpf12"
        assert scanner.check_health(HealthLevel.EXTERNAL).ok
        assert scanner.info.model == "Fake 2D Scanner"
    assert not dev.grabbed


def test_evdev_wedge_missing_device_is_a_clear_error(fake_evdev: type[FakeInputDevice]) -> None:
    scanner = WedgeScanner(DeviceSpec(DeviceClass.SCANNER, "scanner", "keyboard", uri="/dev/input/missing"))
    with pytest.raises(DeviceNotFoundError, match="cannot open /dev/input/missing"):
        scanner.start()
