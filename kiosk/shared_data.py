"""Where the kiosk gets facts from other departments (人社, 不动产, 住建 …) for zero-material withdrawals.

The rules (domain.withdrawals) decide on an `AccountSnapshot` plus `SharedData`; each fact names
the department it came from, and only facts that really came by data sharing can support an
instant approval (秒批). A terminal with no data-sharing adapter uses `NoSharedData`: every
decision then lists what the member must bring (the one-time notice), which is the truth.
"""

from __future__ import annotations

from typing import Protocol

from domain.account import AccountSnapshot
from domain.evidence import SharedData


class SharedDataSource(Protocol):
    def facts_for(self, snapshot: AccountSnapshot) -> SharedData: ...


class NoSharedData:
    """No department is connected: nothing is known beyond the fund's own ledger."""

    def facts_for(self, snapshot: AccountSnapshot) -> SharedData:
        return SharedData()
