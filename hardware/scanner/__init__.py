"""Code scanners: camera decoding (zxing-cpp, pyzbar, OpenCV), keyboard wedge, serial; payload checks.

Importing the package registers the scanner drivers. `decode_image` is the one-call decoder used
by `hpf-diag scan --image FILE`. `[devices.scanner]` in the terminal configuration:

- kind "camera": uri = camera index, /dev/video path or stream URL; options `decoder`
  ("zxing" default, "zbar", "opencv"), `forget_s` (a code reappearing within this is the same
  scan, 1.5), `max_decode_fps` (15), `width`/`height` (1280×720);
- kind "simulator": the camera scanner on generated frames; options `seed`, `realtime`;
- kind "keyboard": a wedge scanner; no uri = keys come from the application window (ui's
  filter), uri = /dev/input/by-id/…-event-kbd for an exclusive evdev grab; options
  `terminators` (["enter"], ["tab"], [] = silence ends a code), `prefix`, `suffix`,
  `max_gap_ms` (50), `max_mean_gap_ms` (30), `min_length` (3);
- kind "serial": uri = /dev/ttyACM0, COM3 or serial:///dev/ttyUSB0?baud=9600, line-terminated.
Every kind: `max_length` (bytes, 1024), `encoding` (["utf-8"]; add "gb18030" for GBK scanners),
`patterns` (regexes a code must match whole), `aim_ids` (true: strip "]Q1"-style symbology ids).

The camera side (OpenCV, the decoders, the frame simulator) is imported only when it is used:
a terminal with a serial or keyboard scanner never loads OpenCV.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hardware.model import DeviceClass, DeviceSpec
from hardware.registry import deferred_factory, register_driver

if TYPE_CHECKING:
    from hardware.scanner.base import QueueingScanner, split_aim
    from hardware.scanner.camera_scan import CameraScanner, Deduplicator, OpenCvFrameSource
    from hardware.scanner.codes import DecodedCode, normalize_format
    from hardware.scanner.decoders import (
        DECODERS,
        DEFAULT_DECODER,
        Decoder,
        DecoderUnavailableError,
        ImageError,
        decode_image,
        get_decoder,
    )
    from hardware.scanner.payload import InvalidPayloadError, PayloadRules, check_payload
    from hardware.scanner.serial_scanner import LineAssembler, SerialScanner
    from hardware.scanner.simulator import SimulatedFrameSource, SimulatedScanner
    from hardware.scanner.wedge import WedgeConfig, WedgeDecoder, looks_scanned
    from hardware.scanner.wedge_scanner import WedgeScanner

__all__ = [
    "DECODERS", "DEFAULT_DECODER", "CameraScanner", "DecodedCode", "Decoder", "DecoderUnavailableError",
    "Deduplicator", "ImageError", "InvalidPayloadError", "LineAssembler", "OpenCvFrameSource", "PayloadRules",
    "QueueingScanner", "SerialScanner", "SimulatedFrameSource", "SimulatedScanner", "WedgeConfig",
    "WedgeDecoder", "WedgeScanner", "check_payload", "decode_image", "get_decoder", "looks_scanned",
    "normalize_format", "split_aim",
]

# Camera decoding needs OpenCV and numpy, which the kiosk bundle leaves out (its scanner is a
# hardware scan engine: serial or keyboard wedge). Those names load on first use (PEP 562), so
# importing the hardware layer never needs cv2. The other drivers' names load on first use too:
# the lobby kiosk's keyboard-wedge filter imports `hardware.scanner.wedge` before its first frame
# and needs none of the others (start-up time).
_LAZY = {
    "QueueingScanner": "base", "option_float": "base", "split_aim": "base",
    "DecodedCode": "codes", "normalize_format": "codes",
    "InvalidPayloadError": "payload", "PayloadRules": "payload", "check_payload": "payload",
    "LineAssembler": "serial_scanner", "SerialScanner": "serial_scanner",
    "WedgeConfig": "wedge", "WedgeDecoder": "wedge", "looks_scanned": "wedge",
    "WedgeScanner": "wedge_scanner", "evdev_unavailable_reason": "wedge_scanner",
    "CameraScanner": "camera_scan", "Deduplicator": "camera_scan", "OpenCvFrameSource": "camera_scan",
    "DECODERS": "decoders", "DEFAULT_DECODER": "decoders", "Decoder": "decoders",
    "DecoderUnavailableError": "decoders", "ImageError": "decoders", "decode_image": "decoders",
    "get_decoder": "decoders", "SimulatedFrameSource": "simulator", "SimulatedScanner": "simulator",
}
NO_OPENCV = ("本安装包不含 OpenCV，不能用摄像头扫码；请使用串口或键盘式扫码器 / this build has no OpenCV (camera "
             "decoding): use a serial or keyboard-wedge scanner")


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def _options_problem(spec: DeviceSpec) -> str | None:
    """A bad option in `[devices.scanner.options]`, as a reason the driver cannot take the device."""
    from hardware.scanner.payload import PayloadRules
    from hardware.scanner.wedge import WedgeConfig

    try:
        PayloadRules.from_options(spec.options)
        if spec.kind == "keyboard":
            WedgeConfig.from_options(spec.options)
    except (ValueError, TypeError) as exc:
        return f"bad scanner option: {exc}"
    return None


def _camera_supported(spec: DeviceSpec) -> str | None:
    try:
        from hardware.scanner.decoders import DecoderUnavailableError, get_decoder
    except ImportError:
        return NO_OPENCV
    try:
        get_decoder(spec.options.get("decoder"))
    except DecoderUnavailableError as exc:
        return str(exc)
    from hardware.scanner.base import option_float

    opts = spec.options
    try:
        option_float(opts, "forget_s", 1.5, 0.1, 60)
        option_float(opts, "max_decode_fps", 15.0, 1.0, 120.0)
        for key in ("width", "height", "seed"):
            value = opts.get(key, 1)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{key} = {value!r}: must be a whole number")
    except ValueError as exc:
        return f"bad scanner option: {exc}"
    return _options_problem(spec)


def _serial_supported(spec: DeviceSpec) -> str | None:
    if not spec.uri:
        return "no serial port set (devices.scanner.uri, e.g. /dev/ttyACM0 or COM3)"
    return _options_problem(spec)


def _keyboard_supported(spec: DeviceSpec) -> str | None:
    from hardware.scanner.wedge_scanner import evdev_unavailable_reason

    if spec.uri:
        reason = evdev_unavailable_reason()
        if reason:
            return reason
    return _options_problem(spec)


_DRIVERS: tuple[tuple[str, str, str, Callable[[DeviceSpec], str | None]], ...] = (
    ("camera", "camera_scan", "CameraScanner", _camera_supported),
    ("simulator", "simulator", "SimulatedScanner", _camera_supported),
    ("serial", "serial_scanner", "SerialScanner", _serial_supported),
    ("keyboard", "wedge_scanner", "WedgeScanner", _keyboard_supported),
)

for _kind, _module, _name, _check in _DRIVERS:
    register_driver(DeviceClass.SCANNER, _kind, deferred_factory(f"{__name__}.{_module}", _name), priority=10,
                    supported=_check, name=_name)
