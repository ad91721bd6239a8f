"""An emulated SAM ID card reader on a pseudo-terminal, speaking the protocol in `protocol.py`.

The driver opens `emulator.port` like any serial port. Tests and the demo present and remove
cards and inject faults: damaged or truncated answers, noise, silence, and an unplug (the pty
master is closed, so the driver's next read fails as it does when a USB adapter is pulled).

Card behaviour follows BRIEF §5: find (20 01) answers 9F when a card is in the field and 80
otherwise; after a read the card must leave the field before find succeeds again. A read may be
repeated while the card stays selected (a driver retries a damaged answer that way). [U] Select
(20 02) answers 90 while a card is in the field, read or not, and 81 otherwise; the driver uses
that to tell "card left on the reader" from "no card". POSIX only (os.openpty).
"""

from __future__ import annotations

import enum
import os
import select
import threading
import tty
from collections import deque
from types import TracebackType
from typing import Self

from hardware.idcard.protocol import (
    SW_FIND_OK,
    SW_NO_CARD,
    SW_OK,
    SW_SELECT_FAILED,
    Command,
    FrameDecoder,
    ProtocolError,
    build_response,
    parse_request,
)
from hardware.idcard.record import IdCardRecord
from hardware.idcard.samples import RESIDENT, sample_photo
from infra.logs import get_logger

log = get_logger("hardware")

SAM_ID = bytes.fromhex("0501000020260001000000123456789A")  # 16 bytes, fictitious


class Fault(enum.StrEnum):
    CHECKSUM = "checksum"  # the answer's CHK byte is wrong
    TRUNCATE = "truncate"  # only the first half of the answer is sent
    NOISE = "noise"  # junk bytes before the answer (a good driver skips them)
    SILENT = "silent"  # no answer at all
    UNPLUG = "unplug"  # half the answer, then the reader is gone


class SamReaderEmulator:
    """A SAM reader on a pty. Use as a context manager, or `start()` / `stop()`."""

    def __init__(self, card: IdCardRecord | None = RESIDENT, *, present: bool = False,
                 link: str | None = None) -> None:
        self._card = card
        self._photo = sample_photo()
        self._in_field = present and card is not None
        self._read_done = False  # a read happened; find fails until the card leaves
        self._selected = False
        self._found = False
        self._faults: deque[Fault] = deque()
        self._fail_reads: deque[int] = deque()
        self._lock = threading.Lock()
        self._master = -1
        self._slave = -1
        self._port = ""
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self.unplugged = threading.Event()
        self.requests: list[Command | None] = []  # every request seen, for tests
        # A stable path (a symlink to the current pty) a driver can be configured with, so an unplugged
        # and replugged emulator is found at the same place, as a udev rule's /dev/hpf-idreader would be.
        self.link = link

    # -- lifecycle

    @property
    def port(self) -> str:
        if not self._port:
            raise RuntimeError("the emulator is not started")
        return self._port

    def start(self) -> str:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # no echo, no newline translation: a clean 8-bit line
        self._port = os.ttyname(self._slave)
        self._stopping.clear()
        self.unplugged.clear()
        self._thread = threading.Thread(target=self._serve, name="sam-emulator", daemon=True)
        self._thread.start()
        if self.link is not None:
            tmp = f"{self.link}.new"
            if os.path.lexists(tmp):
                os.unlink(tmp)
            os.symlink(self._port, tmp)
            os.replace(tmp, self.link)
            return self.link
        return self._port

    def replug(self) -> str:
        """Plug the reader back in after `unplug()`: a fresh pty, found at `link` when one is set."""
        if self._master >= 0:
            raise RuntimeError("the emulated reader is plugged in")
        with self._lock:
            self._found = self._selected = False
        return self.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None
        self._close_fds()
        if self.link is not None and os.path.lexists(self.link):
            os.unlink(self.link)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def unplug(self) -> None:
        """Pull the cable: the driver's next read or write fails."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None
        self._close_fds()
        if self.link is not None and os.path.lexists(self.link):
            os.unlink(self.link)  # the device node goes away with the adapter
        self.unplugged.set()

    # -- what happens on the reader

    def present(self, card: IdCardRecord | None = None, photo: bytes | None = None) -> None:
        with self._lock:
            if card is not None:
                self._card = card
            if photo is not None:
                self._photo = photo
            self._in_field = self._card is not None
            self._read_done = self._found = self._selected = False

    def remove(self) -> None:
        with self._lock:
            self._in_field = False
            self._read_done = self._found = self._selected = False

    def inject(self, *faults: Fault) -> None:
        """Apply these faults to the next answers, one each."""
        with self._lock:
            self._faults.extend(faults)

    def fail_next_reads(self, *sw3: int) -> None:
        """Answer the next read commands with these status codes (e.g. 0x41 read failed)."""
        with self._lock:
            self._fail_reads.extend(sw3)

    @property
    def card_in_field(self) -> bool:
        return self._in_field

    # -- the serving thread

    def _close_fds(self) -> None:
        for fd in (self._master, self._slave):
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._master = self._slave = -1

    def _serve(self) -> None:
        decoder = FrameDecoder()
        while not self._stopping.is_set():
            ready, _, _ = select.select([self._master], [], [], 0.02)
            if not ready:
                continue
            try:
                data = os.read(self._master, 4096)
            except OSError:
                return
            decoder.feed(data)
            while True:
                try:
                    body = decoder.next_body()
                except ProtocolError as exc:
                    reply = build_response(0x10 if exc.code == "CHECKSUM" else 0x11)
                    if not self._send(reply):
                        return
                    continue
                if body is None:
                    break
                if not self._send(self._answer(body)):
                    return

    def _send(self, frame: bytes) -> bool:
        """Write one answer, applying the next injected fault; False when the reader is gone."""
        with self._lock:
            fault = self._faults.popleft() if self._faults else None
        if fault is Fault.SILENT:
            return True
        if fault is Fault.CHECKSUM:
            frame = frame[:-1] + bytes((frame[-1] ^ 0x5A,))
        elif fault is Fault.NOISE:
            frame = b"\x00\xff\x13\xaa\xaa" + frame
        elif fault in (Fault.TRUNCATE, Fault.UNPLUG):
            frame = frame[: len(frame) // 2]
        try:
            view = memoryview(frame)
            while view:
                view = view[os.write(self._master, view):]
        except OSError:
            return False
        if fault is Fault.UNPLUG:
            self._stopping.set()
            self._close_fds()
            self.unplugged.set()
            return False
        return True

    def _answer(self, body: bytes) -> bytes:
        try:
            request = parse_request(body)
        except ProtocolError:
            return build_response(0x11)
        command = request.command
        self.requests.append(command)
        with self._lock:
            return self._answer_locked(command)

    def _answer_locked(self, command: Command | None) -> bytes:
        if command in (Command.RESET_SAM, Command.SAM_STATUS):
            return build_response(SW_OK)
        if command is Command.SAM_ID:
            return build_response(SW_OK, SAM_ID)
        if command is Command.FIND_CARD:
            self._found = self._in_field and not self._read_done
            return build_response(SW_FIND_OK, bytes(4)) if self._found else build_response(SW_NO_CARD, bytes(4))
        if command is Command.SELECT_CARD:
            if self._in_field and (self._found or self._read_done):
                self._selected = True
                return build_response(SW_OK, bytes(8))
            return build_response(SW_SELECT_FAILED, bytes(8))
        if command in (Command.READ_TEXT_PHOTO, Command.READ_WITH_FINGERPRINT):
            return self._read(command)
        return build_response(0x21)

    def _read(self, command: Command) -> bytes:
        if not (self._in_field and self._selected and self._card is not None):
            return build_response(0x41)
        if self._fail_reads:
            return build_response(self._fail_reads.popleft())
        self._read_done = True
        # the text block's encoder (and the ID number rules and region table it checks with) at the first read:
        # the demo's simulated reader starts this emulator before the counter's and the kiosk's first frame
        from hardware.idcard.textblock import build_text_block

        text = build_text_block(self._card)
        photo = self._photo
        data = len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big")
        if command is Command.READ_WITH_FINGERPRINT:
            data += (0).to_bytes(2, "big")  # this card holds no fingerprint
        return build_response(SW_OK, data + text + photo)
