"""Every kiosk screen class, in the order the screenshots walk them."""

from __future__ import annotations

from kiosk.screens.account import AccountScreen
from kiosk.screens.base import Screen
from kiosk.screens.calculator import CalculatorScreen
from kiosk.screens.card_signing import CardSigningScreen
from kiosk.screens.deposits import DepositsScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.identify import IdentifyScreen
from kiosk.screens.loan import LoanScreen
from kiosk.screens.loan_apply import LoanApplyScreen
from kiosk.screens.maintenance import MaintenanceScreen
from kiosk.screens.notice import NoticeScreen
from kiosk.screens.outlets import OutletsScreen
from kiosk.screens.precheck import PrecheckScreen
from kiosk.screens.printing import PrintScreen
from kiosk.screens.queue import QueueScreen
from kiosk.screens.rating import RatingScreen
from kiosk.screens.receipt import ReceiptScreen
from kiosk.screens.states import state_screens
from kiosk.screens.technician import TechnicianScreen
from kiosk.screens.transfer import TransferScreen
from kiosk.screens.withdraw import WithdrawScreen
from kiosk.screens.withdraw_decision import WithdrawDecisionScreen
from kiosk.screens.withdrawal_history import WithdrawalHistoryScreen


def all_screens() -> list[type[Screen]]:
    return [HomeScreen, IdentifyScreen, AccountScreen, DepositsScreen, WithdrawalHistoryScreen, LoanScreen,
            CalculatorScreen, PrecheckScreen, WithdrawScreen, WithdrawDecisionScreen, ReceiptScreen, PrintScreen,
            LoanApplyScreen, OutletsScreen, CardSigningScreen, TransferScreen,
            NoticeScreen, QueueScreen, RatingScreen, TechnicianScreen, MaintenanceScreen,
            *state_screens()]  # issue 13: the states between the services (kiosk/screens/states.py)
