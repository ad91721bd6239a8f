"""Staff accounts in the local store: argon2 hashes, lockout kept across restarts, audit, drafts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher, profiles

from domain.staff import LockoutPolicy, SignInOutcome, StaffRole
from sync.staff_store import StaffStore
from sync.store import open_store

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
FAST = PasswordHasher.from_parameters(profiles.CHEAPEST)


def _staff(path: Path) -> StaffStore:
    return StaffStore(open_store(path), "DEMO-COUNTER-01", LockoutPolicy(3, 15), FAST)


def test_password_is_stored_as_argon2id_only(tmp_path: Path) -> None:
    staff = _staff(tmp_path / "t.db")
    staff.add_account("clerk-01", "王柜员", StaffRole.CLERK, "Counter-2026")
    raw = (tmp_path / "t.db").read_bytes() + (tmp_path / "t.db-wal").read_bytes()
    assert b"Counter-2026" not in raw and b"$argon2id$" in raw
    assert staff.sign_in("clerk-01", "Counter-2026", T0).ok
    with pytest.raises(ValueError, match="exists"):
        staff.add_account("clerk-01", "又一个", StaffRole.CLERK, "Counter-2026")


def test_lockout_survives_a_restart_and_is_audited(tmp_path: Path) -> None:
    staff = _staff(tmp_path / "t.db")
    staff.add_account("clerk-01", "王柜员", StaffRole.CLERK, "Counter-2026")
    results = [staff.sign_in("clerk-01", "wrong-pass", T0) for _ in range(3)]
    assert [r.outcome for r in results] == [SignInOutcome.BAD_PASSWORD] * 2 + [SignInOutcome.LOCKED]
    assert results[0].attempts_left == 2
    staff.store.close()
    again = _staff(tmp_path / "t.db")
    locked = again.sign_in("clerk-01", "Counter-2026", T0 + timedelta(minutes=5))
    assert locked.outcome is SignInOutcome.LOCKED and "10" in locked.message()[1]
    assert again.sign_in("clerk-01", "Counter-2026", T0 + timedelta(minutes=16)).ok
    trail = again.audit_trail(staff_id="clerk-01")
    assert [e.outcome for e in trail if e.action == "sign_in"] == ["bad_password", "bad_password", "locked",
                                                                    "locked", "ok"]
    assert {e.terminal_id for e in trail} == {"DEMO-COUNTER-01"}


def test_unknown_id_reads_like_a_bad_password(tmp_path: Path) -> None:
    staff = _staff(tmp_path / "t.db")
    result = staff.sign_in("nobody", "whatever-1", T0)
    assert result.outcome is SignInOutcome.UNKNOWN and not result.ok
    assert result.message()[1].startswith("Wrong staff id or password")


def test_drafts_and_case_records_round_trip(tmp_path: Path) -> None:
    staff = _staff(tmp_path / "t.db")
    staff.save_draft("D1", "clerk-01", "M1", "withdraw_rent", {"presented": ["id_card"]})
    staff.save_draft("D1", "clerk-01", "M1", "withdraw_rent", {"presented": ["id_card", "no_home_proof"]})
    [draft] = staff.drafts("clerk-01")
    assert draft.body == {"presented": ["id_card", "no_home_proof"]}
    staff.drop_draft("D1")
    assert staff.drafts() == []
    staff.put_case("B1", {"case_id": "B1", "status": "open"})
    staff.put_case("B1-tax", {"case_id": "B1-tax", "status": "open"}, parent_id="B1")
    assert [c["case_id"] for c in staff.cases(parent_id="B1")] == ["B1-tax"]
    assert staff.case("B1") == {"case_id": "B1", "status": "open"}


def test_list_cache_keeps_its_time(tmp_path: Path) -> None:
    staff = _staff(tmp_path / "t.db")
    assert staff.cache_get("worklist") is None
    staff.cache_put("worklist", {"cases": [{"case_id": "WD-1"}]})
    body, fetched = staff.cache_get("worklist") or (None, None)
    assert body == {"cases": [{"case_id": "WD-1"}]} and fetched is not None and fetched.tzinfo is not None
