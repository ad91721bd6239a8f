"""Why a home-screen tile's service can't be used, without building (or importing) its screen.

The home screen greys out a tile whose service isn't wired on this terminal. Asking the screen
itself (`Screen.unavailable_reason()`) means building it, and building the screens behind the
tiles — with QtCharts, the printer package and the policy files they import — cost most of the
kiosk's start-up. This module answers the same question from the services and the city's policy
files alone. Once a screen is built the window asks the screen (`KioskWindow.unavailable_reason`);
tests/kiosk/test_startup.py checks that both give the same sentence for every tile in every
combination of services and policy files.

The sentences keep the screen's translation context (its class name), so they read the same in
Chinese. Screens not listed here are asked the old way.

Policy files: `policies_loaded(city)` tells whether the parsed copies exist yet. Before they do,
a tile's policy condition is taken as met; `kiosk.app` loads them on a worker right after the
first frame and then refreshes the home screen, so a broken policy file greys its tiles a moment
later instead of delaying the first frame (the screens handle a missing policy themselves too).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:
    from kiosk.context import KioskContext

_translate = QCoreApplication.translate
_loaded: set[str] = set()


def policies_loaded(city: str) -> bool:
    return city in _loaded


def load_policies(city: str) -> None:
    """Parse the city's policy files once (the kiosk screens share `kiosk.policies`' cached copies).
    Safe on a worker thread: it touches no widget."""
    from kiosk import policies

    policies.catalogue(city)
    policies.rate_table(city)
    policies.loan_limit_policy(city)
    policies.withdrawal_policy(city)
    _transfer_rules_loaded(city)
    _loaded.add(city)


def _transfer_rules_loaded(city: str) -> bool:
    from domain.policy import PolicyError
    from domain.transfer import rules_from_policy
    from domain.workdays import calendar_from_policy
    from kiosk import policies

    try:
        table = policies.policy_table(city)
        rules_from_policy(table)
        calendar_from_policy(table)
    except (PolicyError, OSError, KeyError, ValueError):
        return False
    return True


def _city(ctx: KioskContext) -> str:
    return ctx.config.terminal.policy_city


def _catalogue_item(ctx: KioskContext, code: str) -> tuple[bool, object | None]:
    """(catalogue loaded, the item) — optimistic (True, None) before the policies are loaded."""
    from kiosk import policies

    catalogue = policies.catalogue(_city(ctx))
    return catalogue is not None, catalogue.items.get(code) if catalogue is not None else None


def _identify(ctx: KioskContext) -> str:
    return "" if ctx.services.can_identify() else _translate("IdentifyScreen", "The central system is not connected")


def _withdraw(ctx: KioskContext) -> str:
    if policies_loaded(_city(ctx)):
        from kiosk import policies

        if policies.catalogue(_city(ctx)) is None:
            return _translate("WithdrawScreen", "The business catalogue could not be loaded")
    if not ctx.services.can_apply():
        return _translate("WithdrawScreen", "Applications can't be saved on this terminal right now")
    return _identify(ctx)


def _calculator(ctx: KioskContext) -> str:
    if policies_loaded(_city(ctx)):
        from kiosk import policies

        if policies.rate_table(_city(ctx)) is None:
            return _translate("CalculatorScreen", "The rate table could not be loaded")
    return ""


def _precheck(ctx: KioskContext) -> str:
    if policies_loaded(_city(ctx)):
        from kiosk import policies

        if policies.loan_limit_policy(_city(ctx)) is None:
            return _translate("PrecheckScreen", "The loan rules could not be loaded")
    return _identify(ctx)


def _print(ctx: KioskContext) -> str:
    return _translate("PrintScreen", "This terminal has no printer") if ctx.services.printer is None \
        else _identify(ctx)


def _queue(ctx: KioskContext) -> str:
    if policies_loaded(_city(ctx)):
        from kiosk import policies

        if policies.catalogue(_city(ctx)) is None:
            return _translate("QueueScreen", "The business catalogue could not be loaded")
    return "" if ctx.services.can_apply() else _translate("QueueScreen",
                                                          "Tickets can't be issued on this terminal right now")


def _outlets(ctx: KioskContext) -> str:
    return "" if ctx.services.sync is not None else _translate("OutletsScreen", "The central system is not connected")


def _transfer(ctx: KioskContext) -> str:
    if policies_loaded(_city(ctx)):
        from domain.catalogue import Channel
        from domain.transfer import CATALOGUE_CODE

        _, item = _catalogue_item(ctx, CATALOGUE_CODE)
        if item is None or not item.offered_on(Channel.KIOSK):  # type: ignore[attr-defined]
            return _translate("TransferScreen", "At the counter or online")
        if not _transfer_rules_loaded(_city(ctx)):
            return _translate("TransferScreen", "The business catalogue could not be loaded")
    if not ctx.services.can_apply():
        return _translate("TransferScreen", "Applications can't be saved on this terminal right now")
    return _identify(ctx)


def _card(ctx: KioskContext) -> str:
    if policies_loaded(_city(ctx)):
        _, item = _catalogue_item(ctx, "card_signing")
        if item is None or "kiosk" not in {c.value for c in item.channels}:  # type: ignore[attr-defined]
            return _translate("CardSigningScreen", "At the counter only")
    if not ctx.services.can_apply():
        return _translate("CardSigningScreen", "Applications can't be saved on this terminal right now")
    return _identify(ctx)


# Screen name -> its unavailable_reason() from services and policies alone.
REASONS: dict[str, Callable[[KioskContext], str]] = {
    "identify": _identify,
    "account": _identify,  # every member screen: identification first
    "withdraw": _withdraw,
    "calculator": _calculator,
    "precheck": _precheck,
    "print": _print,
    "queue": _queue,
    "outlets": _outlets,
    "transfer": _transfer,
    "card": _card,
}
