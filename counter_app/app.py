"""`hpf-counter`: the counter clerk's case desk.

`build_counter(services)` makes the window with its hall display and customer screen (tests, the
demo and the screenshots use it); `main()` is the entry point: configuration, logging, crash
handler, then `start_counter`: the ID card reader and the windows first, the local store, sync and
desk right after the first frame (counter_app.starting). `--demo` starts a local ledger with
demo members and staff, simulated devices, and opens everything on one machine.
"""

# ruff: noqa: E402
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from infra import startup_gc  # paused by the program's entry (counter_app/__main__.py) until the first frame
from infra.pyside_imports import quicker_feature_check

# the binding is loaded now: the imports below are checked the quick way (hence the file's E402 exemption)
quicker_feature_check()

from counter_app.context import CounterContext
from counter_app.customer_screen import CustomerScreen
from counter_app.hall_display import HallDisplay
from counter_app.i18n import CounterLanguages
from counter_app.services import CounterServices, attach_devices, attach_devices_later
from counter_app.window import CounterWindow
from infra.config import Config
from infra.logs import get_logger, setup_logging
from ui.ops import BackgroundOps
from ui.voice import Voice

log = get_logger("counter")


@dataclass
class CounterApp:
    """The running counter: its three windows and their shared context."""
    window: CounterWindow
    hall: HallDisplay
    customer: CustomerScreen
    ctx: CounterContext
    exit_code: int = 0  # set when the store could not be opened after the first frame (counter_app.starting)

    def close(self) -> None:
        """Close the windows and have Qt delete them while the QApplication still exists (left to
        Python's garbage collector, they could outlive it and be freed twice at exit). The counter's
        translator leaves the application now, not when Qt gets round to deleting the windows: until
        then a counter built after this one (a test's, the screenshots') would still be translated by it."""
        self.ctx.ops.shutdown()
        self.ctx.languages.release()
        for w in (self.hall, self.customer, self.window):
            w.close()
            w.deleteLater()


def ensure_app() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication([sys.argv[0] if sys.argv else "hpf-counter"])
    app.setApplicationName("hpf-counter")
    return app


def build_counter(services: CounterServices, *, language: str = "zh_CN", voice_engine: str | None = None,
                  voice: bool = True, filters_after_first_frame: bool = False) -> CounterApp:
    """The counter window, the hall display and the customer screen. A QApplication must exist.

    With complete services every menu screen is built here; with the pending ones of `start_counter`
    only the sign-in screen is, the others once the store is open (`CounterWindow.warm`)."""
    languages = CounterLanguages(language)
    ops = BackgroundOps()
    speaker = Voice(voice_engine, enabled=voice)
    speaker.set_language("zh_CN")  # the hall hears Chinese
    ctx = CounterContext(services, languages, ops, speaker)
    window = CounterWindow(ctx, filters_after_first_frame=filters_after_first_frame)
    for obj in (languages, ops, speaker):
        obj.setParent(window)
    if "store_opening" not in services.extras:  # the services are complete (tests, demo): every screen now
        for key in window.screens:
            window.screens[key]
    counter = CounterApp(window, HallDisplay(ctx), CustomerScreen(ctx), ctx)
    if not filters_after_first_frame:  # built outside the start-up order: collect as usual from now on
        startup_gc.resume()
    return counter


def start_counter(config: Config, *, window: str, voice_engine: str | None = None,
                  on_open: Callable[[], None] | None = None) -> tuple[CounterApp, CounterServices]:
    """The counter's start-up order, as `main()` runs it (and bench/bench_kiosk.py measures it).

    Before the first frame: the ID card reader started, then the three windows with the sign-in
    screen (shown by the caller). Right after the first frame: the idle watcher's application-wide
    event filter (see `CounterWindow`), then, on a thread of its own, the local
    store (migrated if it is older), the sync runtime and the desk (counter_app.starting; a sign-in
    waits for them). Once the store is open the hall and customer screens show the queue, the menu
    screens are built one per event-loop turn, and the printer and the document camera start on a
    thread of their own (neither is used before a clerk has signed in). `on_open`: called on the GUI
    thread once the store and sync are open. A store that cannot be opened ends the event loop with
    `counter.exit_code` (the reason on stderr)."""
    from counter_app.starting import open_store_later, pending_services

    services = pending_services(config, window)
    attach_devices(services, config, later=True)  # the reader now; the printer and camera after the first frame
    counter = build_counter(services, language=config.terminal.language, voice_engine=voice_engine, voice=False,
                            filters_after_first_frame=True)
    tasks = counter.ctx.ops.tasks

    def opened() -> None:
        counter.ctx.events.queue_changed.emit()  # the hall and customer screens read the queue now
        counter.window.signin.retranslate()
        if on_open is not None:
            on_open()
        counter.window.warm()
        attach_devices_later(services, config)  # the printer and the camera (OpenCV): after the store, not beside it

    def failed(opening: Any) -> None:
        counter.exit_code = opening.exit_code
        counter.window.signin.fail(opening.error)
        app = QApplication.instance()
        if app is not None:
            app.exit(opening.exit_code)

    def after_first_frame() -> None:
        counter.window.install_filters()  # the idle watcher (see CounterWindow)
        startup_gc.resume()  # paused by the program's entry (counter_app/__main__.py; infra.startup_gc)
        counter.ctx.voice.enabled = True  # the speech engine (the hall's call-outs); nobody is called before sign-in
        open_store_later(services, config, window, run_on_main=tasks.run_on_main, attached=opened, failed=failed)

    # two turns on: the first frame is painted and the first input handled before the workers compete for it
    QTimer.singleShot(0, counter.window, lambda: QTimer.singleShot(0, counter.window, after_first_frame))
    return counter, services


def parser() -> argparse.ArgumentParser:
    from infra.cli import base_parser  # with the production checks (argon2, cryptography)

    p = base_parser("hpf-counter", "Housing Provident Fund counter: queue, case intake, decisions")
    p.add_argument("--window", default=None,
                   help="the window number called out in the hall (default: [counter] window in the config)")
    p.add_argument("--demo", action="store_true",
                   help="start the demo: local ledger with demo members and staff, simulated devices")
    p.add_argument("--add-staff", nargs=3, metavar=("ID", "NAME", "ROLE"),
                   help="add a local staff account of a counter without central staff (role clerk|supervisor|"
                        "technician|admin; password from stdin); with a ledger, staff are `hpf-ledger staff add`")
    return p


def _add_staff(services: CounterServices, staff_id: str, name: str, role: str) -> int:
    """Add an account from the command line; the password is asked (terminal) or read from stdin."""
    import getpass

    from domain.staff import StaffRole

    if role not in {r.value for r in StaffRole}:
        roles = " / ".join(r.value for r in StaffRole)
        print(f"error: 角色须为 {roles} / the role must be one of {roles}", file=sys.stderr)
        return 2
    password = getpass.getpass("密码 Password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    try:
        services.desk.staff.add_account(staff_id, name, StaffRole(role), password)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"staff {staff_id} added ({role})")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.demo:
        try:
            from counter_app import demo
        except ImportError:  # a production bundle carries no demo (no ledger, no demo keys)
            print("本安装包不含演示 / this build has no demo: use a --demo build", file=sys.stderr)
            return 2
        return demo.main(window=args.window or "1")
    from infra.cli import config_or_exit

    config = config_or_exit(args, "hpf-counter")
    setup_logging(config.logging.level, json_lines=config.logging.json, to_file=config.logging.file)
    window = args.window or config.counter.window
    if args.add_staff:
        return _add_staff_command(config, window, args.add_staff)
    app = ensure_app()
    counter, services = start_counter(config, window=window)
    code = run(app, counter, on_exit=services.close)
    if counter.exit_code:  # the store could not be opened, or a demo password (production): said on stderr
        from infra.production import EXIT_DEMO_CREDENTIAL

        if counter.exit_code == EXIT_DEMO_CREDENTIAL:
            raise SystemExit(EXIT_DEMO_CREDENTIAL)  # as infra.production.refuse_demo_credentials ends a program
        return counter.exit_code
    return code


def _add_staff_command(config: Config, window: str, add: Sequence[str]) -> int:
    """`--add-staff`: no window; the store opened here."""
    from counter_app.services import build_services
    from sync.credentials import NotEnrolled
    from sync.runtime import SyncRuntime
    from sync.store import StoreError

    try:
        runtime = SyncRuntime.from_config(config)
    except StoreError as exc:
        print(f"{StoreError.zh} / {StoreError.en}\n{exc}", file=sys.stderr)
        return 1
    except NotEnrolled as exc:
        print(f"hpf-counter: {exc}", file=sys.stderr)
        return 1
    try:
        return _add_staff(build_services(config, runtime, window=window), *add)
    finally:
        runtime.stop()


def run(app: QApplication, counter: CounterApp, *, on_exit: object = None) -> int:
    from infra.crash import CrashHandler

    CrashHandler().install()
    counter.window.closed.connect(app.quit)
    # SIGTERM/SIGINT from the service manager: close cleanly (signs the clerk out, then quits)
    import signal  # here, not at the module's import (start-up time)

    signal.signal(signal.SIGTERM, lambda *_: counter.window.close())
    signal.signal(signal.SIGINT, lambda *_: counter.window.close())
    wake = QTimer(counter.window)  # lets Python look at signals between Qt events
    wake.timeout.connect(lambda: None)
    wake.start(500)
    counter.window.resize(1440, 900)
    counter.window.show()
    counter.hall.resize(1280, 720)
    counter.hall.show()
    counter.customer.resize(1024, 600)
    counter.customer.show()
    log.info("counter started at window %s", counter.ctx.desk.settings.window)
    code = app.exec()
    counter.close()
    if callable(on_exit):
        on_exit()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
