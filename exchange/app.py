"""The exchange simulator's HTTP API (FastAPI).

    POST /v1/lookup        the contract of domain.exchange_contract: a signed answer
    GET  /v1/health        {"status": "ok", "mode": ...}
    POST /admin/mode       {"mode": normal|latency|timeout|outage|no_record, "latency_s"?, "hang_s"?}
    POST /admin/records    {"id_number", "topic", "status", "facts"}: what a department answers from now on
    GET  /admin/lookups    the requests received (newest last), for tests and the demo console
    POST /admin/mortgages  {"delay_s"?, "complete_on_poll"?}: when the registry completes mortgage registrations
    POST /admin/mortgages/{receipt}/complete   complete one now

The admin routes exist for the demo and the tests (loopback); a real exchange has none.
"""

from __future__ import annotations

import asyncio
import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from domain.exchange_contract import (
    LOOKUP_PATH,
    TOPICS,
    ContractError,
    LookupResponse,
    Status,
    parse_request,
    sign_response,
)
from exchange.demo_keys import DEMO_KEY_ID, load_demo_private_key
from exchange.registry import DemoRegistry
from infra.logs import get_logger

log = get_logger("exchange")

MAX_KEPT_REQUESTS = 1000


class Mode(enum.StrEnum):
    NORMAL = "normal"
    LATENCY = "latency"      # every answer after `latency_s`
    TIMEOUT = "timeout"      # every answer after `hang_s` (longer than any sane client timeout)
    OUTAGE = "outage"        # 503 to every look-up
    NO_RECORD = "no_record"  # every department answers that it holds nothing


@dataclass
class SimulatorState:
    registry: DemoRegistry
    mode: Mode = Mode.NORMAL
    latency_s: float = 0.5
    hang_s: float = 30.0
    received: list[dict[str, Any]] = field(default_factory=list)


def _error(status: int, code: str, zh: str, en: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "zh": zh, "en": en}}, status_code=status)


class ModeIn(BaseModel):
    mode: Mode
    latency_s: float | None = None
    hang_s: float | None = None


class RecordIn(BaseModel):
    id_number: str
    topic: str
    status: Status = Status.OK
    facts: dict[str, Any] = {}


class MortgageDeskIn(BaseModel):
    delay_s: float | None = None
    complete_on_poll: int | None = None


def create_app(registry: DemoRegistry | None = None, *, mode: Mode = Mode.NORMAL, latency_s: float = 0.5,
               hang_s: float = 30.0, key: Ed25519PrivateKey | None = None, key_id: str = DEMO_KEY_ID) -> FastAPI:
    state = SimulatorState(registry or DemoRegistry.seeded(), mode, latency_s, hang_s)
    signing_key = key or load_demo_private_key()
    app = FastAPI(title="HPF data-sharing exchange simulator (DEMO)", version="1",
                  description="Answers department look-ups about the demo people, signed with a demo key.")
    app.state.sim = state

    @app.get("/v1/health")
    def health() -> dict[str, str]:
        return {"status": "ok", "mode": state.mode.value, "demo": "true"}

    @app.post(LOOKUP_PATH)
    async def lookup(request: Request) -> JSONResponse:
        try:
            data = await request.json()
        except ValueError:
            return _error(400, "bad_request", "请求不是有效的 JSON。", "The request is not valid JSON.")
        try:
            looked = parse_request(data)
        except ContractError as exc:
            zh, _, en = str(exc).partition(" / ")
            return _error(400, "bad_request", zh, en or zh)
        state.received.append({"topic": looked.topic, "id_number": looked.id_number, "purpose": looked.purpose,
                               "case_id": looked.case_id, "operator": looked.operator,
                               "authorisation": looked.authorisation.to_json(), "mode": state.mode.value})
        del state.received[:-MAX_KEPT_REQUESTS]
        if state.mode is Mode.OUTAGE:
            return _error(503, "outage", "交换平台维护中，暂停服务。", "The exchange is down for maintenance.")
        if state.mode is Mode.LATENCY:
            await asyncio.sleep(state.latency_s)
        elif state.mode is Mode.TIMEOUT:
            await asyncio.sleep(state.hang_s)
        if state.mode is Mode.NO_RECORD:
            status, facts = Status.NO_RECORD, dict[str, Any]()
        else:
            status, facts = state.registry.answer(looked.topic, looked.id_number, looked.params)
        department = TOPICS[looked.topic].department
        answer = LookupResponse(looked.request_id, looked.topic, looked.id_number, status, facts,
                                department.value, datetime.now(UTC).replace(microsecond=0))
        return JSONResponse(sign_response(answer, signing_key, key_id))

    @app.post("/admin/mode")
    def set_mode(body: ModeIn) -> dict[str, Any]:
        state.mode = body.mode
        if body.latency_s is not None:
            state.latency_s = max(0.0, body.latency_s)
        if body.hang_s is not None:
            state.hang_s = max(0.0, body.hang_s)
        log.info("exchange simulator mode: %s", state.mode.value)
        return {"mode": state.mode.value, "latency_s": state.latency_s, "hang_s": state.hang_s}

    @app.post("/admin/records")
    def set_record(body: RecordIn) -> JSONResponse:
        if body.topic not in TOPICS:
            return _error(400, "unknown_topic", f"不支持的主题 {body.topic}。", f"Unknown topic {body.topic}.")
        state.registry.overrides[(body.id_number, body.topic)] = (body.status, dict(body.facts))
        return JSONResponse({"ok": True})

    @app.post("/admin/mortgages")
    def mortgage_desk(body: MortgageDeskIn) -> dict[str, Any]:
        """How the registry completes mortgage registrations: after `delay_s`, or at the n-th status poll."""
        desk = state.registry.mortgages
        if body.delay_s is not None:
            desk.delay_s = max(0.0, body.delay_s)
        if body.complete_on_poll is not None:
            desk.complete_on_poll = max(0, body.complete_on_poll)
        return {"delay_s": desk.delay_s, "complete_on_poll": desk.complete_on_poll}

    @app.post("/admin/mortgages/{receipt_no}/complete")
    def mortgage_complete(receipt_no: str) -> JSONResponse:
        if not state.registry.mortgages.complete(receipt_no):
            return _error(404, "unknown_receipt", "没有该受理编号。", "There is no such receipt.")
        return JSONResponse({"ok": True})

    @app.get("/admin/lookups")
    def lookups() -> dict[str, Any]:
        return {"lookups": list(state.received)}

    return app
