"""Errors the ledger answers with: `{"error": {"code", "zh", "en"}}` and an HTTP status."""

from __future__ import annotations


class LedgerError(Exception):
    # Not a frozen dataclass: the ASGI stack assigns __traceback__ on exceptions it handles.
    def __init__(self, status: int, code: str, zh: str, en: str) -> None:
        super().__init__(code)
        self.status, self.code, self.zh, self.en = status, code, zh, en

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.en}"

    def body(self) -> dict[str, dict[str, str]]:
        return {"error": {"code": self.code, "zh": self.zh, "en": self.en}}


def unauthorized(code: str, zh: str, en: str) -> LedgerError:
    return LedgerError(401, code, zh, en)


def bad_request(zh: str, en: str, code: str = "bad_request") -> LedgerError:
    return LedgerError(400, code, zh, en)


def not_found(zh: str, en: str, code: str = "not_found") -> LedgerError:
    return LedgerError(404, code, zh, en)


INTERNAL = LedgerError(500, "internal_error", "账务中心内部错误，请稍后重试。",
                       "The ledger had an internal error; please retry later.")
UNAVAILABLE = LedgerError(503, "unavailable", "账务中心数据库暂时不可用，请稍后重试。",
                          "The ledger's database is unavailable for now; please retry later.")
