"""A tiny ASGI middleware: every response carries `X-HPF-Server-Time` (unix seconds).

Pure ASGI rather than BaseHTTPMiddleware: it adds the header on `http.response.start` and
does not buffer or re-wrap the body, so errors and 304s get the header too.
"""

from __future__ import annotations

import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class ServerTimeHeader:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_time(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: list[Any] = list(message.get("headers", []))
                headers.append((b"x-hpf-server-time", str(int(time.time())).encode("ascii")))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_time)
