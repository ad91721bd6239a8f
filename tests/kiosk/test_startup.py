"""Start-up (issue 14 item 3): the window knows its screens by reference and builds only the home
screen; the home tiles are greyed from `kiosk.availability` exactly as the screens themselves
would grey them; `start_kiosk` has the card reader and the scanner listening before the first
event-loop turn and the printer right after it; nothing heavy is imported before the first frame."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from domain.policy import PolicyError
from infra.config import Config, DeviceSection, DevicesSection
from kiosk import availability, policies
from kiosk.app import build_kiosk, start_kiosk
from kiosk.lazy_screens import SCREENS
from kiosk.screens.home import TILES
from kiosk.screens.registry import all_screens
from kiosk.services import Services

CITY = Config().terminal.policy_city


def test_the_screen_references_are_the_registry_in_its_order() -> None:
    classes = all_screens()
    assert [r.name for r in SCREENS] == [c.name for c in classes]
    assert [r.load() for r in SCREENS] == classes  # the same class objects: each reference imports its module


def test_the_window_builds_the_home_screen_and_nothing_else(qtbot: QtBot) -> None:
    window = build_kiosk(Config(), voice_engine="mock")
    qtbot.addWidget(window)
    assert [s.name for s in window.screens.built()] == ["home"]
    home: Any = window.screens["home"]
    assert home.tiles["calculator"].isEnabled()  # needs only the rate table (fine), no service
    assert not home.tiles["print"].isEnabled()  # no printer wired in this Services
    window.shutdown()


class _Thing:
    def stop(self) -> None:
        pass


def _services(printer: bool, outbox: bool, ledger: bool, sync: bool) -> Services:
    services = Services(Config())
    services.printer = _Thing() if printer else None
    services.outbox = _Thing() if outbox else None
    services.ledger = _Thing() if ledger else None
    services.sync = _Thing() if sync else None
    return services


@pytest.fixture()
def broken_policies(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every policy file unreadable, as the screens and kiosk.availability see it."""
    def table(city: str) -> Any:
        raise PolicyError("policy: unreadable (test)")

    for name in ("catalogue", "rate_table", "loan_limit_policy", "withdrawal_policy"):
        monkeypatch.setattr(policies, name, lambda city: None)
    monkeypatch.setattr(policies, "policy_table", table)
    yield


def _reasons_agree(qtbot: QtBot, services: Services, language: str) -> None:
    window = build_kiosk(Config(), services, voice_engine="mock")
    qtbot.addWidget(window)
    window.ctx.languages.set_language(language)
    targets = sorted({target for _key, target, _title in TILES})
    before = {t: window.unavailable_reason(t) for t in targets}  # from kiosk.availability: builds nothing
    assert [s.name for s in window.screens.built()] == ["home"]
    built = {t: window.screens[t].unavailable_reason() for t in targets}  # each screen, built, asked itself
    assert before == built
    window.shutdown()


# (printer, outbox, ledger, sync): every part wired, none, and two mixtures each tile tells apart
@pytest.mark.parametrize(("wired", "language"), [((True, True, True, True), "zh_CN"),
                                                 ((False, False, False, False), "zh_CN"),
                                                 ((True, False, True, False), "en"),
                                                 ((False, True, False, True), "en")])
def test_tile_reasons_without_the_screens_are_the_screens_own(
        qtbot: QtBot, wired: tuple[bool, bool, bool, bool], language: str) -> None:
    availability.load_policies(CITY)
    _reasons_agree(qtbot, _services(*wired), language)


@pytest.mark.usefixtures("broken_policies")
def test_tile_reasons_agree_when_the_policy_files_cannot_be_read(qtbot: QtBot) -> None:
    availability.load_policies(CITY)
    _reasons_agree(qtbot, _services(True, True, True, True), "zh_CN")
    window = build_kiosk(Config(), _services(True, True, True, True), voice_engine="mock")
    qtbot.addWidget(window)
    assert window.unavailable_reason("calculator") == "利率表无法加载"  # the failure is visible, not hidden
    window.shutdown()


def _lobby_config(port: str) -> Config:
    return Config(devices=DevicesSection(id_reader=DeviceSection(kind="serial", uri=port),
                                         scanner=DeviceSection(kind="keyboard")))


def test_start_kiosk_listens_before_the_first_turn_and_adds_the_printer_after_it(qtbot: QtBot) -> None:
    from hardware.idcard.emulator import SamReaderEmulator

    with SamReaderEmulator() as reader:
        config = _lobby_config(reader.port)
        services = Services(config)
        services.ledger = _Thing()  # identification possible: the print tile then waits for the printer only
        window = start_kiosk(config, services, voice_engine="mock")
        qtbot.addWidget(window)
        try:
            loops = services.extras["loops"]
            assert services.id_reader is not None and [loop.device for loop in loops] == [services.id_reader]
            assert all(loop._thread.is_alive() for loop in loops)  # listening already
            assert window.wedge is not None  # the keyboard-wedge scanner's filter is installed
            assert services.printer is None  # not before the first frame
            home: Any = window.screens["home"]
            assert not home.tiles["print"].isEnabled() and home.tiles["print"].note == "本机未配置打印机"
            qtbot.waitUntil(lambda: services.printer is not None and home.tiles["print"].isEnabled(), timeout=20_000)
            assert services.devices.started("printer") is services.printer  # the same manager as the inputs
        finally:
            window.shutdown()
            services.close()


# The probe's timer is queued before start_kiosk's own (timers of the same interval fire in order), so it
# sees what the first frame needed, not what the printer thread started after it is importing.
_FIRST_TURN = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from infra.config import load_config
from kiosk.app import ensure_app, start_kiosk
from kiosk.wiring import services_from_config
app = ensure_app()
held = []
def first_turn():
    print(json.dumps(sorted(sys.modules)))
    held[0].shutdown(); held[0].ctx.services.close(); app.quit()
QTimer.singleShot(0, first_turn)
config = load_config(Path(sys.argv[1]))
services = services_from_config(config, devices=False, sync=False)  # as main(): the QR token keys come later
held.append(start_kiosk(config, services, sync_later=True))
held[0].show()
app.exec()
"""

HEAVY = ("cv2", "numpy", "PySide6.QtCharts", "escpos", "pyzbar", "zxingcpp", "PIL", "domain.catalogue",
         "domain.withdrawals", "kiosk.policies", "cryptography", "sqlalchemy", "tomlkit", "argon2")


def test_nothing_heavy_is_imported_before_the_first_turn(tmp_path: Path) -> None:
    config = tmp_path / "terminal.toml"
    config.write_text('[devices.scanner]\nkind = "keyboard"\n', encoding="utf-8")  # a camera scanner needs OpenCV
    out = subprocess.run([sys.executable, "-c", _FIRST_TURN, str(config)], capture_output=True, text=True,
                         timeout=120, check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    modules = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert {"kiosk.screens.home", "hardware.idcard", "ui.wedge"} <= modules  # the probe itself works
    assert not {m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)}


# the lobby kiosk (serial SAM reader, keyboard-wedge scanner) loads only its own drivers before the first frame
LOBBY_UNUSED = ("hardware.idcard.vendor_sdk", "hardware.idcard.simulator", "hardware.idcard.textblock",
                "hardware.scanner.payload", "hardware.scanner.serial_scanner", "hardware.scanner.wedge_scanner",
                "ctypes", "zoneinfo", "hardware.health", "hardware.manager_records", "hardware.results")


def test_the_lobby_kiosk_imports_only_its_own_drivers_before_the_first_turn(tmp_path: Path) -> None:
    from hardware.idcard.emulator import SamReaderEmulator

    config = tmp_path / "terminal.toml"
    with SamReaderEmulator() as reader:
        config.write_text(f'[devices.id_reader]\nkind = "serial"\nuri = "{reader.port}"\n\n'
                          '[devices.scanner]\nkind = "keyboard"\n', encoding="utf-8")
        out = subprocess.run([sys.executable, "-c", _FIRST_TURN, str(config)], capture_output=True, text=True,
                             timeout=120, check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    modules = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert {"hardware.idcard.sam_serial", "hardware.scanner.wedge", "ui.wedge"} <= modules  # the probe works
    assert not modules & set(LOBBY_UNUSED)


class _Engine:
    status = None

    def __init__(self) -> None:
        self.listeners: list[Any] = []
        self.heartbeat_extra: Any = None

    def subscribe(self, callback: Any) -> Any:
        self.listeners.append(callback)
        return lambda: self.listeners.remove(callback)


class _Runtime:
    def __init__(self) -> None:
        self.client, self.engine, self.started, self.stopped = _Thing(), _Engine(), False, False

    status = None  # what the window's sync bridge reads, as on the real runtime

    def subscribe(self, callback: Any) -> Any:
        return self.engine.subscribe(callback)

    def start(self) -> None:
        self.started = True

    def stop(self) -> None:
        self.stopped = True


def test_main_opens_the_store_and_sync_after_the_first_frame(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    import kiosk.wiring

    runtime = _Runtime()
    monkeypatch.setattr(kiosk.wiring, "open_sync", lambda config: runtime)
    config = Config(devices=DevicesSection(scanner=DeviceSection(kind="keyboard")))
    services = Services(config)
    window = start_kiosk(config, services, voice_engine="mock", sync_later=True)
    qtbot.addWidget(window)
    try:
        home: Any = window.screens["home"]
        assert services.sync is None and not home.tiles["account"].isEnabled()  # the centre: not yet
        qtbot.waitUntil(lambda: services.sync is runtime and home.tiles["account"].isEnabled(), timeout=20_000)
        assert runtime.started and services.ledger is runtime.client and services.outbox is runtime
        assert runtime.engine.listeners and runtime.engine.heartbeat_extra is not None  # header and heartbeat follow it
    finally:
        window.shutdown()
        services.close()
    assert runtime.stopped


def test_a_store_opened_after_the_window_closed_is_stopped(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    import kiosk.wiring

    runtime, asked, release = _Runtime(), threading.Event(), threading.Event()

    def slow_open(config: Config) -> _Runtime:
        asked.set()
        release.wait(20)
        return runtime

    monkeypatch.setattr(kiosk.wiring, "open_sync", slow_open)
    config = Config(devices=DevicesSection(scanner=DeviceSection(kind="keyboard")))
    services = Services(config)
    window = start_kiosk(config, services, voice_engine="mock", sync_later=True)
    qtbot.waitUntil(asked.is_set, timeout=20_000)  # the start-up thread is opening the store…
    window.shutdown()
    window.deleteLater()
    qtbot.wait(20)  # … while the window goes away
    release.set()
    services.close()  # waits for that thread; the runtime it opened was never attached
    assert runtime.stopped and not runtime.started


def test_a_qr_code_scanned_before_the_token_keys_were_read_is_verified_all_the_same() -> None:
    from domain.member_token import TokenError
    from kiosk.wiring import TokenKeys, load_token_keys

    services = Services(Config())
    services.token_verifier = TokenKeys(None)  # the shipped key file, not read yet
    with pytest.raises(TokenError) as refused:
        services.token_verifier.verify("HPF1.not-a-token", 0)  # reads the keys, then checks the code
    assert refused.value.code == "malformed"
    load_token_keys(services)
    assert isinstance(services.token_verifier, TokenKeys)  # readable: QR sign-in stays on


@pytest.mark.allow_log_warnings  # "QR sign-in disabled: …" is the expected log line
def test_token_keys_that_cannot_be_read_take_qr_sign_in_off(tmp_path: Path,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    from domain.member_token import TokenError
    from kiosk.wiring import TokenKeys, load_token_keys

    keys = TokenKeys(tmp_path / "missing.toml")
    with pytest.raises(TokenError) as refused:
        keys.verify("HPF1.x", 0)
    assert refused.value.code == "no_keys"
    services = Services(Config())
    services.token_verifier = keys
    load_token_keys(services)
    assert services.token_verifier is None  # the identify screen then offers the card and the password only
    assert "QR sign-in disabled" in caplog.text


def _type_into(target: Any, text: str, start_ms: int, gap_ms: int) -> None:
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    for i, ch in enumerate(text):
        key = Qt.Key.Key_Return if ch == "\r" else Qt.Key.Key_unknown
        event = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, ch)
        event.setTimestamp(start_ms + gap_ms * i)
        QApplication.sendEvent(target, event)


def _filters_of(app: Any, wedge: Any) -> list[Any]:
    """[wedge] when `wedge` is installed on `app` (a key event sent to the application reaches it)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    seen: list[Any] = []
    original = wedge.eventFilter

    def spy(watched: Any, event: Any) -> bool:
        seen.append(wedge)
        return bool(original(watched, event))

    wedge.eventFilter = spy
    try:
        app.sendEvent(app, QKeyEvent(QEvent.Type.KeyRelease, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a"))
    finally:
        del wedge.eventFilter
    return seen[:1]


def test_the_wedge_scanner_listens_from_the_first_frame_and_the_filters_follow_on_the_application(
        qtbot: QtBot) -> None:
    """start_kiosk installs the application-wide filters two turns after the first frame (their first
    events cost ~50 ms of Python classes); the keyboard-wedge scanner listens before that on the
    window's native window, where key presses arrive first, then moves to the application."""
    from PySide6.QtWidgets import QApplication

    config = Config(devices=DevicesSection(id_reader=DeviceSection(kind="none"),
                                           scanner=DeviceSection(kind="keyboard")))
    services = Services(config)
    window = start_kiosk(config, services, voice_engine="mock")
    qtbot.addWidget(window)
    try:
        window.show()  # no event-loop turn yet: what the first frame has
        assert window.wedge is not None and window.windowHandle() is not None
        assert window.wedge.window_handle is window.windowHandle()
        with qtbot.wait_signal(window.wedge.scanned, timeout=2_000) as scanned:
            _type_into(window.windowHandle(), "HPF1.first\r", 1000, 5)  # a scanner's burst, as the window gets it
        assert scanned.args == ["HPF1.first"]
        # two turns on: the filters are on the application (every window and dialog), the wedge too
        qtbot.waitUntil(lambda: window._first_frame_done, timeout=5_000)
        assert window.wedge.window_handle is None
        assert window.wedge in _filters_of(QApplication.instance(), window.wedge)
        target = QApplication.focusWidget() or window  # a widget's key passes the application's filter
        with qtbot.wait_signal(window.wedge.scanned, timeout=2_000) as scanned:
            _type_into(target, "HPF1.later\r", 9000, 5)
        assert scanned.args == ["HPF1.later"]
    finally:
        window.shutdown()
        services.close()



def test_importing_the_kiosk_app_leaves_the_collector_running() -> None:
    """Only the program's entry pauses the collector (infra.startup_gc): importing the app or the entry
    module (a test, a tool, the demo) changes nothing process-wide."""
    code = "import gc, kiosk.app, kiosk.__main__; print(gc.isenabled())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip().splitlines()[-1] == "True"


def test_the_entry_point_pauses_the_collector_until_the_first_frame(qtbot: QtBot,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    import kiosk.app
    from kiosk import __main__ as entry

    seen: dict[str, bool] = {}

    def run(argv: Any) -> int:  # kiosk.app.main's start-up order, without its event loop
        seen["while_importing"] = gc.isenabled()
        none = DeviceSection(kind="none")
        config = Config(devices=DevicesSection(id_reader=none, scanner=none, printer=none, camera=none))
        window = start_kiosk(config, voice_engine="mock")
        qtbot.addWidget(window)
        window.show()
        seen["window_built"] = gc.isenabled()
        try:
            qtbot.waitUntil(gc.isenabled, timeout=20_000)  # the window resumes it after its first frame
        finally:
            window.shutdown()
            window.ctx.services.close()
        return 7

    monkeypatch.setattr(kiosk.app, "main", run)
    assert gc.isenabled()
    assert entry.main([]) == 7
    assert seen == {"while_importing": False, "window_built": False}
    assert gc.isenabled()
