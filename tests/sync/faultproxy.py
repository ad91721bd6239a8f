"""A fault-injecting HTTP/1.1 proxy on loopback, between a terminal and the ledger.

Each request the terminal sends is read whole (headers and Content-Length body) and then, by a
seeded random draw, one of these happens:

  pass       forwarded; the ledger's answer goes back unchanged
  drop       forwarded; the ledger commits and answers; the terminal's connection is reset instead
  reset      half the request reaches the ledger, then both connections are reset
  delay      forwarded; the answer is held back past the terminal's timeout
  error500   forwarded (the ledger may commit) or not, then the terminal gets HTTP 500
  twice      the same bytes are delivered to the ledger twice, concurrently; the terminal gets
             one of the two answers (the other copy meets the ledger's replay check)

Each request goes to the ledger on a fresh connection. Threads, not asyncio: the proxy must
run beside synchronous test code with no event loop.
"""

from __future__ import annotations

import random
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Mapping

FAULTS = ("pass", "drop", "reset", "delay", "error500", "twice")
_ERROR_500 = (b'{"error":{"code":"injected","zh":"\xe6\xb3\xa8\xe5\x85\xa5\xe7\x9a\x84\xe6\x95\x85\xe9\x9a\x9c",'
              b'"en":"injected fault"}}')


class _ClosedError(Exception):
    pass


def _read_until(sock: socket.socket, buf: bytearray, marker: bytes) -> int:
    while (pos := buf.find(marker)) < 0:
        chunk = sock.recv(65536)
        if not chunk:
            raise _ClosedError
        buf += chunk
    return pos


def _read_exact(sock: socket.socket, buf: bytearray, n: int) -> None:
    while len(buf) < n:
        chunk = sock.recv(65536)
        if not chunk:
            raise _ClosedError
        buf += chunk


def read_message(sock: socket.socket, buf: bytearray, *, response: bool = False) -> bytes:
    """One HTTP/1.1 message (head + body) from `sock`; leftover bytes stay in `buf`."""
    end = _read_until(sock, buf, b"\r\n\r\n") + 4
    head = bytes(buf[:end]).lower()
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip() == b"content-length":
            length = int(value.strip())
        elif name.strip() == b"transfer-encoding" and b"chunked" in value:
            _read_until(sock, buf, b"0\r\n\r\n")
            length = buf.find(b"0\r\n\r\n") + 5 - end
    if response and head.startswith((b"http/1.1 304", b"http/1.1 204")):
        length = 0
    _read_exact(sock, buf, end + length)
    message = bytes(buf[:end + length])
    del buf[:end + length]
    return message


def _reset(sock: socket.socket) -> None:
    """Close with RST instead of FIN (SO_LINGER 0), like a crashed peer or a middlebox."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()


class FaultProxy:
    def __init__(self, upstream_port: int, weights: Mapping[str, float], *, seed: int = 0,
                 delay_s: float = 1.0, upstream_host: str = "127.0.0.1") -> None:
        unknown = set(weights) - set(FAULTS)
        if unknown:
            raise ValueError(f"unknown faults {sorted(unknown)}; known: {FAULTS}")
        self.upstream = (upstream_host, upstream_port)
        self.weights = dict(weights)
        self.delay_s = delay_s
        self._rng = random.Random(seed)
        self._rng_lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.requests: list[bytes] = []  # every request as received from the terminal
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._clients: set[socket.socket] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        self._spawn(self._accept_loop)
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._listener.close()
        for sock in list(self._clients):
            _reset(sock)
        for t in self._threads:
            t.join(5)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _spawn(self, target: object, *args: object) -> None:
        t = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        t.start()
        self._threads = [x for x in self._threads if x.is_alive()] + [t]

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self._clients.add(client)
            self._spawn(self._serve, client)

    def _draw(self) -> str:
        with self._rng_lock:
            names = list(self.weights)
            fault = self._rng.choices(names, [self.weights[n] for n in names])[0]
            self.counts[fault] += 1
            return fault

    def _exchange(self, request: bytes) -> bytes:
        with socket.create_connection(self.upstream, timeout=30) as up:
            up.sendall(request)
            return read_message(up, bytearray(), response=True)

    def _serve(self, client: socket.socket) -> None:
        buf = bytearray()
        try:
            while not self._stopping.is_set():
                try:
                    request = read_message(client, buf)
                except (_ClosedError, OSError):
                    return
                self.requests.append(request)
                if not self._handle(client, request, self._draw()):
                    return
        finally:
            self._clients.discard(client)
            try:
                client.close()
            except OSError:
                pass

    def _handle(self, client: socket.socket, request: bytes, fault: str) -> bool:
        """Apply one fault; False when the client connection is finished."""
        try:
            if fault == "reset":
                with socket.create_connection(self.upstream, timeout=30) as up:
                    up.sendall(request[: max(1, len(request) // 2)])
                    _reset(up)
                _reset(client)
                return False
            if fault == "twice":
                answers: list[bytes] = []
                copy = threading.Thread(target=lambda: answers.append(self._exchange(request)))
                copy.start()
                answers.append(self._exchange(request))
                copy.join(30)
                with self._rng_lock:
                    answer = self._rng.choice(answers)
                client.sendall(answer)
                return True
            with self._rng_lock:
                forward = fault != "error500" or self._rng.random() < 0.5
            if not forward:
                response = None
            else:
                response = self._exchange(request)
            if fault == "drop":
                _reset(client)
                return False
            if fault == "delay":
                time.sleep(self.delay_s)
                _reset(client)
                return False
            if fault == "error500":
                client.sendall(b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
                               b"Content-Length: " + str(len(_ERROR_500)).encode() + b"\r\n\r\n" + _ERROR_500)
                return True
            assert response is not None
            client.sendall(response)
            return True
        except (OSError, _ClosedError):
            _reset(client)
            return False
