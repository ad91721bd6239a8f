"""The ledger's HTTP client of the data-sharing exchange: timeouts, retries with backoff, signatures."""

from __future__ import annotations

import time
from typing import Any, Protocol

import requests

from domain.exchange_contract import (
    LOOKUP_PATH,
    ContractError,
    LookupRequest,
    LookupResponse,
    public_key,
    verify_response,
)
from infra.logs import get_logger
from ledger.exchange.settings import ExchangeSettings

log = get_logger("ledger.exchange")


class ExchangeUnavailableError(Exception):
    """The exchange gave no usable answer. `kind`: timeout | unavailable | bad_answer; zh/en for the clerk."""

    def __init__(self, kind: str, zh: str, en: str) -> None:
        super().__init__(f"{kind}: {en}")
        self.kind, self.zh, self.en = kind, zh, en


class HttpPoster(Protocol):
    """What the client needs of an HTTP session (requests.Session; FastAPI's TestClient in tests)."""

    def post(self, url: str, *, json: Any, timeout: float) -> Any: ...


class ExchangeClient:
    def __init__(self, settings: ExchangeSettings, http: HttpPoster | None = None,
                 sleep: Any = time.sleep, clock: Any = time.monotonic) -> None:
        self.settings = settings
        self._key = public_key(settings.public_key)
        self._http: HttpPoster = http if http is not None else requests.Session()
        self._sleep, self._clock = sleep, clock
        self._paused_until = 0.0  # after a timeout: fail fast until then (settings.timeout_pause_s)

    def lookup(self, request: LookupRequest) -> LookupResponse:
        """One look-up: the verified answer, or ExchangeUnavailableError after the retries."""
        s = self.settings
        if self._clock() < self._paused_until:
            raise ExchangeUnavailableError("timeout", "数据共享交换平台刚才未应答，暂不查询",
                                           "the data-sharing exchange just timed out; not asked again yet")
        url = s.url.rstrip("/") + LOOKUP_PATH
        last = ExchangeUnavailableError("unavailable", "数据共享交换平台无法连接",
                                        "the data-sharing exchange is unreachable")
        for attempt in range(s.retries + 1):
            if attempt:
                self._sleep(s.backoff_s * 2 ** (attempt - 1))
            try:
                response = self._http.post(url, json=request.to_json(), timeout=s.timeout_s)
            except requests.Timeout:
                last = ExchangeUnavailableError("timeout", f"数据共享交换平台 {s.timeout_s:g} 秒内未应答",
                                           f"the data-sharing exchange did not answer within {s.timeout_s:g} s")
                continue
            except requests.RequestException as exc:
                last = ExchangeUnavailableError("unavailable", "数据共享交换平台无法连接",
                                           f"the data-sharing exchange is unreachable ({type(exc).__name__})")
                continue
            status = int(response.status_code)
            if status >= 500 or status == 429:
                last = ExchangeUnavailableError("unavailable", f"数据共享交换平台暂停服务（HTTP {status}）",
                                           f"the data-sharing exchange is out of service (HTTP {status})")
                continue
            if status != 200:
                raise ExchangeUnavailableError("bad_answer", f"数据共享交换平台拒绝了查询（HTTP {status}）",
                                          f"the data-sharing exchange refused the look-up (HTTP {status})")
            try:
                envelope = response.json()
                if envelope.get("key_id") != s.key_id:
                    raise ContractError("交换平台签名密钥编号不符 / the exchange signed with an unexpected key id")
                return verify_response(envelope, request, self._key)
            except (ValueError, AttributeError) as exc:  # ContractError is a ValueError
                log.warning("exchange answer refused for %s: %s", request.topic, exc)
                raise ExchangeUnavailableError("bad_answer", "数据共享交换平台的应答未通过核验",
                                          "the data-sharing exchange's answer failed verification") from None
        log.info("exchange look-up %s failed after %d attempt(s): %s", request.topic, s.retries + 1, last.kind)
        if last.kind == "timeout" and s.timeout_pause_s > 0:
            self._paused_until = self._clock() + s.timeout_pause_s
        raise last

    def close(self) -> None:
        close = getattr(self._http, "close", None)
        if close is not None:
            close()
