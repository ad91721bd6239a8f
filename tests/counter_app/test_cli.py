"""`hpf-counter --add-staff`: the way a centre creates its first accounts on a counter PC."""

from __future__ import annotations

import io

import pytest

from counter_app.app import main
from infra.config import load_config
from sync.staff_store import StaffStore
from sync.store import open_store


def test_add_staff_from_stdin_then_sign_in(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Clerk-2026x\n"))
    assert main(["--add-staff", "clerk-09", "张柜员", "clerk"]) == 0
    assert "clerk-09 added" in capsys.readouterr().out
    store = open_store(load_config(None).store_path())
    try:
        assert StaffStore(store, "T").sign_in("clerk-09", "Clerk-2026x").ok
    finally:
        store.close()


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (["clerk-10", "李柜员", "boss"], "Clerk-2026x\n", "the role must be one of clerk / supervisor / technician"),
    (["clerk-10", "李柜员", "clerk"], "short\n", "at least 8 characters"),
])
def test_bad_accounts_are_refused_with_a_reason(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                                args: list[str], stdin: str, message: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    assert main(["--add-staff", *args]) == 2
    assert message in capsys.readouterr().err
