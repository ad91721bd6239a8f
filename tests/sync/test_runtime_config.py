"""`[ledger] snapshot_ttl_h` in the terminal configuration reaches the snapshot cache."""

from datetime import timedelta
from pathlib import Path

from infra.config import parse_config
from sync.runtime import SyncRuntime


def test_snapshot_ttl_comes_from_the_config(tmp_path: Path) -> None:
    config = parse_config(f'[store]\npath = "{tmp_path / "t.db"}"\n[ledger]\nsnapshot_ttl_h = 6\n')
    runtime = SyncRuntime.from_config(config, key_path=tmp_path / "cache.key")
    try:
        assert runtime.snapshots.ttl == timedelta(hours=6)
    finally:
        runtime.stop()
