"""One bilingual error for people: what a member or a clerk reads, in their language, never a traceback.

Every layer raises it or maps to it: the hardware layer's `DeviceError` and the ledger
connection's `LedgerError` are `UserFacingError`s (their sentences are zh/en, with what to do),
domain validation errors carry zh/en (or read "中文 / English") and `user_facing` maps them, and
anything else becomes a generic sentence with a code, its technical text left to the log. A
screen shows `user_facing(exc).text(chinese)`: one language, the current one.
"""

from __future__ import annotations

GENERIC = ("操作未能完成，请重试；如仍有问题请咨询工作人员。",
           "That could not be done; please try again, or ask a member of staff if it happens again.")


class UserFacingError(Exception):
    """A refusal or failure a person can act on: the same sentence in Chinese and English, and a stable code."""

    zh: str = GENERIC[0]
    en: str = GENERIC[1]
    code: str = "error"

    def __init__(self, zh: str, en: str, code: str = "error", *, detail: str = "") -> None:
        super().__init__(detail or en)
        self.zh, self.en, self.code = zh, en, code
        self.detail = detail

    def text(self, chinese: bool) -> str:
        return self.zh if chinese else self.en

    @property
    def pair(self) -> tuple[str, str]:
        return self.zh, self.en


def _bilingual(message: str) -> tuple[str, str] | None:
    """Domain validation messages read "中文 / English"."""
    zh, sep, en = message.partition(" / ")
    if sep and zh.strip() and en.strip() and not zh.isascii():
        return zh.strip(), en.strip()
    return None


def user_facing(exc: BaseException) -> UserFacingError:
    """The person-facing form of any exception (the technical text stays in the log, not on screen)."""
    if isinstance(exc, UserFacingError):
        return exc
    code = str(getattr(exc, "code", "") or type(exc).__name__)
    zh, en = getattr(exc, "zh", None), getattr(exc, "en", None)
    if isinstance(zh, str) and isinstance(en, str) and zh and en:
        return UserFacingError(zh, en, code, detail=str(exc))
    pair = _bilingual(str(exc))
    if pair is not None:
        return UserFacingError(*pair, code, detail=str(exc))
    return UserFacingError(*GENERIC, code=code, detail=f"{type(exc).__name__}: {exc}")
