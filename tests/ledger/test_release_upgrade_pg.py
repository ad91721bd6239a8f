"""The release-0.1 terminal store (tests/sync/test_upgrade.py) drained to a ledger on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ledger.db import make_engine
from ledger.seed import seed_demo
from ledger.testing import LedgerProcess
from tests.ledger.pg import PostgresCluster
from tests.sync.test_upgrade import drain_and_account

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_ledger(pg_cluster: PostgresCluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    url = pg_cluster.database("release_upgrade")
    engine = make_engine(url)
    seed_demo(engine, 40)
    engine.dispose()
    with LedgerProcess(url, log_path=tmp_path_factory.mktemp("pg-ledger") / "ledger.log") as process:
        yield process.url, url


def test_a_release_0_1_store_drains_exactly_once_to_a_postgres_ledger(pg_ledger: tuple[str, str],
                                                                     tmp_path: Path) -> None:
    drain_and_account(pg_ledger[0], pg_ledger[1], tmp_path)
