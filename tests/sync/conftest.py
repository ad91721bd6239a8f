"""Fixtures of the sync tests: a seeded ledger database (seeded once, copied per test) and a
real ledger server subprocess on a free loopback port."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.ledgerdb import seed_template


@pytest.fixture(scope="session")
def ledger_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_template(tmp_path_factory.mktemp("ledger-template") / "ledger.db")


@pytest.fixture
def ledger_url(tmp_path: Path, ledger_template: Path) -> str:
    path = tmp_path / "ledger.db"
    shutil.copyfile(ledger_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def ledger(ledger_url: str, tmp_path: Path) -> Iterator[object]:
    from ledger.testing import LedgerProcess

    process = LedgerProcess(ledger_url, log_path=tmp_path / "ledger.log")
    process.start()
    yield process
    process.stop()
