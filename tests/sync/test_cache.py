import os
import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from domain.account import Account, AccountSnapshot, Member, Sex
from sync.cache import ReferenceCache, SnapshotCache
from sync.crypto import CacheKeyError, Cipher, load_or_create_key
from sync.store import Store, open_store

ID_NUMBER = "140105199003071234"


def snapshot(member_id: str = "100200300", as_of: datetime | None = None) -> AccountSnapshot:
    member = Member(member_id, "张三", ID_NUMBER, "13812341234", Sex.MALE, date(1990, 3, 7))
    account = Account(
        status_code="01", balance=Decimal("52345.67"), deposit_base=Decimal("8000.00"),
        unit_ratio=Decimal("12"), personal_ratio=Decimal("12"), monthly_deposit=Decimal("1920.00"),
        paid_up_to="2026-10", opened_on=date(2015, 7, 1), employer_name="太原某公司", employer_account="0100001",
        bank_name="华夏银行", bank_account="6230123412341234", deposits_this_year=Decimal("19200.00"),
        carried_over=Decimal("33145.67"))
    return AccountSnapshot(member, account, as_of=as_of or datetime.now(UTC))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "t.db")
    yield s
    s.close()


def test_the_key_file_is_created_owner_only_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "k" / "cache.key"
    key = load_or_create_key(path)
    assert len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    os.chmod(path, 0o644)
    assert load_or_create_key(path) == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_damaged_key_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "cache.key"
    path.write_bytes(b"short")
    path.chmod(0o600)
    with pytest.raises(CacheKeyError, match="32-byte key"):
        load_or_create_key(path)


def test_snapshots_are_encrypted_at_rest_and_served_marked_as_cache(store: Store, tmp_path: Path) -> None:
    cache = SnapshotCache(store, Cipher(load_or_create_key(tmp_path / "k")))
    original = snapshot()
    cache.put(original)
    raw = store.path.read_bytes() + Path(str(store.path) + "-wal").read_bytes()
    assert ID_NUMBER.encode() not in raw and "张三".encode() not in raw and b"52345.67" not in raw
    served = cache.get("100200300")
    assert served is not None and served.source == "cache" and served.is_stale
    assert served.as_of == original.as_of and served.account.balance == Decimal("52345.67")


def test_an_expired_snapshot_is_not_served_and_is_deleted(store: Store, tmp_path: Path) -> None:
    cache = SnapshotCache(store, Cipher(load_or_create_key(tmp_path / "k")), ttl=timedelta(hours=2))
    cache.put(snapshot(as_of=datetime.now(UTC) - timedelta(hours=3)))
    cache.put(snapshot("M-FRESH"))
    assert cache.get("100200300") is None
    assert cache.get("M-FRESH") is not None
    with sqlite3.connect(store.path) as raw:
        assert raw.execute("SELECT member_id FROM snapshot_cache").fetchall() == [("M-FRESH",)]


def test_a_row_moved_to_another_member_or_another_key_does_not_decrypt(store: Store, tmp_path: Path) -> None:
    cache = SnapshotCache(store, Cipher(load_or_create_key(tmp_path / "k")))
    cache.put(snapshot("A"))
    with sqlite3.connect(store.path) as raw:
        raw.execute("INSERT INTO snapshot_cache SELECT 'B', as_of, fetched_at, nonce, ciphertext "
                    "FROM snapshot_cache WHERE member_id='A'")
    assert cache.get("B") is None
    other = SnapshotCache(store, Cipher(load_or_create_key(tmp_path / "other-key")))
    assert other.get("A") is None


def test_reference_cache_keeps_body_and_etag(store: Store) -> None:
    refs = ReferenceCache(store)
    assert refs.get("rates") is None and refs.etag("rates") is None
    refs.put("rates", {"lpr5y": "3.50"}, '"v1"')
    body, fetched = refs.get("rates")  # type: ignore[misc]
    refs.touch("rates")
    assert body == {"lpr5y": "3.50"} and refs.etag("rates") == '"v1"'
    assert refs.get("rates")[1] >= fetched  # type: ignore[index]
