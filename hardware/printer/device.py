"""The ESC/POS receipt printer behind HPF's `ReceiptPrinter` interface.

A print job is the receipt's blocks (one per element, see `render`). After each block the
printer is asked for its real-time status (DLE EOT 2 and 4); a block counts as printed in full
when the printer then still reports paper and a closed cover. So when the paper runs out, the
cover opens or the printer stops answering halfway, the error raised carries a `JobProgress`
that says exactly how many elements are on paper, and a retry with the same command id resumes
after them (under a "continued" line) instead of printing them again. A finished job is
remembered by the command log, so its retry prints nothing at all.

A printer that never answers status (a device file, a Windows queue, a printer without a back
channel) is not blocked: its jobs print unconfirmed, which the result says.

Real printers answer DLE EOT at once, even while earlier bytes wait in their buffer; the wait for
that answer after every block keeps at most one block in flight, which is the limit of what the
protocol can confirm.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Self

from hardware.backoff import Backoff
from hardware.health import GuidedStep, HealthLevel, HealthResult
from hardware.model import (
    Availability,
    Capabilities,
    CommandResult,
    CoverState,
    DeviceError,
    DeviceInfo,
    DeviceNotFoundError,
    DeviceOfflineError,
    DeviceSpec,
    DeviceUserError,
    LifecycleState,
    PaperState,
    ReceiptPrinter,
)
from hardware.printer import commands
from hardware.printer.profile import PrinterProfile, get_profile
from hardware.printer.receipt import Align, Receipt, Style, Text
from hardware.printer.render import Block, PrintData, render
from hardware.printer.status import StatusReading
from hardware.printer.transport import Transport, TransportError, parse_uri, transport_for
from infra.logs import get_logger

log = get_logger("hardware")

DEFAULT_STATUS_TIMEOUT_S = 1.0
STATUS_REQUESTS = (1, 2, 3, 4)  # printer, offline cause, error cause, roll paper sensor
PROGRESS_CAPACITY = 256


@dataclass(frozen=True)
class JobProgress:
    """How far one print job got. `printed` elements are on paper in full."""

    command_id: str
    title: str
    total: int
    printed: int
    confirmed: bool  # False: the printer could not be asked (no back channel); sent, not confirmed
    resumed_from: int = 0  # elements printed by earlier attempts with the same command id
    stopped_at: str = ""  # the element that did not finish, e.g. "14 qrcode"

    @property
    def complete(self) -> bool:
        return self.printed == self.total

    def describe(self) -> str:
        text = f"{self.printed}/{self.total} elements printed"
        if self.resumed_from:
            text += f" (resumed after {self.resumed_from})"
        if self.stopped_at:
            text += f", stopped at element {self.stopped_at}"
        if not self.confirmed:
            text += ", not confirmed by the printer (no status answer)"
        return text


class PrintStoppedMixin:
    progress: JobProgress


class PaperOutError(DeviceUserError, PrintStoppedMixin):
    code = "PAPER_OUT"


class CoverOpenError(DeviceUserError, PrintStoppedMixin):
    code = "COVER_OPEN"


class PrinterFaultError(DeviceError, PrintStoppedMixin):
    code = "PRINTER_ERROR"


class PrinterNotAnsweringError(DeviceOfflineError, PrintStoppedMixin):
    code = "OFFLINE"


def _stopped(reading: StatusReading | None, progress: JobProgress) -> DeviceError:
    where = progress.describe()
    error: DeviceError
    if reading is None:
        error = PrinterNotAnsweringError(
            f"the printer stopped answering: {where}", f"打印机无响应，已打印 {progress.printed}/{progress.total} 项",
            action_zh="请检查打印机电源和连线，然后重试", action_en="Check the printer's power and cable, then retry")
    elif reading.paper is PaperState.OUT:
        error = PaperOutError(
            f"the printer is out of paper: {where}", f"打印机缺纸，已打印 {progress.printed}/{progress.total} 项",
            action_zh="请工作人员更换纸卷后重试", action_en="Ask a member of staff to load paper, then retry")
    elif reading.cover is CoverState.OPEN:
        error = CoverOpenError(
            f"the printer cover is open: {where}", f"打印机盖未关闭，已打印 {progress.printed}/{progress.total} 项",
            action_zh="请合上打印机盖后重试", action_en="Close the printer cover, then retry")
    else:
        error = PrinterFaultError(
            f"the printer reports an error (paper jam or cutter): {where}", "打印机故障（卡纸或切刀）",
            action_zh="请联系工作人员", action_en="Please ask a member of staff")
    error.progress = progress
    return error


class EscposPrinter(ReceiptPrinter):
    """An ESC/POS printer reached through a URI (tcp, serial, usb, file, win32).

    `spec.options`: `profile` (name in resources/printer/profiles.toml), `mode` ("raster" or
    "text", overrides the profile's), `status_timeout_s` (how long to wait for a status byte).
    """

    def __init__(self, spec: DeviceSpec, transport: Transport | None = None) -> None:
        super().__init__(spec)
        options = dict(spec.options)
        try:
            self.profile: PrinterProfile = get_profile(options.get("profile") or None)
            if options.get("mode"):
                if options["mode"] not in ("raster", "text"):
                    raise ValueError(f"mode {options['mode']!r}: use raster or text")
                self.profile = self.profile.with_mode(options["mode"])
            self.status_timeout_s = float(options.get("status_timeout_s", DEFAULT_STATUS_TIMEOUT_S))
        except (ValueError, TypeError) as exc:
            raise DeviceError(f"{spec.name}: bad printer options: {exc}", "打印机配置错误",
                              action_zh="请检查终端配置", action_en="Check the terminal configuration",
                              code="BAD_CONFIG") from None
        self._transport = transport
        self._connected = False
        self._job_lock = threading.Lock()
        self._progress: OrderedDict[str, int] = OrderedDict()  # command id -> elements printed in full
        self._has_answered = False  # this printer answered DLE EOT since it was opened
        self.last_job: JobProgress | None = None
        self.reconnect = Backoff(float(options.get("reconnect_first_s", 0.5)),
                                 float(options.get("reconnect_max_s", 10.0)))

    # ---- description

    @property
    def info(self) -> DeviceInfo:
        return DeviceInfo(model=self.profile.description, driver=f"{self.spec.kind}: {type(self).__name__}")

    @property
    def capabilities(self) -> Capabilities:
        features = {"cut", "qr", "barcode", "image", "cjk", self.profile.mode}
        return Capabilities(status_query=self._answers_status(), external_check=True, features=frozenset(features),
                            limits={"dots": self.profile.dot_width, "columns": self.profile.columns})

    def interactive_steps(self) -> tuple[GuidedStep, ...]:
        return (
            GuidedStep("打印测试页", "Print the test page", "中文与英文清晰，无方框或乱码",
                       "Chinese and English are legible, no boxes or garbage"),
            GuidedStep("检查切纸", "Check the cut", "小票切断整齐", "The receipt is cut cleanly"),
            GuidedStep("用手机扫描测试页二维码", "Scan the test page's QR code with a phone", "显示 HPF-PRINT-TEST",
                       "It reads HPF-PRINT-TEST"),
        )

    def _answers_status(self) -> bool:
        return self.profile.status and self._transport is not None and self._transport.can_read

    # ---- lifecycle

    def _open(self) -> None:
        if self._transport is None:
            try:
                self._transport = transport_for(parse_uri(self.spec.uri), escpos_profile=self.profile.escpos_profile)
            except ValueError as exc:
                raise DeviceNotFoundError(str(exc), "打印机地址配置错误", action_zh="请检查终端配置",
                                          action_en="Check the terminal configuration") from None
        self._connect()

    def _connect(self) -> None:
        assert self._transport is not None
        try:
            self._transport.open()
        except TransportError as exc:
            self._connected = False
            raise self._report(DeviceNotFoundError(
                f"cannot reach the printer at {self.spec.uri}: {exc}", "无法连接打印机",
                action_zh="请检查打印机电源和连线", action_en="Check the printer's power and cable")) from None
        self._connected = True
        self.refresh_status()

    def maintain(self) -> None:
        """Reconnect a lost printer (with back-off) or re-read the status of a connected one, so a
        printer that went silent or away shows "reconnecting" and comes back without a restart."""
        if self.state is not LifecycleState.ENABLED or not self._job_lock.acquire(blocking=False):
            return  # a job is printing: it reads the status itself
        try:
            if self._connected:
                self.refresh_status()
                if not self._connected:  # the read found the connection dead
                    self._set_status(detail="reconnecting")
                return
            if not self.reconnect.due():
                return
            if self._transport is not None:
                self._transport.close()
            try:
                self._connect()
            except DeviceError as exc:
                wait = self.reconnect.failed()
                self._set_status(availability=Availability.OFFLINE, paper=PaperState.UNKNOWN,
                                 cover=CoverState.UNKNOWN,
                                 detail=f"reconnecting (next try in {wait:.1f} s): {exc.message_en}")
                return
            self.reconnect.succeeded()
            log.info("printer %s reconnected at %s", self.name, self.spec.uri)
        finally:
            self._job_lock.release()

    def _close(self) -> None:
        if self._transport is not None:
            self._transport.close()
        self._connected = False
        self._has_answered = False

    def __enter__(self) -> Self:
        return self if self.state.value == "enabled" else self.start()

    # ---- status

    def _query(self) -> StatusReading | None:
        """DLE EOT 1..4 in one write. None when the printer does not answer (or has no back channel)."""
        if not self._answers_status():
            return None
        assert self._transport is not None
        self._transport.drain()
        self._transport.write(b"".join(commands.status_request(n) for n in STATUS_REQUESTS))
        replies: dict[int, int | None] = {}
        for n in STATUS_REQUESTS:
            replies[n] = self._transport.read_byte(self.status_timeout_s)
            if replies[n] is None:
                break  # one missing answer: the rest will not come either
        reading = StatusReading.from_replies(replies)
        if not reading.answered:
            return None
        self._has_answered = True
        return reading

    def _query_twice(self) -> StatusReading | None:
        """A status read that forgives one late answer."""
        return self._query() or self._query()

    def _apply(self, reading: StatusReading | None) -> None:
        if reading is None:
            self._set_status(paper=PaperState.UNKNOWN, cover=CoverState.UNKNOWN)
            return
        availability = Availability.ONLINE if reading.can_print else Availability.USER_ERROR
        self._set_status(availability=availability, paper=reading.paper, cover=reading.cover, detail="")

    def refresh_status(self) -> StatusReading | None:
        """Ask the printer for its status now (no side effect on paper)."""
        try:
            reading = self._query()
        except TransportError as exc:
            self._connected = False
            self._set_status(availability=Availability.OFFLINE, paper=PaperState.UNKNOWN,
                             cover=CoverState.UNKNOWN, detail=str(exc))
            return None
        self._apply(reading)
        if reading is None and self._connected:
            # connected but silent: offline if it used to answer, otherwise a printer that cannot tell
            self._set_status(availability=Availability.OFFLINE if self._has_answered else Availability.ONLINE)
        return reading

    # ---- printing

    def print_receipt(self, receipt: Any, *, command_id: str) -> CommandResult:
        if not isinstance(receipt, Receipt):
            raise TypeError("print_receipt takes a hardware.printer.receipt.Receipt")
        self.require_enabled("print_receipt")
        return self.run_once(command_id, lambda: self._print(receipt, command_id))

    def _print(self, receipt: Receipt, command_id: str) -> str:
        data = render(receipt, self.profile)
        with self._job_lock:
            progress = self._run(data, command_id)
        self.last_job = progress
        log.info("printed %s (%s): %s", receipt.title, command_id, progress.describe())
        return progress.describe()

    def _run(self, data: PrintData, command_id: str) -> JobProgress:
        total = len(data.blocks) - 1  # block 0 is the initialisation
        start = self._progress.get(command_id, 0)
        confirmed = self._answers_status()

        def progress(printed: int, stopped_at: str = "") -> JobProgress:
            return JobProgress(command_id, data.title, total, printed, confirmed, start, stopped_at)

        def stop(reading: StatusReading | None, printed: int, stopped_at: str = "") -> DeviceError:
            self._remember(command_id, printed)
            self.last_job = progress(printed, stopped_at)
            if reading is None:
                self._drop_connection()
            else:
                self._apply(reading)
            return self._report(_stopped(reading, self.last_job))

        if not self._connected:
            try:
                self._connect()
            except DeviceError:
                raise stop(None, start) from None
        try:
            before = self._query_twice()
        except TransportError:
            raise stop(None, start) from None
        if before is None and self._has_answered:
            # it answered earlier and has gone silent: offline, not merely "status unknown"
            raise stop(None, start)
        self._apply(before)
        if before is not None and not before.can_print:
            raise stop(before, start)
        confirmed = before is not None  # a printer that never answers is not blocked, just not confirmed
        head = [data.blocks[0]] + ([self._continuation(data)] if start else [])
        for index in range(start + 1, total + 1):
            block = data.blocks[index]
            try:
                for extra in head:
                    self._transport_write(extra)
                head = []
                self._transport_write(block)
                reading = self._query_twice() if confirmed else None
            except TransportError:
                raise stop(None, index - 1, block.label) from None
            if confirmed:
                if reading is None or not reading.can_print:
                    raise stop(reading, index - 1, block.label)
                self._apply(reading)
            self._remember(command_id, index)
        self._progress.pop(command_id, None)
        if not confirmed:
            self._set_status(availability=Availability.ONLINE)
        return progress(total)

    def _transport_write(self, block: Block) -> None:
        assert self._transport is not None
        self._transport.write(block.data)

    def _continuation(self, data: PrintData) -> Block:
        """A line on the fresh paper that says this is the rest of an interrupted receipt."""
        note = Text(f"（续）{data.title}\n(continued)", Align.CENTER, Style(bold=True))
        return render(Receipt(data.title, (note,)), self.profile).blocks[1]

    def _remember(self, command_id: str, printed: int) -> None:
        self._progress[command_id] = printed
        self._progress.move_to_end(command_id)
        while len(self._progress) > PROGRESS_CAPACITY:
            self._progress.popitem(last=False)

    def _drop_connection(self) -> None:
        """After a printer stopped answering, reconnect before the next job (stale replies, dead socket)."""
        if self._transport is not None:
            self._transport.close()
        self._connected = False
        self._set_status(availability=Availability.OFFLINE, paper=PaperState.UNKNOWN, cover=CoverState.UNKNOWN)

    # ---- health

    def _health_internal(self) -> HealthResult:
        level = HealthLevel.INTERNAL
        if not self._connected:
            try:
                self._connect()  # a printer that went away may be back
            except DeviceError:
                return self._health(level, False, "OFFLINE", "无法连接打印机", "Cannot reach the printer")
        if not self._answers_status():
            return self._health(level, True, "NO_STATUS", "打印机不回报状态（单向连接），无法检查纸张",
                                "The printer has no back channel: paper and cover cannot be checked")
        reading = self.refresh_status()
        if reading is None:
            return self._health(level, False, "NO_ANSWER", "打印机无响应", "The printer does not answer")
        if reading.paper is PaperState.OUT:
            return self._health(level, False, "PAPER_OUT", "打印机缺纸", "Out of paper")
        if reading.cover is CoverState.OPEN:
            return self._health(level, False, "COVER_OPEN", "打印机盖未关闭", "The cover is open")
        if not reading.can_print:
            return self._health(level, False, "PRINTER_ERROR", "打印机故障", "The printer reports an error")
        if reading.paper is PaperState.LOW:
            return self._health(level, True, "PAPER_LOW", "纸将用完，请及时更换", "Paper is running low")
        return self._health(level, True, "OK", "打印机正常", "The printer is ready")

    def _health_external(self) -> HealthResult:
        from hardware.printer.samples import test_receipt

        result = self.print_receipt(test_receipt(self.name), command_id=f"health-{uuid.uuid4()}")
        return self._health(HealthLevel.EXTERNAL, True, "OK", "测试页已打印", f"Test page printed: {result.detail}")
