"""`POST /v1/terminals/enrol`: a terminal spends its one-time code on its own public key.

Unsigned (the terminal has no key yet; the code is the credential, 150 random bits, single use,
expiring). See `protocol.enrolment`.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from ledger import terminals
from protocol.enrolment import ENROL_PATH


class EnrolIn(BaseModel):
    code: str = Field(max_length=64)
    public_key: str = Field(max_length=64)


class EnrolOut(BaseModel):
    key_id: str
    terminal_id: str
    role: str
    outlet: str


def install(app: FastAPI) -> None:
    @app.post(ENROL_PATH, response_model=EnrolOut, tags=["terminals"])
    async def enrol(body: EnrolIn, request: Request) -> dict[str, str]:
        done = await run_in_threadpool(terminals.enrol, request.app.state.sessions, body.code, body.public_key)
        return {"key_id": done.key_id, "terminal_id": done.terminal_id, "role": done.role, "outlet": done.outlet}
