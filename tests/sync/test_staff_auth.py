"""Counter staff sign-in through the ledger and the offline verifier cache (sync.staff_auth)."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher, profiles

from domain.staff import SignInOutcome, StaffRole
from sync import errors
from sync.staff_auth import StaffAuth


class FakeLedger:
    """Answers like POST /v1/staff/sign-in; `online = False` makes it unreachable."""

    def __init__(self) -> None:
        self.online = True
        self.passwords = {"clerk-01": "Clerk-2026", "both-01": "Both-2026"}
        self.roles = {"clerk-01": ["clerk"], "both-01": ["clerk", "supervisor"]}

    def staff_sign_in(self, username: str, password: str) -> dict[str, Any]:
        if not self.online:
            raise errors.LedgerUnavailable("connection refused")
        if self.passwords.get(username) != password:
            raise errors.AuthError("HTTP 401", code="bad_credentials", zh="工号或密码错误（还可尝试4次）。",
                                   en="Wrong staff id or password (4 attempts left).", status=401)
        return {"username": username, "name": "王柜员", "roles": self.roles[username], "token": "t-" + username,
                "expires_at": "", "offline_valid_hours": 72}

    def staff_sign_out(self, token: str) -> None:
        pass


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def _auth(tmp_path: Path) -> tuple[StaffAuth, FakeLedger, Clock]:
    ledger, clock = FakeLedger(), Clock()
    return StaffAuth(ledger, tmp_path / "verifiers.json", hasher=PasswordHasher.from_parameters(profiles.CHEAPEST),
                     clock=clock), ledger, clock


def test_online_sign_in_keeps_a_verifier_only_the_service_user_reads(tmp_path: Path) -> None:
    auth, _ledger, _clock = _auth(tmp_path)
    result = auth.sign_in("clerk-01", "Clerk-2026")
    assert result.ok and not result.offline and result.token == "t-clerk-01"
    assert result.account is not None and result.account.role is StaffRole.CLERK
    mode = stat.S_IMODE((tmp_path / "verifiers.json").stat().st_mode)
    assert mode == 0o600
    assert "Clerk-2026" not in (tmp_path / "verifiers.json").read_text(encoding="utf-8")
    refused = auth.sign_in("clerk-01", "wrong")
    assert refused.outcome is SignInOutcome.BAD_PASSWORD and "还可尝试4次" in refused.message()[0]
    both = auth.sign_in("both-01", "Both-2026")
    assert both.account is not None and both.account.role is StaffRole.SUPERVISOR


def test_offline_sign_in_only_for_recently_seen_staff(tmp_path: Path) -> None:
    auth, ledger, clock = _auth(tmp_path)
    assert auth.sign_in("clerk-01", "Clerk-2026").ok
    ledger.online = False
    offline = auth.sign_in("clerk-01", "Clerk-2026")
    assert offline.ok and offline.offline and offline.token == ""
    assert "离线登录" in offline.message()[0] and "offline" in offline.message()[1]
    never = auth.sign_in("both-01", "Both-2026")
    assert never.outcome is SignInOutcome.UNKNOWN and "近期在本柜台联机登录" in never.message()[0]
    clock.now += timedelta(hours=73)  # the verifier lives as long as the ledger accepts offline actions
    expired = auth.sign_in("clerk-01", "Clerk-2026")
    assert not expired.ok and "recently" in expired.message()[1]


def test_five_wrong_offline_passwords_drop_the_verifier(tmp_path: Path) -> None:
    auth, ledger, _clock = _auth(tmp_path)
    assert auth.sign_in("clerk-01", "Clerk-2026").ok
    ledger.online = False
    for left in (4, 3, 2, 1):
        result = auth.sign_in("clerk-01", "guess")
        assert result.outcome is SignInOutcome.BAD_PASSWORD and f"{left} attempts" in result.message()[1]
    assert auth.sign_in("clerk-01", "guess").outcome is SignInOutcome.LOCKED
    assert not auth.sign_in("clerk-01", "Clerk-2026").ok, "the right password needs the network now"
    assert auth.cached_staff() == []
