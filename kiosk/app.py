"""`hpf-kiosk`: the lobby touch terminal application.

`build_kiosk(config, services)` makes the window (tests, the demo and the screenshots use it);
`main()` is the entry point: configuration, logging, crash recovery, devices and sync from the
configuration, then the full-screen kiosk window.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from infra.cli import base_parser, config_or_exit
from infra.config import Config
from infra.crash import CrashHandler
from infra.logs import get_logger, setup_logging
from kiosk.context import KioskContext
from kiosk.elderly_offer import ElderlyOffer
from kiosk.screens.registry import all_screens
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
                voice_engine: str | None = None) -> KioskWindow:
    """The kiosk window with every screen, ready to show. A QApplication must exist."""
    services = services or Services(config)
    languages = Languages(config.terminal.language)
    ops = BackgroundOps()
    voice = Voice(voice_engine, enabled=config.kiosk.voice and config.kiosk.elderly_mode)
    voice.set_language(config.terminal.language)
    ctx = KioskContext(config=config, services=services, session=Session(), languages=languages,
                       ops=ops, voice=voice)
    window = KioskWindow(ctx, all_screens(), kiosk_mode=kiosk_mode)
    window.elderly_offer = ElderlyOffer.install(window)  # type: ignore[attr-defined]  # 60+: ask once
    languages.setParent(window)
    ops.setParent(window)
    voice.setParent(window)
    return window


def parser() -> argparse.ArgumentParser:
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
    config = config_or_exit(args, "hpf-kiosk")
    setup_logging(config.logging.level, json_lines=config.logging.json, to_file=config.logging.file)
    app = ensure_app()
    from kiosk.wiring import install_keyboard_scanner, services_from_config, start_input_loops
    services = services_from_config(config)
    window = build_kiosk(config, services)
    install_keyboard_scanner(window, config)
    start_input_loops(services)
    return run_window(app, window, fullscreen=config.kiosk.fullscreen and not args.windowed,
                      on_exit=services.close)


def run_window(app: QApplication, window: KioskWindow, *, fullscreen: bool,
               on_exit: object = None) -> int:
    crash = CrashHandler(window.recover, dispatch=TaskManager(window).run_on_main)  # widgets: GUI thread only
    crash.install()
    # SIGTERM/SIGINT from the service manager: close cleanly (Python handlers run between Qt
    # events only, so a timer lets the interpreter look at signals twice a second).
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
