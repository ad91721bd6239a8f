"""The ledger connection test on the diagnostics screen: DNS, TLS, clock offset, credential.

Each step says what it found in Chinese and English; a failed step says what to check. The steps
run in order and stop at the first one the next ones depend on (no TLS without an address).
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

# A terminal clock further off than this makes signed requests fail (the ledger's signature window);
# the sync client corrects its timestamps, but the technician should fix the clock (NTP).
CLOCK_SKEW_LIMIT_S = 30.0

Resolve = Callable[[str, int], list[Any]]


@dataclass(frozen=True)
class Step:
    name: str  # dns | tls | clock | credential
    ok: bool
    text_zh: str
    text_en: str

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "text_zh": self.text_zh, "text_en": self.text_en}


def _resolve(host: str, port: int) -> list[Any]:
    return socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)


def connection_test(client: Any, terminal_id: str, status: Mapping[str, Any], *, verify_tls: bool = True,
                    resolve: Resolve = _resolve, timeout_s: float = 5.0) -> list[Step]:
    """Test the way to the ledger `client` (a `sync.client.LedgerClient`) talks to."""
    from sync import errors

    parts = urlsplit(client.base_url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    steps: list[Step] = []
    try:
        ipaddress.ip_address(host)
        steps.append(Step("dns", True, f"地址 {host}（无需域名解析）", f"Address {host} (no DNS needed)"))
    except ValueError:
        try:
            found = sorted({info[4][0] for info in resolve(host, port)})
        except OSError as exc:
            steps.append(Step("dns", False, f"无法解析 {host}：{exc}；请检查 DNS 设置和网线",
                              f"Cannot resolve {host}: {exc}; check the DNS settings and the network cable"))
            return steps
        steps.append(Step("dns", True, f"{host} → {', '.join(found)}", f"{host} → {', '.join(found)}"))
    if parts.scheme == "https":
        context = ssl.create_default_context()
        if not verify_tls:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        try:
            with socket.create_connection((host, port), timeout=timeout_s) as raw, \
                    context.wrap_socket(raw, server_hostname=host) as tls:
                version = tls.version() or "TLS"
                cert = tls.getpeercert() or {}
        except (OSError, ssl.SSLError) as exc:
            steps.append(Step("tls", False, f"TLS 握手失败：{exc}；请检查证书和系统时间",
                              f"TLS handshake failed: {exc}; check the certificate and the system clock"))
            return steps
        until = str(cert.get("notAfter", "")) if isinstance(cert, dict) else ""
        steps.append(Step("tls", True, f"{version}，证书有效期至 {until or '未知'}",
                          f"{version}, certificate valid until {until or 'unknown'}"))
    else:
        steps.append(Step("tls", True, "未加密连接（http）：仅适用于演示或本机", "Plain http: demo or loopback only"))
    try:
        client.health()
    except errors.LedgerError as exc:
        steps.append(Step("clock", False, f"中心系统无应答：{exc}", f"The ledger does not answer: {exc}"))
        return steps
    offset = client.clock_offset_s
    if offset is None:
        steps.append(Step("clock", False, "中心未返回时间，无法比对时钟",
                          "The ledger sent no time; clock not compared"))
    elif abs(offset) > CLOCK_SKEW_LIMIT_S:
        steps.append(Step("clock", False, f"本机时钟与中心相差 {offset:+.0f} 秒，请校准时间（NTP）",
                          f"The clock is {offset:+.0f} s off the ledger's; set the time (NTP)"))
    else:
        steps.append(Step("clock", True, f"时钟偏差 {offset:+.1f} 秒", f"Clock offset {offset:+.1f} s"))
    try:
        client.heartbeat(terminal_id, dict(status))  # a signed call with no side effect beyond a heartbeat
    except errors.AuthError as exc:
        steps.append(Step("credential", False, f"终端凭证被拒绝：{exc}；请重新登记终端",
                          f"The terminal credential was refused: {exc}; enrol the terminal again"))
    except errors.LedgerError as exc:
        steps.append(Step("credential", False, f"无法验证凭证：{exc}", f"Could not check the credential: {exc}"))
    else:
        steps.append(Step("credential", True, "终端凭证有效", "The terminal credential is valid"))
    return steps


def technician_action(outbox: Any, action: str, technician: str, detail: Mapping[str, Any] | None = None) -> None:
    """Queue a technician's action for the central audit trail (sent when the ledger is reachable).

    Kind "technician.action": the ledger appends it to its audit chain."""
    outbox.enqueue("technician.action", {"action": action[:64], "technician": technician[:64],
                                         "detail": {str(k)[:40]: str(v)[:200] for k, v in (detail or {}).items()}})
