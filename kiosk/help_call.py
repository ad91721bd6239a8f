"""呼叫工作人员 from the kiosk: one signed call to the ledger, which shows it on the counters' work
list and the hall display (ledger/help_calls.py). Offline there is nobody to tell: the screen shows
the hall's help number only. The call carries the hall and a reason code, nothing about the member."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from infra.logs import get_logger

log = get_logger("kiosk")

# the screen the member was on -> the reason code the counters see
REASONS = {"identify": "identify", "card-unreadable": "card_reader", "card-expired": "identify",
           "member-not-found": "identify", "password-locked": "identify", "paper-out-during-print": "printer",
           "printing": "printer", "receipt": "printer", "withdraw": "withdrawal", "withdraw_decision": "withdrawal",
           "withdraw-refused": "withdrawal", "queue": "queue", "queue-ticket": "queue"}


def ledger_client(ctx: Any) -> Any:
    services = ctx.services
    client = services.ledger or getattr(services.sync, "client", None) or getattr(services.outbox, "client", None)
    return client if client is not None and hasattr(client, "_call") else None


def place_call(ctx: Any, done: Callable[[str], None]) -> None:
    """Calls `done("called")` once the ledger took the call, `done("offline")` when it can't be told."""
    window = ctx.window
    client = ledger_client(ctx)
    online = window.state.online if window is not None and hasattr(window, "state") else True
    if client is None or not online:
        done("offline")
        return
    previous = ""
    if window is not None and getattr(window, "_history", None):
        previous = window._history[-1][0]
    reason = REASONS.get(previous, "general")
    outlet = ctx.config.terminal.outlet

    def work() -> str:
        from sync.help_calls import call_staff

        call_staff(client, outlet, reason)
        return "called"

    def failed(exc: BaseException) -> None:
        log.info("help call not delivered: %s", exc)
        done("offline")

    ctx.ops.run(work, done, failed)
