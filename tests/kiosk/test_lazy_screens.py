"""Screens are built on first use: the first frame needs the home screen (and the screens its
tiles ask about), not the technician's or the receipt's; a wipe clears what was built."""

from __future__ import annotations

import subprocess
import sys

from pytestqt.qtbot import QtBot

from infra.config import Config
from kiosk.app import build_kiosk


def test_start_up_builds_only_what_the_home_screen_needs(qtbot: QtBot) -> None:
    window = build_kiosk(Config(), voice_engine="mock")
    qtbot.addWidget(window)
    built = {s.name for s in window.screens.built()}
    assert "home" in built and window.current == "home"
    assert not built & {"technician", "maintenance", "receipt", "notice", "rating"}
    assert "technician" in window.screens and len(window.screens) > len(built)  # known, not built
    window.go("rating")  # first use builds it
    assert "rating" in {s.name for s in window.screens.built()} and window.current == "rating"
    window.wipe_session("finish")
    assert window.current == "home"
    window.shutdown()


def test_the_kiosk_starts_without_importing_opencv() -> None:
    # OpenCV (~1 s to import here) comes with the camera scanner, when one is configured: not before the first frame
    code = "import sys, kiosk.app; print('cv2' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "False"
