"""The terminal side of the hall's help calls (ledger/help_calls.py): signed like every /v1 call.

Functions over a `sync.client.LedgerClient`, kept out of the client class so the help calls stay
one module: the kiosk places a call, a counter lists its hall's open calls and answers one.
"""

from __future__ import annotations

from typing import Any

from sync.client import LedgerClient


def call_staff(client: LedgerClient, outlet: str, reason: str = "general") -> dict[str, Any]:
    """呼叫工作人员 from a kiosk; the ledger answers with the call (the same one again while it is open)."""
    return client._json(client._call("POST", "/v1/help-calls", body={"outlet": outlet, "reason": reason}))


def open_help_calls(client: LedgerClient, outlet: str) -> list[dict[str, Any]]:
    """A counter: today's open help calls of its hall, oldest first."""
    calls = client._json(client._call("GET", "/v1/help-calls", params={"outlet": outlet})).get("calls", [])
    return [c for c in calls if isinstance(c, dict)] if isinstance(calls, list) else []


def answer_help_call(client: LedgerClient, call_id: int, window: str) -> dict[str, Any]:
    return client._json(client._call("POST", f"/v1/help-calls/{int(call_id)}/answer", body={"window": window}))
