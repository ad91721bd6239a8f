"""infra.startup_gc: the collector pauses during an app's start-up and runs again after its first frame."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from infra import startup_gc


@pytest.fixture
def collector() -> Iterator[None]:
    was = gc.isenabled()
    startup_gc.resume()
    gc.enable()
    yield
    startup_gc.resume()
    (gc.enable if was else gc.disable)()


@pytest.mark.usefixtures("collector")
def test_pause_and_resume() -> None:
    startup_gc.pause()
    assert not gc.isenabled() and startup_gc.paused()
    startup_gc.resume()
    assert gc.isenabled() and not startup_gc.paused()
    startup_gc.resume()  # a second resume changes nothing
    assert gc.isenabled()


@pytest.mark.usefixtures("collector")
def test_a_collector_someone_else_stopped_stays_theirs() -> None:
    gc.disable()
    startup_gc.pause()
    startup_gc.resume()
    assert not gc.isenabled() and not startup_gc.paused()


_PROGRAM = """
import gc, sys
from infra import startup_gc
startup_gc.pause()  # as the program's entry does (kiosk/__main__.py); importing kiosk.app alone does not
from PySide6.QtCore import QTimer
from infra.config import Config, DeviceSection, DevicesSection
from kiosk.app import ensure_app, start_kiosk
print("imported", gc.isenabled())
app = ensure_app()
config = Config(devices=DevicesSection(id_reader=DeviceSection(kind="none"), scanner=DeviceSection(kind="none")))
w = start_kiosk(config)
w.show()
QTimer.singleShot(0, lambda: print("first turn", gc.isenabled()))
QTimer.singleShot(500, lambda: (print("later", gc.isenabled()), w.shutdown(), w.ctx.services.close(), app.quit()))
app.exec()
"""


def test_the_kiosk_collects_again_after_its_first_frame() -> None:
    out = subprocess.run([sys.executable, "-c", _PROGRAM], capture_output=True, text=True, timeout=120, check=True,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}).stdout.split("\n")
    assert [line for line in out if line] == ["imported False", "first turn False", "later True"]
