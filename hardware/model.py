"""The device model every driver implements (UnifiedPOS lifecycle, XFS4IoT-style status).

Lifecycle (UnifiedPOS): ``open → claim → enable → disable → release → close``. `open` reaches the
device (port, socket, library); `claim` takes it for this process; `enable` starts delivering
input/accepting output. A call in the wrong state raises `StateError` with a clear message.
`close()` may be called in any state and tears down whatever is up; `release()` while enabled
disables first, as UnifiedPOS does. `start()` runs open, claim and enable in one go.

Status (XFS4IoT): one `Availability` plus media/supply states kept apart: paper, cover and card
are separate fields, and "unknown" is its own value everywhere — a status read that fails
is reported as UNKNOWN, never as OUT.

Output commands carry a command id. `Device.run_once(command_id, action)` runs the action unless
that id already completed (bounded LRU, after Odoo IoT's `action_unique_id`), so a retried print
never prints twice.

A driver subclasses one of the small per-class interfaces at the bottom (`IdCardReader`,
`CodeScanner`, `ReceiptPrinter`, `DocumentCamera`) and implements its abstract methods:

- `_open()` / `_close()`: reach and let go of the device (always);
- `_claim()` / `_release()` / `_enable()` / `_disable()`: optional hooks, default no-op;
- `_health_internal()` and `_health_external()`: return a `HealthResult` (use `self._health`);
- the class's own operations (`read_card`, `scan`, `print_receipt`, `capture`).
Register the driver with `hardware.registry.register_driver`.
"""

from __future__ import annotations

import abc
import collections
import enum
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType, TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Self

from domain.errors import UserFacingError
from hardware.events import DeviceEvent, EventBus, StatusChanged, Subscriber

if TYPE_CHECKING:
    from hardware.health import GuidedStep, HealthLevel, HealthResult
    from hardware.idcard.record import IdCardRecord
    from hardware.results import Capabilities as Capabilities
    from hardware.results import CommandResult as CommandResult
    from hardware.results import DataEvent as DataEvent
    from hardware.results import DeviceInfo as DeviceInfo
    from hardware.results import ErrorEvent as ErrorEvent
    from hardware.results import ScanResult as ScanResult


# --- classes, states, status ------------------------------------------------------------------


class DeviceClass(enum.StrEnum):
    """Device classes; the values match the config sections under `[devices]`."""

    ID_READER = "id_reader"
    SCANNER = "scanner"
    PRINTER = "printer"
    CAMERA = "camera"


class LifecycleState(enum.StrEnum):
    CLOSED = "closed"
    OPENED = "opened"
    CLAIMED = "claimed"
    ENABLED = "enabled"


class Availability(enum.StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"  # known, but not answering (cable, network)
    POWER_OFF = "power_off"
    NO_DEVICE = "no_device"  # nothing at the configured place
    HARDWARE_ERROR = "hardware_error"
    USER_ERROR = "user_error"  # something a person can fix: cover open, card left on the reader
    BUSY = "busy"


class PaperState(enum.StrEnum):
    OK = "ok"
    LOW = "low"
    OUT = "out"
    JAMMED = "jammed"
    UNKNOWN = "unknown"
    NOT_SUPPORTED = "not_supported"  # the device has no paper


class CoverState(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    UNKNOWN = "unknown"
    NOT_SUPPORTED = "not_supported"


class CardPresence(enum.StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    UNKNOWN = "unknown"
    NOT_SUPPORTED = "not_supported"


@dataclass(frozen=True)
class DeviceStatus:
    """A snapshot of a device's state; drivers change it with `Device._set_status(...)`."""

    availability: Availability = Availability.OFFLINE
    paper: PaperState = PaperState.NOT_SUPPORTED
    cover: CoverState = CoverState.NOT_SUPPORTED
    card: CardPresence = CardPresence.NOT_SUPPORTED
    detail: str = ""  # short, for technicians (English)

    def as_dict(self) -> dict[str, str]:
        return {"availability": self.availability.value, "paper": self.paper.value,
                "cover": self.cover.value, "card": self.card.value, "detail": self.detail}


@dataclass(frozen=True)
class DeviceSpec:
    """What the configuration says about one device (built by the manager from `[devices.*]`)."""

    device_class: DeviceClass
    name: str
    kind: str
    uri: str = ""
    baud: int = 115200
    options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


# --- errors -----------------------------------------------------------------------------------


# What a member or a clerk reads in English for a device problem (message_en is the technician's
# detail: byte counts, ports). Chinese messages are already written for people.
PERSON_EN: dict[str, str] = {
    "PAPER_OUT": "The printer is out of paper.", "COVER_OPEN": "The printer cover is open.",
    "PRINTER_ERROR": "The printer has a fault (paper jam or cutter).", "OFFLINE": "The device is not answering.",
    "NO_DEVICE": "The device is not connected.", "BUSY": "The device is busy.",
    "TIMEOUT": "The device did not answer in time.", "DRIVER_UNAVAILABLE": "The device's software is missing.",
    "CARD_NOT_REMOVED": "The ID card is still on the reader.", "CARD_DATA": "The ID card could not be read.",
    "CHECKSUM": "The ID card could not be read.", "FRAME_LENGTH": "The ID card could not be read.",
    "TRUNCATED_FRAME": "The ID card could not be read.", "SAM_STATUS": "The ID card could not be read.",
    "PROTOCOL_ERROR": "The ID card reader could not be understood.",
}


def _sentence(text: str, stop: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in "。.！!？?" else text + stop


class DeviceError(UserFacingError):
    """A device problem, with a stable code and what to tell a person (zh/en) and what to do.

    As a `UserFacingError` its `zh` / `en` are the person's sentences (the problem and what to do);
    `message_en` stays the technician's detail (logs, the devices screen's history)."""

    code: str = "DEVICE_ERROR"
    availability: Availability = Availability.HARDWARE_ERROR

    def __init__(self, message_en: str, message_zh: str = "设备故障", *, action_zh: str = "请联系工作人员",
                 action_en: str = "Please ask a member of staff", code: str | None = None) -> None:
        Exception.__init__(self, message_en)
        self.message_en = message_en
        self.message_zh = message_zh
        self.action_zh = action_zh
        self.action_en = action_en
        if code is not None:
            self.code = code
        self.detail = message_en
        self.zh = _sentence(message_zh, "。") + _sentence(action_zh, "。")
        self.en = _sentence(PERSON_EN.get(self.code, "The device has a fault."), ".") + " " + _sentence(action_en, ".")

    def as_event(self, device: str) -> ErrorEvent:
        from hardware.results import ErrorEvent

        return ErrorEvent(device=device, code=self.code, message_zh=self.message_zh, message_en=self.message_en,
                          action_zh=self.action_zh, action_en=self.action_en)


class StateError(DeviceError):
    """A lifecycle call in the wrong state (a programming error, not a device fault)."""

    code = "WRONG_STATE"
    availability = Availability.ONLINE


class DeviceNotFoundError(DeviceError):
    code = "NO_DEVICE"
    availability = Availability.NO_DEVICE


class DeviceOfflineError(DeviceError):
    """The device stopped answering (unplugged, cable, network)."""

    code = "OFFLINE"
    availability = Availability.OFFLINE


class DeviceBusyError(DeviceError):
    code = "BUSY"
    availability = Availability.BUSY


class DeviceUserError(DeviceError):
    """Something a person can fix: paper out, cover open, card left on the reader."""

    code = "USER_ERROR"
    availability = Availability.USER_ERROR


class DeviceTimeoutError(DeviceError):
    code = "TIMEOUT"
    availability = Availability.OFFLINE


class DriverUnavailableError(DeviceError):
    """The driver's library or package is missing on this machine."""

    code = "DRIVER_UNAVAILABLE"
    availability = Availability.NO_DEVICE


# --- output command ids -----------------------------------------------------------------------


class CommandLog:
    """Bounded LRU of completed command ids; an id in flight is refused as busy."""

    def __init__(self, capacity: int = 256) -> None:
        self._done: collections.OrderedDict[str, CommandResult] = collections.OrderedDict()
        self._in_flight: set[str] = set()
        self._capacity = capacity
        self._lock = threading.Lock()

    def __contains__(self, command_id: object) -> bool:
        with self._lock:
            return command_id in self._done

    def run_once(self, command_id: str, action: Callable[[], str]) -> CommandResult:
        """Run `action` (returning a detail text) unless `command_id` already completed.

        Only a completed action is remembered: an action that raised may be retried with the
        same id (the driver decides what a retry after a half-done job does).
        """
        if not command_id:
            raise ValueError("an output command needs a non-empty command id")
        with self._lock:
            done = self._done.get(command_id)
            if done is not None:
                self._done.move_to_end(command_id)
                return replace(done, duplicate=True)
            if command_id in self._in_flight:
                raise DeviceBusyError(f"command {command_id} is already running", "上一个操作尚未完成",
                                      action_zh="请稍候", action_en="Please wait")
            self._in_flight.add(command_id)
        from hardware.results import CommandResult

        try:
            result = CommandResult(command_id, detail=action())
        finally:
            with self._lock:
                self._in_flight.discard(command_id)
        with self._lock:
            self._done[command_id] = result
            while len(self._done) > self._capacity:
                self._done.popitem(last=False)
        return result


# --- the device base class --------------------------------------------------------------------

_NEXT = {  # lifecycle call -> (state it needs, state it leads to)
    "open": (LifecycleState.CLOSED, LifecycleState.OPENED),
    "claim": (LifecycleState.OPENED, LifecycleState.CLAIMED),
    "enable": (LifecycleState.CLAIMED, LifecycleState.ENABLED),
    "disable": (LifecycleState.ENABLED, LifecycleState.CLAIMED),
    "release": (LifecycleState.CLAIMED, LifecycleState.OPENED),
}


class Device(abc.ABC):
    """Base of every driver: lifecycle, status, events, command ids and health."""

    device_class: ClassVar[DeviceClass]

    def __init__(self, spec: DeviceSpec) -> None:
        self.spec = spec
        self.name = spec.name
        self.events = EventBus()
        self.commands = CommandLog()
        self.last_health: HealthResult | None = None
        self._state = LifecycleState.CLOSED
        self._status = self.initial_status()
        self._lock = threading.RLock()

    # -- what a driver describes about itself

    def initial_status(self) -> DeviceStatus:
        """The status before the first query; override to declare which media states apply."""
        return DeviceStatus()

    @property
    def info(self) -> DeviceInfo:
        from hardware.results import DeviceInfo

        return DeviceInfo(driver=f"{self.spec.kind}: {type(self).__name__}")

    @property
    def capabilities(self) -> Capabilities:
        from hardware.results import Capabilities

        return Capabilities()

    def interactive_steps(self) -> tuple[GuidedStep, ...]:
        """Steps of the guided (interactive) check; the diagnostics screen shows them."""
        return ()

    # -- hooks a driver implements

    @abc.abstractmethod
    def _open(self) -> None: ...

    @abc.abstractmethod
    def _close(self) -> None: ...

    def _claim(self) -> None:
        return None

    def _release(self) -> None:
        return None

    def _enable(self) -> None:
        return None

    def _disable(self) -> None:
        return None

    @abc.abstractmethod
    def _health_internal(self) -> HealthResult: ...

    @abc.abstractmethod
    def _health_external(self) -> HealthResult: ...

    # -- lifecycle

    @property
    def state(self) -> LifecycleState:
        return self._state

    def _step(self, call: str, hook: Callable[[], None]) -> None:
        needs, leads_to = _NEXT[call]
        with self._lock:
            if self._state is not needs:
                raise StateError(f"{self.name}: {call}() needs state {needs.value}, the device is {self._state.value}",
                                 "设备状态不正确", action_zh="请重新启动终端", action_en="Restart the terminal")
            hook()
            self._state = leads_to

    def open(self) -> None:
        self._step("open", self._open)

    def claim(self) -> None:
        self._step("claim", self._claim)

    def enable(self) -> None:
        self._step("enable", self._enable)

    def disable(self) -> None:
        self._step("disable", self._disable)

    def release(self) -> None:
        with self._lock:
            if self._state is LifecycleState.ENABLED:
                self.disable()
            self._step("release", self._release)

    def close(self) -> None:
        """Tear down whatever is up; safe in any state and safe to call twice."""
        with self._lock:
            try:
                if self._state is LifecycleState.ENABLED:
                    self._disable()
                if self._state in (LifecycleState.ENABLED, LifecycleState.CLAIMED):
                    self._release()
            finally:
                if self._state is not LifecycleState.CLOSED:
                    self._state = LifecycleState.CLOSED
                    self._close()

    def start(self) -> Self:
        """open + claim + enable; on failure everything opened is closed again."""
        try:
            self.open()
            self.claim()
            self.enable()
        except BaseException:
            self.close()
            raise
        return self

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def require_enabled(self, operation: str) -> None:
        if self._state is not LifecycleState.ENABLED:
            raise StateError(f"{self.name}: {operation} needs an enabled device, it is {self._state.value}",
                             "设备未启用", action_zh="请重新启动终端", action_en="Restart the terminal")

    # -- status and events

    @property
    def status(self) -> DeviceStatus:
        return self._status

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        return self.events.subscribe(callback)

    def _set_status(self, **changes: Any) -> DeviceStatus:
        """Change some status fields; emits `StatusChanged` when anything changed."""
        with self._lock:
            old = self._status
            new = replace(old, **changes)
            self._status = new
        if new != old:
            self.events.emit(StatusChanged(self.name, old, new))
        return new

    def set_availability(self, availability: Availability, detail: str = "") -> None:
        """Change the availability from outside the driver (the manager saw the device's port go)."""
        self._set_status(availability=availability, detail=detail)

    def _emit_data(self, data: object) -> None:
        from hardware.results import DataEvent

        self.events.emit(DataEvent(self.name, data))

    def _report(self, error: DeviceError) -> DeviceError:
        """Reflect an error in the status, emit an `ErrorEvent`; returns the error to re-raise."""
        if not isinstance(error, StateError):
            self._set_status(availability=error.availability, detail=str(error))
        self.events.emit(error.as_event(self.name))
        return error

    # -- output commands

    def run_once(self, command_id: str, action: Callable[[], str]) -> CommandResult:
        return self.commands.run_once(command_id, action)

    # -- health

    def _health(self, level: HealthLevel, ok: bool, code: str, text_zh: str, text_en: str,
                steps: tuple[GuidedStep, ...] = ()) -> HealthResult:
        from hardware.health import HealthResult  # (on a check's first use: see __getattr__ below)

        return HealthResult(self.name, level, ok, code, text_zh, text_en, steps=steps)

    def check_health(self, level: HealthLevel) -> HealthResult:
        """Run a health check; never raises a `DeviceError`, the result says what is wrong."""
        from hardware.health import HealthLevel

        try:
            if self._state is LifecycleState.CLOSED:
                result = self._health(level, False, "CLOSED", "设备未打开", "The device is not open")
            elif level is HealthLevel.INTERNAL:
                result = self._health_internal()
            elif level is HealthLevel.EXTERNAL:
                self.require_enabled("the external health check")
                result = self._health_external()
            else:
                result = self._health(level, True, "GUIDED", "请按步骤检查", "Follow the steps",
                                      steps=self.interactive_steps())
        except DeviceError as exc:
            result = self._health(level, False, exc.code, exc.message_zh, exc.message_en)
        self.last_health = result
        return result

    def record_health(self, result: HealthResult) -> None:
        """Keep a result decided elsewhere (the technician's verdict on an interactive check)."""
        self.last_health = result

    # -- keeping the connection

    def maintain(self) -> None:
        """Called now and then by the device manager: a driver whose port or URI failed reopens it
        here (with back-off) and refreshes a status it can read without side effect. Never raises
        a `DeviceError`; the default does nothing."""
        return None


# --- one small interface per device class -----------------------------------------------------


class IdCardReader(Device):
    """二代身份证阅读器. Emits a `DataEvent` with the `IdCardRecord` for every card read."""

    device_class = DeviceClass.ID_READER

    def initial_status(self) -> DeviceStatus:
        return DeviceStatus(card=CardPresence.UNKNOWN)

    @abc.abstractmethod
    def read_card(self, timeout_s: float = 5.0) -> IdCardRecord | None:
        """Wait up to `timeout_s` for a card and read it; None when no card came.

        Raises `DeviceUserError` (code CARD_NOT_REMOVED) when the card just read is still on the
        reader: it must leave the field before the next read.
        """

    @abc.abstractmethod
    def wait_for_removal(self, timeout_s: float = 10.0) -> bool:
        """Wait until the card just read leaves the reader; True when it did (status card ABSENT)."""


class CodeScanner(Device):
    """QR / barcode scanner. Emits a `DataEvent` with a `ScanResult` for every code read."""

    device_class = DeviceClass.SCANNER

    @abc.abstractmethod
    def scan(self, timeout_s: float = 5.0) -> ScanResult | None:
        """Wait up to `timeout_s` for one code; None when none came."""


class ReceiptPrinter(Device):
    """Receipt printer. Every print carries a command id; a repeated id prints nothing."""

    device_class = DeviceClass.PRINTER

    def initial_status(self) -> DeviceStatus:
        return DeviceStatus(paper=PaperState.UNKNOWN, cover=CoverState.UNKNOWN)

    @abc.abstractmethod
    def print_receipt(self, receipt: Any, *, command_id: str) -> CommandResult:
        """Print a receipt document (`hardware.printer`'s model) once per `command_id`.

        Raises `DeviceUserError` (paper out, cover open) or `DeviceOfflineError` when the job
        could not finish; the status says why.
        """


class DocumentCamera(Device):
    """高拍仪. `capture` returns one page image."""

    device_class = DeviceClass.CAMERA

    @abc.abstractmethod
    def capture(self, timeout_s: float = 5.0) -> Any:
        """Capture one frame: a BGR `numpy.ndarray` (H×W×3, uint8)."""


DEVICE_INTERFACES: Mapping[DeviceClass, type] = MappingProxyType({  # the abstract interface per class
    DeviceClass.ID_READER: IdCardReader,
    DeviceClass.SCANNER: CodeScanner,
    DeviceClass.PRINTER: ReceiptPrinter,
    DeviceClass.CAMERA: DocumentCamera,
})

_HEALTH_NAMES = frozenset({"GuidedStep", "HealthLevel", "HealthResult"})
_RESULT_NAMES = frozenset({"Capabilities", "CommandResult", "DataEvent", "DeviceInfo", "ErrorEvent", "ScanResult"})


def __getattr__(name: str) -> Any:
    """hardware.health's names, re-exported here, imported on first use: no health check runs before
    the kiosk's first frame (the module's dataclasses and enum cost ~10 M instructions of its start-up)."""
    if name in _HEALTH_NAMES:
        from hardware import health

        return getattr(health, name)
    if name in _RESULT_NAMES:  # hardware.results: what a device hands back, imported at its first result
        from hardware import results

        return getattr(results, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEVICE_INTERFACES", "Availability", "Capabilities", "CardPresence", "CodeScanner", "CommandLog",
    "CommandResult", "CoverState", "DataEvent", "Device", "DeviceBusyError", "DeviceClass", "DeviceError",
    "DeviceEvent", "DeviceInfo", "DeviceNotFoundError", "DeviceOfflineError", "DeviceSpec", "DeviceStatus",
    "DeviceTimeoutError", "DeviceUserError", "DocumentCamera", "DriverUnavailableError", "ErrorEvent", "GuidedStep",
    "HealthLevel", "HealthResult", "IdCardReader", "LifecycleState", "PaperState", "ReceiptPrinter", "ScanResult",
    "StateError", "StatusChanged",
]
