"""The ledger API client (protocol v1): signed requests, timeouts, TLS, typed errors.

Every /v1 call except health is signed with the terminal's Ed25519 key (see `protocol.signing`).
Each answer's `X-HPF-Server-Time` is remembered; when the ledger refuses a timestamp (401
`clock_skew`) the client starts applying the measured offset and repeats the request once, so a
terminal whose clock is minutes off still syncs. Repeating is safe: a refused request was not
applied, and transactions carry idempotency keys anyway."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests

from infra import wire
from infra.logs import get_logger
from protocol import sessions as member_sessions
from sync import errors
from sync.signing import TerminalKey, signed_headers

log = get_logger("sync")

MAX_BATCH = 200
REFERENCE_NAMES = ("policy", "rates", "catalogue", "holidays", "outlets")


@dataclass(frozen=True)
class Reason:
    code: str
    zh: str
    en: str


@dataclass(frozen=True)
class ItemResult:
    """The ledger's answer for one transaction of a batch."""

    idempotency_key: str
    status: str  # accepted | rejected | conflict
    ledger_id: str | None
    reason: Reason | None
    result: dict[str, Any]


@dataclass(frozen=True)
class Reference:
    name: str
    body: Any | None  # None when not modified (304)
    etag: str | None
    not_modified: bool


def encode_json(obj: Any) -> bytes:
    """Compact UTF-8 JSON: the exact bytes that are signed are the bytes that are sent."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class LedgerClient:
    def __init__(self, base_url: str, key_id: str, key: TerminalKey | str | Path, *, timeout_s: float = 5.0,
                 connect_timeout_s: float | None = None, verify_tls: bool = True,
                 clock: Callable[[], float] = time.time, session: requests.Session | None = None) -> None:
        parts = urlsplit(base_url.rstrip("/"))
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"ledger url {base_url!r}: expected http(s)://host[:port][/prefix]")
        self.base_url = base_url.rstrip("/")
        self._prefix = parts.path
        self.key_id = key_id
        # The terminal's private key, or the path of its PEM file.
        self._key = key if isinstance(key, TerminalKey) else TerminalKey.load(Path(key))
        self.timeout = (connect_timeout_s or min(timeout_s, 3.0), timeout_s)
        self.verify_tls = verify_tls
        self._clock = clock
        self._shared_session = session
        self._local = threading.local()  # requests.Session is not thread-safe: one per thread
        self.clock_offset_s: float | None = None  # server minus local, from X-HPF-Server-Time
        self.apply_offset = False

    @property
    def _session(self) -> requests.Session:
        if self._shared_session is not None:
            return self._shared_session
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def close(self) -> None:
        """Close this thread's connections (other threads' sessions close when the threads end)."""
        self._session.close()

    # --- endpoints -------------------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        return _as_dict(self._call("GET", "/v1/health", signed=False).json())

    def post_transactions(self, terminal_id: str, items: Sequence[Mapping[str, Any]],
                          *, timeout_s: float | None = None) -> list[ItemResult]:
        """`timeout_s` overrides the read timeout for this call (the kiosk's "wait for the decision")."""
        if not 0 < len(items) <= MAX_BATCH:
            raise ValueError(f"a batch holds 1 to {MAX_BATCH} items, not {len(items)}")
        body = {"terminal_id": terminal_id, "items": list(items)}
        data = self._json(self._call("POST", "/v1/transactions", body=body, timeout_s=timeout_s))
        results = [_item_result(r) for r in _as_list(data.get("results"))]
        sent = [str(i["idempotency_key"]) for i in items]
        if [r.idempotency_key for r in results] != sent:
            raise errors.ProtocolError("the results do not match the items sent, key for key")
        return results

    def lookup_member(self, id_number: str) -> str:
        return str(self._json(self._call("POST", "/v1/members/lookup", body={"id_number": id_number}))
                   ["member_id"])

    def verify_password(self, id_number: str, password: str) -> str:
        body = {"id_number": id_number, "password": password}
        return str(self._json(self._call("POST", "/v1/members/verify-password", body=body))["member_id"])

    def snapshot(self, member_id: str) -> str:
        """The member's account snapshot as the JSON text the ledger sent (domain.account decodes it)."""
        response = self._call("GET", f"/v1/members/{_segment(member_id)}/snapshot")
        self._json(response)  # validates it is JSON
        return response.text

    def member_facts(self, member_id: str, withdrawal_type: str | None, authorisation: Mapping[str, str],
                     session_token: str | None = None) -> dict[str, Any]:
        """Department facts the ledger fetched from the exchange, for a provisional preview (sync.centre_facts).

        A kiosk sends the member's session (the ledger refuses a kiosk without one); a counter needs none."""
        body = {"withdrawal_type": withdrawal_type, "authorisation": dict(authorisation)}
        headers = {member_sessions.SESSION_HEADER: session_token} if session_token else None
        return self._json(self._call("POST", f"/v1/members/{_segment(member_id)}/facts", body=body,
                                     headers=headers))


    # --- member sessions (protocol.sessions): the ledger verifies the member, then serves that member only ---

    def open_session(self, method: str, *, id_number: str = "", password: str = "", token: str = "",
                     data: Mapping[str, str] | None = None) -> member_sessions.Opened:
        """Ask the ledger to verify the member and open a session (BadPassword/AuthError when it refuses)."""
        body = member_sessions.OpenRequest(method, id_number, password, token, dict(data or {})).to_json()
        return member_sessions.Opened.from_json(self._json(self._call("POST", member_sessions.OPEN_PATH, body=body)))

    def end_session(self, session_token: str) -> None:
        self._call("DELETE", member_sessions.END_PATH, headers={member_sessions.SESSION_HEADER: session_token})

    def session_snapshot(self, session_token: str) -> str:
        """The session member's (masked) account snapshot as the JSON text the ledger sent."""
        response = self._call("GET", member_sessions.SNAPSHOT_PATH,
                              headers={member_sessions.SESSION_HEADER: session_token})
        self._json(response)
        return response.text

    def session_schedule(self, session_token: str, loan_id: str) -> Any:
        path = member_sessions.SCHEDULE_PATH.replace("{loan_id}", _segment(loan_id))
        return self._json(self._call("GET", path, headers={member_sessions.SESSION_HEADER: session_token}))

    def reference(self, name: str, etag: str | None = None) -> Reference:
        if name not in REFERENCE_NAMES:
            raise ValueError(f"unknown reference data {name!r}; one of {', '.join(REFERENCE_NAMES)}")
        headers = {"If-None-Match": etag} if etag else {}
        response = self._call("GET", f"/v1/reference/{name}", headers=headers)
        new_etag = response.headers.get("ETag") or etag
        if response.status_code == 304:
            return Reference(name, None, new_etag, True)
        return Reference(name, response.json(), new_etag, False)

    def heartbeat(self, terminal_id: str, status: Mapping[str, Any]) -> None:
        self._call("POST", "/v1/terminals/heartbeat", body={"terminal_id": terminal_id, "status": dict(status)})

    def cases(self, status: str | None = None, assignee: str | None = None) -> Any:
        params = {k: v for k, v in (("status", status), ("assignee", assignee)) if v is not None}
        return self._call("GET", "/v1/cases", params=params).json()

    def case(self, case_id: str) -> Any:
        return self._call("GET", f"/v1/cases/{_segment(case_id)}").json()

    def queue(self, outlet: str) -> Any:
        return self._call("GET", "/v1/queue", params={"outlet": outlet}).json()

    # --- the hall queue (issue 11, ledger/hall_queue.py) ---

    def queue_take(self, outlet: str, business: str, priority: bool = False) -> dict[str, Any]:
        """A ticket numbered by the ledger: {"ticket_no", "line", "priority", "ahead", "issued_at", ...}."""
        body = {"outlet": outlet, "business": business, "priority": priority}
        return self._json(self._call("POST", "/v1/queue/tickets", body=body))

    def queue_call_next(self, outlet: str, window: str, lines: Sequence[str], clerk: str = "") -> dict[str, Any] | None:
        """The next ticket for this window, claimed by it alone (None when nobody waits)."""
        body = {"outlet": outlet, "window": window, "lines": list(lines), "clerk": clerk}
        ticket = self._json(self._call("POST", "/v1/queue/call-next", body=body)).get("ticket")
        return ticket if isinstance(ticket, dict) else None

    def queue_offline_block(self, outlet: str) -> dict[str, Any]:
        """This terminal's offline ticket block in the hall: {"slot", "prefix", "first", "last"}."""
        return self._json(self._call("POST", "/v1/queue/offline-block", body={"outlet": outlet}))

    # --- transport -------------------------------------------------------------------------------

    def staff_sign_in(self, username: str, password: str) -> dict[str, Any]:
        """A staff member's sign-in at this counter (protocol.staff): their session token and roles."""
        from protocol.staff import STAFF_SIGN_IN_PATH

        return self._json(self._call("POST", STAFF_SIGN_IN_PATH, body={"username": username, "password": password}))

    def staff_sign_out(self, token: str) -> None:
        from protocol.staff import STAFF_SESSION_HEADER, STAFF_SIGN_OUT_PATH

        self._call("POST", STAFF_SIGN_OUT_PATH, body={}, headers={STAFF_SESSION_HEADER: token})

    def staff_accounts(self, token: str) -> list[dict[str, Any]]:
        from protocol.staff import STAFF_ACCOUNTS_PATH, STAFF_SESSION_HEADER

        body = self._json(self._call("GET", STAFF_ACCOUNTS_PATH, headers={STAFF_SESSION_HEADER: token}))
        return _as_list(body.get("accounts"))

    def staff_unlock(self, token: str, username: str) -> None:
        from protocol.staff import STAFF_SESSION_HEADER, STAFF_UNLOCK_PATH

        self._call("POST", STAFF_UNLOCK_PATH, body={"username": username}, headers={STAFF_SESSION_HEADER: token})

    def now(self) -> int:
        """The timestamp to sign with: local time, corrected once the ledger said we are off."""
        offset = self.clock_offset_s if self.apply_offset and self.clock_offset_s is not None else 0.0
        return int(self._clock() + offset)

    def _call(self, method: str, path: str, *, body: Any = None, params: Mapping[str, str] | None = None,
              headers: Mapping[str, str] | None = None, signed: bool = True,
              timeout_s: float | None = None) -> requests.Response:
        try:
            return self._send(method, path, body, params, headers, signed, timeout_s)
        except errors.ClockSkewError:
            if self.apply_offset or self.clock_offset_s is None:
                raise
            self.apply_offset = True
            log.info("terminal clock is %.0f s off the ledger's; correcting request timestamps",
                     self.clock_offset_s)
            return self._send(method, path, body, params, headers, signed, timeout_s)

    def _send(self, method: str, path: str, body: Any, params: Mapping[str, str] | None,
              headers: Mapping[str, str] | None, signed: bool, timeout_s: float | None = None) -> requests.Response:
        path_q = self._prefix + path + (f"?{urlencode(params)}" if params else "")
        data = encode_json(body) if body is not None else b""
        all_headers = {wire.PROTOCOL_HEADER: str(wire.PROTOCOL_VERSION), **(headers or {})}
        if body is not None:
            all_headers["Content-Type"] = "application/json"
        if signed:
            all_headers.update(signed_headers(self.key_id, self._key, method, path_q, data, self.now()))
        url = self.base_url[: len(self.base_url) - len(self._prefix)] + path_q
        timeout = self.timeout if timeout_s is None else (min(self.timeout[0], timeout_s), timeout_s)
        try:
            response = self._session.request(method, url, data=data or None, headers=all_headers,
                                             timeout=timeout, verify=self.verify_tls)
        except requests.exceptions.SSLError as exc:
            raise errors.TlsError(str(exc)) from exc
        except requests.exceptions.ConnectTimeout as exc:
            raise errors.LedgerUnavailable(f"connect timeout: {exc}") from exc
        except requests.exceptions.Timeout as exc:
            raise errors.LedgerTimeout(f"{method} {path}: no answer in {timeout[1]} s") from exc
        except requests.exceptions.RequestException as exc:
            raise errors.LedgerUnavailable(f"{method} {path}: {exc}") from exc
        self._learn_offset(response)
        if response.status_code >= 400:
            raise _error_for(response)
        return response

    def _learn_offset(self, response: requests.Response) -> None:
        server_time = response.headers.get("X-HPF-Server-Time")
        if server_time:
            try:
                self.clock_offset_s = float(server_time) - self._clock()
            except ValueError:
                pass

    @staticmethod
    def _json(response: requests.Response) -> dict[str, Any]:
        try:
            return _as_dict(response.json())
        except ValueError as exc:
            raise errors.ProtocolError(f"answer is not JSON: {response.text[:200]!r}") from exc


def _segment(value: str) -> str:
    if not value or "/" in value or "?" in value or "#" in value:
        raise ValueError(f"{value!r} cannot be used in a URL path")
    return value


def _as_dict(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise errors.ProtocolError(f"expected a JSON object, got {type(value).__name__}")
    return value


def _as_list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise errors.ProtocolError(f"expected a JSON list, got {type(value).__name__}")
    return value


def _item_result(raw: Any) -> ItemResult:
    item = _as_dict(raw)
    status = item.get("status")
    if status not in ("accepted", "rejected", "conflict"):
        raise errors.ProtocolError(f"unknown item status {status!r}")
    reason = item.get("reason")
    result = item.get("result")
    return ItemResult(
        idempotency_key=str(item.get("idempotency_key")),
        status=status,
        ledger_id=None if item.get("ledger_id") is None else str(item["ledger_id"]),
        reason=Reason(str(reason.get("code", "")), str(reason.get("zh", "")), str(reason.get("en", "")))
        if isinstance(reason, dict) else None,
        result=result if isinstance(result, dict) else {},
    )


def _error_body(response: requests.Response) -> dict[str, str]:
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        return {}
    return {k: str(error[k]) for k in ("code", "zh", "en") if isinstance(error, dict) and error.get(k)}


def _error_for(response: requests.Response) -> errors.LedgerError:
    status = response.status_code
    body = _error_body(response)
    detail = f"HTTP {status} {body.get('code', '')}: {body.get('en', response.reason)}".strip()
    cls: type[errors.LedgerError]
    if status >= 500:
        return errors.LedgerServerError(detail, status=status)
    if status == 426 or body.get("code") == wire.UNSUPPORTED_CODE:  # a ledger older than this terminal
        accepted = response.headers.get(wire.ACCEPTED_HEADER, "?")
        return errors.ProtocolUnsupported(f"{detail} (terminal speaks {wire.PROTOCOL_VERSION}, ledger accepts "
                                          f"{accepted})", status=status)
    if status == 401:
        cls = {"clock_skew": errors.ClockSkewError, "bad_password": errors.BadPassword}.get(
            body.get("code", ""), errors.AuthError)
    elif status == 404:
        cls = errors.NotFound
    else:
        cls = errors.LedgerRejected
    return cls(detail, code=body.get("code"), zh=body.get("zh"), en=body.get("en"), status=status)
