"""Identifying a member: by ID card, by the app's QR token, or by ID number and query password.

Online, the ledger verifies the member itself and opens a member session (ledger/README.md "Member
sessions"): the password (typed ID number or the card's), or the QR token (with the card's number
when a card was read first). A card alone only identifies: online it asks for the password or QR
code; offline it shows the masked copy cached on this terminal, view only. Offline, a QR token
checked here gives the cached copy and travels with an application as the member's proof. All I/O
runs on the background worker; results come back on the GUI thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from domain.account import AccountSnapshot
from domain.member_token import TokenError
from infra.logs import get_logger
from kiosk.services import Services
from kiosk.session import Method
from sync import errors

log = get_logger("kiosk")


@dataclass(frozen=True)
class Problem:
    """Why identification failed, in both languages; `code` is stable for tests and logs."""

    code: str
    zh: str
    en: str


OFFLINE = Problem("offline", "暂时无法连接中心系统，无法核对身份证或密码。请使用公积金 App 二维码，或稍后再试。",
                  "The centre can't be reached, so the card or password can't be checked right now. Use the "
                  "HPF app's QR code, or try again later.")


def problem_from(exc: BaseException) -> Problem:
    if isinstance(exc, (errors.LedgerUnavailable, errors.LedgerTimeout, errors.LedgerServerError)):
        return OFFLINE  # their own sentences speak of saved transactions, which is not the case here
    if isinstance(exc, (errors.LedgerError, TokenError)):
        return Problem(exc.code, exc.zh, exc.en)
    log.error("identification failed unexpectedly: %s", exc, exc_info=exc)
    return Problem("internal", "系统出现问题，请稍后再试或到柜台办理。",
                   "Something went wrong; please try again later or go to a counter.")


def fetch_snapshot(services: Services, member_id: str) -> AccountSnapshot:
    """The cached (masked) snapshot of a member identified offline; SnapshotUnavailable when there is none.

    Online, a kiosk reads a member only through a ledger session (`_open`); by member id it gets nothing.
    """
    runtime = services.snapshots
    cached = runtime.cached_snapshot(member_id=member_id) if hasattr(runtime, "cached_snapshot") else None
    if cached is None:
        raise errors.SnapshotUnavailable("no cached copy of this member on this terminal")
    found: AccountSnapshot = cached
    return found


NEEDS_CONFIRMATION = Problem(
    "confirm_card", "已读取身份证。请输入 6 位查询密码，或扫描公积金 App 身份码，以确认是您本人。",
    "ID card read. Please enter your 6-digit query password, or scan the HPF app's QR code, to confirm it is you.")
CARD_ONLY_OFFLINE = Problem(
    "card_only_offline",
    "中心暂时无法连接：可查看本机保存的账户信息，但不能办理提取等资金业务；如需办理，请扫描公积金 App 身份码。",
    "The centre can't be reached: you can view the account copy kept on this terminal, but not apply for "
    "withdrawals or other money moves; to apply, scan the HPF app's QR code.")


@dataclass(frozen=True)
class Identified:
    """Who was identified, how, the snapshot, and the member's proof for applications (kiosk.applications)."""

    method: Method
    snapshot: AccountSnapshot
    id_number: str = ""
    ledger_session: Any = None   # protocol.sessions.Opened: the ledger verified the member itself
    member_token: str = ""       # offline: the QR token an application carries for the centre to check

    @property
    def view_only(self) -> bool:
        return self.ledger_session is None and not self.member_token


_UNREACHABLE = (errors.LedgerUnavailable, errors.LedgerTimeout, errors.LedgerServerError)


class Identifier:
    """Runs one identification at a time; calls `done(identified)`, `failed(problem)` or, after a card read
    while the centre is online, `confirm(problem)` asking for the password or the QR code."""

    def __init__(self, ctx: Any, done: Callable[[Identified], None], failed: Callable[[Problem], None],
                 confirm: Callable[[Problem], None] | None = None) -> None:
        self.ctx = ctx
        self._done = done
        self._failed = failed
        self._confirm = confirm or failed
        self.busy = False
        self.card_id_number = ""  # a card read waiting for the password or QR code that confirms it

    def reset(self) -> None:
        self.card_id_number = ""

    def by_card(self, id_number: str) -> None:
        """A card alone identifies: online it asks for the password or QR; offline it shows the cached copy."""
        services: Services = self.ctx.services
        runtime = services.snapshots

        def work() -> Identified | None:
            try:
                if services.ledger is None:
                    raise errors.LedgerUnavailable("no ledger client")
                services.ledger.health()
            except _UNREACHABLE:
                cached = runtime.cached_snapshot(id_number=id_number) if hasattr(runtime, "cached_snapshot") \
                    else None
                if cached is None:
                    raise errors.LedgerUnavailable("offline and no cached copy for this card") from None
                return Identified("card", cached, id_number)
            return None

        def ok(result: Identified | None) -> None:
            self.busy = False
            if result is None:
                self.card_id_number = id_number
                self._confirm(NEEDS_CONFIRMATION)
            else:
                self._done(result)

        self._start(work, ok)

    def by_password(self, id_number: str, password: str) -> None:
        card = bool(self.card_id_number) and self.card_id_number == id_number
        method: Method = "card" if card else "password"
        wire = "card+password" if card else "password"
        self._start(lambda: self._open(method, wire, id_number=id_number, password=password))

    def by_token(self, text: str) -> None:
        services: Services = self.ctx.services
        verifier = services.token_verifier
        if verifier is None:
            self._failed(Problem("no_verifier", "本机暂不支持扫码登录，请使用身份证或密码。",
                                 "QR sign-in is not set up on this terminal; use your ID card or password."))
            return
        try:  # offline and instant: the signature is checked here before anything is sent
            member_id = verifier.verify(text, int(time.time())).member_id
        except TokenError as exc:
            self._failed(problem_from(exc))
            return
        card = self.card_id_number

        def work() -> Identified:
            try:
                return self._open("qr", "card+qr" if card else "qr", id_number=card, token=text)
            except _UNREACHABLE:
                # offline: the cached copy to look at, and the token travels with an application as its proof
                return Identified("qr", fetch_snapshot(services, member_id), card, None, text)

        self._start(work)

    def _open(self, method: Method, wire: str, *, id_number: str = "", password: str = "",
              token: str = "") -> Identified:
        """The ledger verifies the member and opens a session; the masked snapshot comes through it."""
        runtime = self.ctx.services.snapshots
        if runtime is None or not hasattr(runtime, "open_member_session"):
            raise errors.LedgerUnavailable("no ledger session support on this terminal")
        opened = runtime.open_member_session(wire, id_number=id_number, password=password, token=token)
        try:
            snapshot = runtime.session_snapshot(opened.token, id_number=id_number)
        except BaseException:
            runtime.end_member_session(opened.token)
            raise
        return Identified(method, snapshot, id_number, opened)

    def _start(self, work: Callable[[], Any], ok: Callable[[Any], None] | None = None) -> None:
        if self.busy:
            return
        self.busy = True

        def done(result: Identified) -> None:
            self.busy = False
            self.card_id_number = ""
            self._done(result)

        def bad(exc: BaseException) -> None:
            self.busy = False
            self._failed(problem_from(exc))

        self.ctx.ops.run(work, ok or done, bad)


def end_session_hook(ctx: Any) -> Callable[[str], None]:
    """What `Session.clear` calls to end the ledger session: in the background, never blocking a wipe."""
    runtime = ctx.services.snapshots

    def end(token: str) -> None:
        if runtime is not None and hasattr(runtime, "end_member_session"):
            ctx.ops.run(lambda: runtime.end_member_session(token))

    return end
