"""Fixtures of the sync tests: a seeded ledger database (seeded once, copied per test) and a
real ledger server subprocess on a free loopback port."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.sync.ledgerdb import seed_template


@pytest.fixture(scope="session")
def ledger_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_template(tmp_path_factory.mktemp("ledger-template") / "ledger.db")


@pytest.fixture
def fast_dir(tmp_path: Path) -> Iterator[Path]:
    """A RAM-backed directory when the machine has one (/dev/shm), else tmp_path.

    For the network proofs only: fsync costs nothing there, so the test time goes to faults and
    retries rather than to the disk. Durability across crashes is proven on a real disk elsewhere.
    """
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    path = Path(tempfile.mkdtemp(prefix="hpf-sync-", dir=shm))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def ledger_url(fast_dir: Path, ledger_template: Path) -> str:
    path = fast_dir / "ledger.db"
    shutil.copyfile(ledger_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def ledger(ledger_url: str, tmp_path: Path, exchange_url: str) -> Iterator[object]:
    from ledger.testing import LedgerProcess

    process = LedgerProcess(ledger_url, log_path=tmp_path / "ledger.log", exchange_url=exchange_url)
    process.start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def shared_ledger(tmp_path_factory: pytest.TempPathFactory, ledger_template: Path,
                  exchange_url: str) -> Iterator[tuple[object, str]]:
    """One ledger server for a whole module of tests that do not disturb each other: (process, db url)."""
    from ledger.testing import LedgerProcess

    folder = tmp_path_factory.mktemp("shared-ledger")
    shutil.copyfile(ledger_template, folder / "ledger.db")
    url = f"sqlite:///{folder / 'ledger.db'}"
    process = LedgerProcess(url, log_path=folder / "ledger.log", exchange_url=exchange_url)
    process.start()
    yield process, url
    process.stop()
