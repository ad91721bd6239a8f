"""Which signing key a terminal uses: its enrolled key file; the demo key only in demo mode for demo ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra.config import parse_config
from infra.production import DEMO_TERMINAL_PUBLIC_KEYS
from protocol.signing import TerminalKey
from sync.credentials import NotEnrolled, load_terminal_key


def test_the_demo_uses_the_demo_key_without_a_key_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HPF_HOME", str(tmp_path))
    assert load_terminal_key(parse_config("")).public_key == DEMO_TERMINAL_PUBLIC_KEYS["DEMO-KIOSK-01"]


def test_production_without_enrolment_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HPF_HOME", str(tmp_path))
    with pytest.raises(NotEnrolled, match="hpf-diag enrol"):
        load_terminal_key(parse_config("demo = false\n"))


def test_an_enrolled_key_file_wins_over_the_demo_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HPF_HOME", str(tmp_path))
    own = TerminalKey.generate()
    own.save(tmp_path / "data" / "terminal-key.pem")
    assert load_terminal_key(parse_config("")).public_key == own.public_key
