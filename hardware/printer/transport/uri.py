"""Printer URIs: which transport and where.

    tcp://127.0.0.1:9100              network (raw port 9100)
    serial:///dev/ttyUSB0?baud=19200  serial (pyserial)
    usb://04b8:0202                   USB (pyusb), vendor:product in hex
    file:///dev/usb/lp0               a device file (no back channel: status is unknown)
    win32://PrinterName               a Windows printer queue, raw (pywin32; no back channel)
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

SCHEMES = ("tcp", "serial", "usb", "file", "win32")


class UriError(ValueError):
    """A printer URI that cannot be understood."""


@dataclass(frozen=True)
class PrinterUri:
    scheme: str
    target: str  # host:port, device path, vid:pid or a queue name
    params: dict[str, str]

    def __str__(self) -> str:
        return f"{self.scheme}://{self.target}"


def parse_uri(uri: str) -> PrinterUri:
    parts = urlsplit(uri.strip())
    scheme = parts.scheme.lower()
    if scheme not in (*SCHEMES, "simulator"):
        raise UriError(f"打印机地址无法识别 / unknown printer URI {uri!r}: use one of "
                       f"{', '.join(s + '://' for s in SCHEMES)}")
    params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    if scheme in ("serial", "file"):
        target = unquote(parts.netloc + parts.path)  # serial:///dev/ttyUSB0 or serial://COM3
        if not target or target == "/":
            raise UriError(f"打印机地址缺少设备路径 / {uri!r}: no device path")
    else:
        target = unquote(parts.netloc + parts.path).strip("/")
    if scheme == "tcp":
        if not parts.hostname:
            raise UriError(f"打印机地址缺少主机 / {uri!r}: no host")
        try:
            port = parts.port or 9100
        except ValueError:
            raise UriError(f"打印机端口无效 / {uri!r}: bad port") from None
        target = f"{parts.hostname}:{port}"
    if scheme == "usb":
        vid, _, pid = target.partition(":")
        try:
            int(vid, 16), int(pid, 16)
        except ValueError:
            raise UriError(f"USB 地址应为 厂商:产品 / {uri!r}: expected usb://VID:PID in hex") from None
    if scheme == "serial" and "baud" in params and not params["baud"].isdigit():
        raise UriError(f"波特率无效 / {uri!r}: baud must be a number")
    return PrinterUri(scheme, target, params)
