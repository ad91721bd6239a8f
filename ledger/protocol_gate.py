"""Wire-protocol versions at the ledger's door (see infra/wire.py).

A pure ASGI middleware, like ledger.asgi: every /v1 request but health states its protocol
version (no header: version 1, what release 0.1 sends); a version this ledger does not accept
is answered HTTP 426 `protocol_unsupported` with the accepted versions, before any handler
runs, so nothing is applied. Every answer names the accepted versions in a header.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from infra import wire

EXEMPT_PATHS = ("/v1/health",)


class ProtocolGate:
    def __init__(self, app: ASGIApp, accepted: tuple[int, ...] = wire.ACCEPTED_VERSIONS) -> None:
        self.app, self.accepted = app, accepted
        self._header = (wire.ACCEPTED_HEADER.lower().encode("ascii"),
                        ",".join(str(v) for v in accepted).encode("ascii"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_versions(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), self._header]
            await send(message)

        path: str = scope.get("path", "")
        if path.startswith("/v1/") and path not in EXEMPT_PATHS:
            raw = dict(scope.get("headers", [])).get(wire.PROTOCOL_HEADER.lower().encode("ascii"))
            version = wire.parse_version(raw.decode("latin-1") if raw is not None else None)
            if version not in self.accepted:
                await self._refuse(send_with_versions, raw)
                return
        await self.app(scope, receive, send_with_versions)

    async def _refuse(self, send: Send, raw: bytes | None) -> None:
        accepted = ", ".join(str(v) for v in self.accepted)
        stated = raw.decode("latin-1", errors="replace")[:20] if raw is not None else "1"
        body: dict[str, Any] = {"error": {
            "code": wire.UNSUPPORTED_CODE,
            "zh": f"中心系统尚不支持该终端的协议版本 {stated}（支持 {accepted}）；"
                  "业务请保留在终端，待中心升级后再上传。",
            "en": f"This ledger does not speak protocol version {stated} (it accepts {accepted}); keep the "
                  "transactions on the terminal until the centre is upgraded.",
            "accepted": list(self.accepted)}}
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        await send({"type": "http.response.start", "status": 426,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]})
        await send({"type": "http.response.body", "body": data})


def install(app: FastAPI) -> None:
    app.add_middleware(ProtocolGate)
