"""Counter staff sign-in through the ledger, with an offline verifier cache.

Online, the counter sends the staff id and password to the ledger (`protocol.staff`), which checks
its central account (argon2, lockout, roles) and answers with a session token bound to this
terminal. The counter then keeps an argon2 verifier of that password for `offline_valid_hours`
(the ledger says how long: it accepts actions queued offline only that long after an online
sign-in) in a file readable by the service user only (0600). Offline, a staff member who signed in
online here recently signs in against that verifier; anyone else is told to wait for the network.
Five wrong passwords offline drop the verifier: the next sign-in must be online.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from domain.staff import SignInOutcome, StaffRole
from sync import errors
from sync.staff_store import StaffAccount

OFFLINE_MAX_FAILURES = 5
# Which role a person with several acts in at a counter: the one that approves is not the one that
# takes cases in, so a clerk+supervisor account signs in as supervisor (domain.staff's separation).
ROLE_ORDER = (StaffRole.SUPERVISOR, StaffRole.CLERK, StaffRole.TECHNICIAN, StaffRole.ADMIN)


@dataclass(frozen=True)
class RemoteSignIn:
    """The outcome of one sign-in attempt, shaped like sync.staff_store.SignInResult for the screens."""

    outcome: SignInOutcome
    account: StaffAccount | None
    zh: str = ""
    en: str = ""
    offline: bool = False
    token: str = ""
    offline_until: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is SignInOutcome.OK

    def message(self) -> tuple[str, str]:
        if self.ok:
            if self.offline:
                return ("离线登录：中心系统暂不可达，仅限近期在本柜台联机登录过的工作人员；"
                        "操作将在联网后由中心核验角色。",
                        "Signed in offline: the centre is unreachable. Only staff who signed in online at this "
                        "counter recently can; the centre checks your role for every action once back online.")
            return "登录成功", "Signed in"
        return self.zh, self.en


def _main_role(roles: list[str]) -> StaffRole | None:
    held = {r for r in roles}
    return next((r for r in ROLE_ORDER if r.value in held), None)


class StaffAuth:
    """Sign-in through the ledger client, falling back to the verifier cache when it is unreachable."""

    def __init__(self, client: Any, cache_path: Path, *, hasher: PasswordHasher | None = None,
                 clock: Any = None) -> None:
        self.client = client
        self.cache_path = Path(cache_path)
        self.hasher = hasher or PasswordHasher()
        self.clock = clock or (lambda: datetime.now(UTC))
        self._lock = threading.Lock()

    # --- the verifier cache (a JSON file, 0600) ---

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.cache_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _save(self, data: dict[str, Any]) -> None:
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.cache_path.parent, prefix=".staff-verifiers-")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.cache_path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def cached_staff(self) -> list[str]:
        now = self.clock()
        return sorted(u for u, e in self._load().items() if datetime.fromisoformat(e["expires_at"]) > now)

    def forget(self, username: str) -> None:
        with self._lock:
            data = self._load()
            if data.pop(username, None) is not None:
                self._save(data)

    # --- signing in ---

    def sign_in(self, username: str, password: str) -> RemoteSignIn:
        try:
            body = self.client.staff_sign_in(username, password)
        except (errors.LedgerUnavailable, errors.LedgerTimeout, errors.LedgerServerError):
            return self._offline(username, password)
        except errors.LedgerError as exc:
            return self._refused(exc)
        role = _main_role(list(body.get("roles", [])))
        if role is None:
            return RemoteSignIn(SignInOutcome.UNKNOWN, None, "该账号没有可在柜台使用的角色。",
                                "This account holds no role usable at a counter.")
        account = StaffAccount(str(body["username"]), str(body["name"]), role, True)
        until = self.clock() + timedelta(hours=int(body.get("offline_valid_hours", 0)))
        with self._lock:
            data = self._load()
            data[account.staff_id] = {"name": account.name, "roles": list(body.get("roles", [])),
                                      "verifier": self.hasher.hash(password), "expires_at": until.isoformat(),
                                      "failures": 0}
            self._save(data)
        return RemoteSignIn(SignInOutcome.OK, account, token=str(body.get("token", "")), offline_until=until)

    def _refused(self, exc: errors.LedgerError) -> RemoteSignIn:
        outcome = SignInOutcome.LOCKED if exc.code == "staff_locked" else SignInOutcome.BAD_PASSWORD
        return RemoteSignIn(outcome, None, exc.zh, exc.en)

    def _offline(self, username: str, password: str) -> RemoteSignIn:
        with self._lock:
            data = self._load()
            entry = data.get(username)
            now = self.clock()
            if entry is None or datetime.fromisoformat(entry["expires_at"]) <= now:
                return RemoteSignIn(SignInOutcome.UNKNOWN, None,
                                    "中心系统暂不可达：离线登录仅限近期在本柜台联机登录过的工作人员，请联网后再登录。",
                                    "The centre is unreachable: offline sign-in works only for staff who signed in "
                                    "online at this counter recently. Sign in once the network is back.")
            try:
                ok: bool = self.hasher.verify(entry["verifier"], password)
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                ok = False
            if not ok:
                entry["failures"] = int(entry.get("failures", 0)) + 1
                left = OFFLINE_MAX_FAILURES - entry["failures"]
                if left <= 0:
                    data.pop(username)
                    self._save(data)
                    return RemoteSignIn(SignInOutcome.LOCKED, None, "离线输错次数过多，请联网后再登录。",
                                        "Too many failed offline attempts: sign in online once the network is back.")
                self._save(data)
                return RemoteSignIn(SignInOutcome.BAD_PASSWORD, None, f"工号或密码错误（还可尝试{left}次）。",
                                    f"Wrong staff id or password ({left} attempts left).")
            entry["failures"] = 0
            self._save(data)
        role = _main_role(list(entry.get("roles", [])))
        if role is None:
            return RemoteSignIn(SignInOutcome.UNKNOWN, None, "该账号没有可在柜台使用的角色。",
                                "This account holds no role usable at a counter.")
        return RemoteSignIn(SignInOutcome.OK, StaffAccount(username, str(entry["name"]), role, True), offline=True,
                            offline_until=datetime.fromisoformat(entry["expires_at"]))

    def sign_out(self, token: str) -> None:
        """End the ledger session (best effort: an expired or unreachable one ends by itself)."""
        if not token:
            return
        try:
            self.client.staff_sign_out(token)
        except errors.LedgerError:
            pass
