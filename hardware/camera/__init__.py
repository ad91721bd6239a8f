"""Document cameras (高拍仪): capture, page detection, perspective correction, deskew, JPEG and PDF.

Importing the package registers the drivers: kind "opencv" (a UVC camera through OpenCV) and
kind "simulator" (synthetic A4 pages).
"""

from __future__ import annotations

from hardware.camera.device import OpenCvDocumentCamera, PageCamera, SimulatedDocumentCamera
from hardware.camera.output import jpeg_bytes, pdf_bytes, save_jpeg, save_pdf
from hardware.camera.page import PageResult, deskew, find_page, order_corners, process_page, warp_page
from hardware.model import DeviceClass, DeviceSpec
from hardware.registry import register_driver

__all__ = [
    "OpenCvDocumentCamera", "PageCamera", "PageResult", "SimulatedDocumentCamera", "deskew", "find_page",
    "jpeg_bytes", "order_corners", "pdf_bytes", "process_page", "save_jpeg", "save_pdf", "warp_page",
]


def _options_problem(spec: DeviceSpec) -> str | None:
    factory = OpenCvDocumentCamera if spec.kind == "opencv" else SimulatedDocumentCamera
    try:
        factory(spec)  # constructors only read and check options; nothing is opened
    except (ValueError, TypeError) as exc:
        return f"bad camera option: {exc}"
    return None


register_driver(DeviceClass.CAMERA, "opencv", OpenCvDocumentCamera, priority=10, supported=_options_problem,
                name="OpenCvDocumentCamera")
register_driver(DeviceClass.CAMERA, "simulator", SimulatedDocumentCamera, priority=10, supported=_options_problem,
                name="SimulatedDocumentCamera")
