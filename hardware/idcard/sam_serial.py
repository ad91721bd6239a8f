"""Driver for SAM ID card readers on a serial port (pyserial), protocol in `protocol.py`.

Reading a card is find (20 01) → select (20 02) → read (30 01). Damaged, truncated or unanswered
frames are retried (`options.retries`, default 2); status codes become `SamStatusError`s with
the zh/en message from the SW3 table. After a read the card must leave the field: the next
`read_card` raises `DeviceUserError` CARD_NOT_REMOVED while it is still there.

The card's text block and photo never reach a log line.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import serial

from hardware.backoff import Backoff
from hardware.idcard.protocol import (
    SW_FIND_OK,
    SW_NO_CARD,
    SW_OK,
    Command,
    FrameDecoder,
    ProtocolError,
    Response,
    SamStatusError,
    build_request,
    parse_response,
)
from hardware.model import (
    Availability,
    CardPresence,
    DeviceBusyError,
    DeviceError,
    DeviceNotFoundError,
    DeviceOfflineError,
    DeviceSpec,
    DeviceUserError,
    IdCardReader,
    LifecycleState,
)
from infra.logs import get_logger

if TYPE_CHECKING:
    from hardware.health import GuidedStep, HealthResult
    from hardware.idcard.record import IdCardRecord
    from hardware.results import Capabilities, DeviceInfo

log = get_logger("hardware")

_RESEND_SW3 = (0x10, 0x11)  # the reader says our request arrived damaged: send it again


def _io_errors() -> tuple[type[Exception], ...]:
    """What a vanished port raises: pyserial's and the OS's errors, and termios' on POSIX (not an OSError)."""
    errors: tuple[type[Exception], ...] = (serial.SerialException, OSError)
    try:
        import termios
    except ImportError:  # Windows
        return errors
    return (*errors, termios.error)


_IO_ERRORS = _io_errors()
# pyserial raises TypeError when the port is closed under it by another thread
_READ_ERRORS: tuple[type[Exception], ...] = (*_IO_ERRORS, TypeError)


def port_from_uri(uri: str) -> tuple[str, int | None]:
    """`/dev/ttyUSB0`, `COM3` or `serial:///dev/ttyUSB0?baud=115200` -> (port, baud or None)."""
    if not uri.startswith("serial:"):
        return uri, None
    parts = urlsplit(uri)
    baud = parse_qs(parts.query).get("baud", [""])[0]
    port = parts.path if not parts.netloc else parts.netloc + parts.path
    return port, int(baud) if baud.isdigit() else None


class CardNotRemovedError(DeviceUserError):
    code = "CARD_NOT_REMOVED"

    def __init__(self) -> None:
        super().__init__("the card just read is still on the reader", "请先取走身份证",
                         action_zh="请取走身份证后重新放置", action_en="Remove the card, then place it again")


class PortLostError(DeviceOfflineError):
    """The port itself failed (cable pulled, adapter gone): the driver reopens it with back-off."""

    code = "OFFLINE"  # the stable code scripts know; the class tells a lost port from a silent reader


def _disconnected(exc: Exception) -> PortLostError:
    return PortLostError(f"ID card reader disconnected: {exc}", "身份证阅读器连接已断开，正在重新连接",
                         action_zh="请检查读卡器连线，插好后会自动恢复",
                         action_en="Check the reader's cable; it reconnects by itself once plugged in")


class SamSerialReader(IdCardReader):
    """A SAM reader on a serial port. Options: retries, answer_timeout_s, poll_interval_s."""

    def __init__(self, spec: DeviceSpec) -> None:
        super().__init__(spec)
        port, baud = port_from_uri(spec.uri)
        self.port = port
        self.baud = baud or spec.baud
        options = spec.options
        self.retries = int(options.get("retries", 2))
        self.answer_timeout_s = float(options.get("answer_timeout_s", 1.0))
        self.poll_interval_s = float(options.get("poll_interval_s", 0.1))
        self._serial: serial.Serial | None = None
        self._sam_id = ""
        self._awaiting_removal = False
        # One conversation at a time: a health check must not slip between find, select and read.
        self._io_lock = threading.RLock()
        self._lost = False  # the port failed while the device was in use: reopen it before talking
        self.reconnect = Backoff(float(options.get("reconnect_first_s", 0.5)),
                                 float(options.get("reconnect_max_s", 10.0)))

    # -- description

    @property
    def info(self) -> DeviceInfo:
        from hardware.results import DeviceInfo  # (hardware.results: at the first description, for diagnostics)

        return DeviceInfo(model="SAM serial ID card reader", serial=self._sam_id,
                          driver=f"{self.spec.kind}: {type(self).__name__} on {self.port} @ {self.baud}")

    @property
    def capabilities(self) -> Capabilities:
        from hardware.results import Capabilities

        return Capabilities(status_query=True, external_check=True, features=frozenset({"text", "photo_wlt"}))

    def interactive_steps(self) -> tuple[GuidedStep, ...]:
        from hardware.health import GuidedStep  # (hardware.health waits for the first check)

        return (
            GuidedStep("把一张身份证放在感应区", "Place an ID card on the reader",
                       "屏幕显示遮挡后的姓名和证件号", "The screen shows the masked name and number"),
            GuidedStep("取走身份证", "Remove the card", "屏幕显示“未放卡”", "The screen shows 'no card'"),
            GuidedStep("再次放置同一张身份证", "Place the same card again", "再次读卡成功", "The card is read again"),
        )

    # -- lifecycle hooks

    def _open(self) -> None:
        self._lost = False
        self.reconnect.succeeded()
        self._open_port()
        self._set_status(availability=Availability.ONLINE, detail="")

    def _open_port(self) -> None:
        """Open the configured port and make sure a SAM reader answers there."""
        try:
            # exclusive: a second program on the same port would steal half of every answer (POSIX flock)
            self._serial = serial.Serial(self.port, self.baud, timeout=0.02, write_timeout=1.0, exclusive=True)
        except (serial.SerialException, OSError, ValueError) as exc:
            if "exclusive" in str(exc).lower():
                busy = DeviceBusyError(f"{self.port} is in use by another program", "读卡器正被其他程序占用",
                                       action_zh="请关闭占用读卡器的程序",
                                       action_en="Close the other program using the reader")
                raise self._report(busy) from None
            raise self._report(DeviceNotFoundError(f"cannot open {self.port}: {exc}", "找不到身份证阅读器",
                                                   action_zh="请检查读卡器连线和端口设置",
                                                   action_en="Check the reader's cable and the port setting")) from None
        try:
            self._expect(Command.SAM_STATUS, SW_OK)
            self._sam_id = self._expect(Command.SAM_ID, SW_OK).data.hex().upper()
        except DeviceError as exc:
            self._close()
            raise self._report(DeviceNotFoundError(f"no SAM reader answers on {self.port}: {exc}",
                                                   "端口上没有应答的身份证阅读器",
                                                   action_zh="请检查端口和波特率",
                                                   action_en="Check the port and baud rate")) from None

    def _close(self) -> None:
        self._close_port()
        self._lost = False
        self._set_status(availability=Availability.OFFLINE, card=CardPresence.UNKNOWN)

    def _close_port(self) -> None:
        if self._serial is not None:
            try:
                self._serial.close()
            except (serial.SerialException, OSError):
                pass
            self._serial = None

    # -- reconnecting

    def _port_lost(self, error: PortLostError) -> None:
        """The port failed under us: let it go, say "reconnecting", and reopen it later."""
        self._close_port()
        if not self._lost:
            self._lost = True
            log.info("ID reader %s lost its port %s; reconnecting", self.name, self.port)
        self._set_status(availability=Availability.OFFLINE, card=CardPresence.UNKNOWN,
                         detail=f"reconnecting: {error.message_en}")

    def _reconnect_if_due(self) -> None:
        """Reopen the configured port when the back-off allows; raises while it is still gone."""
        if not self._lost:
            return
        if not self.reconnect.due():
            raise PortLostError(f"ID card reader disconnected; reconnecting to {self.port}",
                                "身份证阅读器连接已断开，正在重新连接",
                                action_zh="请检查读卡器连线，插好后会自动恢复",
                                action_en="Check the reader's cable; it reconnects by itself once plugged in")
        try:
            self._lost = False  # let _open_port's own requests through
            self._open_port()
        except DeviceError as exc:
            self._lost = True
            self._close_port()
            wait = self.reconnect.failed()
            self._set_status(availability=Availability.OFFLINE, card=CardPresence.UNKNOWN,
                             detail=f"reconnecting (next try in {wait:.1f} s): {exc.message_en}")
            raise PortLostError(f"ID card reader still disconnected: {exc.message_en}",
                                "身份证阅读器连接已断开，正在重新连接",
                                action_zh="请检查读卡器连线，插好后会自动恢复",
                                action_en="Check the reader's cable; it reconnects by itself once plugged in") from None
        self.reconnect.succeeded()
        self._awaiting_removal = False
        log.info("ID reader %s reconnected on %s", self.name, self.port)
        self._set_status(availability=Availability.ONLINE, card=CardPresence.UNKNOWN, detail="")

    def _report(self, error: DeviceError) -> DeviceError:
        super()._report(error)
        if isinstance(error, PortLostError) and self._lost and not self.status.detail.startswith("reconnecting"):
            self._set_status(detail=f"reconnecting: {error.message_en}")
        return error

    def maintain(self) -> None:
        if self._state is not LifecycleState.ENABLED or not self._lost:
            return
        if not self._io_lock.acquire(timeout=0.1):
            return  # a read is under way: it reconnects by itself
        try:
            self._reconnect_if_due()
        except DeviceError:
            pass
        finally:
            self._io_lock.release()

    # -- protocol

    def _write(self, frame: bytes) -> None:
        if self._serial is None:
            raise _disconnected(RuntimeError("port is closed"))
        try:
            self._serial.reset_input_buffer()
            self._serial.write(frame)
        except _IO_ERRORS as exc:
            raise _disconnected(exc) from None

    def _read_frame(self) -> bytes | None:
        """One response body, or None when nothing came within the answer timeout."""
        assert self._serial is not None
        decoder = FrameDecoder()
        deadline = time.monotonic() + self.answer_timeout_s
        while time.monotonic() < deadline:
            try:
                chunk = self._serial.read(max(1, self._serial.in_waiting))
            except _READ_ERRORS as exc:
                raise _disconnected(exc) from None
            if chunk:
                decoder.feed(chunk)
                body = decoder.next_body()
                if body is not None:
                    return body
        truncated = decoder.truncated()
        if truncated is not None:
            raise truncated
        return None

    def transact(self, command: Command, data: bytes = b"") -> Response:
        """Send one request and return its answer, retrying damaged, cut or missing answers.

        When the port failed earlier it is reopened first (with back-off); when it fails now the
        reader is marked "reconnecting" and the error raised."""
        with self._io_lock:
            self._reconnect_if_due()
            try:
                return self._transact(command, data)
            except PortLostError as exc:
                if self._state is not LifecycleState.CLOSED:  # not while opening: open() reports that
                    self._port_lost(exc)
                raise

    def _transact(self, command: Command, data: bytes) -> Response:
        last: DeviceError | None = None
        for _attempt in range(self.retries + 1):
            self._write(build_request(command, data))
            try:
                body = self._read_frame()
                response = parse_response(body) if body is not None else None
            except ProtocolError as exc:
                last = exc
                log.info("ID reader %s: %s; retrying %s", self.name, exc, command.name)
                continue
            if response is None:
                last = DeviceOfflineError(f"no answer to {command.name} within {self.answer_timeout_s:.1f} s",
                                          "身份证阅读器无应答", action_zh="请检查读卡器电源和连线",
                                          action_en="Check the reader's power and cable")
                continue
            if response.sw3 in _RESEND_SW3:
                last = SamStatusError(response.sw3, command)
                continue
            return response
        assert last is not None
        raise last

    def _expect(self, command: Command, sw3: int) -> Response:
        response = self.transact(command)
        if response.sw3 != sw3:
            raise SamStatusError(response.sw3, command)
        return response

    # -- reading cards

    def read_card(self, timeout_s: float = 5.0) -> IdCardRecord | None:
        self.require_enabled("read_card")
        try:
            if self._awaiting_removal and self._card_still_there():
                raise CardNotRemovedError()
            deadline = time.monotonic() + timeout_s
            while True:
                with self._io_lock:
                    record = self._try_read()
                if record is not None:
                    self._awaiting_removal = True
                    self._set_status(availability=Availability.ONLINE, card=CardPresence.PRESENT, detail="")
                    self._emit_data(record)
                    return record
                if time.monotonic() + self.poll_interval_s > deadline:
                    return None
                time.sleep(self.poll_interval_s)
        except DeviceError as exc:
            if isinstance(exc, DeviceOfflineError):
                self._set_status(card=CardPresence.UNKNOWN)
            raise self._report(exc) from None

    def wait_for_removal(self, timeout_s: float = 10.0) -> bool:
        """Wait until the card just read leaves the field; True when it did."""
        self.require_enabled("wait_for_removal")
        deadline = time.monotonic() + timeout_s
        try:
            while self._card_still_there():
                if time.monotonic() + self.poll_interval_s > deadline:
                    return False
                time.sleep(self.poll_interval_s)
        except DeviceError as exc:
            raise self._report(exc) from None
        return True

    def _card_still_there(self) -> bool:
        present = self.transact(Command.SELECT_CARD).sw3 == SW_OK
        if not present:
            self._awaiting_removal = False
        self._set_status(card=CardPresence.PRESENT if present else CardPresence.ABSENT)
        return present

    def _try_read(self) -> IdCardRecord | None:
        """One find/select/read round; None when no card is on the reader."""
        found = self.transact(Command.FIND_CARD)
        if found.sw3 == SW_NO_CARD:
            self._set_status(availability=Availability.ONLINE, card=CardPresence.ABSENT)
            return None
        if found.sw3 != SW_FIND_OK:
            raise SamStatusError(found.sw3, Command.FIND_CARD)
        self._set_status(card=CardPresence.PRESENT)
        self._expect(Command.SELECT_CARD, SW_OK)
        # the card-text parser (and the identity rules it checks with) is imported at the first card,
        # not when the driver is: the reader listens before the kiosk's first frame
        from hardware.idcard.textblock import TextBlockError

        last: DeviceError | None = None
        for _attempt in range(self.retries + 1):
            try:
                return self._read_selected()
            except (SamStatusError, TextBlockError) as exc:
                last = exc  # a moving card gives 41 or a garbled block; read it again while selected
        assert last is not None
        raise last

    def _read_selected(self) -> IdCardRecord:
        from hardware.idcard.textblock import TEXT_BLOCK_SIZE, TextBlockError, parse_text_block

        response = self._expect(Command.READ_TEXT_PHOTO, SW_OK)
        data = response.data
        if len(data) < 4:
            raise TextBlockError(f"read answer has only {len(data)} bytes")
        text_len = int.from_bytes(data[0:2], "big")
        photo_len = int.from_bytes(data[2:4], "big")
        if text_len != TEXT_BLOCK_SIZE or len(data) < 4 + text_len + photo_len:
            raise TextBlockError(f"read answer lengths do not add up (text {text_len}, photo {photo_len})")
        text = data[4:4 + text_len]
        photo = data[4 + text_len:4 + text_len + photo_len]
        return parse_text_block(text, photo)

    # -- health

    def _health_internal(self) -> HealthResult:
        from hardware.health import HealthLevel

        response = self.transact(Command.SAM_STATUS)
        if response.sw3 != SW_OK:
            error = SamStatusError(response.sw3, Command.SAM_STATUS)
            return self._health(HealthLevel.INTERNAL, False, error.code, error.message_zh, error.message_en)
        self._set_status(availability=Availability.ONLINE)
        return self._health(HealthLevel.INTERNAL, True, "OK", "身份证阅读器正常", "ID card reader OK")

    def _health_external(self) -> HealthResult:
        from hardware.health import HealthLevel

        self._expect(Command.SAM_STATUS, SW_OK)
        found = self.transact(Command.FIND_CARD)
        if found.sw3 not in (SW_FIND_OK, SW_NO_CARD):
            error = SamStatusError(found.sw3, Command.FIND_CARD)
            return self._health(HealthLevel.EXTERNAL, False, error.code, error.message_zh, error.message_en)
        card_zh, card_en = ("感应区有卡", "a card is in the field") if found.sw3 == SW_FIND_OK else \
            ("感应区无卡", "no card in the field")
        return self._health(HealthLevel.EXTERNAL, True, "OK", f"SAM模块和寻卡正常，{card_zh}",
                            f"SAM and card search OK, {card_en}")
