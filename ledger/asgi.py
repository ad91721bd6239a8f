"""Two tiny ASGI middlewares: `X-HPF-Server-Time` on every response, and a request body limit.

Pure ASGI rather than BaseHTTPMiddleware: the header is added on `http.response.start`
without buffering or re-wrapping the body, so errors and 304s get it too.
"""

from __future__ import annotations

import json
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


class BodyLimit:
    """Refuse a request body above `max_bytes` before reading it (HTTP 413, the usual JSON error)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            length = dict(scope.get("headers", [])).get(b"content-length", b"0")
            if not length.isdigit() or int(length) > self.max_bytes:
                await self._refuse(send)
                return
            received = 0

            async def counting_receive() -> Message:
                nonlocal received
                message = await receive()
                received += len(message.get("body", b""))
                if received > self.max_bytes:  # chunked bodies have no content-length to check up front
                    raise ValueError("request body too large")
                return message

            await self.app(scope, counting_receive, send)
            return
        await self.app(scope, receive, send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"error": {"code": "too_large", "zh": f"请求内容超过 {self.max_bytes // 1024} KB。",
                                     "en": f"The request body exceeds {self.max_bytes // 1024} KB."}},
                          ensure_ascii=False).encode("utf-8")
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"x-hpf-server-time", str(int(time.time())).encode("ascii"))]})
        await send({"type": "http.response.body", "body": body})
