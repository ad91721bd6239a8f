"""Online first: a small `POST /v1/transactions` (one application, a person at a kiosk waiting for the
decision) marks itself online from the moment it arrives, so the ledger's backlog batches pause between
items (`ledger.service.ONLINE`) while it is authenticated, decided and answered — not only while its
item is applied. A request is "small" by its declared length: one item is a few kilobytes, a backlog
batch of the sender (up to 200 items) tens or hundreds. This only orders CPU work; it changes no answer.
"""

from __future__ import annotations

from typing import Any

from ledger.service import ONLINE

ONLINE_MAX_BYTES = 16 * 1024
PATH = "/v1/transactions"


def _small(scope: dict[str, Any]) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value) <= ONLINE_MAX_BYTES
            except ValueError:
                return False
    return False


class OnlineFirst:
    """ASGI middleware: `app.add_middleware(OnlineFirst)`."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope.get("type") == "http" and scope.get("method") == "POST" and scope.get("path") == PATH \
                and _small(scope):
            with ONLINE.online():
                await self.app(scope, receive, send)
            return
        await self.app(scope, receive, send)
