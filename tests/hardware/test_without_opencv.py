"""The kiosk bundle has no OpenCV and no numpy: the hardware layer (and the kiosk) must import
without them, the scan-engine drivers must work, and a camera device must say why it cannot."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = r"""
import importlib.abc, json, sys

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in ("cv2", "numpy"):
            raise ImportError(f"No module named {name!r} (not in this build)")
        return None

sys.meta_path.insert(0, Block())
from hardware import registry
from hardware.model import DeviceClass, DeviceSpec
errors = registry.load_builtin_drivers()
import kiosk.app, kiosk.wiring, ui.wedge, hardware.diag  # the kiosk's own import chain
out = {"errors": errors,
       "serial": registry.supported(DeviceSpec(DeviceClass.SCANNER, "scanner", "serial", uri="/dev/ttyACM0")),
       "keyboard": registry.supported(DeviceSpec(DeviceClass.SCANNER, "scanner", "keyboard")),
       "camera": registry.supported(DeviceSpec(DeviceClass.SCANNER, "scanner", "camera", uri="0")),
       "document": registry.supported(DeviceSpec(DeviceClass.CAMERA, "camera", "opencv", uri="0")),
       "loaded": sorted(m for m in sys.modules if m.split(".")[0] in ("cv2", "numpy"))}
print(json.dumps(out, ensure_ascii=False))
"""


def test_the_hardware_layer_and_the_kiosk_import_without_opencv_or_numpy() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["errors"] == {} and out["loaded"] == []
    assert out["serial"] is None and out["keyboard"] is None  # hardware scan engines need no OpenCV
    assert "this build has no OpenCV" in out["camera"] and "本安装包不含 OpenCV" in out["camera"]
    assert "no document camera" in out["document"]


def test_the_camera_names_still_load_on_first_use_where_opencv_is_installed() -> None:
    import hardware.camera
    import hardware.scanner

    assert hardware.scanner.CameraScanner.__name__ == "CameraScanner"
    assert callable(hardware.scanner.decode_image) and hardware.camera.deskew.__module__ == "hardware.camera.page"
    try:
        hardware.scanner.NoSuchThing  # noqa: B018
    except AttributeError as exc:
        assert "NoSuchThing" in str(exc)
    else:
        raise AssertionError("unknown names must still raise AttributeError")
