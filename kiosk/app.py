"""`hpf-kiosk`: the lobby touch terminal application.

`build_kiosk(config, services)` makes the window (tests, the demo and the screenshots use it);
`main()` is the entry point: configuration, logging, crash recovery, devices and sync from the
configuration, then the full-screen kiosk window.
"""

# ruff: noqa: E402
from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from infra import startup_gc  # paused by the program's entry (kiosk/__main__.py) until the first frame
from infra.pyside_imports import quicker_feature_check

# the binding is loaded now: the imports below are checked the quick way (hence the file's E402 exemption)
quicker_feature_check()

from infra.config import Config
from infra.logs import get_logger, setup_logging
from kiosk.context import KioskContext
from kiosk.elderly_offer import ElderlyOffer
from kiosk.lazy_screens import SCREENS
from kiosk.services import Services
from kiosk.session import Session
from kiosk.window import KioskWindow
from ui.i18n import Languages
from ui.ops import BackgroundOps
from ui.taskman import TaskManager
from ui.voice import Voice

log = get_logger("kiosk")


def ensure_app(argv: Sequence[str] = ()) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication([sys.argv[0] if sys.argv else "hpf-kiosk", *argv])
    app.setApplicationName("hpf-kiosk")
    return app


def build_kiosk(config: Config, services: Services | None = None, *, kiosk_mode: bool = False,
                voice_engine: str | None = None, filters_after_first_frame: bool = False) -> KioskWindow:
    """The kiosk window, ready to show; each screen is built (and its module imported) on first
    use. A QApplication must exist. `filters_after_first_frame`: see `KioskWindow`."""
    services = services or Services(config)
    languages = Languages(config.terminal.language)
    ops = BackgroundOps()
    voice = Voice(voice_engine, enabled=config.kiosk.voice and config.kiosk.elderly_mode)
    voice.set_language(config.terminal.language)
    ctx = KioskContext(config=config, services=services, session=Session(), languages=languages,
                       ops=ops, voice=voice)
    window = KioskWindow(ctx, list(SCREENS), kiosk_mode=kiosk_mode,
                         filters_after_first_frame=filters_after_first_frame)
    window.elderly_offer = ElderlyOffer.install(window)  # type: ignore[attr-defined]  # 60+: ask once
    languages.setParent(window)
    ops.setParent(window)
    voice.setParent(window)
    if not filters_after_first_frame:  # built outside the start-up order: collect as usual from now on
        startup_gc.resume()
    return window


def start_kiosk(config: Config, services: Services | None = None, *, kiosk_mode: bool = False,
                voice_engine: str | None = None, sync_later: bool = False) -> KioskWindow:
    """The kiosk's start-up order, as `main()` runs it (and bench/bench_kiosk.py measures it).

    Before the first frame: the ID card reader and the scanner started and listening (their
    input loops running, or a keyboard-wedge scanner's filter installed: on the window's native
    window until the application-wide filters follow, two turns after the first frame; see
    `KioskWindow`), then the window with the home screen. Right after the first frame, on a
    thread of its own: the printer, then the city's policy files parsed; then the home screen's
    tiles are refreshed (until then a tile waiting for the printer reads "no printer", as for a
    printer plugged in later; see `kiosk.availability` for the policy files).

    `sync_later`: the local store and the sync runtime are opened on that thread too (first in
    line), then attached on the GUI thread; until then the header reads "not connected" and the
    tiles that need the centre say so, as when the centre is out of reach."""
    from kiosk.wiring import attach_devices, install_keyboard_scanner, start_input_loops

    services = services or Services(config)
    if services.devices is None:
        attach_devices(services, config, printer=False)
    window = build_kiosk(config, services, kiosk_mode=kiosk_mode, voice_engine=voice_engine,
                         filters_after_first_frame=True)
    install_keyboard_scanner(window, config)
    start_input_loops(services)
    # two turns on: the first frame is painted and a first touch handled before the worker competes for them
    QTimer.singleShot(0, window, lambda: QTimer.singleShot(
        0, window, lambda: _after_first_frame(window, services, config, sync_later)))
    return window


def _after_first_frame(window: KioskWindow, services: Services, config: Config, sync_later: bool = False) -> None:
    """On a thread of its own (the GUI thread stays free for the first touch; no lane's card read or
    print waits behind it): the QR token keys, the store and sync (`sync_later`), the printer, then
    the policy files; then the home tiles, on the GUI thread."""
    from kiosk import availability
    from kiosk.wiring import attach_printer, load_token_keys

    tasks, city = window.ctx.ops.tasks, config.terminal.policy_city

    def work() -> None:
        load_token_keys(services)  # a code scanned before this loads them itself (kiosk.wiring.TokenKeys)
        if sync_later and services.sync is None:
            from kiosk.wiring import open_sync

            runtime = open_sync(config)
            if runtime is not None:
                services.extras["opened_sync"] = runtime  # Services.close stops it if never attached
                try:
                    tasks.run_on_main(lambda: _attach_sync(window, services, config, runtime))
                except RuntimeError:  # the window closed meanwhile: nobody will attach it
                    pass
        try:
            if services.printer is None:
                attach_printer(services, config)
            if not availability.policies_loaded(city):
                availability.load_policies(city)
        except Exception:  # a driver bug must not take the kiosk down: the tiles then say what is missing
            log.exception("start-up after the first frame failed")
        try:
            tasks.run_on_main(lambda: _refresh_home(window))
        except RuntimeError:  # the window (and its task manager) closed meanwhile
            pass

    thread = threading.Thread(target=work, name="hpf-kiosk-start", daemon=True)
    services.extras["starting"] = thread  # Services.close waits for it: nothing starts after the close
    thread.start()


def _attach_sync(window: KioskWindow, services: Services, config: Config, runtime: Any) -> None:
    from kiosk.wiring import attach_heartbeat, attach_sync

    if services.extras.pop("opened_sync", None) is not runtime:  # closed meanwhile: Services.close stopped it
        return
    attach_sync(services, runtime)
    attach_heartbeat(services, config)
    runtime.start()
    window.sync.attach(services.engine)  # the header's sync state follows it from now on (as at build)
    _refresh_home(window)


def _refresh_home(window: KioskWindow) -> None:
    home = window.screens.get_built("home")
    if home is not None and hasattr(home, "refresh_availability"):
        home.refresh_availability()


def parser() -> argparse.ArgumentParser:
    from infra.cli import base_parser  # with the production checks (argon2, cryptography): not for build_kiosk

    p = base_parser("hpf-kiosk", "Housing Provident Fund self-service kiosk")
    p.add_argument("--demo", action="store_true",
                   help="start the demo: local ledger with demo members and simulated devices")
    p.add_argument("--windowed", action="store_true", help="a normal window instead of full-screen kiosk mode")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.demo:
        try:
            from kiosk import demo
        except ImportError:  # a production bundle carries no demo (no ledger, no demo keys)
            print("本安装包不含演示 / this build has no demo: use a --demo build", file=sys.stderr)
            return 2
        return demo.main(["--windowed"] if args.windowed else [])
    from infra.cli import config_or_exit

    config = config_or_exit(args, "hpf-kiosk")
    setup_logging(config.logging.level, json_lines=config.logging.json, to_file=config.logging.file)
    app = ensure_app()
    from kiosk.wiring import services_from_config
    services = services_from_config(config, devices=False, sync=False)
    window = start_kiosk(config, services, sync_later=True)
    return run_window(app, window, fullscreen=config.kiosk.fullscreen and not args.windowed,
                      on_exit=services.close)


def run_window(app: QApplication, window: KioskWindow, *, fullscreen: bool,
               on_exit: object = None) -> int:
    from infra.crash import CrashHandler

    crash = CrashHandler(window.recover, dispatch=TaskManager(window).run_on_main)  # widgets: GUI thread only
    crash.install()
    # SIGTERM/SIGINT from the service manager: close cleanly (Python handlers run between Qt
    # events only, so a timer lets the interpreter look at signals twice a second).
    import signal  # here, not at the module's import (start-up time)

    signal.signal(signal.SIGTERM, lambda *_: window.shutdown())
    signal.signal(signal.SIGINT, lambda *_: window.shutdown())
    wake = QTimer(window)
    wake.timeout.connect(lambda: None)
    wake.start(500)
    if fullscreen:
        window.enter_kiosk_mode()
    else:
        # full screen follows the display; a window takes the configured orientation's size
        window.resize(*((1080, 1920) if window.ctx.config.kiosk.orientation == "portrait" else (1920, 1080)))
        window.show()
    log.info("kiosk started (%s)", "kiosk mode" if fullscreen else "windowed")
    code = app.exec()
    window.ctx.ops.shutdown()
    if callable(on_exit):
        on_exit()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
