"""ID card readers driven through a vendor SDK library (ctypes), used when the library is present.

Two API styles are common (BRIEF §5):

- ``sdtapi`` (sdtapi.dll / libsdtapi.so, with WltRS for photos): ``SDT_OpenPort(port)``,
  ``SDT_StartFindIDCard``, ``SDT_SelectIDCard``, ``SDT_ReadBaseMsg`` returning the 256-byte text
  block and the 1024-byte WLT photo in caller buffers, ``SDT_ClosePort``. Return values are the
  SAM SW3 codes (0x90 / 0x9F / 0x80 ...), so the same message table applies.
- ``termb`` (termb.dll / libtermb.so): ``InitComm(port)``, ``Authenticate()``,
  ``Read_Content(2)`` (text only) return 1 on success; the text block lands in ``wz.txt`` in the
  library's output directory (``options.output_dir``, default: next to the library).

Ports: 1–16 are serial COM ports, 1001–1016 USB (``options.port``, default 1001). The library is
``options.library`` (a path) or found by name on the system. When it is missing the driver is not
offered, and the reason says which library to install.
"""

from __future__ import annotations

import ctypes
import sys
import threading
import time
from pathlib import Path
from typing import Any

from hardware.health import HealthLevel, HealthResult
from hardware.idcard.protocol import SW_FIND_OK, SW_NO_CARD, SW_OK, SamStatusError
from hardware.idcard.record import IdCardRecord
from hardware.idcard.sam_serial import CardNotRemovedError
from hardware.idcard.textblock import TEXT_BLOCK_SIZE, TextBlockError, parse_text_block
from hardware.model import (
    Availability,
    Capabilities,
    CardPresence,
    DeviceError,
    DeviceInfo,
    DeviceNotFoundError,
    DeviceSpec,
    DriverUnavailableError,
    IdCardReader,
)

LIBRARY_NAMES = {"sdtapi": ("sdtapi", "SDTAPI"), "termb": ("termb", "Termb")}
_PHOTO_SIZE = 1024


def _load(path: str) -> Any:
    loader = getattr(ctypes, "WinDLL", None) if sys.platform == "win32" else ctypes.CDLL  # stdcall on Windows
    assert loader is not None
    return loader(path)


def locate_library(flavour: str, explicit: str = "") -> str | None:
    """The path or name of the vendor library, or None when it is not on this machine."""
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in LIBRARY_NAMES.get(flavour, ()):
        import ctypes.util  # runs ldconfig/gcc through subprocess: only when a library is looked for

        found = ctypes.util.find_library(name)
        if found:
            return found
    return None


def unavailable_reason(spec: DeviceSpec) -> str | None:
    """None when the configured vendor library can be loaded, otherwise what is missing."""
    flavour = str(spec.options.get("sdk", "sdtapi"))
    if flavour not in LIBRARY_NAMES:
        return f"options.sdk = {flavour!r}: use 'sdtapi' or 'termb'"
    explicit = str(spec.options.get("library", ""))
    if locate_library(flavour, explicit) is None:
        where = explicit or f"{flavour} (lib{flavour}.so / {flavour}.dll)"
        return f"vendor library {where} not found; install the reader vendor's SDK or use kind = \"serial\""
    return None


class _SdtApi:
    """The sdtapi calls; return codes are SAM SW3 values."""

    def __init__(self, lib: Any, port: int) -> None:
        self.lib = lib
        self.port = port

    def open(self) -> int:
        return int(self.lib.SDT_OpenPort(self.port))

    def close(self) -> None:
        self.lib.SDT_ClosePort(self.port)

    def find(self) -> int:
        info = ctypes.create_string_buffer(8)
        return int(self.lib.SDT_StartFindIDCard(self.port, info, 0))

    def select(self) -> int:
        info = ctypes.create_string_buffer(8)
        return int(self.lib.SDT_SelectIDCard(self.port, info, 0))

    def read(self) -> tuple[int, bytes, bytes]:
        text = ctypes.create_string_buffer(TEXT_BLOCK_SIZE)
        photo = ctypes.create_string_buffer(_PHOTO_SIZE)
        text_len, photo_len = ctypes.c_uint(0), ctypes.c_uint(0)
        rc = int(self.lib.SDT_ReadBaseMsg(self.port, text, ctypes.byref(text_len), photo, ctypes.byref(photo_len), 0))
        return rc, text.raw[: min(text_len.value, TEXT_BLOCK_SIZE)], photo.raw[: min(photo_len.value, _PHOTO_SIZE)]


class _Termb:
    """The termb calls, translated to SW3 codes so both styles share one read loop."""

    def __init__(self, lib: Any, port: int, output_dir: Path) -> None:
        self.lib = lib
        self.port = port
        self.output_dir = output_dir

    def open(self) -> int:
        return SW_OK if int(self.lib.InitComm(self.port)) == 1 else 0x24

    def close(self) -> None:
        self.lib.CloseComm()

    def find(self) -> int:
        return SW_FIND_OK if int(self.lib.Authenticate()) == 1 else SW_NO_CARD

    def select(self) -> int:
        return SW_OK if self.find() == SW_FIND_OK else 0x81

    def read(self) -> tuple[int, bytes, bytes]:
        if int(self.lib.Read_Content(2)) != 1:
            return 0x41, b"", b""
        try:
            text = (self.output_dir / "wz.txt").read_bytes()
        except OSError:
            return 0x91, b"", b""
        try:
            photo = (self.output_dir / "xp.wlt").read_bytes()
        except OSError:
            photo = b""
        return SW_OK, text[:TEXT_BLOCK_SIZE], photo[:_PHOTO_SIZE]


class VendorSdkReader(IdCardReader):
    """An ID card reader through the vendor's library. `library` lets tests pass a stand-in."""

    _sdk_lock = threading.Lock()  # vendor libraries are rarely thread-safe

    def __init__(self, spec: DeviceSpec, library: Any = None) -> None:
        super().__init__(spec)
        self.flavour = str(spec.options.get("sdk", "sdtapi"))
        self.port = int(spec.options.get("port", 1001))
        self.poll_interval_s = float(spec.options.get("poll_interval_s", 0.1))
        self._library = library
        self._api: _SdtApi | _Termb | None = None
        self._awaiting_removal = False

    @property
    def info(self) -> DeviceInfo:
        return DeviceInfo(model=f"vendor SDK reader ({self.flavour})",
                          driver=f"{self.spec.kind}: {type(self).__name__} port {self.port}")

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(status_query=False, external_check=True, features=frozenset({"text", "photo_wlt"}))

    def _open(self) -> None:
        lib = self._library
        path = ""
        if lib is None:
            reason = unavailable_reason(self.spec)
            if reason is not None:
                raise self._report(DriverUnavailableError(reason, "未安装身份证阅读器厂商驱动",
                                                          action_zh="请安装读卡器厂商驱动或改用串口方式",
                                                          action_en="Install the vendor's SDK or use kind = serial"))
            path = locate_library(self.flavour, str(self.spec.options.get("library", ""))) or ""
            try:
                lib = _load(path)
            except OSError as exc:
                raise self._report(DriverUnavailableError(f"cannot load {path}: {exc}", "厂商驱动无法加载")) from None
        output = Path(str(self.spec.options.get("output_dir", ""))) if self.spec.options.get("output_dir") else \
            Path(path).parent
        self._api = _Termb(lib, self.port, output) if self.flavour == "termb" else _SdtApi(lib, self.port)
        with self._sdk_lock:
            rc = self._api.open()
        if rc != SW_OK:
            self._api = None
            raise self._report(DeviceNotFoundError(f"the vendor library cannot open port {self.port} (code {rc:02X})",
                                                   "找不到身份证阅读器", action_zh="请检查读卡器连线和端口设置",
                                                   action_en="Check the reader's cable and the port setting"))
        self._set_status(availability=Availability.ONLINE, card=CardPresence.UNKNOWN)

    def _close(self) -> None:
        if self._api is not None:
            with self._sdk_lock:
                self._api.close()
            self._api = None
        self._set_status(availability=Availability.OFFLINE, card=CardPresence.UNKNOWN)

    def _call(self) -> _SdtApi | _Termb:
        assert self._api is not None
        return self._api

    def read_card(self, timeout_s: float = 5.0) -> IdCardRecord | None:
        self.require_enabled("read_card")
        api = self._call()
        try:
            with self._sdk_lock:
                if self._awaiting_removal:
                    if api.select() == SW_OK:
                        raise CardNotRemovedError()
                    self._awaiting_removal = False
            deadline = time.monotonic() + timeout_s
            while True:
                with self._sdk_lock:
                    record = self._try_read(api)
                if record is not None:
                    self._awaiting_removal = True
                    self._set_status(availability=Availability.ONLINE, card=CardPresence.PRESENT)
                    self._emit_data(record)
                    return record
                if time.monotonic() + self.poll_interval_s > deadline:
                    return None
                time.sleep(self.poll_interval_s)
        except DeviceError as exc:
            raise self._report(exc) from None

    def wait_for_removal(self, timeout_s: float = 10.0) -> bool:
        self.require_enabled("wait_for_removal")
        api = self._call()
        deadline = time.monotonic() + timeout_s
        while True:
            with self._sdk_lock:
                present = api.select() == SW_OK
            if not present:
                self._awaiting_removal = False
                self._set_status(card=CardPresence.ABSENT)
                return True
            if time.monotonic() + self.poll_interval_s > deadline:
                return False
            time.sleep(self.poll_interval_s)

    def _try_read(self, api: _SdtApi | _Termb) -> IdCardRecord | None:
        rc = api.find()
        if rc == SW_NO_CARD:
            self._set_status(card=CardPresence.ABSENT)
            return None
        if rc != SW_FIND_OK:
            raise SamStatusError(rc)
        rc = api.select()
        if rc != SW_OK:
            raise SamStatusError(rc)
        rc, text, photo = api.read()
        if rc != SW_OK:
            raise SamStatusError(rc)
        if len(text) != TEXT_BLOCK_SIZE:
            raise TextBlockError(f"the library returned {len(text)} text bytes")
        return parse_text_block(text, photo)

    def _health_internal(self) -> HealthResult:
        return self._health(HealthLevel.INTERNAL, self._api is not None, "OK" if self._api else "CLOSED",
                            "厂商驱动已加载，端口已打开", "Vendor library loaded, port open")

    def _health_external(self) -> HealthResult:
        with self._sdk_lock:
            rc = self._call().find()
        if rc not in (SW_FIND_OK, SW_NO_CARD):
            error = SamStatusError(rc)
            return self._health(HealthLevel.EXTERNAL, False, error.code, error.message_zh, error.message_en)
        return self._health(HealthLevel.EXTERNAL, True, "OK", "寻卡正常", "Card search OK")
