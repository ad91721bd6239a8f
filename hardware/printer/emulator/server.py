"""A network ESC/POS printer on loopback (port 9100 style), for tests and the demo.

It accepts TCP connections, feeds what it receives to the `Interpreter`, answers DLE EOT, and
can be told to run out of paper (now, or after N lines, dots or bytes), to run low, to open its
cover, or to go offline: SILENT keeps the connection and swallows everything without answering
(a hung printer), DROP closes every connection and refuses new ones (unplugged).
"""

from __future__ import annotations

import enum
import socket
import threading
from pathlib import Path
from types import TracebackType
from typing import Self

from hardware.printer.emulator.interpreter import Interpreter
from hardware.printer.emulator.paper import Paper
from hardware.printer.fonts import shared_glyphs
from infra.logs import get_logger

log = get_logger("hardware")


class Offline(enum.StrEnum):
    SILENT = "silent"
    DROP = "drop"


class PrinterEmulator:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, dot_width: int = 576) -> None:
        self.host = host
        self._port = port
        self.interpreter = Interpreter(paper=Paper(dot_width=dot_width))
        self.bytes_received = 0
        self.received = bytearray()  # every byte sent to the printer, as sent (golden receipt tests decode it)
        self._offline: Offline | None = None
        self._offline_later: tuple[Offline, int] | None = None  # (mode, bytes still to take first)
        self._lock = threading.RLock()
        self._server: socket.socket | None = None
        self._clients: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()

    # ---- lifecycle

    def start(self) -> Self:
        shared_glyphs().cell("中")  # find the font now, not while a printer waits for a status answer
        self._stopping.clear()
        self._listen()
        return self

    def _listen(self) -> None:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((self.host, self._port))
        server.listen(4)
        server.settimeout(0.1)
        self._port = server.getsockname()[1]
        self._server = server
        thread = threading.Thread(target=self._accept_loop, args=(server,), name="printer-emulator", daemon=True)
        self._threads.append(thread)
        thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._drop_all()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._port

    @property
    def uri(self) -> str:
        return f"tcp://{self.host}:{self._port}"

    # ---- what a technician (or a test) does to the printer

    def run_out_of_paper(self, *, after_lines: int | None = None, after_dots: int | None = None,
                         after_bytes: int | None = None) -> None:
        """Paper ends now, or once this many more text lines, dots of paper or print bytes went by."""
        with self._lock:
            supply = self.interpreter.supply
            if after_lines is None and after_dots is None and after_bytes is None:
                supply.paper_out = True
            supply.lines_left, supply.dots_left, supply.bytes_left = after_lines, after_dots, after_bytes

    def set_paper_low(self, low: bool = True) -> None:
        with self._lock:
            self.interpreter.supply.near_end = low

    def load_paper(self) -> None:
        """A new roll; what was printed before the old one ran out is torn off as its own piece."""
        with self._lock:
            if self.interpreter.supply.paper_out and self.paper.strips:
                self.paper.cut()
            s = self.interpreter.supply
            s.paper_out = s.near_end = False
            s.lines_left = s.dots_left = s.bytes_left = None

    def open_cover(self) -> None:
        with self._lock:
            self.interpreter.supply.cover_open = True

    def close_cover(self) -> None:
        with self._lock:
            self.interpreter.supply.cover_open = False

    def go_offline(self, mode: Offline = Offline.SILENT, *, after_bytes: int | None = None) -> None:
        """Stop answering now, or once `after_bytes` more bytes came in (halfway through a job)."""
        with self._lock:
            if after_bytes is not None:
                self._offline_later = (mode, after_bytes)
                return
            self._offline = mode
        if mode is Offline.DROP:
            self._drop_all()

    def go_online(self) -> None:
        with self._lock:
            was, self._offline = self._offline, None
            self._offline_later = None
        if was is Offline.DROP and not self._stopping.is_set():
            self._listen()

    # ---- what came out

    @property
    def paper(self) -> Paper:
        return self.interpreter.paper

    def texts(self, receipt: int | None = None) -> list[str]:
        with self._lock:
            return self.paper.texts(receipt)

    def save_png(self, path: Path, receipt: int = -1) -> Path:
        with self._lock:
            return self.paper.save_png(path, receipt)

    # ---- sockets

    def _drop_all(self) -> None:
        with self._lock:
            server, self._server = self._server, None
            clients, self._clients = self._clients, []
        for sock in ([server] if server else []) + clients:
            try:
                # shutdown first: the accept thread's poll holds the listening socket open for a
                # moment after close(), and a connect in that moment would still be accepted
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            try:
                sock.close()
            except OSError:
                pass

    def _take_before_offline(self, data: bytes) -> tuple[bytes, Offline | None]:
        """The part of `data` the printer still handles before a scheduled go_offline."""
        if self._offline_later is None:
            return data, None
        mode, left = self._offline_later
        if len(data) < left:
            self._offline_later = (mode, left - len(data))
            return data, None
        self._offline_later = None
        self._offline = mode
        return data[:left], mode

    def _accept_loop(self, server: socket.socket) -> None:
        while not self._stopping.is_set() and self._server is server:
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # closed by go_offline(DROP) or stop()
            conn.settimeout(0.1)
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._clients.append(conn)
            thread = threading.Thread(target=self._serve, args=(conn,), name="printer-emulator-conn", daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        def reply(data: bytes) -> None:
            try:
                conn.sendall(data)
            except OSError:
                pass

        while not self._stopping.is_set():
            try:
                data = conn.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                break
            if not data:
                break
            with self._lock:
                self.bytes_received += len(data)
                self.received += data
                if self._offline is not None:
                    continue  # a hung printer: takes the bytes, prints and answers nothing
                data, going = self._take_before_offline(data)
                self.interpreter.reply = reply
                try:
                    self.interpreter.feed(data)
                except Exception:  # the emulator must survive any byte stream
                    log.exception("printer emulator: cannot interpret the data received")
            if going is Offline.DROP:
                self._drop_all()
                break
        try:
            conn.close()
        except OSError:
            pass
        with self._lock:
            if conn in self._clients:
                self._clients.remove(conn)
