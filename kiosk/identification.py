"""Identifying a member: by ID card, by the app's QR token, or by ID number and query password.

None of them uses the face alone. Each path ends the same way: the member id is known, the
account snapshot is fetched (ledger first, the encrypted local cache when offline), and the
session begins. All I/O runs on the background worker; results come back on the GUI thread.
"""

from __future__ import annotations

import json
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
    """The member's snapshot: live from the ledger (cached for offline use), else the cache."""
    runtime = services.snapshots
    if runtime is not None and hasattr(runtime, "account_snapshot"):
        snapshot: AccountSnapshot = runtime.account_snapshot(member_id)
        return snapshot
    try:
        if services.ledger is None:
            raise errors.LedgerUnavailable("no ledger client on this terminal")
        snapshot = AccountSnapshot.from_json(json.loads(services.ledger.snapshot(member_id)))
    except (errors.LedgerUnavailable, errors.LedgerTimeout, errors.LedgerServerError):
        cached = services.snapshots.get(member_id) if services.snapshots is not None else None
        if cached is None:
            raise errors.SnapshotUnavailable("no live answer and no cached copy") from None
        found: AccountSnapshot = cached
        return found
    if services.snapshots is not None:
        services.snapshots.put(snapshot)
    return snapshot


class Identifier:
    """Runs one identification at a time; calls `done(method, snapshot, id_number)` or `failed(problem)`."""

    def __init__(self, ctx: Any, done: Callable[[Method, AccountSnapshot, str], None],
                 failed: Callable[[Problem], None]) -> None:
        self.ctx = ctx
        self._done = done
        self._failed = failed
        self.busy = False

    def by_card(self, id_number: str) -> None:
        services: Services = self.ctx.services
        self._run("card", id_number, lambda: self._lookup(services, id_number))

    def by_password(self, id_number: str, password: str) -> None:
        services: Services = self.ctx.services

        def verify() -> str:
            if services.ledger is None:
                raise errors.LedgerUnavailable("no ledger client")
            return str(services.ledger.verify_password(id_number, password))

        self._run("password", id_number, verify)

    def by_token(self, text: str) -> None:
        services: Services = self.ctx.services
        verifier = services.token_verifier
        if verifier is None:
            self._failed(Problem("no_verifier", "本机暂不支持扫码登录，请使用身份证或密码。",
                                 "QR sign-in is not set up on this terminal; use your ID card or password."))
            return
        try:  # offline and instant: no need for the worker
            member_id = verifier.verify(text, int(time.time())).member_id
        except TokenError as exc:
            self._failed(problem_from(exc))
            return
        self._run("qr", "", lambda: member_id)

    @staticmethod
    def _lookup(services: Services, id_number: str) -> str:
        if services.ledger is None:
            raise errors.LedgerUnavailable("no ledger client")
        return str(services.ledger.lookup_member(id_number))

    def _run(self, method: Method, id_number: str, resolve: Callable[[], str]) -> None:
        if self.busy:
            return
        self.busy = True
        services: Services = self.ctx.services

        def work() -> AccountSnapshot:
            return fetch_snapshot(services, resolve())

        def ok(snapshot: AccountSnapshot) -> None:
            self.busy = False
            self._done(method, snapshot, id_number)

        def bad(exc: BaseException) -> None:
            self.busy = False
            self._failed(problem_from(exc))

        self.ctx.ops.run(work, ok, bad)
