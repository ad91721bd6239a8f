"""tcp://host:9100 — a network printer on its raw port."""

from __future__ import annotations

import socket
from typing import Any

from hardware.printer.transport.base import EscposBackedTransport, TransportError


class NetworkTransport(EscposBackedTransport):
    escpos_class = "Network"
    can_read = True

    def _address(self) -> tuple[str, int]:
        host, _, port = self.uri.target.rpartition(":")
        return host, int(port)

    def _build(self, printers: Any) -> Any:
        host, port = self._address()
        return printers.Network(host, port, timeout=self.timeout_s, profile=self.escpos_profile)

    def _connect(self, printer: Any) -> None:
        """python-escpos's Network.open, minus the socket it leaks when the connect fails."""
        host, port = self._address()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.settimeout(self.timeout_s)
            sock.connect((host, port))
        except OSError as exc:
            sock.close()
            raise TransportError(f"cannot connect to {host}:{port}: {exc}") from None
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # small status requests must not wait
        printer.device = sock

    def _raw(self, data: bytes) -> None:
        self._device().settimeout(self.timeout_s)
        self._printer._raw(data)

    def _read1(self, device: Any, timeout_s: float) -> bytes:
        device.settimeout(timeout_s)
        data: bytes = device.recv(1)
        if not data:
            raise TransportError("the printer closed the connection")
        return data
