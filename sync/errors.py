"""Typed errors of the ledger connection, each with the sentences a screen shows (zh first).

`retryable` tells the sync engine whether waiting and trying again can help; the UI reads
`zh` / `en`. A `LedgerRejected` carries the ledger's own code and sentences when it sent them.
"""

# ruff: noqa: N818  (the names LedgerUnavailable, LedgerTimeout … are the agreed interface)

from __future__ import annotations

from domain.errors import UserFacingError


class LedgerError(UserFacingError):
    code = "ledger_error"
    zh = "与中心系统通信出错，请稍后再试。"
    en = "Communication with the central system failed; please try again later."
    retryable = True

    def __init__(self, detail: str = "", *, code: str | None = None, zh: str | None = None,
                 en: str | None = None, status: int | None = None) -> None:
        Exception.__init__(self, detail or self.en)
        self.detail = detail
        self.status = status
        if code:
            self.code = code
        if zh:
            self.zh = zh
        if en:
            self.en = en

    def __str__(self) -> str:
        return f"{self.code}: {self.detail or self.en}"


class LedgerUnavailable(LedgerError):
    """The ledger could not be reached (refused, reset, DNS, TLS handshake): the terminal is offline."""

    code = "unavailable"
    zh = "暂时无法连接中心系统，业务已在本机保存，联网后自动上传。"
    en = "The central system cannot be reached; your transaction is saved here and will be sent automatically."


class LedgerTimeout(LedgerError):
    """No answer in time. The ledger may have committed: retry with the same idempotency keys."""

    code = "timeout"
    zh = "中心系统响应超时，业务已在本机保存，将自动重试。"
    en = "The central system did not answer in time; your transaction is saved here and will be retried."


class LedgerServerError(LedgerError):
    """The ledger answered 5xx: reachable but failing (the terminal is degraded, not offline)."""

    code = "server_error"
    zh = "中心系统暂时故障，业务已在本机保存，将自动重试。"
    en = "The central system has a temporary fault; your transaction is saved here and will be retried."


class TlsError(LedgerUnavailable):
    code = "tls_error"
    zh = "中心系统证书校验失败，请联系技术人员。"
    en = "The central system's certificate could not be verified; please call a technician."


class AuthError(LedgerError):
    """The ledger refused this terminal's credentials (401)."""

    code = "auth_failed"
    zh = "终端认证失败，请联系技术人员。"
    en = "This terminal's credentials were refused; please call a technician."
    retryable = False


class ClockSkewError(AuthError):
    code = "clock_skew"
    zh = "终端时钟与中心系统相差过大，请联系技术人员校准时间。"
    en = "This terminal's clock is too far from the central system's; please call a technician."
    retryable = True  # the client corrects its offset and tries again


class BadPassword(AuthError):
    code = "bad_password"
    zh = "查询密码不正确。"
    en = "The query password is not correct."


class NotFound(LedgerError):
    code = "not_found"
    zh = "未找到相关记录。"
    en = "No matching record was found."
    retryable = False


class LedgerRejected(LedgerError):
    """The ledger refused the request itself (4xx other than 401/404): retrying will not help."""

    code = "rejected"
    zh = "中心系统拒绝了该请求。"
    en = "The central system refused the request."
    retryable = False


class ProtocolError(LedgerError):
    """The answer was not what protocol v1 promises (bad JSON, missing fields, wrong count)."""

    code = "protocol_error"
    zh = "中心系统返回的数据无法识别，请联系技术人员。"
    en = "The central system's answer could not be understood; please call a technician."


class ProtocolUnsupported(LedgerError):
    """The ledger does not speak this terminal's protocol version yet (HTTP 426): the terminal is
    newer than its centre during a staged rollout. Nothing was applied; hold the queue and retry."""

    code = "protocol_unsupported"
    zh = "中心系统尚未升级，暂不能接收本终端的业务；业务已在本机保存，中心升级后自动上传。"
    en = ("The central system is not yet upgraded for this terminal; transactions are kept here and sent "
          "once it is.")


class SnapshotUnavailable(LedgerError):
    """No fresh account data: the ledger is unreachable and there is no unexpired cached copy."""

    code = "snapshot_unavailable"
    zh = "暂时无法查询账户信息，请稍后再试或到柜台办理。"
    en = "Account details are not available right now; please try later or go to a counter."
    retryable = False
