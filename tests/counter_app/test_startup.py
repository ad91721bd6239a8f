"""Start-up (issue 14 item 3, the counter): `start_counter` shows the sign-in with the ID card reader
started and nothing heavy imported; the local store, sync and desk open on a worker after the first
frame, and a sign-in made before they are open waits for them and then signs in from the store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from counter_app.app import start_counter
from counter_app.desk_settings import DeskSettings
from counter_app.starting import PendingDesk, StoreOpening
from domain.staff import StaffRole
from infra.config import Config, StoreSection
from sync.credentials import demo_key_path
from sync.staff_store import StaffStore
from sync.store import StoreError, open_store


def _config(folder: Path) -> Config:
    """A counter with the demo key, a ledger nobody answers at, and its store in `folder` (as the benchmark)."""
    base = Config()
    return replace(base, terminal=replace(base.terminal, id="DEMO-COUNTER-01", role="counter"),
                   ledger=replace(base.ledger, url="http://127.0.0.1:9", key_id="DEMO-COUNTER-01",
                                  key_file=str(demo_key_path("DEMO-COUNTER-01"))),
                   store=StoreSection(path=str(folder / "counter.db")))


def test_a_sign_in_before_the_store_is_open_waits_for_it_then_signs_in_from_the_store(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import counter_app.services
    from sync.runtime import SyncRuntime

    config = _config(tmp_path)
    store = open_store(Path(config.store.path))  # an account this counter's store already holds
    StaffStore(store, config.terminal.id).add_account("clerk-09", "张柜员", StaffRole.CLERK, "Clerk-2026x")
    store.close()
    release, opened = threading.Event(), threading.Event()
    real_open, real_build = SyncRuntime.from_config, counter_app.services.build_services

    def slow_open(config: Config, **kwargs: Any) -> SyncRuntime:
        opened.set()
        release.wait(30)  # the store is slow to open (a migration, a slow disk)
        return real_open(config, **kwargs)

    def local_desk(*args: Any, **kwargs: Any) -> Any:
        built = real_build(*args, **kwargs)
        built.desk.remote = None  # the store's own accounts (the centre is out of reach in this test anyway)
        return built

    monkeypatch.setattr(SyncRuntime, "from_config", staticmethod(slow_open))
    monkeypatch.setattr(counter_app.services, "build_services", local_desk)
    counter, services = start_counter(config, window="3", voice_engine="mock")
    qtbot.addWidget(counter.window)
    try:
        window, signin = counter.window, counter.window.signin
        assert isinstance(services.desk, PendingDesk) and services.runtime is None
        assert window.screens.built() == [] and services.id_reader is not None  # the reader: already started
        qtbot.waitUntil(opened.is_set, timeout=20_000)  # the worker is opening the store …
        signin.staff_id.setText("clerk-09")
        signin.password.setText("Clerk-2026x")
        signin.attempt()  # … when the clerk signs in
        qtbot.wait(300)
        assert counter.ctx.desk.account is None and not signin.submit.isEnabled()  # waiting, not refused
        assert signin.banner.text() == ""
        release.set()
        qtbot.waitUntil(lambda: counter.ctx.desk.account is not None, timeout=30_000)
        assert counter.ctx.desk.account.staff_id == "clerk-09" and services.runtime is not None
        qtbot.waitUntil(lambda: window.current == "queue", timeout=20_000)  # the clerk's first screen
        qtbot.waitUntil(lambda: not window.screens.unbuilt(), timeout=20_000)  # the rest built in the background
        assert window.menu.count() >= 2
    finally:
        release.set()
        counter.close()
        services.close()


def test_a_sign_in_waiting_for_a_store_that_cannot_open_fails_with_the_reason() -> None:
    opening = StoreOpening()
    desk = PendingDesk(DeskSettings("T", "outlet", "1"), opening)
    failures: list[BaseException] = []

    def sign_in() -> None:
        try:
            desk.sign_in("clerk-01", "whatever-1")
        except StoreError as exc:
            failures.append(exc)

    waiting = threading.Thread(target=sign_in)
    waiting.start()
    waiting.join(0.2)
    assert waiting.is_alive()  # it waits for the store …
    opening.failed(StoreError("disk full"), 1)
    waiting.join(10)
    assert [str(e) for e in failures] == ["disk full"]  # … and fails with its reason
    assert desk.account is None and desk.role is None


def test_the_store_opening_gives_the_desk_it_opened() -> None:
    opening, real = StoreOpening(), object()
    assert not opening.done
    opening.succeeded(real)
    assert opening.done and opening.wait(0.1) is real


_FIRST_TURN = """
import json, sys
from dataclasses import replace
from pathlib import Path
from PySide6.QtCore import QTimer
from infra.config import Config, StoreSection
from counter_app.app import ensure_app, start_counter
base = Config()
config = replace(base, terminal=replace(base.terminal, id="DEMO-COUNTER-01", role="counter"),
                 ledger=replace(base.ledger, url="http://127.0.0.1:9", key_id="DEMO-COUNTER-01"),
                 store=StoreSection(path=str(Path(sys.argv[1]) / "counter.db")))
app = ensure_app()
def first_turn():
    print(json.dumps({"modules": sorted(sys.modules), "reader": services.id_reader is not None,
                      "built": [s.key for s in counter.window.screens.built()]}))
    counter.close(); services.close(); app.quit()
QTimer.singleShot(0, first_turn)
counter, services = start_counter(config, window="1", voice_engine="mock")
counter.window.show(); counter.hall.show(); counter.customer.show()
app.exec()
"""

HEAVY = ("sqlalchemy", "alembic", "requests", "cryptography", "argon2", "cv2", "numpy", "PySide6.QtCharts",
         "qrcode", "escpos", "domain.catalogue", "domain.withdrawals", "sync.runtime", "sync.store",
         "counter_app.casework", "counter_app.screens.intake", "tomlkit")


def test_nothing_heavy_is_imported_before_the_counters_first_turn(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-c", _FIRST_TURN, str(tmp_path)], capture_output=True, text=True,
                         timeout=120, check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    modules = set(seen["modules"])
    assert {"counter_app.screens.signin", "hardware.idcard"} <= modules  # the probe itself works
    assert seen["reader"] and seen["built"] == []  # the reader started; no menu screen built
    assert not {m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)}


def test_the_menu_references_name_each_screen_by_its_key() -> None:
    from counter_app.screens.registry import MENU_REFS, all_screens

    assert [ref.key for ref in MENU_REFS] == [cls.key for cls in all_screens()]
    assert len({ref.key for ref in MENU_REFS}) == len(MENU_REFS)


def test_closing_while_a_sign_in_waits_for_the_store_does_not_hang(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sync.runtime import SyncRuntime

    release, opened, runtimes = threading.Event(), threading.Event(), []
    real_open = SyncRuntime.from_config

    def slow_open(config: Config, **kwargs: Any) -> SyncRuntime:
        opened.set()
        release.wait(30)
        runtimes.append(real_open(config, **kwargs))
        return runtimes[-1]

    monkeypatch.setattr(SyncRuntime, "from_config", staticmethod(slow_open))
    counter, services = start_counter(_config(tmp_path), window="3", voice_engine="mock")
    qtbot.addWidget(counter.window)
    qtbot.waitUntil(opened.is_set, timeout=20_000)
    counter.window.signin.staff_id.setText("clerk-01")
    counter.window.signin.password.setText("Clerk-2026")
    counter.window.signin.attempt()  # waits on a background lane for the store
    threading.Timer(0.5, release.set).start()  # the store opens while the GUI thread is closing
    counter.close()  # waits for the sign-in lane, which goes on once the store is open
    services.close()
    assert len(runtimes) == 1 and services.runtime is None  # opened, never attached …
    assert "opened_runtime" not in services.extras  # … and stopped by close()


def test_importing_the_counter_app_leaves_the_collector_running() -> None:
    """Only the program's entry pauses the collector (infra.startup_gc), not an import of the app."""
    code = "import gc, counter_app.app, counter_app.__main__; print(gc.isenabled())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip().splitlines()[-1] == "True"


def test_the_entry_point_pauses_the_collector_until_the_first_frame(qtbot: QtBot, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    import counter_app.app
    from counter_app import __main__ as entry

    seen: dict[str, bool] = {}

    def run(argv: Any) -> int:  # counter_app.app.main's start-up order, without its event loop
        seen["while_importing"] = gc.isenabled()
        counter, services = start_counter(_config(tmp_path), window="3", voice_engine="mock")
        qtbot.addWidget(counter.window)
        counter.window.show()
        seen["window_built"] = gc.isenabled()
        try:
            qtbot.waitUntil(gc.isenabled, timeout=20_000)  # resumed after the first frame
        finally:
            counter.close()
            services.close()
        return 7

    monkeypatch.setattr(counter_app.app, "main", run)
    assert gc.isenabled()
    assert entry.main([]) == 7
    assert seen == {"while_importing": False, "window_built": False}
    assert gc.isenabled()
