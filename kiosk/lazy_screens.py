"""The kiosk's screens by name, for the window to build on first use (`ui.lazy_widgets`).

Building all twenty screens before the first frame cost most of the kiosk's start-up; a member
touching the home screen needs the home screen. The window is given `SCREENS`, references by
module and class name rather than the classes: a screen's module (and what it imports: QtCharts,
the printer package, the policies) is imported when the screen is first built, not before the
first frame. `kiosk.screens.registry.all_screens()` is the same list as imported classes (tests
check that both agree).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.screens.base import Screen


class ScreenRef:
    """A screen class by name, imported on first use. (A plain class: a frozen dataclass would
    generate its methods at import, before the first frame, for a record nothing compares.)"""

    __slots__ = ("name", "module", "cls")

    def __init__(self, name: str, module: str, cls: str) -> None:
        self.name = name
        self.module = module
        self.cls = cls

    def __repr__(self) -> str:
        return f"ScreenRef({self.name!r}, {self.module!r}, {self.cls!r})"

    def load(self) -> type[Screen]:
        loaded: type[Screen] = getattr(importlib.import_module(self.module), self.cls)
        return loaded


def _ref(name: str, module: str, cls: str) -> ScreenRef:
    return ScreenRef(name, f"kiosk.screens.{module}", cls)


# In the order of `registry.all_screens()`.
SCREENS: tuple[ScreenRef, ...] = (
    _ref("home", "home", "HomeScreen"), _ref("identify", "identify", "IdentifyScreen"),
    _ref("account", "account", "AccountScreen"), _ref("deposits", "deposits", "DepositsScreen"),
    _ref("withdrawal_history", "withdrawal_history", "WithdrawalHistoryScreen"), _ref("loan", "loan", "LoanScreen"),
    _ref("calculator", "calculator", "CalculatorScreen"), _ref("precheck", "precheck", "PrecheckScreen"),
    _ref("withdraw", "withdraw", "WithdrawScreen"),
    _ref("withdraw_decision", "withdraw_decision", "WithdrawDecisionScreen"),
    _ref("receipt", "receipt", "ReceiptScreen"), _ref("print", "printing", "PrintScreen"),
    _ref("loan_apply", "loan_apply", "LoanApplyScreen"), _ref("outlets", "outlets", "OutletsScreen"),
    _ref("card", "card_signing", "CardSigningScreen"),
    _ref("transfer", "transfer", "TransferScreen"), _ref("notice", "notice", "NoticeScreen"),
    _ref("queue", "queue", "QueueScreen"), _ref("rating", "rating", "RatingScreen"),
    _ref("technician", "technician", "TechnicianScreen"), _ref("maintenance", "maintenance", "MaintenanceScreen"),
    # issue 13: the states between the services (kiosk/screens/states.py state_screens())
    *(ScreenRef(name, "kiosk.screens.states", cls) for name, cls in (
        ("card-unreadable", "CardUnreadableScreen"), ("card-expired", "CardExpiredScreen"),
        ("member-not-found", "MemberNotFoundScreen"), ("password-locked", "PasswordLockedScreen"),
        ("account-frozen", "AccountFrozenScreen"), ("withdraw-refused", "WithdrawRefusedScreen"),
        ("printing", "PrintingScreen"), ("paper-out-during-print", "PaperOutScreen"), ("take-card", "TakeCardScreen"),
        ("queue-ticket", "QueueTicketScreen"), ("help-called", "HelpCalledScreen"))),
)
