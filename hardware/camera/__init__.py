"""Document cameras (高拍仪): capture, page detection, perspective correction, deskew, JPEG and PDF.

Importing the package registers the drivers: kind "opencv" (a UVC camera through OpenCV) and
kind "simulator" (synthetic A4 pages). OpenCV and numpy load on first use (PEP 562), so the
hardware layer imports without them (the kiosk bundle has neither).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from hardware.model import Device, DeviceClass, DeviceSpec
from hardware.registry import register_driver

if TYPE_CHECKING:
    from hardware.camera.device import OpenCvDocumentCamera, PageCamera, SimulatedDocumentCamera
    from hardware.camera.output import jpeg_bytes, pdf_bytes, save_jpeg, save_pdf
    from hardware.camera.page import PageResult, deskew, find_page, order_corners, process_page, warp_page

__all__ = [
    "OpenCvDocumentCamera", "PageCamera", "PageResult", "SimulatedDocumentCamera", "deskew", "find_page",
    "jpeg_bytes", "order_corners", "pdf_bytes", "process_page", "save_jpeg", "save_pdf", "warp_page",
]
_LAZY = {
    "OpenCvDocumentCamera": "device", "PageCamera": "device", "SimulatedDocumentCamera": "device",
    "jpeg_bytes": "output", "pdf_bytes": "output", "save_jpeg": "output", "save_pdf": "output",
    "PageResult": "page", "deskew": "page", "find_page": "page", "order_corners": "page", "process_page": "page",
    "warp_page": "page",
}
NO_OPENCV = "本安装包不含 OpenCV，不能使用高拍仪 / this build has no OpenCV: no document camera"


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def _factory(spec: DeviceSpec) -> Device:
    from hardware.camera.device import OpenCvDocumentCamera, SimulatedDocumentCamera

    camera: Device = (OpenCvDocumentCamera if spec.kind == "opencv" else SimulatedDocumentCamera)(spec)
    return camera


def _options_problem(spec: DeviceSpec) -> str | None:
    try:
        from hardware.camera.device import OpenCvDocumentCamera, SimulatedDocumentCamera
    except ImportError:
        return NO_OPENCV
    factory = OpenCvDocumentCamera if spec.kind == "opencv" else SimulatedDocumentCamera
    try:
        factory(spec)  # constructors only read and check options; nothing is opened
    except (ValueError, TypeError) as exc:
        return f"bad camera option: {exc}"
    return None


register_driver(DeviceClass.CAMERA, "opencv", _factory, priority=10, supported=_options_problem,
                name="OpenCvDocumentCamera")
register_driver(DeviceClass.CAMERA, "simulator", _factory, priority=10, supported=_options_problem,
                name="SimulatedDocumentCamera")
