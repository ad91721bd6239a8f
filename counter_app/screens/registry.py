"""The counter's screens in menu order (sign-in is not in the menu)."""

from __future__ import annotations

from counter_app.screens.base import Screen
from counter_app.screens.bundle import BundleScreen
from counter_app.screens.devices import DevicesScreen
from counter_app.screens.intake import IntakeScreen
from counter_app.screens.loan_application import LoanApplicationScreen
from counter_app.screens.queue import QueueScreen
from counter_app.screens.refused import RefusedScreen
from counter_app.screens.report import ReportScreen
from counter_app.screens.review import ReviewScreen
from counter_app.screens.staff import StaffScreen
from counter_app.screens.worklist import WorklistScreen

MENU: tuple[type[Screen], ...] = (QueueScreen, IntakeScreen, WorklistScreen, ReviewScreen, RefusedScreen, BundleScreen,
                                  ReportScreen, StaffScreen, DevicesScreen, LoanApplicationScreen)
